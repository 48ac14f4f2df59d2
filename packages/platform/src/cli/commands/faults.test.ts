import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { faultsModule } from '../../faults/module.ts';
import {
  onboardTestPartner,
  startTestPlatform,
  TEST_ADMIN_TOKEN,
  type TestPlatform,
} from '../../testing/index.ts';
import { main } from '../main.ts';

describe('cardport faults', () => {
  let platform: TestPlatform;
  let partnerId: string;
  let env: Record<string, string | undefined>;

  before(async () => {
    platform = await startTestPlatform({ modules: [faultsModule] });
    const { url } = await platform.listen();
    env = {
      CARDPORT_URL: url,
      CARDPORT_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
      CARDPORT_HOME: platform.app.ctx.config.home,
    };
    partnerId = (await onboardTestPartner(platform, { name: 'Flaky bank' })).partnerId;
  });
  after(() => platform.close());

  async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(args, { stdout: (t) => out.push(t), stderr: (t) => err.push(t), env });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  it('sets faults from flags, merging with what is set, and shows them', async () => {
    const set = await run(['faults', 'set', '--partner', partnerId, '--duplicates', '1', '--delay', '5s']);
    assert.equal(set.code, 0, set.err);
    assert.match(set.out, /duplicates=1 delay=5000ms/);
    const more = await run([
      'faults',
      'set',
      '--partner',
      partnerId,
      '--fail-first',
      '2',
      '--inbound',
      '503.2',
      '--rate',
      '0.5',
      '--retry-after',
      '9',
      '--json',
    ]);
    assert.equal(more.code, 0, more.err);
    const { faults } = JSON.parse(more.out) as { faults: Record<string, unknown> };
    assert.deepEqual(
      [
        faults['duplicates'],
        faults['delayMs'],
        faults['failFirst'],
        faults['inboundError'],
        faults['inboundRate'],
        faults['retryAfterSeconds'],
      ],
      [1, 5000, 2, '503.2', 0.5, 9],
    );
    const shown = await run(['faults', 'show', '--partner', partnerId]);
    assert.match(shown.out, /503\.2 on 50% of the partner's calls, Retry-After 9 s \(0 so far\)/);
    const all = await run(['faults', 'show']);
    assert.match(
      all.out,
      new RegExp(`^${partnerId}  duplicates=1 delay=5000ms failFirst=2 inbound=503.2@0.5`),
    );
  });

  it('clears them, and says so when nothing was set', async () => {
    assert.match((await run(['faults', 'clear', '--partner', partnerId])).out, /cleared/);
    assert.match((await run(['faults', 'clear', '--partner', partnerId])).out, /no faults were set/);
    assert.equal((await run(['faults', 'show'])).out, 'no faults set');
  });

  it('refuses bad flags before calling the platform, and an unknown partner with its error', async () => {
    const noFlag = await run(['faults', 'set', '--partner', partnerId]);
    assert.equal(noFlag.code, 2);
    assert.match(noFlag.err, /nothing to set/);
    const badInbound = await run(['faults', 'set', '--partner', partnerId, '--inbound', '502']);
    assert.equal(badInbound.code, 2);
    assert.match(badInbound.err, /--inbound must be 503\.1, 503\.2, 500 or none/);
    const badDelay = await run(['faults', 'set', '--partner', partnerId, '--delay', 'soon']);
    assert.match(badDelay.err, /--delay must be a duration/);
    const tooMany = await run(['faults', 'set', '--partner', partnerId, '--duplicates', '9']);
    assert.match(tooMany.err, /--duplicates must be a whole number from 0 to 5/);
    const unknown = await run(['faults', 'set', '--partner', 'nobody', '--duplicates', '1']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.err, /NOT_FOUND: partner not found/);
  });
});
