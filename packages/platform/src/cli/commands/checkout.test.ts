import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestPlatform, TEST_ADMIN_TOKEN, type TestPlatform } from '../../testing/index.ts';
import { tspModule } from '../../tsp/index.ts';
import { walletModule } from '../../wallet/module.ts';
import * as wallet from '../../wallet/service.ts';
import { webCheckoutModule } from '../../web-checkout/module.ts';
import {
  type CheckoutPartner,
  createTransactionBody,
  onboardCheckoutPartner,
} from '../../web-checkout/test-support.ts';
import { main } from '../main.ts';

describe('cardport wallet add-test-card / wallet approve / checkout', () => {
  let p: TestPlatform;
  let shop: CheckoutPartner;
  let env: Record<string, string | undefined>;

  before(async () => {
    p = await startTestPlatform({ modules: [walletModule, tspModule, webCheckoutModule] });
    const { url } = await p.listen();
    p.app.ctx.config.publicUrl = url;
    shop = await onboardCheckoutPartner(p);
    await wallet.signUp(p.db, p.clock, { email: 'cli-shopper@example.com' });
    env = { CARDPORT_URL: url, CARDPORT_ADMIN_TOKEN: TEST_ADMIN_TOKEN, CARDPORT_HOME: p.app.ctx.config.home };
  });
  after(async () => p.close());

  async function run(...argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(argv, { stdout: (s) => out.push(s), stderr: (s) => err.push(s), env });
    return { code, stdout: out.join('\n'), stderr: err.join('\n') };
  }

  async function transaction(): Promise<string> {
    const res = await p.app.main.inject({
      method: 'POST',
      url: '/ops/v1/transactions',
      payload: createTransactionBody(shop.service.serviceId),
    });
    return res.json().id;
  }

  it('adds a Mastercard test card and approves with it, printing ref_id and the redirect URL', async () => {
    const added = await run(
      'wallet',
      'add-test-card',
      '--account',
      'cli-shopper@example.com',
      '--brand',
      'MC',
      '--json',
    );
    assert.equal(added.code, 0, added.stderr);
    const card = JSON.parse(added.stdout);
    assert.equal(card.brand, 'MC');
    assert.equal(card.fundingLast4, '4444');

    const id = await transaction();
    const approved = await run(
      'wallet',
      'approve',
      '--account',
      'cli-shopper@example.com',
      '--transaction',
      id,
      '--card',
      '4444',
      '--json',
    );
    assert.equal(approved.code, 0, approved.stderr);
    const answer = JSON.parse(approved.stdout);
    assert.equal(answer.status, 'APPROVED');
    assert.match(answer.ref_id, /^[0-9a-f]{32}$/);
    assert.equal(answer.redirectUrl, `https://shop.example/checkout/done?order=42&ref_id=${answer.ref_id}`);

    const listed = await run('checkout', 'transactions', '--json');
    assert.equal(JSON.parse(listed.stdout).transactions[0].status, 'APPROVED');
  });

  it('declines with --decline', async () => {
    const id = await transaction();
    const declined = await run(
      'wallet',
      'approve',
      '--account',
      'cli-shopper@example.com',
      '--transaction',
      id,
      '--decline',
      '--json',
    );
    assert.equal(declined.code, 0, declined.stderr);
    assert.equal(JSON.parse(declined.stdout).status, 'DECLINED');
  });

  it('fails clearly when no card ends in the given digits', async () => {
    const id = await transaction();
    const r = await run(
      'wallet',
      'approve',
      '--account',
      'cli-shopper@example.com',
      '--transaction',
      id,
      '--card',
      '0000',
    );
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /no card ending in 0000/);
  });

  it('checkout health reports an unreachable health URL as unhealthy and lists the probe', async () => {
    const down = await onboardCheckoutPartner(p, {
      healthUrl: 'http://127.0.0.1:9/samsungpay/integration/health',
    });
    const r = await run('checkout', 'health', down.service.serviceId, '--json');
    assert.equal(r.code, 0, r.stderr);
    const json = JSON.parse(r.stdout);
    assert.equal(json.probe.ok, false);
    assert.equal(json.probes.length, 1);
  });
});
