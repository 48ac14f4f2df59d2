import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { currencyMinorUnits, isCurrencyCode } from './currencies.ts';
import { parseWire } from './validation.ts';
import {
  checkoutCountryCodes,
  checkoutFormFields,
  checkoutFormSchema,
  createTransactionRequestSchema,
  createTransactionResponseSchema,
  credentialPayloadSchema,
  fromMinorUnits,
  getPaymentCredentialsQuerySchema,
  getPaymentCredentialsResponseSchema,
  normalizePaymentStatus,
  paymentNotificationSchema,
  paymentStatuses,
  toCheckoutCountryCode,
  toMinorUnits,
  webCheckoutResult,
  webCheckoutResultCodes,
  webCheckoutResultSchema,
  webCheckoutResults,
  webCheckoutValidationResult,
} from './web-checkout.ts';

// PROTOCOLS.md 4.1, the create-transaction body with its placeholders filled in.
const createBody = {
  callback: 'https://shop.example/samsungpay/callback',
  paymentDetails: {
    service: { id: 'dcc1cbb25d6a470bb42926' },
    orderNumber: 'DSTRF345789dsgTY',
    recurring: false,
    protocol: { type: '3DS', version: '80' },
    amount: { option: 'FORMAT_TOTAL_ESTIMATED_AMOUNT', currency: 'USD', total: 98.76 },
    merchant: { name: 'virtual shop', url: 'virtualshop.com', reference: 'xn7qfnd' },
    allowedBrands: ['VI', 'MC'],
  },
};

// The real credentials answer of vector rbk-mastercard-2018 (../shared/vectors), JWE shortened.
const realCredentialsResponse = {
  resultCode: '0',
  resultMessage: 'SUCCESS',
  method: '3DS',
  card_brand: 'MC',
  card_last4digits: '4006',
  '3DS': { type: 'S', version: '100', data: 'eyJhbGciOiJSU0ExXzUiLCJraWQiOiJzNEZXYjlr.a.b.c.d' },
  wallet_dm_id: 'qlqdB4vVDcJkK7TPvhaRH88TpEVKj2F439lv5rgrNnM=',
};

// The exact plaintexts of the four real credential vectors.
const realPlaintexts = [
  '{"amount":"106000","cryptogram":"AwAABCQACCDLHvYBtQ9EgUUQYaA=","currency_code":"USD","eci_indicator":"05","tokenPanExpiration":"1127","utc":"1700557639934","tokenPAN":"4558386640000312"}',
  '{"amount":"106000","currency_code":"USD","utc":"1700480649483","eci_indicator":"5","tokenPAN":"5214150084269830","tokenPanExpiration":"1126","cryptogram":"AILsL+OF38dxAAQSUy+FAoACFA=="}',
  '{"amount":"1000","currency_code":"RUB","utc":"1534169213879","eci_indicator":"5","tokenPAN":"5185731540006869","tokenPanExpiration":"0821","cryptogram":"AGsawxdVZiL5ACMPDVwSAoACFA=="}',
  '{"amount":"100","cryptogram":"AgAAAAAABQrqUtnic6MLQAAAAAA=","currency_code":"USD","eci_indicator":"07","tokenPanExpiration":"1225","utc":"1542290658225","tokenPAN":"4895370013341927"}',
];

function withAmount(amount: Record<string, unknown>) {
  return {
    ...createBody,
    paymentDetails: {
      ...createBody.paymentDetails,
      amount: { ...createBody.paymentDetails.amount, ...amount },
    },
  };
}

function createIssues(body: unknown) {
  const r = parseWire(createTransactionRequestSchema, body);
  return r.ok ? [] : r.issues;
}

