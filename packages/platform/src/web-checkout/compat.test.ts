// Issue 8: what real Web Checkout integrations send (PROTOCOLS.md 4.1, 4.3), written from the
// issue's descriptions, plus variants. Each is accepted with exactly its warnings in the
// Cardport-Warning header, and refused for a partner in strict mode with the documented result code.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type CardportWarning, parseWarningHeader, WARNING_HEADER } from '@cardport/protocol';
import { readCertificate } from '../core/pki.ts';
import { testDbKinds } from '../core/test-kit.ts';
import { findCertificateBinding, findPartner } from '../partners/store.ts';
import { startTestPlatform, TEST_ADMIN_TOKEN, type TestPlatform } from '../testing/index.ts';
import { tspModule } from '../tsp/index.ts';
import { walletModule } from '../wallet/module.ts';
import * as wallet from '../wallet/service.ts';
import { walletCsrfTokenOf } from '../wallet/test-support.ts';
import { webCheckoutModule } from './module.ts';
import * as store from './store.ts';
import { type CheckoutPartner, onboardCheckoutPartner, sdkFormBody } from './test-support.ts';

type Body = Record<string, unknown>;
type Details = Record<string, unknown>;

/** A body as a documented integration sends it; `edit` changes its paymentDetails or top level. */
function documented(serviceId: string): { callback: unknown; paymentDetails: Details } {
  return {
    callback: 'https://merchant.example/samsungpay/callback',
    paymentDetails: {
      service: { id: serviceId },
      orderNumber: 'ORD-20231114-0001',
      recurring: false,
      protocol: { type: '3DS', version: '80' },
      amount: { option: 'FORMAT_TOTAL_ESTIMATED_AMOUNT', currency: 'USD', total: '10.00' },
      merchant: { name: 'Demo Merchant', url: 'merchant.example', reference: 'ref-0001' },
      allowedBrands: ['VI', 'MC'],
    },
  };
}

function without(details: Details, ...keys: string[]): Details {
  return Object.fromEntries(Object.entries(details).filter(([k]) => !keys.includes(k)));
}

interface Case {
  name: string;
  body(serviceId: string): Body;
  /** [code, field] of each expected warning, in order. */
  warnings: [string, string][];
  strictCode: 'OPM1N1001' | 'OPM1N1002' | 'OPM1N1003';
  /** What the platform stored. */
  stored?: { allowedBrands?: string[]; amountOption?: string; amountMinor?: string; currency?: string };
}

