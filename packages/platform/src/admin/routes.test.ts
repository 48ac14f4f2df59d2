import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createDelivery, type Delivery } from '../core/delivery.ts';
import { freePort, type Receiver, startReceiver } from '../core/delivery-test-support.ts';
import { adminGuard, createHttpApp } from '../core/http.ts';
import { ManualClock, silentLogger, type TestDb, testDbKinds } from '../core/test-kit.ts';
import { registerDeliveryRoutes } from './routes.ts';

const token = 'admin-test-token';
const auth = { authorization: `Bearer ${token}` };

for (const kind of testDbKinds()) {
  describe(`deliveries admin API on ${kind.name}`, () => {
    let testDb: TestDb;
    let app: FastifyInstance;
    let delivery: Delivery;
    let receiver: Receiver;
    const clock = new ManualClock();
    const ids: Record<string, string> = {};

    before(async () => {
      testDb = await kind.open();
      receiver = await startReceiver((req, res) => {
        if (req.path.startsWith('/reject')) res.writeHead(410).end('{"gone":true}');
        else res.writeHead(200).end();
      });
      delivery = createDelivery({
        db: testDb.db,
        clock,
        log: silentLogger,
        resolveIdentity: async () => undefined,
      });
      app = createHttpApp({ logger: silentLogger });
      registerDeliveryRoutes(app, { delivery, requireAdmin: adminGuard(token) });
      await app.ready();
      const enqueue = async (name: string, k: string, partnerId: string | null, path: string) => {
        clock.advance(1000);
        ids[name] = (
          await delivery.enqueue(testDb.db, {
            kind: k,
            partnerId,
            method: 'POST',
            url: `${receiver.url}${path}`,
            headers: { authorization: 'Bearer partner-secret', 'request-id': name },
            body: { name },
          })
        ).id;
      };
      await enqueue('delivered', 's2p.notification', 'partner-a', '/ok');
      await enqueue('dead', 'wallet.card_state', 'partner-b', '/reject');
      await delivery.runDue();
      // A third job, pending: its receiver is down.
      clock.advance(1000);
      ids['pending'] = (
        await delivery.enqueue(testDb.db, {
          kind: 's2p.notification',
          partnerId: 'partner-b',
          method: 'POST',
          url: `http://127.0.0.1:${await freePort()}/down`,
        })
      ).id;
    });
    after(async () => {
      await app.close();
      await delivery.close();
      await receiver.close();
      await testDb.dispose();
    });

    it('refuses every deliveries route without the admin token', async () => {
      for (const [method, url] of [
        ['GET', '/admin/v1/deliveries'],
        ['GET', `/admin/v1/deliveries/${ids['dead']}`],
        ['POST', `/admin/v1/deliveries/${ids['dead']}/replay`],
      ] as const) {
        const res = await app.inject({ method, url, headers: { authorization: 'Bearer wrong' } });
        assert.equal(res.statusCode, 401, url);
        assert.equal(res.json().error.code, 'UNAUTHORIZED');
      }
    });

    it('lists deliveries newest first, with credentials redacted', async () => {
      const res = await app.inject({ method: 'GET', url: '/admin/v1/deliveries', headers: auth });
      assert.equal(res.statusCode, 200);
      const { deliveries } = res.json();
      assert.deepEqual(
        deliveries.map((d: { id: string }) => d.id),
        [ids['pending'], ids['dead'], ids['delivered']],
      );
      const dead = deliveries[1];
      assert.equal(dead.status, 'dead');
      assert.equal(dead.kind, 'wallet.card_state');
      assert.equal(dead.partnerId, 'partner-b');
      assert.equal(dead.lastStatus, 410);
      assert.deepEqual(dead.body, { name: 'dead' });
      assert.equal(dead.headers.authorization, '[redacted]');
      assert.equal(dead.headers['request-id'], 'dead');
      assert.equal(deliveries[0].nextAttemptAt, clock.now());
      assert.doesNotMatch(res.body, /partner-secret/);
    });

    it('filters by status, kind and partner, and limits the count', async () => {
      const list = async (qs: string) => {
        const res = await app.inject({ method: 'GET', url: `/admin/v1/deliveries?${qs}`, headers: auth });
        assert.equal(res.statusCode, 200, res.body);
        return res.json().deliveries.map((d: { id: string }) => d.id);
      };
      assert.deepEqual(await list('status=dead'), [ids['dead']]);
      assert.deepEqual(await list('kind=s2p.notification'), [ids['pending'], ids['delivered']]);
      assert.deepEqual(await list('partnerId=partner-b'), [ids['pending'], ids['dead']]);
      assert.deepEqual(await list('partnerId=partner-b&status=pending'), [ids['pending']]);
      assert.deepEqual(await list('limit=1'), [ids['pending']]);
      assert.deepEqual(await list('status=failed'), []);
    });

    it('rejects a bad filter with 400 and details naming the parameter', async () => {
      for (const [qs, field] of [
        ['status=lost', 'status'],
        ['limit=0', 'limit'],
        ['limit=abc', 'limit'],
        ['limit=501', 'limit'],
        ['colour=red', 'colour'],
        ['status=dead&status=pending', 'status'],
      ]) {
        const res = await app.inject({ method: 'GET', url: `/admin/v1/deliveries?${qs}`, headers: auth });
        assert.equal(res.statusCode, 400, qs);
        const { error } = res.json();
        assert.equal(error.code, 'INVALID_INPUT');
        assert.equal(error.details[0].field, field, qs);
      }
    });

    it('shows one delivery with its attempts', async () => {
      const res = await app.inject({
        method: 'GET',
        url: `/admin/v1/deliveries/${ids['dead']}`,
        headers: auth,
      });
      assert.equal(res.statusCode, 200);
      const { delivery: d, attempts } = res.json();
      assert.equal(d.id, ids['dead']);
      assert.equal(attempts.length, 1);
      assert.equal(attempts[0].httpStatus, 410);
      assert.equal(attempts[0].outcome, 'dead');
      assert.equal(attempts[0].error, 'HTTP 410: not retryable');
      assert.equal(attempts[0].response, '{"gone":true}');
      assert.equal(typeof attempts[0].latencyMs, 'number');
    });

    it('answers 404 for an unknown delivery', async () => {
      for (const [method, url] of [
        ['GET', '/admin/v1/deliveries/dlv_nope'],
        ['POST', '/admin/v1/deliveries/dlv_nope/replay'],
        ['GET', `/admin/v1/deliveries/${'x'.repeat(99)}`],
      ] as const) {
        const res = await app.inject({ method, url, headers: auth });
        assert.equal(res.statusCode, 404, url);
        assert.equal(res.json().error.code, 'NOT_FOUND');
      }
    });

    it('replays a dead delivery and refuses to replay a pending one', async () => {
      const res = await app.inject({
        method: 'POST',
        url: `/admin/v1/deliveries/${ids['dead']}/replay`,
        headers: auth,
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().delivery.status, 'pending');
      assert.equal(res.json().delivery.nextAttemptAt, clock.now());
      const again = await app.inject({
        method: 'POST',
        url: `/admin/v1/deliveries/${ids['pending']}/replay`,
        headers: auth,
      });
      assert.equal(again.statusCode, 409);
      assert.equal(again.json().error.code, 'CONFLICT');
      assert.match(again.json().error.message, /only dead or delivered jobs can be replayed/);
    });
  });
}
