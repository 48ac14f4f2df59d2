import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Receiver, startReceiver } from '../core/delivery-test-support.ts';
import { testDbKinds } from '../core/test-kit.ts';
import { startTestPlatform, TEST_ADMIN_TOKEN, type TestPlatform } from '../testing/index.ts';
import { tspModule } from '../tsp/index.ts';
import { walletModule } from '../wallet/module.ts';
import * as wallet from '../wallet/service.ts';
import { walletCsrfTokenOf } from '../wallet/test-support.ts';
import { listHealthProbeTargets } from './health.ts';
import { webCheckoutModule } from './module.ts';
import {
  type CheckoutPartner,
  createTransactionBody,
  onboardCheckoutPartner,
  sdkFormBody,
} from './test-support.ts';

interface Created {
  id: string;
  href: string;
  encInfo: { mod: string; exp: string; keyId: string };
}

for (const kind of testDbKinds()) {
  describe(`Web Checkout after the partner is revoked (${kind.name})`, () => {
    let p: TestPlatform;
    let shop: CheckoutPartner;
    let notOpened: Created;
    let pending: Created;
    let health: Receiver;
    const admin = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };

    const create = async () => {
      const res = await p.app.main.inject({
        method: 'POST',
        url: '/ops/v1/transactions',
        payload: createTransactionBody(shop.service.serviceId),
      });
      return { status: res.statusCode, body: res.json() };
    };
    const openCheckout = (created: Created) =>
      p.app.main.inject({
        method: 'POST',
        url: new URL(`${created.href}pc_gsmpi/index.do`).pathname,
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://shop.example' },
        payload: sdkFormBody({
          transactionId: created.id,
          href: created.href,
          serviceId: shop.service.serviceId,
          callbackUrl: 'https://shop.example/checkout/done?order=42',
          cancelUrl: 'https://shop.example/cart',
          countryCode: 'us',
          ...created.encInfo,
        }),
      });

    before(async () => {
      p = await startTestPlatform({ kind, modules: [walletModule, tspModule, webCheckoutModule] });
      health = await startReceiver();
      shop = await onboardCheckoutPartner(p, { healthUrl: `${health.url}/health` });
      const shopper = await wallet.signUp(p.db, p.clock, { email: 'ada@example.com' });
      const added = await p.app.main.inject({
        method: 'POST',
        url: '/wallet/payments/test-cards',
        headers: {
          cookie: `cardport_wallet=${shopper.token}`,
          'x-csrf-token': await walletCsrfTokenOf(p.app.main, `cardport_wallet=${shopper.token}`),
        },
        payload: { card: 'VI' },
      });
      assert.equal(added.statusCode, 303, added.body);
      notOpened = (await create()).body;
      pending = (await create()).body;
      const opened = await openCheckout(pending);
      assert.equal(opened.statusCode, 303, opened.body);
      const entered = await p.app.main.inject({
        method: 'POST',
        url: `${opened.headers.location}/account`,
        payload: { email: 'ada@example.com' },
      });
      assert.equal(entered.statusCode, 303, entered.body);
      const revoked = await p.app.main.inject({
        method: 'POST',
        url: `/admin/v1/partners/${shop.partner.partnerId}/revoke`,
        headers: admin,
      });
      assert.equal(revoked.statusCode, 200, revoked.body);
    });
    after(async () => {
      await health?.close();
      await p?.close();
    });

    it('leaves its service out of the periodic health probes; a manual probe sends nothing and says why', async () => {
      assert.equal((await listHealthProbeTargets(p.db)).includes(shop.service.serviceId), false);
      const res = await p.app.main.inject({
        method: 'POST',
        url: `/admin/v1/web-checkout/services/${shop.service.serviceId}/health-probes`,
        headers: admin,
      });
      assert.equal(res.json().ok, false, res.body);
      assert.match(res.json().detail, /not sent: partner \d+ is revoked/);
      assert.equal(health.requests.length, 0);
    });

    it('refuses the Server API with OPM1N1033', async () => {
      const res = await create();
      assert.equal(res.status, 400);
      assert.equal(res.body.resultCode, 'OPM1N1033');
    });

    it('refuses the checkout form of a transaction created before the revocation', async () => {
      const res = await openCheckout(notOpened);
      assert.equal(res.statusCode, 400, res.body);
      assert.match(res.body, /OPM1N1033|not approved/);
      assert.equal(res.headers.location, undefined, 'no checkout page is opened');
    });

    it('refuses to approve a payment request of a revoked merchant', async () => {
      const res = await p.app.main.inject({
        method: 'POST',
        url: '/admin/v1/web-checkout/approvals',
        headers: admin,
        payload: { account: 'ada@example.com', transactionId: pending.id },
      });
      assert.equal(res.statusCode, 403, res.body);
      assert.match(res.json().error.message, /no longer approved/);
    });
  });
}