const cases: Case[] = [
  {
    name: 'the body the real staging host answered SUCCESS: callback "0", no allowedBrands, no amount.option',
    body: (sid) => {
      const b = documented(sid);
      const amount = { currency: 'USD', total: '10.00' };
      return {
        callback: '0',
        paymentDetails: { ...without(b.paymentDetails, 'allowedBrands'), amount },
      };
    },
    warnings: [
      ['CALLBACK_NOT_URL', 'callback'],
      ['ALLOWED_BRANDS_MISSING', 'paymentDetails.allowedBrands'],
      ['AMOUNT_OPTION_MISSING', 'paymentDetails.amount.option'],
    ],
    strictCode: 'OPM1N1001',
    stored: {
      allowedBrands: ['VI', 'MC', 'AX', 'DS'],
      amountOption: 'FORMAT_TOTAL_ESTIMATED_AMOUNT',
      amountMinor: '1000',
    },
  },
  {
    name: 'an integration that names the list "brands" with VIS and leaves out amount.option',
    body: (sid) => {
      const b = documented(sid);
      return {
        ...b,
        paymentDetails: {
          ...without(b.paymentDetails, 'allowedBrands'),
          brands: ['MC', 'VIS'],
          amount: { currency: 'USD', total: 25.5 },
        },
      };
    },
    warnings: [
      ['BRANDS_FIELD_NAME', 'paymentDetails.allowedBrands'],
      ['BRAND_ALIAS', 'paymentDetails.brands[1]'],
      ['AMOUNT_OPTION_MISSING', 'paymentDetails.amount.option'],
    ],
    strictCode: 'OPM1N1001',
    stored: { allowedBrands: ['MC', 'VI'], amountMinor: '2550' },
  },
  {
    name: 'a Java client formatting a zero-decimal total as "1500." (KRW)',
    body: (sid) => {
      const b = documented(sid);
      return {
        ...b,
        paymentDetails: {
          ...b.paymentDetails,
          amount: { option: 'FORMAT_TOTAL_PRICE_ONLY', currency: 'KRW', total: '1500.' },
        },
      };
    },
    warnings: [['AMOUNT_TRAILING_POINT', 'paymentDetails.amount.total']],
    strictCode: 'OPM1N1003',
    stored: { amountMinor: '1500', currency: 'KRW' },
  },
  {
    name: 'the same formatter with JPY and no allowedBrands',
    body: (sid) => {
      const b = documented(sid);
      return {
        ...b,
        paymentDetails: {
          ...without(b.paymentDetails, 'allowedBrands'),
          amount: { option: 'FORMAT_TOTAL_PRICE_ONLY', currency: 'JPY', total: '980.' },
        },
      };
    },
    warnings: [
      ['ALLOWED_BRANDS_MISSING', 'paymentDetails.allowedBrands'],
      ['AMOUNT_TRAILING_POINT', 'paymentDetails.amount.total'],
    ],
    strictCode: 'OPM1N1001',
    stored: { amountMinor: '980', allowedBrands: ['VI', 'MC', 'AX', 'DS'] },
  },
  {
    name: 'brand names spelled out in allowedBrands (VISA, MASTERCARD)',
    body: (sid) => {
      const b = documented(sid);
      return { ...b, paymentDetails: { ...b.paymentDetails, allowedBrands: ['VISA', 'MASTERCARD'] } };
    },
    warnings: [
      ['BRAND_ALIAS', 'paymentDetails.allowedBrands[0]'],
      ['BRAND_ALIAS', 'paymentDetails.allowedBrands[1]'],
    ],
    strictCode: 'OPM1N1002',
    stored: { allowedBrands: ['VI', 'MC'] },
  },
  {
    name: 'an empty callback (the JS SDK carries the real one)',
    body: (sid) => ({ ...documented(sid), callback: '' }),
    warnings: [['CALLBACK_NOT_URL', 'callback']],
    strictCode: 'OPM1N1002',
  },
  {
    name: 'a lower-case currency code',
    body: (sid) => {
      const b = documented(sid);
      return {
        ...b,
        paymentDetails: {
          ...b.paymentDetails,
          amount: { option: 'FORMAT_TOTAL_PRICE_ONLY', currency: 'eur', total: 12 },
        },
      };
    },
    warnings: [['CURRENCY_CASE', 'paymentDetails.amount.currency']],
    strictCode: 'OPM1N1003',
    stored: { currency: 'EUR', amountMinor: '1200' },
  },
  {
    name: 'protocol.version as a number',
    body: (sid) => {
      const b = documented(sid);
      return { ...b, paymentDetails: { ...b.paymentDetails, protocol: { type: '3DS', version: 80 } } };
    },
    warnings: [['PROTOCOL_VERSION_NUMBER', 'paymentDetails.protocol.version']],
    strictCode: 'OPM1N1003',
  },
  {
    name: 'no protocol at all',
    body: (sid) => {
      const b = documented(sid);
      return { ...b, paymentDetails: without(b.paymentDetails, 'protocol') };
    },
    warnings: [['PROTOCOL_MISSING', 'paymentDetails.protocol']],
    strictCode: 'OPM1N1001',
  },
];