describe('createTransaction request', () => {
  it('parses the PROTOCOLS.md example body', () => {
    const r = parseWire(createTransactionRequestSchema, createBody);
    assert.ok(r.ok);
    assert.deepEqual(r.value, createBody);
  });

  it('takes the total as a number or as a decimal string', () => {
    for (const total of [98.76, 300, 0, '98.76', '123.4500', '300']) {
      assert.deepEqual(createIssues(withAmount({ total })), [], String(total));
    }
  });

  it('rejects totals that are not plain non-negative decimals', () => {
    for (const total of ['98,76', '-1', '1e3', ' 98.76', '', 'abc']) {
      assert.deepEqual(
        createIssues(withAmount({ total })).map(({ field, reason }) => ({ field, reason })),
        [{ field: 'paymentDetails.amount.total', reason: 'must be a decimal amount such as 98.76' }],
        total,
      );
    }
    assert.deepEqual(createIssues(withAmount({ total: -1 }))[0]?.reason, 'must be at least 0');
    assert.deepEqual(createIssues(withAmount({ total: 1e21 }))[0]?.reason, 'must be a plain decimal amount');
    assert.deepEqual(createIssues(withAmount({ total: true }))[0]?.reason, 'must be a number or a string');
  });

  it('rejects a total finer than the currency allows', () => {
    assert.deepEqual(createIssues(withAmount({ total: '1.005' })), [
      {
        field: 'paymentDetails.amount.total',
        reason: 'has more decimal places than USD allows (2)',
        kind: 'value',
      },
    ]);
    assert.deepEqual(
      createIssues(withAmount({ total: 100.5, currency: 'JPY' }))[0]?.reason,
      'has more decimal places than JPY allows (0)',
    );
    assert.deepEqual(createIssues(withAmount({ total: '1.234', currency: 'KWD' })), []);
  });

  it('requires an ISO 4217 currency in upper case', () => {
    assert.deepEqual(
      createIssues(withAmount({ currency: 'usd' }))[0]?.reason,
      'must be an ISO 4217 code of 3 upper-case letters',
    );
    assert.deepEqual(
      createIssues(withAmount({ currency: 'ABC' }))[0]?.reason,
      'must be an ISO 4217 currency code',
    );
    assert.deepEqual(createIssues(withAmount({ currency: 'RUB' })), []);
  });

  it('requires a known amount option', () => {
    const issue = createIssues(withAmount({ option: 'TOTAL' }))[0];
    assert.equal(issue?.field, 'paymentDetails.amount.option');
    assert.match(
      issue?.reason ?? '',
      /^must be one of: FORMAT_TOTAL_PRICE_ONLY, FORMAT_TOTAL_ESTIMATED_AMOUNT/,
    );
  });

  it('accepts only the 3DS protocol version 80', () => {
    const body = {
      ...createBody,
      paymentDetails: { ...createBody.paymentDetails, protocol: { type: '3DS', version: 80 } },
    };
    assert.deepEqual(createIssues(body)[0], {
      field: 'paymentDetails.protocol.version',
      reason: 'must be 80',
      kind: 'value',
    });
  });

  it('accepts the known brand codes and rejects others or none', () => {
    const brands = (allowedBrands: unknown) =>
      createIssues({ ...createBody, paymentDetails: { ...createBody.paymentDetails, allowedBrands } });
    assert.deepEqual(brands(['VI', 'MC', 'AX', 'DS']), []);
    assert.deepEqual(brands(['VISA'])[0], {
      field: 'paymentDetails.allowedBrands[0]',
      reason: 'must be one of: VI, MC, AX, DS',
      kind: 'value',
    });
    assert.deepEqual(brands([])[0]?.reason, 'must not be empty');
  });

  it('names every missing mandatory member', () => {
    assert.deepEqual(
      createIssues({ paymentDetails: { amount: {} } }).map((i) => [i.field, i.reason, i.kind]),
      [
        ['callback', 'required', 'missing'],
        ['paymentDetails.service', 'required', 'missing'],
        ['paymentDetails.orderNumber', 'required', 'missing'],
        ['paymentDetails.protocol', 'required', 'missing'],
        ['paymentDetails.amount.option', 'required', 'missing'],
        ['paymentDetails.amount.currency', 'required', 'missing'],
        ['paymentDetails.amount.total', 'required', 'missing'],
        ['paymentDetails.merchant', 'required', 'missing'],
        ['paymentDetails.allowedBrands', 'required', 'missing'],
      ],
    );
  });

  it('accepts a callback with a {refId} placeholder and rejects a relative one', () => {
    assert.deepEqual(createIssues({ ...createBody, callback: 'https://shop.example/{refId}/done?x=1' }), []);
    assert.deepEqual(
      createIssues({ ...createBody, callback: '/callback' })[0]?.reason,
      'must be an absolute http or https URL',
    );
  });

  it('keeps members it does not know (real integrations send extra merchant fields)', () => {
    const body = {
      ...createBody,
      paymentDetails: { ...createBody.paymentDetails, merchant: { name: 'm', countryCode: 'US' } },
    };
    const r = parseWire(createTransactionRequestSchema, body);
    assert.ok(r.ok);
    assert.deepEqual(r.value.paymentDetails.merchant, { name: 'm', countryCode: 'US' });
  });
});

