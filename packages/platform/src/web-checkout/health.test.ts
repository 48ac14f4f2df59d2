// The bidirectional health check when two processes share the database: the partner's callback
// may reach another process than the one probing (issue 12).
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { testDbKinds } from '../core/test-kit.ts';
import { startTestPlatform, TEST_ADMIN_TOKEN, type TestPlatform } from '../testing/index.ts';
import { tspModule } from '../tsp/index.ts';
import { walletModule } from '../wallet/module.ts';
import { recordHealthCallback } from './health.ts';
import { webCheckoutModule } from './module.ts';
import * as store from './store.ts';
import { type CheckoutPartner, onboardCheckoutPartner } from './test-support.ts';

for (const kind of testDbKinds()) {
  describe(`health probes on ${kind.name}`, () => {
    let p: TestPlatform;
    let shop: CheckoutPartner;
    let partner: Server;
    /** What the partner's health handler does on the way: call back (set per test). */
    let callBack: () => Promise<void> = async () => {};

    before(async () => {
      p = await startTestPlatform({ kind, modules: [walletModule, tspModule, webCheckoutModule] });
      partner = createServer((_req, res) => {
        callBack().then(
          () => res.writeHead(200).end(),
          () => res.writeHead(500).end(),
        );
      });
      await new Promise<void>((resolve) => partner.listen(0, '127.0.0.1', resolve));
      const port = (partner.address() as AddressInfo).port;
      shop = await onboardCheckoutPartner(p, { healthUrl: `http://127.0.0.1:${port}/health` });
    });
    after(async () => {
      await new Promise((resolve) => partner.close(resolve));
      await p.close();
    });

    const probe = async () => {
      const res = await p.app.main.inject({
        method: 'POST',
        url: `/admin/v1/web-checkout/services/${shop.service.serviceId}/health-probes`,
        headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
      });
      assert.equal(res.statusCode, 201, res.body);
      return res.json() as { ok: boolean; callbackSeen: boolean };
    };

    it('sees a callback that reached another process sharing the database', async () => {
      // The other process answers HEAD /ops/v1/internal/health by writing to the shared database.
      callBack = () => recordHealthCallback({ db: p.db, clock: p.clock });
      const result = await probe();
      assert.equal(result.ok, true);
      assert.equal(result.callbackSeen, true);
    });

    it('sees a callback to this process through its own route', async () => {
      callBack = async () => {
        const res = await p.app.main.inject({ method: 'HEAD', url: '/ops/v1/internal/health' });
        assert.equal(res.statusCode, 204);
      };
      assert.equal((await probe()).callbackSeen, true);
    });

    it('says no callback was seen when the partner does not call back', async () => {
      callBack = async () => {};
      const result = await probe();
      assert.equal(result.ok, true);
      assert.equal(result.callbackSeen, false);
      assert.ok((await store.countHealthCallbacks(p.db)) >= 2);
    });
  });
}
