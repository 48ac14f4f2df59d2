import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { adminModule } from '../../admin/module.ts';
import { type Receiver, startReceiver, waitFor } from '../../core/delivery-test-support.ts';
import { faultsModule } from '../../faults/module.ts';
import { startTestPlatform, TEST_ADMIN_TOKEN, type TestPlatform } from '../../testing/index.ts';
import { tspModule } from '../../tsp/index.ts';
import { walletModule } from '../../wallet/module.ts';
import { webCheckoutModule } from '../../web-checkout/module.ts';
import {
  type CheckoutPartner,
  createTransactionBody,
  onboardCheckoutPartner,
} from '../../web-checkout/test-support.ts';
import { main } from '../main.ts';

describe('cardport logs and cardport listen', () => {
  let p: TestPlatform;
  let shop: CheckoutPartner;
  let url: string;
  let receiver: Receiver;
  const received: string[] = [];
  let env: Record<string, string | undefined>;

  before(async () => {
    p = await startTestPlatform({
      modules: [walletModule, tspModule, webCheckoutModule, adminModule, faultsModule],
    });
    shop = await onboardCheckoutPartner(p);
    ({ url } = await p.listen());
    env = { CARDPORT_URL: url, CARDPORT_ADMIN_TOKEN: TEST_ADMIN_TOKEN, CARDPORT_HOME: '/nonexistent' };
    receiver = await startReceiver((req, res) => {
      received.push(req.body);
      res.writeHead(200).end('ok');
    });
  });
  after(async () => {
    await receiver?.close();
    await p?.close();
  });

  const run = async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(argv, { stdout: (t) => out.push(t), stderr: (t) => err.push(t), env });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
  const createTransaction = () =>
    fetch(`${url}/ops/v1/transactions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(createTransactionBody(shop.service.serviceId)),
    });

  it('logs prints the recorded calls under column headers, with the partner by name', async () => {
    assert.equal((await createTransaction()).status, 200);
    await waitFor(
      async () => (await run('logs')).out.includes('/ops/v1/transactions'),
      'the call in the log',
    );
    const r = await run('logs', '--partner', shop.partner.partnerId);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^TIME +FAMILY +PARTNER +REQUEST +STATUS +LATENCY +REQUEST ID/m);
    assert.match(r.out, new RegExp(`web-checkout +${shop.partner.name} +POST /ops/v1/transactions +200`));
    const bad = await run('logs', '--partner', 'nope');
    assert.equal(bad.code, 2);
  });

  it('listen --forward posts each new call to the given URL as JSON and prints it', async () => {
    const listening = run('listen', '--forward', `${receiver.url}/hook`);
    // The stream is open once the platform has a subscriber: make calls until one is forwarded.
    await waitFor(async () => {
      await createTransaction();
      return received.length > 0;
    }, 'a forwarded event');
    process.emit('SIGINT');
    const r = await listening;
    assert.equal(r.code, 0, r.err);
    const event = JSON.parse(received[0] as string) as {
      type: string;
      data: { path: string; status: number };
    };
    assert.equal(event.type, 'request');
    assert.equal(event.data.path, '/ops/v1/transactions');
    assert.match(r.out, /POST \/ops\/v1\/transactions +200 .*=> .*\/hook \[200\]/);
  });

  it('logs names the fault injected into a call', async () => {
    const partnerId = shop.partner.partnerId;
    const set = await run('faults', 'set', '--partner', partnerId, '--inbound', '500');
    assert.equal(set.code, 0, set.err);
    try {
      // A call naming its service in the query (how the fault finds the partner of a Web Checkout call).
      const creds = await fetch(
        `${url}/ops/v1/transactions/paymentCredentials/${'0'.repeat(32)}?serviceId=${shop.service.serviceId}`,
      );
      assert.equal(creds.status, 500);
      await waitFor(
        async () => (await run('logs', '--partner', partnerId)).out.includes('injected 500'),
        'the injected call in the log',
      );
      const r = await run('logs', '--partner', partnerId, '--limit', '1');
      assert.match(
        r.out,
        /GET \/ops\/v1\/transactions\/paymentCredentials\/0+ +500 .*injected 500 \(rate 1, web-checkout\)/,
      );
    } finally {
      assert.equal((await run('faults', 'clear', '--partner', partnerId)).code, 0);
    }
  });
});