describe('amounts in minor units', () => {
  it('converts major-unit totals without floating point error', () => {
    assert.equal(toMinorUnits(98.76, 'USD'), '9876');
    assert.equal(toMinorUnits('98.76', 'USD'), '9876');
    assert.equal(toMinorUnits(0.29, 'USD'), '29');
    assert.equal(toMinorUnits(1060, 'USD'), '106000');
    assert.equal(toMinorUnits('123.4500', 'USD'), '12345');
    assert.equal(toMinorUnits('10', 'RUB'), '1000');
    assert.equal(toMinorUnits(0, 'USD'), '0');
    assert.equal(toMinorUnits('1500', 'JPY'), '1500');
    assert.equal(toMinorUnits('1.234', 'KWD'), '1234');
    assert.equal(toMinorUnits('000.05', 'USD'), '5');
  });

  it('refuses totals the currency cannot hold, and non-decimals', () => {
    assert.equal(toMinorUnits('1.005', 'USD'), undefined);
    assert.equal(toMinorUnits(1.5, 'JPY'), undefined);
    assert.equal(toMinorUnits(-1, 'USD'), undefined);
    assert.equal(toMinorUnits(1e-7, 'USD'), undefined);
    assert.equal(toMinorUnits('1,00', 'USD'), undefined);
  });

  it('converts minor units back for display', () => {
    assert.equal(fromMinorUnits('9876', 'USD'), '98.76');
    assert.equal(fromMinorUnits(5, 'USD'), '0.05');
    assert.equal(fromMinorUnits('1500', 'JPY'), '1500');
    assert.equal(fromMinorUnits('1234', 'KWD'), '1.234');
    assert.throws(() => fromMinorUnits('-5', 'USD'), TypeError);
  });

  it('knows ISO 4217 codes and their minor units', () => {
    assert.ok(isCurrencyCode('USD') && isCurrencyCode('EUR') && isCurrencyCode('KRW'));
    assert.ok(!isCurrencyCode('usd') && !isCurrencyCode('XXX') && !isCurrencyCode('XAU'));
    assert.deepEqual(['USD', 'JPY', 'KRW', 'BHD', 'CLF'].map(currencyMinorUnits), [2, 0, 0, 3, 4]);
  });
});

