// `verify web-checkout --await-transaction` against a partner simulated in the test: it starts a
// transaction on the platform's real API; the kit approves it with a sandbox wallet account.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { adminModule } from '../admin/module.ts';
import { waitFor } from '../core/delivery-test-support.ts';
import { testDbKinds } from '../core/test-kit.ts';
import { startTestPlatform, TEST_ADMIN_TOKEN, type TestPlatform } from '../testing/index.ts';
import { tspModule } from '../tsp/index.ts';
import { walletModule } from '../wallet/module.ts';
import * as wallet from '../wallet/service.ts';
import { walletCsrfTokenOf } from '../wallet/test-support.ts';
import { listTransactionsForAdmin } from '../web-checkout/automation.ts';
import { webCheckoutModule } from '../web-checkout/module.ts';
import {
  type CheckoutPartner,
  createTransactionBody,
  onboardCheckoutPartner,
} from '../web-checkout/test-support.ts';
import { verifyModule } from './module.ts';
import type { VerifyReport } from './report.ts';

const auth = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };

for (const kind of testDbKinds()) {
  describe(`verify web-checkout --await-transaction on ${kind.name}`, () => {
    let p: TestPlatform;
    let shop: CheckoutPartner;

    before(async () => {
      p = await startTestPlatform({
        kind,
        modules: [adminModule, walletModule, tspModule, webCheckoutModule, verifyModule],
      });
      shop = await onboardCheckoutPartner(p);
      const shopper = await wallet.signUp(p.db, p.clock, { email: 'kit@example.com' });
      const cookie = `cardport_wallet=${shopper.token}`;
      const added = await p.app.main.inject({
        method: 'POST',
        url: '/wallet/payments/test-cards',
        headers: { cookie, 'x-csrf-token': await walletCsrfTokenOf(p.app.main, cookie) },
        payload: { card: 'VI' },
      });
      assert.equal(added.statusCode, 303, added.body);
    });
    after(async () => p.close());

    const verify = async (extra: Record<string, unknown>) => {
      const res = await p.app.main.inject({
        method: 'POST',
        url: '/admin/v1/verify',
        headers: auth,
        payload: {
          product: 'web-checkout',
          partnerId: shop.partner.partnerId,
          awaitTransaction: true,
          account: 'kit@example.com',
          ...extra,
        },
      });
      assert.equal(res.statusCode, 200, res.body);
      return res.json().report as VerifyReport;
    };
    const startTransaction = async () => {
      const res = await p.app.main.inject({
        method: 'POST',
        url: '/ops/v1/transactions',
        payload: createTransactionBody(shop.service.serviceId),
      });
      assert.equal(res.statusCode, 200, res.body);
      return res.json().id as string;
    };
    /** The reference of the transaction once the kit approved it. */
    const referenceOf = async (transactionId: string, limitMs?: number) => {
      let ref: string | null = null;
      await waitFor(
        async () => {
          const t = (await listTransactionsForAdmin(p.app.ctx, { serviceId: shop.service.serviceId })).find(
            (x) => x.transactionId === transactionId,
          );
          ref = t?.referenceId ?? null;
          return ref !== null;
        },
        'the kit approving the transaction',
        limitMs,
      );
      return ref as unknown as string;
    };
    const check = (r: VerifyReport, id: string) => r.checks.find((c) => c.id === id);
    /**
     * Starts transactions until the kit approves one: the kit waits for the partner's next
     * transaction, and one started before its first look would be taken as an old one.
     */
    const startUntilApproved = async () => {
      for (let i = 0; ; i++) {
        const transactionId = await startTransaction();
        try {
          return { transactionId, referenceId: await referenceOf(transactionId, 3_000) };
        } catch (err) {
          if (i >= 10) throw err;
        }
      }
    };

    it("passes a partner that fetches the approved transaction's credentials and notifies the result", async () => {
      const report = verify({ waitSeconds: 60, windowSeconds: 60 });
      const { referenceId } = await startUntilApproved();
      const creds = await p.app.main.inject({
        url: `/ops/v1/transactions/paymentCredentials/${referenceId}?serviceId=${shop.service.serviceId}`,
      });
      assert.equal(creds.statusCode, 200, creds.body);
      const notified = await p.app.main.inject({
        method: 'POST',
        url: '/ops/v1/notifications',
        payload: {
          payment: { service: { id: shop.service.serviceId }, reference: referenceId, status: 'CHARGED' },
          timestamp: p.clock.now(),
        },
      });
      assert.equal(notified.statusCode, 201, notified.body);
      const r = await report;
      assert.equal(check(r, 'wc.transaction.credentials')?.status, 'pass', JSON.stringify(r.checks));
      assert.equal(check(r, 'wc.transaction.notified')?.status, 'pass');
      assert.match(check(r, 'wc.transaction.notified')?.finding ?? '', /CHARGED/);
      assert.match(check(r, 'wc.transaction.credentials')?.evidence.request ?? '', new RegExp(referenceId));
    });

    it('fails a partner that never fetches the credentials nor notifies, naming both', async () => {
      const report = verify({ waitSeconds: 60, windowSeconds: 1 });
      await startUntilApproved();
      const r = await report;
      assert.equal(r.ok, false);
      assert.equal(check(r, 'wc.transaction.credentials')?.status, 'fail');
      assert.match(
        check(r, 'wc.transaction.credentials')?.finding ?? '',
        /did not fetch the credentials within 1 s/,
      );
      assert.equal(check(r, 'wc.transaction.notified')?.status, 'fail');
      assert.match(check(r, 'wc.transaction.notified')?.finding ?? '', /notified no result within 1 s/);
    });

    it('refuses --await-transaction without the approving account in the admin error format', async () => {
      const res = await p.app.main.inject({
        method: 'POST',
        url: '/admin/v1/verify',
        headers: auth,
        payload: { product: 'web-checkout', partnerId: shop.partner.partnerId, awaitTransaction: true },
      });
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().error.code, 'INVALID_INPUT');
    });
  });
}
