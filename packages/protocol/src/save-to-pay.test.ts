import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  createRegistrationRequestSchema,
  createRegistrationResponseSchema,
  getRegistrationParamsSchema,
  getRegistrationResponseSchema,
  notificationResponseSchema,
  notificationSchema,
  s2pErrorBody,
  s2pErrorCodes,
  s2pErrorSchema,
  s2pErrors,
  s2pRequestHeadersSchema,
  s2pUiRequestSchema,
  s2pUiResponseSchema,
  saveToPayUiErrorCodes,
  saveToPayUiStatuses,
  waReadyResponseSchema,
} from './save-to-pay.ts';
import { parseWire } from './validation.ts';

// Seed 001 §3.4.11, example request body, verbatim.
const seedRegistrationRequest = {
  email: 'user@gmail.com',
  enforceEmailMatching: true,
  phone: '14089998888',
  enforcePhoneMatching: true,
  custom: {
    cardName: 'XYZ Bank Credit Card',
    cardArtUrl: 'https://xyz.com/cardArt.png',
    partnerName: 'XYZ Bank',
    partnerLogoUrl: 'https://xyz.com/logo.png',
  },
};

// Seed 001 §3.4.11, example response (the welcome URL is wrapped over lines in the seed).
const seedRegistrationResponse = {
  id: '395ce2e29485442cbd9bacdc77105126',
  welcomeUrl:
    'https://s2p.stg.mpay.samsung.com/v1/welcome/eyJlbmMiOiJBMjU2R0NNIiw' +
    'iYWxnIjoiZGlyIn0..S0dNxrskDKjw8SbH.kG4UQhfwKkDNqrvIihkAqShq_JAYb99ct' +
    'TiZdZrwRN-qLhuZj4iMUYv1SAGEHAVYxlUAmaRWA.TlEKqcErR0jklC-fNQKcVA',
  status: 'PENDING',
  welcomeUrlExpiration: 1505953396844,
};

// Seed 001 §3.4.13, example notification and the partner's answer.
const seedNotification = {
  event: { regId: '395ce2e29485442cbd9bacdc77105126', type: 'WA_READY' },
  emailMatches: true,
  phoneMatches: true,
  user: { id: 'RcSm3gWJT9mXgFWy5sG123' },
  wallet: { id: 'GpcCUgejS9GIiH8zch1111' },
  device: {
    id: 'MTUxMTE5MDAwMjAwMDM1N999',
    imeiLast4: '6166',
    locale: { country: 'US' },
    serialLast4: '4934',
  },
};
const seedNotificationResponse = { card: { data: { encryptedData: '*****' } } };

function issues(value: unknown) {
  const r = parseWire(createRegistrationRequestSchema, value);
  return r.ok ? [] : r.issues.map(({ field, reason }) => ({ field, reason }));
}