describe('Web Checkout responses', () => {
  it('parses a create-transaction answer', () => {
    const body = {
      resultCode: '0',
      resultMessage: 'SUCCESS',
      id: '0a1b2c3d4e5f60718293a4',
      href: 'https://cardport.example/web-checkout/',
      encInfo: { mod: 'c0ffee'.repeat(10), exp: '10001', keyId: 'k-2024-01' },
    };
    assert.deepEqual(createTransactionResponseSchema.parse(body), body);
    assert.ok(
      !createTransactionResponseSchema.safeParse({ ...body, encInfo: { ...body.encInfo, exp: 'xyz' } })
        .success,
    );
  });

  it('parses the real credentials answer of a published vector', () => {
    assert.deepEqual(
      getPaymentCredentialsResponseSchema.parse(realCredentialsResponse),
      realCredentialsResponse,
    );
    assert.ok(getPaymentCredentialsQuerySchema.safeParse({ serviceId: 'dcc1cbb25d6a470bb42926' }).success);
    const r = parseWire(getPaymentCredentialsQuerySchema, {}, { root: 'query' });
    assert.ok(!r.ok);
    assert.deepEqual(r.issues[0], { field: 'serviceId', reason: 'required', kind: 'missing' });
  });

  it('parses the plaintext of all four real credential vectors', () => {
    for (const text of realPlaintexts) {
      const json = JSON.parse(text) as Record<string, unknown>;
      assert.deepEqual(credentialPayloadSchema.parse(json), json);
    }
    const withoutEci = JSON.parse(realPlaintexts[1] ?? '{}') as Record<string, unknown>;
    delete withoutEci['eci_indicator'];
    assert.ok(credentialPayloadSchema.safeParse(withoutEci).success);
  });

  it('insists that every credential member is a string of the right shape', () => {
    const good = JSON.parse(realPlaintexts[0] ?? '{}') as Record<string, unknown>;
    const r = parseWire(credentialPayloadSchema, {
      ...good,
      amount: 106000,
      tokenPanExpiration: '1327',
      tokenPAN: '4558-3866',
      cryptogram: 'not base64!',
    });
    assert.ok(!r.ok);
    assert.deepEqual(
      r.issues.map((i) => [i.field, i.reason]),
      [
        ['amount', 'must be a string'],
        ['tokenPAN', 'must be 12 to 19 digits'],
        ['tokenPanExpiration', 'must be MMYY'],
        ['cryptogram', 'must be base64'],
      ],
    );
    assert.ok(!JSON.stringify(r.issues).includes('4558'));
  });
});

describe('payment notifications', () => {
  const notification = {
    payment: {
      service: { id: 'dcc1cbb25d6a470bb42926' },
      reference: '76d8dfa36c5e430e898539',
      status: 'CHARGED',
      provider: 'PG Name',
      merchant: { name: 'virtual shop' },
    },
    timestamp: 1700557639934,
  };

  it('parses a notification with every documented status, both spellings of cancel included', () => {
    for (const status of paymentStatuses) {
      const body = { ...notification, payment: { ...notification.payment, status } };
      assert.deepEqual(paymentNotificationSchema.parse(body), body, status);
    }
    assert.equal(normalizePaymentStatus('CANCELLED'), 'CANCELED');
    assert.equal(normalizePaymentStatus('CHARGED'), 'CHARGED');
  });

  it('rejects an unknown status and a missing reference', () => {
    const r = parseWire(paymentNotificationSchema, {
      payment: { service: { id: 's' }, status: 'PAID' },
    });
    assert.ok(!r.ok);
    assert.deepEqual(
      r.issues.map((i) => [i.field, i.kind]),
      [
        ['payment.reference', 'missing'],
        ['payment.status', 'value'],
      ],
    );
  });
});

