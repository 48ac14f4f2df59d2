// Where a checkout may start and where it may send the browser back (issue 9): only the browser's
// Origin vouches for the merchant page, and the cancel redirect stays on the service's domains.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDbKinds } from '../core/test-kit.ts';
import { startTestPlatform, type TestPlatform } from '../testing/index.ts';
import { tspModule } from '../tsp/index.ts';
import { walletModule } from '../wallet/module.ts';
import { webCheckoutModule } from './module.ts';
import {
  type CheckoutPartner,
  createTransactionBody,
  onboardCheckoutPartner,
  sdkFormBody,
} from './test-support.ts';

for (const kind of testDbKinds()) {
  describe(`the checkout form's origin and redirects (${kind.name})`, () => {
    let p: TestPlatform;
    let shop: CheckoutPartner;

    before(async () => {
      p = await startTestPlatform({ kind, modules: [walletModule, tspModule, webCheckoutModule] });
      shop = await onboardCheckoutPartner(p);
    });
    after(() => p.close());

    async function post(opts: { origin?: string; cancelUrl?: string; myOrigin?: string }) {
      const created = await p.app.main.inject({
        method: 'POST',
        url: '/ops/v1/transactions',
        payload: createTransactionBody(shop.service.serviceId),
      });
      const t = created.json() as {
        id: string;
        href: string;
        encInfo: { mod: string; exp: string; keyId: string };
      };
      return p.app.main.inject({
        method: 'POST',
        url: '/gsmpi/pc_gsmpi/index.do',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          ...(opts.origin !== undefined ? { origin: opts.origin } : {}),
        },
        payload: sdkFormBody({
          transactionId: t.id,
          href: t.href,
          serviceId: shop.service.serviceId,
          callbackUrl: 'https://shop.example/checkout/done',
          cancelUrl: opts.cancelUrl ?? 'https://shop.example/cart',
          countryCode: 'us',
          origin: opts.myOrigin ?? 'https://shop.example',
          ...t.encInfo,
        }),
      });
    }

    it('opens the checkout for a form posted from a registered domain', async () => {
      const res = await post({ origin: 'https://shop.example' });
      assert.equal(res.statusCode, 303, res.body);
    });

    it('refuses a form whose Origin is null or absent, even when its myOrigin is registered', async () => {
      for (const origin of ['null', undefined]) {
        const res = await post({ ...(origin ? { origin } : {}), myOrigin: 'https://shop.example' });
        assert.equal(res.statusCode, 403, res.body);
        assert.match(res.body, /data-testid="checkout-failure"/);
      }
    });

    it('refuses a cancelUrl off the domains of the service and the callback', async () => {
      const res = await post({ origin: 'https://shop.example', cancelUrl: 'https://evil.example/phish' });
      assert.equal(res.statusCode, 400, res.body);
      assert.match(res.body, /cancelUrl/);
      const sub = await post({ origin: 'https://shop.example', cancelUrl: 'https://pay.shop.example/cart' });
      assert.equal(sub.statusCode, 303, sub.body);
    });
  });
}
