import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { adminModule } from '../admin/module.ts';
import { type Receiver, startReceiver, waitFor } from '../core/delivery-test-support.ts';
import { testDbKinds } from '../core/test-kit.ts';
import { S2P_API_PREFIX } from '../save-to-pay/api-routes.ts';
import { saveToPayModule } from '../save-to-pay/module.ts';
import {
  mtlsRequest,
  onboardTestPartner,
  startTestPlatform,
  TEST_ADMIN_TOKEN,
  type TestPartner,
  type TestPlatform,
} from '../testing/index.ts';
import { tspModule } from '../tsp/index.ts';
import { walletModule } from '../wallet/module.ts';
import { walletCardsModule } from '../wallet-cards/module.ts';
import { webCheckoutModule } from '../web-checkout/module.ts';
import { onboardCheckoutPartner } from '../web-checkout/test-support.ts';
import { faultsModule } from './module.ts';

const auth = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };

for (const kind of testDbKinds()) {
  describe(`fault injection on ${kind.name}`, () => {
    let platform: TestPlatform;
    let partner: TestPartner;
    let receiver: Receiver;
    let mtlsPort: number;

    before(async () => {
      platform = await startTestPlatform({
        kind,
        modules: [
          adminModule,
          faultsModule,
          walletModule,
          tspModule,
          saveToPayModule,
          walletCardsModule,
          webCheckoutModule,
        ],
      });
      ({ mtlsPort } = await platform.listen());
      receiver = await startReceiver();
      partner = await onboardTestPartner(platform, { name: 'Faulty bank', notifyUrl: receiver.url });
    });
    after(async () => {
      await receiver.close();
      await platform.close();
    });

    const setFaults = async (partnerId: string, body: Record<string, unknown>) => {
      const res = await platform.app.main.inject({
        method: 'PUT',
        url: `/admin/v1/faults/${partnerId}`,
        headers: auth,
        payload: body,
      });
      assert.equal(res.statusCode, 200, res.body);
      return res.json().faults;
    };
    const clear = async (partnerId: string) => {
      const res = await platform.app.main.inject({
        method: 'DELETE',
        url: `/admin/v1/faults/${partnerId}`,
        headers: auth,
      });
      assert.equal(res.statusCode, 200, res.body);
    };
    const enqueue = (name: string) =>
      platform.db.transaction((tx) =>
        platform.app.ctx.delivery.enqueue(tx, {
          kind: 'test.notification',
          partnerId: partner.partnerId,
          method: 'POST',
          url: `${receiver.url}/notify`,
          body: { name },
        }),
      );
    const details = async (id: string) => {
      const res = await platform.app.main.inject({ url: `/admin/v1/deliveries/${id}`, headers: auth });
      assert.equal(res.statusCode, 200, res.body);
      return res.json() as {
        delivery: { injected: string | null; status: string; nextAttemptAt: number | null };
        attempts: { injected: string | null; outcome: string; error: string | null }[];
      };
    };

    it('delivers every durable job twice when told to duplicate, each copy marked in the delivery log', async () => {
      await setFaults(partner.partnerId, { duplicates: 1 });
      const before = receiver.requests.length;
      const { id } = await enqueue('dup');
      assert.equal(await platform.app.ctx.delivery.runDue(), 2);
      const got = receiver.requests.slice(before);
      assert.deepEqual(
        got.map((r) => r.json),
        [{ name: 'dup' }, { name: 'dup' }],
      );
      const list = (
        await platform.app.ctx.delivery.list({ partnerId: partner.partnerId, kind: 'test.notification' })
      ).filter((d) => d.bodyText === '{"name":"dup"}');
      assert.equal(list.length, 2);
      assert.ok(list.every((d) => d.status === 'delivered'));
      const copy = list.find((d) => d.id !== id)!;
      assert.match(copy.injected ?? '', new RegExp(`^duplicate 1 of ${id}; sent 2 times`));
      assert.equal((await details(id)).delivery.injected, 'sent 2 times');
      await clear(partner.partnerId);
    });

    it('aborts the first N attempts before they leave, so the retry path runs, and says so on each attempt', async () => {
      await setFaults(partner.partnerId, { failFirst: 2 });
      const before = receiver.requests.length;
      const { id } = await enqueue('fail-first');
      await platform.app.ctx.delivery.runDue();
      platform.clock.advance(60 * 60_000);
      await platform.app.ctx.delivery.runDue();
      platform.clock.advance(60 * 60_000);
      await platform.app.ctx.delivery.runDue();
      assert.equal(receiver.requests.length - before, 1, 'only the third attempt reached the partner');
      const d = await details(id);
      assert.equal(d.delivery.status, 'delivered');
      assert.deepEqual(
        d.attempts.map((a) => [a.outcome, a.injected]),
        [
          ['retry', 'attempt 1 aborted (fail first 2)'],
          ['retry', 'attempt 2 aborted (fail first 2)'],
          ['delivered', null],
        ],
      );
      assert.match(d.attempts[0]!.error ?? '', /^injected fault: attempt 1 aborted/);
      await clear(partner.partnerId);
    });

    it('aborts the first attempt of a sync call, which then succeeds on its fast retry', async () => {
      await setFaults(partner.partnerId, { failFirst: 1 });
      const res = await platform.app.ctx.delivery.call(
        { partnerId: partner.partnerId, method: 'POST', url: `${receiver.url}/sync`, body: { n: 1 } },
        { kind: 'test.sync' },
      );
      assert.equal(res.status, 200);
      assert.equal(res.attempts, 2);
      const [rec] = await platform.app.ctx.delivery.list({ kind: 'test.sync' });
      const d = await details(rec!.id);
      assert.deepEqual(
        d.attempts.map((a) => a.injected),
        ['attempt 1 aborted (fail first 1)', null],
      );
      await clear(partner.partnerId);
    });

    it('delays the first attempt by the sandbox time asked for', async () => {
      await setFaults(partner.partnerId, { delayMs: 5000 });
      const { id } = await enqueue('delayed');
      assert.equal(await platform.app.ctx.delivery.runDue(), 0);
      const d = await details(id);
      assert.equal(d.delivery.injected, 'delayed 5000 ms');
      platform.clock.advance(5000);
      assert.equal(await platform.app.ctx.delivery.runDue(), 1);
      assert.equal((await details(id)).delivery.status, 'delivered');
      await clear(partner.partnerId);
    });

    it('delivers notifications written within one window in reverse order', async () => {
      await setFaults(partner.partnerId, { reorderWindowMs: 10_000 });
      const ids: string[] = [];
      for (const name of ['first', 'second', 'third']) {
        ids.push((await enqueue(name)).id);
        platform.clock.advance(1000);
      }
      const before = receiver.requests.length;
      // Step through sandbox time: each job goes out alone when it falls due.
      for (let i = 0; i < 40; i++) {
        platform.clock.advance(1000);
        await platform.app.ctx.delivery.runDue();
      }
      assert.deepEqual(
        receiver.requests.slice(before).map((r) => (r.json as { name: string }).name),
        ['third', 'second', 'first'],
      );
      assert.match(
        (await details(ids[0]!)).delivery.injected ?? '',
        /^reordered: held \d+ ms \(window 10000 ms/,
      );
      await clear(partner.partnerId);
    });

    it("answers the partner's Save to Pay calls with 503.1 and Retry-After, and counts them", async () => {
      await setFaults(partner.partnerId, { inboundError: '503.1', retryAfterSeconds: 7 });
      const res = await new Promise<{ status: number; headers: Record<string, unknown>; json: unknown }>(
        (resolve, reject) => {
          import('node:https').then(({ default: https }) => {
            const r = https.request(
              {
                host: '127.0.0.1',
                port: mtlsPort,
                path: `${S2P_API_PREFIX}/registrations`,
                method: 'POST',
                ca: partner.caCertificatePem,
                cert: partner.clientCertificatePem,
                key: partner.clientKeyPem,
                agent: false,
                headers: {
                  'content-type': 'application/json',
                  'Request-Id': 'req-faults-000000000000000000000001',
                  'Partner-Id': partner.partnerId,
                },
              },
              (resp) => {
                let text = '';
                resp.setEncoding('utf8');
                resp.on('data', (c: string) => {
                  text += c;
                });
                resp.on('end', () =>
                  resolve({ status: resp.statusCode ?? 0, headers: resp.headers, json: JSON.parse(text) }),
                );
              },
            );
            r.on('error', reject);
            r.end('{}');
          }, reject);
        },
      );
      assert.equal(res.status, 503);
      assert.equal(res.headers['retry-after'], '7');
      assert.match(String(res.headers['cardport-fault']), /^503\.1/);
      assert.equal((res.json as { code: string }).code, '503.1');
      const shown = await platform.app.main.inject({
        url: `/admin/api/faults/${partner.partnerId}`,
        headers: auth,
      });
      assert.equal(shown.json().faults.inboundInjected, 1);
      // The request log shows what was injected into that call (the entry is written after the answer).
      type Entry = { requestId: string; status: number; injected: string | null };
      let logged: Entry | undefined;
      await waitFor(async () => {
        const list = await platform.app.main.inject({
          url: `/admin/v1/requests?partnerId=${partner.partnerId}`,
          headers: auth,
        });
        logged = (list.json().requests as Entry[]).find(
          (e) => e.requestId === 'req-faults-000000000000000000000001',
        );
        return logged !== undefined;
      }, 'the request-log entry of the injected call');
      assert.equal(logged?.status, 503);
      assert.equal(logged?.injected, '503.1 (rate 1, s2p)');
      await clear(partner.partnerId);
      // Cleared: the same call is no longer refused by the fault (it gets the API's own answer).
      const again = await mtlsRequest(mtlsPort, {
        path: `${S2P_API_PREFIX}/registrations`,
        method: 'POST',
        ca: partner.caCertificatePem,
        cert: partner.clientCertificatePem,
        key: partner.clientKeyPem,
        headers: { 'content-type': 'application/json', 'Partner-Id': partner.partnerId },
      });
      assert.notEqual(again.status, 503);
    });

    it("answers the partner's Wallet Server API calls with 503.2 in the platform's error format", async () => {
      await setFaults(partner.partnerId, { inboundError: '503.2', retryAfterSeconds: 3 });
      const res = await platform.app.main.inject({
        method: 'POST',
        url: '/wltex/cards/card-1/notification',
        headers: { 'x-smcs-partner-id': partner.partnerId, 'content-type': 'application/json' },
        payload: {},
      });
      assert.equal(res.statusCode, 503);
      assert.equal(res.headers['retry-after'], '3');
      assert.equal(res.json().error.code, 'API_UNAVAILABLE');
      await clear(partner.partnerId);
    });

    it("answers the partner's Web Checkout calls with 500 in the resultCode format", async () => {
      const shop = await onboardCheckoutPartner(platform);
      await setFaults(shop.partner.partnerId, { inboundError: '500' });
      const res = await platform.app.main.inject({
        method: 'POST',
        url: '/ops/v1/transactions',
        // A real create names its service in paymentDetails.service.id.
        payload: {
          callback: 'https://shop.example/done',
          paymentDetails: { service: { id: shop.service.serviceId } },
        },
      });
      assert.equal(res.statusCode, 500);
      assert.equal(res.json().resultCode, 'OPM3N1003');
      assert.match(String(res.headers['cardport-fault']), /^500 \(rate 1, web-checkout\)/);
      const notify = await platform.app.main.inject({
        method: 'POST',
        url: '/ops/v1/notifications',
        payload: { payment: { service: { id: shop.service.serviceId }, reference: 'r1', status: 'CHARGED' } },
      });
      assert.equal(notify.statusCode, 500, 'a notification names its service in payment.service.id');
      await clear(shop.partner.partnerId);
    });

    it('refuses fault settings out of range and unknown partners in the admin error format', async () => {
      const bad = await platform.app.main.inject({
        method: 'PUT',
        url: `/admin/v1/faults/${partner.partnerId}`,
        headers: auth,
        payload: { duplicates: 9, inboundError: '502' },
      });
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().error.code, 'INVALID_INPUT');
      const unknown = await platform.app.main.inject({
        method: 'PUT',
        url: '/admin/v1/faults/no-such-partner',
        headers: auth,
        payload: { duplicates: 1 },
      });
      assert.equal(unknown.statusCode, 404);
      const list = await platform.app.main.inject({ url: '/admin/api/faults', headers: auth });
      assert.deepEqual(list.json(), { faults: [] });
    });

    it('checks the admin token before the body, and answers 404 for an empty partner id', async () => {
      const anonymous = await platform.app.main.inject({
        method: 'PUT',
        url: `/admin/v1/faults/${partner.partnerId}`,
        payload: { duplicates: 9 },
      });
      assert.equal(anonymous.statusCode, 401);
      assert.equal(anonymous.json().error.code, 'UNAUTHORIZED');
      for (const method of ['PUT', 'DELETE'] as const) {
        const empty = await platform.app.main.inject({ method, url: '/admin/v1/faults/', headers: auth });
        assert.equal(empty.statusCode, 404, method);
        assert.equal(empty.json().error.code, 'NOT_FOUND', method);
      }
      const unknownField = await platform.app.main.inject({
        method: 'PUT',
        url: `/admin/v1/faults/${partner.partnerId}`,
        headers: auth,
        payload: { duplicates: 1, surprise: true },
      });
      assert.equal(unknownField.statusCode, 400);
      assert.deepEqual(unknownField.json().error.details, [{ field: 'surprise', reason: 'unknown field' }]);
      const noBody = await platform.app.main.inject({
        method: 'PUT',
        url: `/admin/v1/faults/${partner.partnerId}`,
        headers: auth,
      });
      assert.equal(noBody.statusCode, 200, 'a PUT without a body changes nothing');
      assert.equal(noBody.json().faults.duplicates, 0);
    });
  });
}