describe('createRegistration request', () => {
  it('parses the seed example body', () => {
    const r = parseWire(createRegistrationRequestSchema, seedRegistrationRequest);
    assert.ok(r.ok);
    assert.deepEqual(r.value, seedRegistrationRequest);
  });

  it('parses a body with every documented field', () => {
    const full = {
      ...seedRegistrationRequest,
      hideEmail: true,
      hidePhone: false,
      welcomeCallbackUrl: 'https://bank.example/s2p/done?x=1',
      allowOfflineCommunication: true,
      data: { anything: ['goes', 1, { nested: null }] },
      custom: { ...seedRegistrationRequest.custom, partnerTncUrl: 'https://xyz.com/tnc' },
    };
    assert.deepEqual(issues(full), []);
  });

  it('needs only custom with its four required fields', () => {
    assert.deepEqual(issues({ custom: seedRegistrationRequest.custom }), []);
  });

  it('names each missing custom field as required', () => {
    assert.deepEqual(issues({}), [{ field: 'custom', reason: 'required' }]);
    assert.deepEqual(issues({ custom: {} }), [
      { field: 'custom.cardName', reason: 'required' },
      { field: 'custom.cardArtUrl', reason: 'required' },
      { field: 'custom.partnerName', reason: 'required' },
      { field: 'custom.partnerLogoUrl', reason: 'required' },
    ]);
  });

  it('rejects an empty card name or partner name', () => {
    const body = { custom: { ...seedRegistrationRequest.custom, cardName: '', partnerName: '' } };
    assert.deepEqual(issues(body), [
      { field: 'custom.cardName', reason: 'must not be empty' },
      { field: 'custom.partnerName', reason: 'must not be empty' },
    ]);
  });

  it('rejects Strings longer than 2048 characters', () => {
    const body = { custom: { ...seedRegistrationRequest.custom, cardName: 'x'.repeat(2049) } };
    assert.deepEqual(issues(body), [{ field: 'custom.cardName', reason: 'must be at most 2048 characters' }]);
  });

  it('rejects URLs that are not absolute http or https', () => {
    const body = {
      welcomeCallbackUrl: 'javascript:alert(1)',
      custom: {
        ...seedRegistrationRequest.custom,
        cardArtUrl: 'ftp://xyz.com/art.png',
        partnerLogoUrl: '/logo.png',
        partnerTncUrl: 'xyz.com/tnc',
      },
    };
    const reason = 'must be an absolute http or https URL';
    assert.deepEqual(issues(body), [
      { field: 'welcomeCallbackUrl', reason },
      { field: 'custom.cardArtUrl', reason },
      { field: 'custom.partnerLogoUrl', reason },
      { field: 'custom.partnerTncUrl', reason },
    ]);
  });

  it('rejects a phone number outside the PhoneNumber pattern', () => {
    assert.deepEqual(issues({ ...seedRegistrationRequest, phone: '408 999 8888' }), [
      { field: 'phone', reason: 'must be a phone number: digits, +, (, ) and - only' },
    ]);
  });

  it('rejects an email without an @ between two parts', () => {
    assert.deepEqual(issues({ ...seedRegistrationRequest, email: 'user.gmail.com' }), [
      { field: 'email', reason: 'must be an email address' },
    ]);
  });

  it('rejects flags that are not booleans', () => {
    const body = {
      custom: seedRegistrationRequest.custom,
      enforceEmailMatching: 'true',
      hideEmail: 1,
      hidePhone: null,
      enforcePhoneMatching: 'yes',
      allowOfflineCommunication: 'false',
    };
    const reason = 'must be a boolean (true or false)';
    assert.deepEqual(issues(body), [
      { field: 'enforceEmailMatching', reason },
      { field: 'hideEmail', reason },
      { field: 'enforcePhoneMatching', reason },
      { field: 'hidePhone', reason },
      { field: 'allowOfflineCommunication', reason },
    ]);
  });

  it('rejects data that is not an object', () => {
    assert.deepEqual(issues({ custom: seedRegistrationRequest.custom, data: 'blob' }), [
      { field: 'data', reason: 'must be an object' },
    ]);
  });

  it('rejects enforceEmailMatching without an email, naming email', () => {
    const { email: _email, ...body } = seedRegistrationRequest;
    assert.deepEqual(issues(body), [
      { field: 'email', reason: 'required when enforceEmailMatching is true' },
    ]);
    const r = parseWire(createRegistrationRequestSchema, body);
    assert.ok(!r.ok);
    assert.equal(r.issues[0]?.kind, 'missing');
  });

  it('rejects enforcePhoneMatching without a phone, naming phone', () => {
    const { phone: _phone, ...body } = seedRegistrationRequest;
    assert.deepEqual(issues(body), [
      { field: 'phone', reason: 'required when enforcePhoneMatching is true' },
    ]);
  });

  it('accepts matching switched off without the value', () => {
    assert.deepEqual(
      issues({
        custom: seedRegistrationRequest.custom,
        enforceEmailMatching: false,
        enforcePhoneMatching: false,
      }),
      [],
    );
  });

  it('rejects unknown top-level and custom fields, naming each', () => {
    const body = {
      ...seedRegistrationRequest,
      enforceEmailMatch: true,
      custom: { ...seedRegistrationRequest.custom, cardColour: 'red' },
    };
    assert.deepEqual(issues(body), [
      { field: 'custom.cardColour', reason: 'unknown field' },
      { field: 'enforceEmailMatch', reason: 'unknown field' },
    ]);
  });

  it('rejects the seed table prefix used as a wrapper object', () => {
    assert.deepEqual(issues({ registration: seedRegistrationRequest }), [
      { field: 'custom', reason: 'required' },
      { field: 'registration', reason: 'unknown field' },
    ]);
  });

  it('rejects a body that is not an object', () => {
    assert.deepEqual(issues([seedRegistrationRequest]), [{ field: 'body', reason: 'must be an object' }]);
  });
});

