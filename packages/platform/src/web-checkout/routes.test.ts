import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decryptCredential } from '@cardport/jose';
import { credentialPayloadSchema, getPaymentCredentialsResponseSchema } from '@cardport/protocol';
import { testDbKinds } from '../core/test-kit.ts';
import { domains } from '../domains.ts';
import { startTestPlatform, TEST_ADMIN_TOKEN, type TestPlatform } from '../testing/index.ts';
import { tspModule, validateCryptogram } from '../tsp/index.ts';
import { walletModule } from '../wallet/module.ts';
import * as wallet from '../wallet/service.ts';
import { walletCsrfTokenOf } from '../wallet/test-support.ts';
import { credentialLifetimeMs, keyRotationMs, transactionLifetimeMs } from './deps.ts';
import { webCheckoutModule } from './module.ts';
import { purgeExpiredCredentials } from './server-api.ts';
import {
  type CheckoutPartner,
  createTransactionBody,
  onboardCheckoutPartner,
  sdkFormBody,
} from './test-support.ts';

it('is mounted by buildApp as a domain', () => {
  assert.ok(domains.includes(webCheckoutModule));
});

for (const kind of testDbKinds()) {
  describe(`web checkout on ${kind.name}`, () => {
    let p: TestPlatform;
    let shop: CheckoutPartner;
    let shopper: wallet.StartedSession;
    let csrf = '';
    // The cookie of the shopper's wallet session, with its CSRF token for the state changes.
    const cookie = () => ({ cookie: `cardport_wallet=${shopper.token}`, 'x-csrf-token': csrf });

    before(async () => {
      p = await startTestPlatform({ kind, modules: [walletModule, tspModule, webCheckoutModule] });
      shop = await onboardCheckoutPartner(p);
      shopper = await wallet.signUp(p.db, p.clock, { email: 'ada@example.com' });
      csrf = await walletCsrfTokenOf(p.app.main, `cardport_wallet=${shopper.token}`);
      const added = await p.app.main.inject({
        method: 'POST',
        url: '/wallet/payments/test-cards',
        headers: cookie(),
        payload: { card: 'VI' },
      });
      assert.equal(added.statusCode, 303, added.body);
    });
    after(async () => p.close());

    async function create(overrides: Record<string, unknown> = {}) {
      const res = await p.app.main.inject({
        method: 'POST',
        url: '/ops/v1/transactions',
        payload: createTransactionBody(shop.service.serviceId, overrides),
      });
      return { status: res.statusCode, body: res.json() };
    }

    async function openCheckout(
      created: { id: string; href: string; encInfo: { mod: string; exp: string; keyId: string } },
      opts: { origin?: string; mobile?: boolean; countryCode?: string } = {},
    ) {
      const origin = opts.origin ?? 'https://shop.example';
      const path = opts.mobile ? 'm_gsmpi/mobileIndex.do' : 'pc_gsmpi/index.do';
      return p.app.main.inject({
        method: 'POST',
        url: new URL(`${created.href}${path}`).pathname,
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
        payload: sdkFormBody({
          transactionId: created.id,
          href: created.href,
          serviceId: shop.service.serviceId,
          callbackUrl: 'https://shop.example/checkout/done?order=42',
          cancelUrl: 'https://shop.example/cart',
          countryCode: opts.countryCode ?? 'us',
          origin,
          ...created.encInfo,
        }),
      });
    }

    async function approvedReference(): Promise<{ referenceId: string; created: { id: string } }> {
      const { body: created } = await create();
      const opened = await openCheckout(created);
      const page = String(opened.headers.location);
      await p.app.main.inject({
        method: 'POST',
        url: `${page}/account`,
        payload: { email: 'ada@example.com' },
      });
      const approve = await p.app.main.inject({
        method: 'POST',
        url: '/admin/v1/web-checkout/approvals',
        headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
        payload: { account: 'ada@example.com', transactionId: created.id },
      });
      assert.equal(approve.statusCode, 200, approve.body);
      return { referenceId: approve.json().referenceId, created };
    }

    it('creates a transaction with a 22-hex id, the checkout href and an RSA-2048 encInfo', async () => {
      const { status, body } = await create();
      assert.equal(status, 200);
      assert.equal(body.resultCode, '0');
      assert.equal(body.resultMessage, 'SUCCESS');
      assert.match(body.id, /^[0-9a-f]{22}$/);
      assert.equal(body.href, 'http://127.0.0.1:8080/gsmpi/');
      assert.equal(body.encInfo.mod.length, 512);
      assert.equal(body.encInfo.exp, '10001');
    });

    it('accepts the total as a decimal string and reuses one key within a rotation period', async () => {
      const a = await create();
      const b = await create({
        paymentDetails: {
          ...createTransactionBody(shop.service.serviceId).paymentDetails,
          amount: { option: 'FORMAT_TOTAL_PRICE_ONLY', currency: 'JPY', total: '1500' },
        },
      });
      assert.equal(b.status, 200);
      assert.equal(a.body.encInfo.keyId, b.body.encInfo.keyId);
    });

    it('rotates the key after the rotation period and keeps the old one for its transactions', async () => {
      const boundary = (Math.floor(p.clock.now() / keyRotationMs) + 1) * keyRotationMs;
      p.clock.set(boundary - 1000);
      const before = await create();
      p.clock.advance(2000);
      const after = await create();
      assert.notEqual(before.body.encInfo.keyId, after.body.encInfo.keyId);
      const opened = await openCheckout(before.body);
      assert.equal(opened.statusCode, 303, opened.body);
    });

    it('answers an unknown service with OPM1N1035 (404) and a string resultCode', async () => {
      const res = await create({
        paymentDetails: { ...createTransactionBody('0'.repeat(32)).paymentDetails },
      });
      assert.equal(res.status, 404);
      assert.equal(res.body.resultCode, 'OPM1N1035');
    });

    it('answers a missing field with OPM1N1001, a bad value with OPM1N1002 and a bad format with OPM1N1003', async () => {
      const missing = await p.app.main.inject({
        method: 'POST',
        url: '/ops/v1/transactions',
        payload: { paymentDetails: createTransactionBody(shop.service.serviceId).paymentDetails },
      });
      assert.equal(missing.statusCode, 400);
      assert.equal(missing.json().resultCode, 'OPM1N1001');
      assert.match(missing.json().resultMessage, /callback/);
      const badValue = await create({
        paymentDetails: {
          ...createTransactionBody(shop.service.serviceId).paymentDetails,
          allowedBrands: ['ZZ'],
        },
      });
      assert.equal(badValue.status, 400);
      assert.equal(badValue.body.resultCode, 'OPM1N1002');
      const unreadable = await p.app.main.inject({
        method: 'POST',
        url: '/ops/v1/transactions',
        headers: { 'content-type': 'application/json' },
        payload: '{"callback":',
      });
      assert.equal(unreadable.statusCode, 400);
      assert.equal(unreadable.json().resultCode, 'OPM1N1003');
    });

    it('refuses Server API calls from an address outside the partner allow-list with OPM1N1033', async () => {
      const fenced = await onboardCheckoutPartner(p, { allowIps: ['10.0.0.0/8'] });
      const res = await p.app.main.inject({
        method: 'POST',
        url: '/ops/v1/transactions',
        remoteAddress: '127.0.0.1',
        payload: createTransactionBody(fenced.service.serviceId),
      });
      assert.equal(res.statusCode, 403);
      assert.equal(res.json().resultCode, 'OPM1N1033');
      const inside = await p.app.main.inject({
        method: 'POST',
        url: '/ops/v1/transactions',
        remoteAddress: '10.1.2.3',
        payload: createTransactionBody(fenced.service.serviceId),
      });
      assert.equal(inside.statusCode, 200, inside.body);
    });

    it('answers HEAD /ops/v1/internal/health with 204', async () => {
      const res = await p.app.main.inject({ method: 'HEAD', url: '/ops/v1/internal/health' });
      assert.equal(res.statusCode, 204);
    });

    it('accepts the SDK form POST, asks for the account, and the wallet approves: credentials decrypt with the merchant key', async () => {
      const { body: created } = await create();
      const opened = await openCheckout(created);
      assert.equal(opened.statusCode, 303, opened.body);
      const page = String(opened.headers.location);
      assert.match(page, /^\/gsmpi\/checkout\//);
      const first = await p.app.main.inject({ method: 'GET', url: page });
      assert.equal(first.statusCode, 200);
      assert.match(first.body, /Test Shop/);
      assert.match(first.body, /98\.76 USD/);
      assert.match(first.body, /data-testid="checkout-email"/);

      const entered = await p.app.main.inject({
        method: 'POST',
        url: `${page}/account`,
        payload: { email: 'ada@example.com' },
      });
      assert.equal(entered.statusCode, 303);
      const waiting = await p.app.main.inject({ method: 'GET', url: page });
      assert.match(waiting.body, /data-testid="checkout-waiting"/);

      const tab = await p.app.main.inject({ method: 'GET', url: '/wallet/payments', headers: cookie() });
      assert.equal(tab.statusCode, 200);
      assert.match(tab.body, new RegExp(`data-transaction-id="${created.id}"`));

      const request = await p.app.main.inject({
        method: 'GET',
        url: `/wallet/payments/${created.id}`,
        headers: cookie(),
      });
      const tokenRef = /name="tokenRef" value="([^"]+)"/.exec(request.body)?.[1];
      assert.ok(tokenRef, 'the request page offers the test card');
      const approved = await p.app.main.inject({
        method: 'POST',
        url: `/wallet/payments/${created.id}/approve`,
        headers: cookie(),
        payload: { tokenRef },
      });
      assert.equal(approved.statusCode, 200, approved.body);
      assert.match(approved.body, /Payment approved/);

      const status = (
        await p.app.main.inject({
          method: 'GET',
          url: page.replace('/gsmpi/checkout/', '/gsmpi/api/checkout/'),
        })
      ).json();
      assert.equal(status.status, 'APPROVED');
      const redirect = new URL(status.redirectUrl);
      assert.equal(redirect.origin + redirect.pathname, 'https://shop.example/checkout/done');
      assert.equal(redirect.searchParams.get('order'), '42');
      const referenceId = redirect.searchParams.get('ref_id');
      assert.ok(referenceId);

      const res = await p.app.main.inject({
        method: 'GET',
        url: `/ops/v1/transactions/paymentCredentials/${referenceId}?serviceId=${shop.service.serviceId}`,
      });
      assert.equal(res.statusCode, 200, res.body);
      const body = getPaymentCredentialsResponseSchema.parse(res.json());
      assert.equal(body.method, '3DS');
      assert.equal(body.card_brand, 'VI');
      assert.equal(body.card_last4digits, '1111');
      assert.deepEqual(
        { type: body['3DS'].type, version: body['3DS'].version },
        { type: 'S', version: '100' },
      );
      const header = JSON.parse(Buffer.from(body['3DS'].data.split('.')[0] ?? '', 'base64url').toString());
      assert.deepEqual(Object.keys(header), ['alg', 'kid', 'typ', 'channelSecurityContext', 'enc']);
      assert.equal(header.kid, shop.service.merchantKeyId);
      const { payload } = decryptCredential(body['3DS'].data, shop.merchantPrivateKey);
      const credential = credentialPayloadSchema.parse(payload);
      assert.equal(credential.amount, '9876');
      assert.equal(credential.currency_code, 'USD');
      assert.equal(credential.eci_indicator, '05');
      assert.equal(credential.utc, String(p.clock.now()));
      for (const value of Object.values(payload)) assert.equal(typeof value, 'string');

      const verdict = await validateCryptogram(p.db, p.app.ctx, {
        tokenPan: credential.tokenPAN,
        tokenPanExpiration: credential.tokenPanExpiration,
        cryptogram: credential.cryptogram,
        amountMinor: credential.amount,
        currency: credential.currency_code,
        merchantRef: shop.service.serviceId,
        utc: credential.utc,
      });
      assert.equal(verdict.valid, true);
    });

    it('replaces {refId} in the callback and keeps its query', async () => {
      const { body: created } = await create({ callback: 'https://shop.example/orders/{refId}/done?x=1' });
      const opened = await openCheckout(created);
      const page = String(opened.headers.location);
      await p.app.main.inject({
        method: 'POST',
        url: `${page}/account`,
        payload: { email: 'ada@example.com' },
      });
      const approve = await p.app.main.inject({
        method: 'POST',
        url: '/admin/v1/web-checkout/approvals',
        headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
        payload: { account: 'ada@example.com', transactionId: created.id },
      });
      const { referenceId, redirectUrl } = approve.json();
      assert.equal(redirectUrl, `https://shop.example/orders/${referenceId}/done?x=1&ref_id=${referenceId}`);
    });

    it('refuses a checkout started from a domain not registered for the service', async () => {
      const { body: created } = await create();
      const res = await openCheckout(created, { origin: 'https://evil.example' });
      assert.equal(res.statusCode, 403);
      assert.match(res.body, /data-testid="checkout-failure"/);
      assert.match(res.body, /not on a domain registered/);
    });

    it('refuses a form whose transactionId was encrypted under another key', async () => {
      const { body: created } = await create();
      p.clock.advance(keyRotationMs);
      const { body: other } = await create();
      const res = await openCheckout({ ...created, encInfo: other.encInfo });
      assert.equal(res.statusCode, 400);
    });

    it('answers a malformed checkout form with a clear 400 page, never a 500', async () => {
      const empty = await p.app.main.inject({
        method: 'POST',
        url: '/gsmpi/pc_gsmpi/index.do',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: '',
      });
      assert.equal(empty.statusCode, 400);
      assert.match(empty.body, /data-testid="checkout-failure"/);
      const { body: created } = await create();
      const garbage = await p.app.main.inject({
        method: 'POST',
        url: '/gsmpi/pc_gsmpi/index.do',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://shop.example' },
        payload: sdkFormBody({
          transactionId: created.id,
          href: created.href,
          serviceId: shop.service.serviceId,
          callbackUrl: 'https://shop.example/done',
          cancelUrl: 'https://shop.example/cart',
          countryCode: 'us',
          ...created.encInfo,
          encrypted: { transactionId: 'ab'.repeat(256), serviceId: '00' },
        }),
      });
      assert.equal(garbage.statusCode, 400);
      const badEncoding = await p.app.main.inject({
        method: 'POST',
        url: '/gsmpi/pc_gsmpi/index.do',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'transactionId=%25E0%25A4%25A&countryCode=zz',
      });
      assert.equal(badEncoding.statusCode, 400);
    });

    it('shows the checkout page in the language of the country code', async () => {
      const { body: created } = await create();
      const opened = await openCheckout(created, { countryCode: 'de_ch' });
      const page = await p.app.main.inject({ method: 'GET', url: String(opened.headers.location) });
      assert.match(page.body, /lang="de-CH"/);
      assert.match(page.body, /Mit Samsung Pay bezahlen/);
      const { body: created2 } = await create();
      const opened2 = await openCheckout(created2, { countryCode: 'ae_ae' });
      const page2 = await p.app.main.inject({ method: 'GET', url: String(opened2.headers.location) });
      assert.match(page2.body, /dir="rtl"/);
    });

    it('sends the mobile form POST straight to the wallet', async () => {
      const { body: created } = await create();
      const opened = await openCheckout(created, { mobile: true });
      assert.equal(opened.statusCode, 303);
      const walletUrl = String(opened.headers.location);
      assert.match(walletUrl, /^\/wallet\/payments\/checkout\//);
      const claimed = await p.app.main.inject({ method: 'GET', url: walletUrl, headers: cookie() });
      assert.equal(claimed.statusCode, 303);
      assert.equal(claimed.headers.location, `/wallet/payments/${created.id}`);
    });

    it('cancel on the checkout page goes to the cancel URL', async () => {
      const { body: created } = await create();
      const opened = await openCheckout(created);
      const res = await p.app.main.inject({ method: 'POST', url: `${opened.headers.location}/cancel` });
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, 'https://shop.example/cart');
    });

    it('a decline in the wallet sends the checkout page to the cancel URL', async () => {
      const { body: created } = await create();
      const opened = await openCheckout(created);
      const page = String(opened.headers.location);
      await p.app.main.inject({
        method: 'POST',
        url: `${page}/account`,
        payload: { email: 'ada@example.com' },
      });
      const declined = await p.app.main.inject({
        method: 'POST',
        url: `/wallet/payments/${created.id}/decline`,
        headers: cookie(),
      });
      assert.equal(declined.statusCode, 200);
      const status = (
        await p.app.main.inject({
          method: 'GET',
          url: page.replace('/gsmpi/checkout/', '/gsmpi/api/checkout/'),
        })
      ).json();
      assert.deepEqual(status, {
        status: 'DECLINED',
        expired: false,
        redirectUrl: 'https://shop.example/cart',
      });
    });

    it('an unknown account on the checkout page is a clear error', async () => {
      const { body: created } = await create();
      const opened = await openCheckout(created);
      const res = await p.app.main.inject({
        method: 'POST',
        url: `${opened.headers.location}/account`,
        payload: { email: 'nobody@example.com' },
      });
      assert.equal(res.statusCode, 404);
      assert.match(res.body, /No Samsung account has this email/);
    });

    it('credentials of another service, unknown or expired references get their result codes', async () => {
      const { referenceId } = await approvedReference();
      const other = await onboardCheckoutPartner(p);
      const wrong = await p.app.main.inject({
        method: 'GET',
        url: `/ops/v1/transactions/paymentCredentials/${referenceId}?serviceId=${other.service.serviceId}`,
      });
      assert.equal(wrong.statusCode, 400);
      assert.equal(wrong.json().resultCode, 'OPM1N1026');
      const unknown = await p.app.main.inject({
        method: 'GET',
        url: `/ops/v1/transactions/paymentCredentials/${'0'.repeat(32)}?serviceId=${shop.service.serviceId}`,
      });
      assert.equal(unknown.json().resultCode, 'OPM1N1002');
      const noService = await p.app.main.inject({
        method: 'GET',
        url: `/ops/v1/transactions/paymentCredentials/${referenceId}`,
      });
      assert.equal(noService.json().resultCode, 'OPM1N1001');
      p.clock.advance(credentialLifetimeMs);
      const expired = await p.app.main.inject({
        method: 'GET',
        url: `/ops/v1/transactions/paymentCredentials/${referenceId}?serviceId=${shop.service.serviceId}`,
      });
      assert.equal(expired.statusCode, 400);
      assert.equal(expired.json().resultCode, 'OPM1N1002');
      assert.match(expired.json().resultMessage, /expired/);
    });

    it('deletes credentials once their lifetime has passed', async () => {
      const { referenceId } = await approvedReference();
      const stored = async () =>
        (
          await p.db.query<{ credential_jwe: string | null }>(
            'SELECT credential_jwe FROM checkout_transactions WHERE reference_id = $1',
            [referenceId],
          )
        )[0]?.credential_jwe;
      assert.ok(await stored());
      await purgeExpiredCredentials(p.app.ctx);
      assert.ok(await stored(), 'still within its lifetime');
      p.clock.advance(credentialLifetimeMs);
      assert.ok((await purgeExpiredCredentials(p.app.ctx)) >= 1);
      assert.equal(await stored(), null);
    });

    it('records notifications (CANCELLED is CANCELED) and shows them in the wallet history', async () => {
      const { referenceId, created } = await approvedReference();
      for (const status of ['CHARGED', 'CANCELLED']) {
        const res = await p.app.main.inject({
          method: 'POST',
          url: '/ops/v1/notifications',
          payload: {
            payment: {
              service: { id: shop.service.serviceId },
              reference: referenceId,
              status,
              provider: 'Test PG',
            },
            timestamp: p.clock.now(),
          },
        });
        assert.equal(res.statusCode, 201);
        assert.deepEqual(res.json(), { resultCode: '0', resultMessage: 'SUCCESS' });
      }
      const history = await p.app.main.inject({
        method: 'GET',
        url: `/wallet/payments/${created.id}`,
        headers: cookie(),
      });
      assert.match(history.body, /<strong>CHARGED<\/strong>/);
      assert.match(history.body, /<strong>CANCELED<\/strong>/);
      const bad = await p.app.main.inject({
        method: 'POST',
        url: '/ops/v1/notifications',
        payload: {
          payment: { service: { id: shop.service.serviceId }, reference: referenceId, status: 'PAID' },
        },
      });
      assert.equal(bad.json().resultCode, 'OPM1N1002');
    });

    it('refuses a checkout after the transaction lifetime', async () => {
      const { body: created } = await create();
      p.clock.advance(transactionLifetimeMs);
      const res = await openCheckout(created);
      assert.equal(res.statusCode, 410);
    });

    it('probes a service health URL that is down and records the failure', async () => {
      const down = await onboardCheckoutPartner(p, {
        healthUrl: 'http://127.0.0.1:9/samsungpay/integration/health',
      });
      const res = await p.app.main.inject({
        method: 'POST',
        url: `/admin/v1/web-checkout/services/${down.service.serviceId}/health-probes`,
        headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
      });
      assert.equal(res.statusCode, 201, res.body);
      assert.equal(res.json().ok, false);
      const list = await p.app.main.inject({
        method: 'GET',
        url: `/admin/v1/web-checkout/services/${down.service.serviceId}/health-probes`,
        headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
      });
      assert.equal(list.json().probes.length, 1);
    });
  });
}