for (const kind of testDbKinds()) {
  describe(`Web Checkout compatibility on ${kind.name}`, () => {
    let p: TestPlatform;
    let lenient: CheckoutPartner;
    let strict: CheckoutPartner;

    before(async () => {
      p = await startTestPlatform({ kind, modules: [walletModule, tspModule, webCheckoutModule] });
      lenient = await onboardCheckoutPartner(p);
      strict = await onboardCheckoutPartner(p);
      const res = await p.app.main.inject({
        method: 'PATCH',
        url: `/admin/v1/partners/${strict.partner.partnerId}`,
        headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
        payload: { strict: true },
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().strict, true);
    });

    it("carries the partner's strict mode on its row and on its certificates' binding", async () => {
      const fingerprint = (who: CheckoutPartner) =>
        readCertificate(who.partner.clientCertificatePem).fingerprint256;
      assert.equal((await findCertificateBinding(p.db, fingerprint(strict)))?.strict, true);
      assert.equal((await findCertificateBinding(p.db, fingerprint(lenient)))?.strict, false);
      assert.equal((await findPartner(p.db, lenient.partner.partnerId))?.strict, false);
    });
    after(async () => p.close());

    async function create(body: unknown) {
      const res = await p.app.main.inject({
        method: 'POST',
        url: '/ops/v1/transactions',
        payload: body as Body,
      });
      const header = res.headers[WARNING_HEADER.toLowerCase()];
      return { res, body: res.json(), header, warnings: parseWarningHeader(header as string | undefined) };
    }

    const pairs = (ws: CardportWarning[]) => ws.map((w) => [w.code, w.field]);

    for (const c of cases) {
      it(`accepts ${c.name}, with exactly its warnings in the Cardport-Warning header`, async () => {
        const { res, body, warnings, header } = await create(c.body(lenient.service.serviceId));
        assert.equal(res.statusCode, 200, res.body);
        assert.equal(body.resultCode, '0');
        assert.deepEqual(pairs(warnings), c.warnings);
        assert.match(String(header), /^[\x20-\x7e]+$/, 'the header is ASCII');
        for (const w of warnings) {
          assert.ok(w.documented.length > 0);
          assert.ok(w.sent === null || w.sent.length <= 64);
        }
        const row = await store.getTransaction(p.db, body.id);
        assert.ok(row);
        if (c.stored?.allowedBrands) assert.deepEqual(row.allowedBrands, c.stored.allowedBrands);
        if (c.stored?.amountOption) assert.equal(row.amountOption, c.stored.amountOption);
        if (c.stored?.amountMinor) assert.equal(row.amountMinor, c.stored.amountMinor);
        if (c.stored?.currency) assert.equal(row.currency, c.stored.currency);
      });

      it(`refuses ${c.name} for a strict partner with ${c.strictCode}`, async () => {
        const { res, body, warnings } = await create(c.body(strict.service.serviceId));
        assert.equal(res.statusCode, 400, res.body);
        assert.equal(body.resultCode, c.strictCode);
        assert.match(body.resultMessage, /strict mode/);
        assert.deepEqual(pairs(warnings), c.warnings, 'the warnings still say why');
      });
    }

    it('sends no Cardport-Warning for a documented body, and a strict partner accepts it', async () => {
      for (const who of [lenient, strict]) {
        const { res, header } = await create(documented(who.service.serviceId));
        assert.equal(res.statusCode, 200, res.body);
        assert.equal(header, undefined);
      }
    });

    it('still refuses what cannot be read without changing its meaning', async () => {
      const sid = lenient.service.serviceId;
      const b = documented(sid);
      const unknownBrand = await create({
        ...b,
        paymentDetails: { ...b.paymentDetails, allowedBrands: ['JCB'] },
      });
      assert.equal(unknownBrand.res.statusCode, 400);
      assert.equal(unknownBrand.body.resultCode, 'OPM1N1002');
      const tooFine = await create({
        ...b,
        paymentDetails: {
          ...b.paymentDetails,
          amount: { option: 'FORMAT_TOTAL_PRICE_ONLY', currency: 'KRW', total: '15.5' },
        },
      });
      assert.equal(tooFine.res.statusCode, 400);
      assert.equal(tooFine.body.resultCode, 'OPM1N1002');
      const noCallback = await create({ paymentDetails: b.paymentDetails });
      assert.equal(noCallback.res.statusCode, 400);
      assert.equal(noCallback.body.resultCode, 'OPM1N1001');
    });

    async function openForm(who: CheckoutPartner, created: Body, countryCode: string) {
      const encInfo = created['encInfo'] as { mod: string; exp: string; keyId: string };
      return p.app.main.inject({
        method: 'POST',
        url: '/gsmpi/pc_gsmpi/index.do',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://shop.example' },
        payload: sdkFormBody({
          transactionId: String(created['id']),
          href: String(created['href']),
          serviceId: who.service.serviceId,
          callbackUrl: 'https://shop.example/sdk-callback',
          cancelUrl: 'https://shop.example/cart',
          countryCode,
          ...encInfo,
        }),
      });
    }

    for (const countryCode of ['ch_en', 'FR', 'DE']) {
      it(`starts the checkout page for countryCode ${countryCode} in the default language, with a warning`, async () => {
        const { body: created } = await create(documented(lenient.service.serviceId));
        const opened = await openForm(lenient, created, countryCode);
        assert.equal(opened.statusCode, 303, opened.body);
        assert.deepEqual(
          parseWarningHeader(opened.headers[WARNING_HEADER.toLowerCase()] as string).map((w) => [
            w.code,
            w.field,
            w.sent,
          ]),
          [['COUNTRY_CODE_UNLISTED', 'countryCode', countryCode]],
        );
        const row = await store.getTransaction(p.db, created.id);
        assert.equal(row?.countryCode, 'us');
        const page = await p.app.main.inject({ method: 'GET', url: String(opened.headers.location) });
        assert.equal(page.statusCode, 200);
        assert.doesNotMatch(page.body, /cannot start/i);
      });

      it(`refuses countryCode ${countryCode} for a strict partner with OPM1N1002`, async () => {
        const { body: created } = await create(documented(strict.service.serviceId));
        const opened = await openForm(strict, created, countryCode);
        assert.equal(opened.statusCode, 400, opened.body);
        assert.match(opened.body, /OPM1N1002/);
        assert.match(opened.body, /countryCode/);
      });
    }

    it('takes a listed countryCode in another case without a warning (It_ch as the seed spells it)', async () => {
      const { body: created } = await create(documented(lenient.service.serviceId));
      const opened = await openForm(lenient, created, 'It_ch');
      assert.equal(opened.statusCode, 303, opened.body);
      assert.equal(opened.headers[WARNING_HEADER.toLowerCase()], undefined);
    });

    it('sends the browser to the JS SDK callbackUrl when the transaction callback was "0"', async () => {
      const shopper = await wallet.signUp(p.db, p.clock, { email: `zero-${kind.name}@example.com` });
      const card = await p.app.main.inject({
        method: 'POST',
        url: '/wallet/payments/test-cards',
        headers: {
          cookie: `cardport_wallet=${shopper.token}`,
          'x-csrf-token': await walletCsrfTokenOf(p.app.main, `cardport_wallet=${shopper.token}`),
        },
        payload: { card: 'VI' },
      });
      assert.equal(card.statusCode, 303, card.body);
      const b = documented(lenient.service.serviceId);
      const { body: created } = await create({ ...b, callback: '0' });
      const opened = await openForm(lenient, created, 'us');
      assert.equal(opened.statusCode, 303, opened.body);
      await p.app.main.inject({
        method: 'POST',
        url: `${opened.headers.location}/account`,
        payload: { email: `zero-${kind.name}@example.com` },
      });
      const approve = await p.app.main.inject({
        method: 'POST',
        url: '/admin/v1/web-checkout/approvals',
        headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
        payload: { account: `zero-${kind.name}@example.com`, transactionId: created.id },
      });
      assert.equal(approve.statusCode, 200, approve.body);
      const redirect = new URL(approve.json().redirectUrl);
      assert.equal(`${redirect.origin}${redirect.pathname}`, 'https://shop.example/sdk-callback');
      assert.equal(redirect.searchParams.get('ref_id'), approve.json().referenceId);

      const cancelled = await p.app.main.inject({
        method: 'POST',
        url: '/ops/v1/notifications',
        payload: {
          payment: {
            service: { id: lenient.service.serviceId },
            reference: approve.json().referenceId,
            status: 'CANCELLED',
          },
        },
      });
      assert.equal(cancelled.statusCode, 201, cancelled.body);
      assert.deepEqual(
        parseWarningHeader(cancelled.headers[WARNING_HEADER.toLowerCase()] as string).map((w) => w.code),
        ['PAYMENT_STATUS_SPELLING'],
      );
    });
  });
}