describe('registration responses', () => {
  it('parses the seed example for createRegistration and getRegistration', () => {
    assert.deepEqual(
      createRegistrationResponseSchema.parse(seedRegistrationResponse),
      seedRegistrationResponse,
    );
    assert.deepEqual(getRegistrationResponseSchema.parse(seedRegistrationResponse), seedRegistrationResponse);
  });

  it('accepts LINKED and keeps fields it does not know', () => {
    const linked = { ...seedRegistrationResponse, status: 'LINKED', provisioning: 'PROVISIONED' };
    assert.deepEqual(getRegistrationResponseSchema.parse(linked), linked);
  });

  it('rejects a status outside PENDING and LINKED', () => {
    const r = parseWire(getRegistrationResponseSchema, { ...seedRegistrationResponse, status: 'DONE' });
    assert.ok(!r.ok);
    assert.deepEqual(r.issues[0], {
      field: 'status',
      reason: 'must be one of: PENDING, LINKED',
      kind: 'value',
    });
  });

  it('checks the regId path parameter against the UUID type', () => {
    assert.ok(getRegistrationParamsSchema.safeParse({ regId: seedRegistrationResponse.id }).success);
    const r = parseWire(getRegistrationParamsSchema, { regId: '../../etc' }, { root: 'params' });
    assert.ok(!r.ok);
    assert.equal(r.issues[0]?.field, 'regId');
  });
});

describe('S2P headers', () => {
  it('requires Request-Id and Partner-Id of the UUID type', () => {
    const ok = s2pRequestHeadersSchema.safeParse({
      'request-id': '3f2b8a0e-2d6c-4c1e-9d7a-8a4c2b1e0f11',
      'partner-id': '395ce2e29485442cbd9bacdc77105126',
      'content-type': 'application/json',
    });
    assert.ok(ok.success);
    const r = parseWire(s2pRequestHeadersSchema, { 'partner-id': 'short' }, { root: 'headers' });
    assert.ok(!r.ok);
    assert.deepEqual(
      r.issues.map(({ field, reason }) => ({ field, reason })),
      [
        { field: 'request-id', reason: 'required' },
        { field: 'partner-id', reason: 'must be 26 to 128 letters, digits, - or _' },
      ],
    );
  });
});

describe('notifications to the partner', () => {
  it('parses the seed example notification and its answer', () => {
    assert.deepEqual(notificationSchema.parse(seedNotification), seedNotification);
    assert.deepEqual(notificationResponseSchema.parse(seedNotificationResponse), seedNotificationResponse);
    assert.deepEqual(waReadyResponseSchema.parse(seedNotificationResponse), seedNotificationResponse);
  });

  it('parses WA_PROVISIONED and WA_PROVISION_FAILURE with CARD_ALREADY_PRESENT', () => {
    for (const event of [
      { regId: seedRegistrationResponse.id, type: 'WA_PROVISIONED' },
      { regId: seedRegistrationResponse.id, type: 'WA_PROVISION_FAILURE' },
      {
        regId: seedRegistrationResponse.id,
        type: 'WA_PROVISION_FAILURE',
        error: 'CARD_ALREADY_PRESENT',
        desc: 'x',
      },
    ]) {
      assert.ok(notificationSchema.safeParse({ ...seedNotification, event }).success, JSON.stringify(event));
    }
  });

  it('accepts a notification without user, device and wallet (not a payment card)', () => {
    assert.ok(notificationSchema.safeParse({ event: seedNotification.event }).success);
  });

  it('rejects an error on an event other than WA_PROVISION_FAILURE', () => {
    const r = parseWire(notificationSchema, {
      ...seedNotification,
      event: { ...seedNotification.event, error: 'CARD_ALREADY_PRESENT' },
    });
    assert.ok(!r.ok);
    assert.equal(r.issues[0]?.field, 'event.error');
  });

  it('rejects unknown event types and errors', () => {
    const r = parseWire(notificationSchema, {
      event: { regId: seedRegistrationResponse.id, type: 'WA_DONE', error: 'OOPS' },
    });
    assert.ok(!r.ok);
    assert.deepEqual(
      r.issues.map((i) => i.field),
      ['event.type', 'event.error'],
    );
  });

  it('rejects device fields of the wrong size', () => {
    const r = parseWire(notificationSchema, {
      ...seedNotification,
      device: { id: 'd', imeiLast4: '616', serialLast4: '49345', locale: { country: 'USA' } },
    });
    assert.ok(!r.ok);
    assert.deepEqual(
      r.issues.map(({ field, reason }) => ({ field, reason })),
      [
        { field: 'device.imeiLast4', reason: 'must be exactly 4 characters' },
        { field: 'device.serialLast4', reason: 'must be exactly 4 characters' },
        { field: 'device.locale.country', reason: 'must be a 2-letter country code' },
      ],
    );
  });

  it('accepts an answer without card data, but not for WA_READY when the blob must come from it', () => {
    assert.ok(notificationResponseSchema.safeParse({}).success);
    const r = parseWire(waReadyResponseSchema, {});
    assert.ok(!r.ok);
    assert.deepEqual(r.issues[0], { field: 'card', reason: 'required', kind: 'missing' });
  });

  it('limits encryptedData to 65536 characters', () => {
    const at = { card: { data: { encryptedData: 'x'.repeat(65536) } } };
    assert.ok(waReadyResponseSchema.safeParse(at).success);
    const r = parseWire(waReadyResponseSchema, { card: { data: { encryptedData: 'x'.repeat(65537) } } });
    assert.ok(!r.ok);
    assert.deepEqual(r.issues[0], {
      field: 'card.data.encryptedData',
      reason: 'must be at most 65536 characters',
      kind: 'format',
    });
  });
});

