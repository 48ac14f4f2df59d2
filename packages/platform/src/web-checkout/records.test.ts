// What a checkout leaves for the console (issue 11): the form POST in the request log under the
// service's partner, and the wallet's answer (approve, decline, cancel) as the wallet's action.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '../core/delivery-test-support.ts';
import { testDbKinds } from '../core/test-kit.ts';
import { listRequestLog } from '../partners/request-log.ts';
import { startTestPlatform, TEST_ADMIN_TOKEN, type TestPlatform } from '../testing/index.ts';
import { tspModule } from '../tsp/index.ts';
import { listWalletActions } from '../wallet/actions.ts';
import { walletModule } from '../wallet/module.ts';
import * as wallet from '../wallet/service.ts';
import { walletCsrfTokenOf } from '../wallet/test-support.ts';
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
  describe(`what a checkout records on ${kind.name}`, () => {
    let p: TestPlatform;
    let shop: CheckoutPartner;
    let shopper: wallet.StartedSession;
    const admin = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };

    before(async () => {
      p = await startTestPlatform({ kind, modules: [walletModule, tspModule, webCheckoutModule] });
      shop = await onboardCheckoutPartner(p);
      shopper = await wallet.signUp(p.db, p.clock, { email: 'grace@example.com' });
      const cookie = `cardport_wallet=${shopper.token}`;
      const csrf = await walletCsrfTokenOf(p.app.main, cookie);
      const added = await p.app.main.inject({
        method: 'POST',
        url: '/wallet/payments/test-cards',
        headers: { cookie, 'x-csrf-token': csrf },
        payload: { card: 'VI' },
      });
      assert.equal(added.statusCode, 303, added.body);
    });
    after(async () => p.close());

    async function create(): Promise<Created> {
      const res = await p.app.main.inject({
        method: 'POST',
        url: '/ops/v1/transactions',
        payload: createTransactionBody(shop.service.serviceId),
      });
      assert.equal(res.statusCode, 200, res.body);
      return res.json() as Created;
    }

    function postForm(created: Created, origin = 'https://shop.example') {
      return p.app.main.inject({
        method: 'POST',
        url: '/gsmpi/pc_gsmpi/index.do',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
        payload: sdkFormBody({
          transactionId: created.id,
          href: created.href,
          serviceId: shop.service.serviceId,
          callbackUrl: 'https://shop.example/checkout/done?order=42',
          cancelUrl: 'https://shop.example/cart',
          countryCode: 'us',
          origin,
          ...created.encInfo,
        }),
      });
    }

    /** A transaction sent to the shopper's wallet; answers its id and its checkout page. */
    async function requested(): Promise<{ id: string; page: string }> {
      const created = await create();
      const opened = await postForm(created);
      assert.equal(opened.statusCode, 303, opened.body);
      const page = String(opened.headers.location);
      const entered = await p.app.main.inject({
        method: 'POST',
        url: `${page}/account`,
        payload: { email: 'grace@example.com' },
      });
      assert.equal(entered.statusCode, 303, entered.body);
      return { id: created.id, page };
    }

    const formEntries = async () =>
      (await listRequestLog(p.db, { limit: 1000 })).filter((e) => e.route === '/gsmpi/pc_gsmpi/index.do');

    it("logs the checkout form POST under the service's partner, though its serviceId is encrypted", async () => {
      const created = await create();
      const before = (await formEntries()).length;
      const opened = await postForm(created);
      assert.equal(opened.statusCode, 303, opened.body);
      // The entry is written after the answer left.
      await waitFor(async () => (await formEntries()).length > before, 'the request log entry');
      const [entry] = await formEntries();
      assert.equal(entry?.status, 303);
      assert.equal(entry?.partnerId, shop.partner.partnerId);
    });

    it("logs a refused form POST under the service's partner too, once the serviceId decrypted", async () => {
      const before = (await formEntries()).length;
      const opened = await postForm(await create(), 'https://elsewhere.example');
      assert.equal(opened.statusCode, 403, opened.body);
      await waitFor(async () => (await formEntries()).length > before, 'the request log entry');
      const [entry] = await formEntries();
      assert.equal(entry?.status, 403);
      assert.equal(entry?.partnerId, shop.partner.partnerId);
    });

    it("records the wallet's approval with the merchant, amount and card, never the credential", async () => {
      const { id } = await requested();
      const approve = await p.app.main.inject({
        method: 'POST',
        url: '/admin/v1/web-checkout/approvals',
        headers: admin,
        payload: { account: 'grace@example.com', transactionId: id },
      });
      assert.equal(approve.statusCode, 200, approve.body);
      const actions = await listWalletActions(p.db, id);
      assert.equal(actions.length, 1);
      const [action] = actions;
      assert.equal(action?.action, 'PAYMENT_APPROVED');
      assert.equal(action?.accountId, shopper.account.userId);
      assert.deepEqual(action?.detail, {
        merchantName: 'Test Shop',
        amount: '98.76',
        currency: 'USD',
        cardBrand: 'VI',
        cardLast4: approve.json().cardLast4,
      });
      assert.match(String(action?.detail['cardLast4']), /^[0-9]{4}$/);
      assert.equal(action?.at, p.clock.now());
    });

    it("records the wallet's decline", async () => {
      const { id } = await requested();
      const decline = await p.app.main.inject({
        method: 'POST',
        url: '/admin/v1/web-checkout/approvals',
        headers: admin,
        payload: { account: 'grace@example.com', transactionId: id, decline: true },
      });
      assert.equal(decline.statusCode, 200, decline.body);
      const actions = await listWalletActions(p.db, id);
      assert.deepEqual(
        actions.map((a) => [a.action, a.accountId, a.detail['merchantName'], a.detail['cardLast4']]),
        [['PAYMENT_DECLINED', shopper.account.userId, 'Test Shop', null]],
      );
    });

    it('records a cancel on the checkout page for the wallet the request went to, once', async () => {
      const { id, page } = await requested();
      for (let i = 0; i < 2; i++) {
        const cancel = await p.app.main.inject({ method: 'POST', url: `${page}/cancel` });
        assert.equal(cancel.statusCode, 303, cancel.body);
        assert.equal(cancel.headers.location, 'https://shop.example/cart');
      }
      const actions = await listWalletActions(p.db, id);
      assert.deepEqual(
        actions.map((a) => [a.action, a.accountId, a.detail['amount'], a.detail['currency']]),
        [['PAYMENT_CANCELLED', shopper.account.userId, '98.76', 'USD']],
      );
    });

    it('records no wallet action for a refused answer', async () => {
      const { id } = await requested();
      const answer = () =>
        p.app.main.inject({
          method: 'POST',
          url: '/admin/v1/web-checkout/approvals',
          headers: admin,
          payload: { account: 'grace@example.com', transactionId: id, decline: true },
        });
      assert.equal((await answer()).statusCode, 200);
      const again = await answer();
      assert.equal(again.statusCode, 409, again.body);
      assert.equal((await listWalletActions(p.db, id)).length, 1);
    });
  });
}
