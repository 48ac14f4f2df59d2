import assert from 'node:assert/strict';
import { it } from 'node:test';
import { type CheckResult, excerpt, summarize, toJUnit } from './report.ts';

const check = (id: string, status: CheckResult['status'], finding: string): CheckResult => ({
  id,
  title: `title of ${id}`,
  status,
  finding,
  evidence: {
    request: 'POST https://bank/notifications {"a":"<b>"}',
    answer: 'HTTP 200 {}',
    required: 'a & b',
  },
});

it('counts a report as failed on any failure and not on warnings', () => {
  const warned = summarize('save-to-pay', 'p1', false, 0, [
    check('a', 'pass', 'ok'),
    check('b', 'warn', 'meh'),
  ]);
  assert.deepEqual([warned.ok, warned.summary], [true, { pass: 1, fail: 0, warn: 1 }]);
  const failed = summarize('save-to-pay', 'p1', false, 0, [check('a', 'fail', 'no')]);
  assert.equal(failed.ok, false);
});

it('writes JUnit with one testcase per check, failures as <failure>, everything escaped', () => {
  const report = summarize('add-to-wallet', 'p"1', true, Date.UTC(2026, 0, 1), [
    check('atw.ok', 'pass', 'fine'),
    check('atw.bad', 'fail', 'accepted <forged> token & more\u0001'),
  ]);
  const xml = toJUnit([report]);
  assert.match(
    xml,
    /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="cardport verify" tests="2" failures="1">/,
  );
  assert.match(
    xml,
    /<testsuite name="add-to-wallet \(faults\) partner p&quot;1" tests="2" failures="1" timestamp="2026-01-01T00:00:00.000Z">/,
  );
  assert.match(
    xml,
    /<testcase classname="cardport.verify.add-to-wallet" name="atw.ok: title of atw.ok">\n {6}<system-out>PASS: fine/,
  );
  assert.match(
    xml,
    /<failure message="accepted &lt;forged&gt; token &amp; more">request: POST https:\/\/bank\/notifications \{&quot;a&quot;:&quot;&lt;b&gt;&quot;\}\nanswer: HTTP 200 \{\}\nrequired: a &amp; b<\/failure>/,
  );
  assert.equal(xml.match(/<testcase /g)?.length, 2);
});

it('cuts long evidence and marks the cut', () => {
  assert.equal(excerpt(''), '(empty)');
  assert.equal(excerpt('x'.repeat(10), 4), 'xxxx… (10 chars)');
});
