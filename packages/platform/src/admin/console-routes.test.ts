import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '../core/delivery-test-support.ts';
import { testDbKinds } from '../core/test-kit.ts';
import { redactBody, safePath } from '../partners/request-log-redact.ts';
import { startTestPlatform, TEST_ADMIN_TOKEN, type TestPlatform } from '../testing/index.ts';
import { tspModule } from '../tsp/index.ts';
import { walletModule } from '../wallet/module.ts';
import { addWalletItem, createAccount } from '../wallet/service.ts';
import { webCheckoutModule } from '../web-checkout/module.ts';
import {
  type CheckoutPartner,
  createTransactionBody,
  onboardCheckoutPartner,
} from '../web-checkout/test-support.ts';
import { adminModule } from './module.ts';

const bearer = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };

interface Summary {
  id: number;
  family: string;
  partnerId: string | null;
  partnerName: string | null;
  method: string;
  path: string;
  status: number;
  latencyMs: number;
  error: string | null;
  objectIds: string[];
  requestId: string;
}

describe('request log redaction', () => {
  it('replaces secret fields and cuts long strings, keeping the shape', () => {
    const out = redactBody({
      card: { data: { encryptedData: 'eyJhbGciOi.secret.blob' } },
      pan: '4111111111111111',
      cdata: 'x',
      name: 'Ada',
      long: 'a'.repeat(500),
    }) as Record<string, unknown>;
    assert.deepEqual(out['card'], { data: { encryptedData: '[redacted]' } });
    assert.equal(out['pan'], '[redacted]');
    assert.equal(out['cdata'], '[redacted]');
    assert.equal(out['name'], 'Ada');
    assert.match(String(out['long']), /^a{24}…\[500 chars\]$/);
  });

  it('keeps token segments of a path as the parameter name', () => {
    assert.equal(
      safePath('/gsmpi/checkout/:token/account', { token: 'secret-token' }, '/x'),
      '/gsmpi/checkout/:token/account',
    );
    assert.equal(safePath('/s2p/v1/welcome/*', { '*': 'tok' }, '/x'), '/s2p/v1/welcome/:token');
    assert.equal(safePath('/atw/v3/:cardId', { cardId: 'c123' }, '/x'), '/atw/v3/c123');
  });
});