describe('S2P errors', () => {
  it('has the seed codes with their statuses and messages', () => {
    assert.deepEqual(s2pErrors['400.1'], { status: 400, message: 'Invalid Data' });
    assert.deepEqual(s2pErrors['500.1'], { status: 500, message: 'Internal Server Error' });
    assert.deepEqual(s2pErrors['503.1'], { status: 503, message: 'Service Temporarily Unavailable' });
    assert.deepEqual(s2pErrors['503.2'], { status: 503, message: 'API Temporarily Unavailable' });
    for (const code of s2pErrorCodes) assert.equal(String(s2pErrors[code].status), code.split('.')[0]);
  });

  it('builds the error envelope with field details', () => {
    const body = s2pErrorBody('400.1', [{ field: 'custom.cardName', reason: 'required' }]);
    assert.deepEqual(body, {
      code: '400.1',
      message: 'Invalid Data',
      details: [{ field: 'custom.cardName', reason: 'required' }],
    });
    assert.deepEqual(s2pErrorSchema.parse(body), body);
    assert.deepEqual(s2pErrorBody('503.1'), { code: '503.1', message: 'Service Temporarily Unavailable' });
  });
});

describe('s2p.js types (seed §3.4.14)', () => {
  it('lists every Status and ErrorCode of the IDL', () => {
    assert.deepEqual(
      [...saveToPayUiStatuses],
      ['SUCCESS', 'FAILURE', 'DEVICE_NOT_SUPPORTED', 'DEFAULT_PENDING'],
    );
    assert.deepEqual(
      [...saveToPayUiErrorCodes],
      [
        'INVALID_INPUT',
        'PROVISION_FAILURE',
        'NETWORK_ERROR',
        'UNKNOWN_ERROR',
        'CARD_ALREADY_PRESENT',
        'CANCELED',
      ],
    );
  });

  it('parses S2PRequest and S2PResponse', () => {
    assert.ok(s2pUiRequestSchema.safeParse({ welcomeUrl: seedRegistrationResponse.welcomeUrl }).success);
    assert.ok(s2pUiResponseSchema.safeParse({ status: 'SUCCESS', isIframeClosed: true }).success);
    assert.ok(
      s2pUiResponseSchema.safeParse({
        status: 'FAILURE',
        isIframeClosed: false,
        details: { errorCode: 'CARD_ALREADY_PRESENT', message: 'already there' },
      }).success,
    );
    assert.ok(!s2pUiResponseSchema.safeParse({ status: 'FAILURE' }).success);
  });
});
