import assert from 'node:assert/strict';
import { describe, it, test } from 'node:test';
import { claimSweepRound } from './sweep.ts';
import { testDbKinds } from './test-kit.ts';

const minute = 60_000;
const t0 = Date.UTC(2026, 0, 1);

for (const kind of testDbKinds()) {
  describe(`claimSweepRound (${kind.name})`, () => {
    it('grants the first claim of a round, refuses the rest of that round, and grants the next round', async () => {
      const { db, dispose } = await kind.open();
      try {
        assert.equal(await claimSweepRound(db, 'probes', 15 * minute, t0), true);
        assert.equal(await claimSweepRound(db, 'probes', 15 * minute, t0 + 1000), false);
        assert.equal(await claimSweepRound(db, 'probes', 15 * minute, t0 + 10 * minute), false);
        // Another job's rounds are its own.
        assert.equal(await claimSweepRound(db, 'purge', 15 * minute, t0 + 1000), true);
        // A timer that fires a little early (drift) still gets its round.
        assert.equal(await claimSweepRound(db, 'probes', 15 * minute, t0 + 15 * minute - 5000), true);
        assert.equal(await claimSweepRound(db, 'probes', 15 * minute, t0 + 15 * minute), false);
        assert.equal(await claimSweepRound(db, 'probes', 15 * minute, t0 + 30 * minute), true);
      } finally {
        await dispose();
      }
    });
  });
}

test('two processes claiming the same rounds at once on one PostgreSQL run each round once (PostgreSQL only)', {
  skip: !process.env['DATABASE_URL'] && 'needs DATABASE_URL (CI sets it)',
}, async () => {
  const kind = testDbKinds().find((k) => k.name === 'postgres')!;
  const testDb = await kind.open();
  try {
    const other = await testDb.openAnother();
    const rounds = 40;
    for (let round = 0; round < rounds; round++) {
      // Both "processes" fire for the same round, with clocks a second apart.
      const now = t0 + round * 15 * minute;
      const claims = await Promise.all([
        claimSweepRound(testDb.db, 'web-checkout.health-probes', 15 * minute, now),
        claimSweepRound(other, 'web-checkout.health-probes', 15 * minute, now + 1000),
      ]);
      assert.equal(claims.filter(Boolean).length, 1, `round ${round}: ${claims}`);
    }
  } finally {
    await testDb.dispose();
  }
});