describe('result codes', () => {
  it('has every documented code with its HTTP status', () => {
    const statuses = Object.fromEntries(webCheckoutResultCodes.map((c) => [c, webCheckoutResults[c].status]));
    assert.deepEqual(statuses, {
      '0': 200,
      OPM1N1001: 400,
      OPM1N1002: 400,
      OPM1N1003: 400,
      OPM1N1026: 400,
      OPM1N1033: 400,
      OPM1N1035: 404,
      OPM2N1103: 409,
      OPM3N1002: 500,
      OPM3N1003: 500,
      OPM5N9001: 500,
    });
  });

  it('builds result bodies whose code is a string', () => {
    const ok = webCheckoutResult('0');
    assert.deepEqual(ok, { resultCode: '0', resultMessage: 'SUCCESS' });
    assert.ok(webCheckoutResultSchema.safeParse(ok).success);
    assert.deepEqual(webCheckoutResult('OPM1N1035'), {
      resultCode: 'OPM1N1035',
      resultMessage: 'Service does not exist',
    });
  });

  it('maps missing fields to OPM1N1001, bad formats to OPM1N1003 and bad values to OPM1N1002', () => {
    const missing = parseWire(createTransactionRequestSchema, { ...createBody, callback: undefined });
    assert.ok(!missing.ok);
    assert.deepEqual(webCheckoutValidationResult(missing.issues), {
      code: 'OPM1N1001',
      body: { resultCode: 'OPM1N1001', resultMessage: 'Mandatory parameter is missing: callback required' },
    });
    const format = parseWire(createTransactionRequestSchema, withAmount({ total: 'ninety' }));
    assert.ok(!format.ok);
    assert.equal(webCheckoutValidationResult(format.issues).code, 'OPM1N1003');
    const notObject = parseWire(createTransactionRequestSchema, 'text');
    assert.ok(!notObject.ok);
    assert.equal(webCheckoutValidationResult(notObject.issues).code, 'OPM1N1003');
    const value = parseWire(createTransactionRequestSchema, withAmount({ currency: 'ABC' }));
    assert.ok(!value.ok);
    assert.deepEqual(webCheckoutValidationResult(value.issues).body, {
      resultCode: 'OPM1N1002',
      resultMessage:
        'Invalid parameter value: paymentDetails.amount.currency must be an ISO 4217 currency code',
    });
  });
});

describe('checkout form POST', () => {
  const plain = {
    domains: 'shop.example',
    myOrigin: 'https://shop.example',
    transactionId: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
    href: 'https://cardport.example/web-checkout/',
    serviceId: 'a3bf4f1b2b0b822cd15d6c15b0f00a089f86d081884c7d659a2feaa0c55ad015',
    callbackUrl: 'https://shop.example/callback/{refId}?order=17&x=a%20b',
    cancelUrl: 'https://shop.example/cancel?order=17',
    countryCode: 'It_ch',
    isWindow: 'N',
    mod: 'c0ffee',
    exp: '10001',
    keyId: 'key/2024+01',
  };
  // What the body parser hands over: the SDK's encodeURIComponent is still on every value.
  const posted = Object.fromEntries(Object.entries(plain).map(([k, v]) => [k, encodeURIComponent(v)]));

  it('lists the fields of the real SDK', () => {
    assert.deepEqual(Object.keys(plain), [...checkoutFormFields]);
  });

  it('decodes each value a second time and normalizes the country code', () => {
    const r = parseWire(checkoutFormSchema, posted);
    assert.ok(r.ok, JSON.stringify(!r.ok && r.issues));
    assert.deepEqual(r.value, { ...plain, countryCode: 'it_ch' });
  });

  it('accepts every listed country code in any case', () => {
    for (const code of checkoutCountryCodes) {
      assert.equal(toCheckoutCountryCode(code.toUpperCase()), code);
    }
    assert.equal(toCheckoutCountryCode('kr'), undefined);
  });

  it('names fields that are missing, badly encoded or of the wrong shape', () => {
    const r = parseWire(checkoutFormSchema, {
      ...posted,
      transactionId: 'not-hex',
      callbackUrl: '%E0%A4%A',
      countryCode: 'kr',
      keyId: undefined,
    });
    assert.ok(!r.ok);
    assert.deepEqual(
      r.issues.map((i) => [i.field, i.reason]),
      [
        ['transactionId', 'must be hexadecimal'],
        ['callbackUrl', 'is not valid URL encoding'],
        ['countryCode', `must be one of: ${checkoutCountryCodes.join(', ')}`],
        ['keyId', 'required'],
      ],
    );
  });
});