for (const kind of testDbKinds()) {
  describe(`console admin API on ${kind.name}`, () => {
    let p: TestPlatform;
    let shop: CheckoutPartner;
    let url: string;

    before(async () => {
      p = await startTestPlatform({
        kind,
        modules: [walletModule, tspModule, webCheckoutModule, adminModule],
      });
      shop = await onboardCheckoutPartner(p);
      ({ url } = await p.listen());
    });
    after(async () => p.close());

    const requests = async (query = '') => {
      const res = await p.app.main.inject({
        method: 'GET',
        url: `/admin/v1/requests${query}`,
        headers: bearer,
      });
      assert.equal(res.statusCode, 200, res.body);
      return (res.json() as { requests: Summary[] }).requests;
    };

    it('records a Web Checkout API call and a refused one per partner, with why it failed', async () => {
      const ok = await p.app.main.inject({
        method: 'POST',
        url: '/ops/v1/transactions',
        payload: createTransactionBody(shop.service.serviceId),
      });
      assert.equal(ok.statusCode, 200, ok.body);
      const transactionId = (ok.json() as { id: string }).id;
      const bad = await p.app.main.inject({
        method: 'POST',
        url: '/ops/v1/transactions',
        payload: {
          ...createTransactionBody(shop.service.serviceId),
          paymentDetails: {
            ...createTransactionBody(shop.service.serviceId).paymentDetails,
            allowedBrands: ['ZZ'],
          },
        },
      });
      assert.equal(bad.statusCode, 400);
      await waitFor(async () => (await requests()).length >= 2, 'two entries');
      const [refused, accepted] = await requests(`?partnerId=${shop.partner.partnerId}`);
      assert.ok(refused && accepted);
      assert.equal(accepted.family, 'web-checkout');
      assert.equal(accepted.method, 'POST');
      assert.equal(accepted.path, '/ops/v1/transactions');
      assert.equal(accepted.status, 200);
      assert.equal(accepted.partnerName, shop.partner.name);
      assert.ok(accepted.latencyMs >= 0);
      assert.ok(accepted.objectIds.includes(transactionId), JSON.stringify(accepted.objectIds));
      assert.equal(refused.status, 400);
      assert.match(refused.error ?? '', /OPM1N1002/);
      // One entry with its bodies; the timeline of the transaction finds the call.
      const one = await p.app.main.inject({
        method: 'GET',
        url: `/admin/v1/requests/${accepted.id}`,
        headers: bearer,
      });
      const body = (one.json() as { requestBody: { paymentDetails: { service: { id: string } } } })
        .requestBody;
      assert.equal(body.paymentDetails.service.id, shop.service.serviceId);
      const timeline = await p.app.main.inject({
        method: 'GET',
        url: `/admin/v1/timeline/${transactionId}`,
        headers: bearer,
      });
      const items = (timeline.json() as { items: { type: string; request?: { id: number } }[] }).items;
      assert.ok(items.some((i) => i.type === 'request' && i.request?.id === accepted.id));
    });

    it('shows the wallet’s actions on an object’s timeline in order with its calls, naming the account', async () => {
      const created = await p.app.main.inject({
        method: 'POST',
        url: '/ops/v1/transactions',
        payload: createTransactionBody(shop.service.serviceId),
      });
      assert.equal(created.statusCode, 200, created.body);
      const transactionId = (created.json() as { id: string }).id;
      await waitFor(
        async () => (await requests(`?objectId=${transactionId}`)).length >= 1,
        'the call in the request log',
      );
      p.clock.advance(1000);
      const { account } = await createAccount(p.db, p.clock, { email: 'timeline@example.com' });
      await p.db.transaction((tx) =>
        addWalletItem(tx, p.clock, {
          userId: account.userId,
          kind: 'payment_card',
          source: 'web-checkout',
          ref: transactionId,
          title: 'Visa •••• 1111',
          state: 'ACTIVE',
        }),
      );
      const res = await p.app.main.inject({
        method: 'GET',
        url: `/admin/v1/timeline/${transactionId}`,
        headers: bearer,
      });
      assert.equal(res.statusCode, 200, res.body);
      const timeline = res.json() as {
        items: {
          type: string;
          at: number;
          action?: {
            action: string;
            accountId: string;
            accountEmail?: string;
            detail: Record<string, unknown>;
          };
        }[];
        related: string[];
      };
      assert.deepEqual(
        timeline.items.map((i) => i.type),
        ['request', 'wallet'],
      );
      const wallet = timeline.items[1];
      assert.deepEqual(wallet?.action, {
        action: 'ITEM_ADDED',
        accountId: account.userId,
        accountEmail: 'timeline@example.com',
        detail: { title: 'Visa •••• 1111', kind: 'payment_card', source: 'web-checkout', state: 'ACTIVE' },
      });
      assert.ok((wallet?.at ?? 0) > (timeline.items[0]?.at ?? Infinity));
      assert.ok(timeline.related.includes(account.userId), JSON.stringify(timeline.related));
    });

    it('streams a call live as a server-sent event', async () => {
      const controller = new AbortController();
      const res = await fetch(`${url}/admin/v1/events`, { headers: bearer, signal: controller.signal });
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      const decoder = new TextDecoder();
      let text = '';
      await reader.read().then((r) => {
        text += decoder.decode(r.value);
      });
      const call = await fetch(`${url}/ops/v1/transactions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(createTransactionBody(shop.service.serviceId)),
      });
      assert.equal(call.status, 200);
      while (!/event: request\ndata: .*"path":"\/ops\/v1\/transactions"/.test(text)) {
        const r = await reader.read();
        if (r.done) break;
        text += decoder.decode(r.value);
      }
      controller.abort();
      assert.match(text, /event: request\ndata: .*"status":200/);
    });

    it('opens a browser-wide session with the token once; a cookie alone cannot change state without a same-origin Origin', async () => {
      const refused = await p.app.main.inject({
        method: 'POST',
        url: '/admin/session',
        headers: { authorization: 'Bearer wrong' },
      });
      assert.equal(refused.statusCode, 401);
      const opened = await p.app.main.inject({ method: 'POST', url: '/admin/session', headers: bearer });
      assert.equal(opened.statusCode, 204);
      const setCookie = String(opened.headers['set-cookie']);
      assert.match(setCookie, /HttpOnly/);
      assert.match(setCookie, /SameSite=Strict/);
      assert.ok(!setCookie.includes(TEST_ADMIN_TOKEN), 'the token itself is not the cookie');
      const cookie = setCookie.split(';')[0] as string;
      const read = await p.app.main.inject({ method: 'GET', url: '/admin/v1/requests', headers: { cookie } });
      assert.equal(read.statusCode, 200);
      const forged = await p.app.main.inject({
        method: 'POST',
        url: '/admin/v1/deliveries/dlv_000000000000000000000000/replay',
        headers: { cookie, host: 'cardport.test', origin: 'https://evil.example' },
      });
      assert.equal(forged.statusCode, 401);
      const same = await p.app.main.inject({
        method: 'POST',
        url: '/admin/v1/deliveries/dlv_000000000000000000000000/replay',
        headers: { cookie, host: 'cardport.test', origin: 'http://cardport.test' },
      });
      assert.equal(same.statusCode, 404, 'past the guard: the delivery does not exist');
    });

    it('tells a page whether this browser holds a session, answering 200 either way', async () => {
      const without = await p.app.main.inject({ method: 'GET', url: '/admin/session' });
      assert.equal(without.statusCode, 200);
      assert.deepEqual(without.json(), { signedIn: false });
      const opened = await p.app.main.inject({ method: 'POST', url: '/admin/session', headers: bearer });
      const cookie = String(opened.headers['set-cookie']).split(';')[0] as string;
      const withCookie = await p.app.main.inject({
        method: 'GET',
        url: '/admin/session',
        headers: { cookie },
      });
      assert.deepEqual(withCookie.json(), { signedIn: true });
      const stale = await p.app.main.inject({
        method: 'GET',
        url: '/admin/session',
        headers: { cookie: 'cardport_admin=forged' },
      });
      assert.deepEqual(stale.json(), { signedIn: false });
    });
  });
}
