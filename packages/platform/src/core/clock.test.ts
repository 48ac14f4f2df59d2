import assert from 'node:assert/strict';
import { test } from 'node:test';
import { authNow, ManualClock, parseDuration, SandboxClock, systemClock } from './clock.ts';
import { testDbKinds } from './test-kit.ts';

test('parses durations in ms, s, m, h, d and combinations', () => {
  assert.equal(parseDuration('1500'), 1500);
  assert.equal(parseDuration('30s'), 30_000);
  assert.equal(parseDuration('5m'), 300_000);
  assert.equal(parseDuration('2h'), 7_200_000);
  assert.equal(parseDuration('1d'), 86_400_000);
  assert.equal(parseDuration('1h30m'), 5_400_000);
  assert.equal(parseDuration('250ms'), 250);
});

test('rejects text that is not a duration', () => {
  for (const bad of ['', 'five minutes', '5x', '-5m', '5m garbage'])
    assert.throws(() => parseDuration(bad), RangeError);
});

for (const kind of testDbKinds()) {
  test(`[${kind.name}] the sandbox clock moves forward, is shared through the database and resets`, async () => {
    const t = await kind.open();
    try {
      const a = new SandboxClock();
      await a.load(t.db);
      const before = a.now();
      await a.advance(t.db, 3_600_000);
      assert.ok(a.now() - before >= 3_600_000);
      const b = new SandboxClock();
      await b.load(t.db);
      assert.equal(b.offsetMs, 3_600_000);
      await a.advance(t.db, 60_000);
      await b.load(t.db);
      assert.equal(b.offsetMs, 3_660_000);
      await assert.rejects(a.advance(t.db, -1), RangeError);
      await b.reset(t.db);
      await a.load(t.db);
      assert.equal(a.offsetMs, 0);
    } finally {
      await t.dispose();
    }
  });
}

for (const kind of testDbKinds()) {
  test(`[${kind.name}] authentication reads real time after the sandbox clock is advanced`, async () => {
    const t = await kind.open();
    try {
      const clock = new SandboxClock();
      await clock.advance(t.db, 2 * 3_600_000);
      const before = Date.now();
      const auth = authNow(clock);
      const after = Date.now();
      assert.ok(before <= auth && auth <= after, 'authNow is real time');
      assert.ok(clock.now() >= before + 2 * 3_600_000, 'business time is 2 h ahead');
    } finally {
      await t.dispose();
    }
  });
}

test("a manual clock keeps the partners' time when only business time is advanced", () => {
  const clock = new ManualClock(1_000_000);
  clock.advanceSandbox(7_200_000);
  assert.equal(clock.now(), 8_200_000);
  assert.equal(authNow(clock), 1_000_000);
  clock.advance(5);
  assert.deepEqual([clock.now(), clock.realNow()], [8_200_005, 1_000_005]);
  clock.set(9_000_000);
  assert.deepEqual([clock.now(), clock.realNow()], [9_000_000, 1_800_000]);
  assert.equal(authNow({ now: () => 42 }), 42, 'a clock without realNow has one time');
  assert.equal(typeof authNow(systemClock), 'number');
});
