import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkCardAttributes, requiredAttributesFor, requiredCardAttributes } from './card-attributes.ts';
import { cardTypeNames } from './card-types.ts';
import { parseWire } from './validation.ts';
import {
  cancelNotificationSchema,
  cardPayloadSchema,
  getCardDataResponseSchema,
  missingCardAttributes,
  partnerCardParamsSchema,
  sendCardStateBodySchema,
  sendCardStateQuerySchema,
  updateNotificationSchema,
  walletCardSchema,
  walletServerHeadersSchema,
} from './wallet-cards.ts';

// Seed 002, "Example: Card object" (the seed leaves mainImg unquoted; quoted here to be JSON).
const seedCardObject = {
  card: {
    type: 'ticket',
    subType: 'movies',
    data: [
      {
        refId: 'ref-20230304-001',
        createdAt: 1612660039000,
        language: 'en',
        attributes: { title: 'Parasite', mainImg: 'https://../main.png' },
        localization: [{ language: 'ko', attributes: { title: 'Samsung Wallet' } }],
      },
    ],
  },
};

// Seed 003 examples.
const seedUpdateNotification = {
  card: { type: 'ticket', data: [{ refId: 'ref-20230304-0003', state: 'UPDATED' }] },
};
const seedCancelNotification = {
  card: { type: 'ticket', data: [{ eventId: 'event-722164a1a7', state: 'CANCELED' }] },
};
const seedGetCardData = {
  card: {
    type: 'ticket',
    subType: 'movies',
    data: [
      {
        refId: 'ref-20230304-001',
        createdAt: 1612660039000,
        language: 'en',
        attributes: { title: 'Samsung Wallet', mainImg: 'https://../main.png' },
        localization: [{ language: 'ko', attributes: { title: 'Samsung Wallet' } }],
      },
    ],
  },
};

const movieTicket = {
  type: 'ticket',
  subType: 'movies',
  data: [
    {
      refId: 'ref-1',
      createdAt: 1612660039000,
      updatedAt: 1612660039000,
      language: 'en',
      attributes: {
        title: 'Parasite',
        mainImg: 'https://issuer.example/main.png',
        'logoImage.darkUrl': 'https://issuer.example/logo-dark.png',
        providerName: 'Cinema',
        startDate: 1700000000000,
        bgColor: '#1A2b3C',
        noNetworkSupportYn: 'Y',
        'barcode.value': '2723255352',
        'barcode.serialType': 'QRCODE',
        'barcode.ptFormat': 'QRCODESERIAL',
        'barcode.ptSubFormat': 'QR_CODE',
        somethingNew: { nested: [1, 2] },
      },
    },
  ],
};

function cardIssues(card: unknown) {
  const r = parseWire(cardPayloadSchema, { card });
  return r.ok ? [] : r.issues.map(({ field, reason }) => ({ field, reason }));
}

function withAttributes(attributes: Record<string, unknown>) {
  const [item] = movieTicket.data;
  return { ...movieTicket, data: [{ ...item, attributes: { ...item?.attributes, ...attributes } }] };
}

describe('wallet card object', () => {
  it('parses the seed example card object', () => {
    const r = parseWire(cardPayloadSchema, seedCardObject);
    assert.ok(r.ok, JSON.stringify(!r.ok && r.issues));
    assert.deepEqual(r.value, seedCardObject);
  });

  it('keeps unknown attributes and unknown members as they came', () => {
    const card = { ...movieTicket, extra: 'kept', data: [{ ...movieTicket.data[0], note: 'kept too' }] };
    const parsed = walletCardSchema.parse(card);
    assert.deepEqual(parsed, card);
  });

  it('accepts every type with each of its subtypes and rejects an unknown type', () => {
    assert.deepEqual(cardIssues({ ...movieTicket, type: 'boardingpass', subType: 'trains' }), []);
    assert.deepEqual(cardIssues({ ...movieTicket, type: 'giftcard', subType: 'others' }), []);
    const r = cardIssues({ ...movieTicket, type: 'voucher' });
    assert.equal(r[0]?.field, 'card.type');
    assert.match(r[0]?.reason ?? '', /^must be one of: boardingpass, ticket, /);
  });

  it('rejects a subtype that does not belong to the type', () => {
    assert.deepEqual(cardIssues({ ...movieTicket, subType: 'airlines' }), [
      {
        field: 'card.subType',
        reason: 'must be one of: performances, sports, movies, entrances, others (for ticket)',
      },
    ]);
  });

  it('requires type, subType and data, and each data object its mandatory members', () => {
    assert.deepEqual(cardIssues({}), [
      { field: 'card.type', reason: 'required' },
      { field: 'card.subType', reason: 'required' },
      { field: 'card.data', reason: 'required' },
    ]);
    assert.deepEqual(cardIssues({ ...movieTicket, data: [{}] }), [
      { field: 'card.data[0].refId', reason: 'required' },
      { field: 'card.data[0].createdAt', reason: 'required' },
      { field: 'card.data[0].language', reason: 'required' },
      { field: 'card.data[0].attributes', reason: 'required' },
    ]);
  });

  it('accepts 1 to 10 data objects', () => {
    const item = movieTicket.data[0];
    const many = (n: number) => Array.from({ length: n }, (_, i) => ({ ...item, refId: `ref-${i}` }));
    assert.deepEqual(cardIssues({ ...movieTicket, data: many(10) }), []);
    assert.deepEqual(cardIssues({ ...movieTicket, data: many(11) }), [
      { field: 'card.data', reason: 'must have at most 10 items' },
    ]);
    assert.deepEqual(cardIssues({ ...movieTicket, data: [] }), [
      { field: 'card.data', reason: 'must not be empty' },
    ]);
  });

  it('rejects two data objects with the same refId', () => {
    const item = movieTicket.data[0];
    assert.deepEqual(cardIssues({ ...movieTicket, data: [item, item] }), [
      { field: 'card.data[1].refId', reason: 'duplicate refId' },
    ]);
  });

  it('checks the sizes of refId, language, type and subType', () => {
    const item = movieTicket.data[0];
    assert.deepEqual(
      cardIssues({
        ...movieTicket,
        subType: 'm'.repeat(17),
        data: [{ ...item, refId: 'r'.repeat(33), language: 'en-US-x-long' }],
      }),
      [
        { field: 'card.subType', reason: 'must be at most 16 characters' },
        { field: 'card.data[0].refId', reason: 'must be at most 32 characters' },
        { field: 'card.data[0].language', reason: 'must be at most 8 characters' },
      ],
    );
  });

  it('rejects a refId that would change a URL path', () => {
    const item = movieTicket.data[0];
    for (const refId of ['a/b', 'a?b', 'a#b', 'a b', 'a%2F']) {
      assert.deepEqual(
        cardIssues({ ...movieTicket, data: [{ ...item, refId }] }),
        [{ field: 'card.data[0].refId', reason: 'must not contain whitespace, /, ?, # or %' }],
        refId,
      );
    }
  });

  it('takes createdAt and updatedAt as Long(13) epoch milliseconds', () => {
    const item = movieTicket.data[0];
    assert.deepEqual(cardIssues({ ...movieTicket, data: [{ ...item, createdAt: 9_999_999_999_999 }] }), []);
    assert.deepEqual(
      cardIssues({
        ...movieTicket,
        data: [{ ...item, createdAt: '1612660039000', updatedAt: 10_000_000_000_000 }],
      }),
      [
        { field: 'card.data[0].createdAt', reason: 'must be a number' },
        { field: 'card.data[0].updatedAt', reason: 'must be at most 9999999999999' },
      ],
    );
  });

  it('checks colours, Y/N flags, barcode codes, dates and image URLs by name', () => {
    assert.deepEqual(
      cardIssues(
        withAttributes({
          bgColor: 'red',
          fontColor: '#FFF',
          preventCaptureYn: 'yes',
          'barcode.serialType': 'QR',
          'barcode.ptFormat': 'qrcode',
          'barcode.ptSubFormat': 'QRCODE',
          startDate: '2024-01-01',
          mainImg: 'main.png',
        }),
      ),
      [
        { field: 'card.data[0].attributes.mainImg', reason: 'must be an absolute http or https URL' },
        {
          field: 'card.data[0].attributes.startDate',
          reason: 'must be epoch milliseconds (at most 13 digits)',
        },
        { field: 'card.data[0].attributes.bgColor', reason: 'must be a colour #RRGGBB' },
        {
          field: 'card.data[0].attributes.barcode.serialType',
          reason:
            'must be one of: SERIALNUMBER, BARCODE, QRCODE, POINTAMOUNT, URL, IMAGE, NONE, SHIPPING, CALLORDER',
        },
        {
          field: 'card.data[0].attributes.barcode.ptFormat',
          reason:
            'must be one of: BARCODE, BARCODESERIAL, SERIAL, DUALSERIAL, DUALBARCODE, DUALBARCODESERIAL, BARCODEPIN, BARCODESERIALPIN, IMAGE, IMAGESERIAL, QRCODE, QRCODESERIAL',
        },
        {
          field: 'card.data[0].attributes.barcode.ptSubFormat',
          reason:
            'must be one of: AZTEC, APIAZTEC, CODABAR, CODE_39, CODE_93, CODE_128, DATA_MATRIX, EAN_8, EAN_13, ITF, MAXICODE, PDF_417, QR_CODE, RSS_14, RSS_EXPANDED, UPC_A, UPC_E, UPC_EAN_EXTENSION',
        },
        { field: 'card.data[0].attributes.fontColor', reason: 'must be a colour #RRGGBB' },
        { field: 'card.data[0].attributes.preventCaptureYn', reason: 'must be Y or N' },
      ],
    );
  });

  it('accepts dates as digit strings and checks localized attributes too', () => {
    assert.deepEqual(cardIssues(withAttributes({ startDate: '1700000000000', endDate: 1700000360000 })), []);
    const item = movieTicket.data[0];
    const localized = { ...item, localization: [{ language: 'ko', attributes: { bgColor: 'blue' } }] };
    assert.deepEqual(cardIssues({ ...movieTicket, data: [localized] }), [
      { field: 'card.data[0].localization[0].attributes.bgColor', reason: 'must be a colour #RRGGBB' },
    ]);
  });

  it('does not fail on attribute values of unexpected shapes', () => {
    assert.deepEqual(
      cardIssues(withAttributes({ title: { weird: true }, 'barcode.value': null, list: [1, 2], n: 3 })),
      [],
    );
  });
});

describe('required attributes per card type', () => {
  it('has a requirement list for every card type', () => {
    assert.deepEqual(Object.keys(requiredCardAttributes).sort(), [...cardTypeNames].sort());
  });

  it('finds nothing missing in a complete movie ticket', () => {
    assert.deepEqual(missingCardAttributes(walletCardSchema.parse(movieTicket)), []);
  });

  it('names each missing attribute of the seed example ticket', () => {
    const card = cardPayloadSchema.parse(seedCardObject).card;
    assert.deepEqual(missingCardAttributes(card), [
      {
        field: 'card.data[0].attributes.logoImage',
        reason: 'required for ticket cards (or one of logoImage.darkUrl, logoImage.lightUrl)',
      },
      { field: 'card.data[0].attributes.providerName', reason: 'required for ticket cards' },
    ]);
  });

  it('reports only missing attributes, not format issues, as missing', () => {
    const card = {
      type: 'generic',
      data: [{ attributes: { title: 'T', providerName: 'P', bgColor: 'red' } }],
    };
    assert.deepEqual(missingCardAttributes(card, 'cdata.card'), [
      { field: 'cdata.card.data[0].attributes.startDate', reason: 'required for generic cards' },
    ]);
  });

  it('adds the airline requirements to boarding passes of subtype airlines', () => {
    assert.deepEqual(
      requiredAttributesFor('boardingpass', 'airlines').map((r) => r[0]),
      ['title', 'providerLogo', 'providerName', 'seatNumber', 'user', 'vehicleNumber', 'seatClass'],
    );
    const issues = checkCardAttributes(
      'boardingpass',
      {
        title: 'Flight',
        'providerLogo.lightUrl': 'https://a.example/l.png',
        providerName: 'Air',
        seatNumber: '1A',
      },
      { subType: 'airlines' },
    );
    assert.deepEqual(issues, [
      { field: 'attributes.user', reason: 'required for boardingpass/airlines cards' },
      { field: 'attributes.vehicleNumber', reason: 'required for boardingpass/airlines cards' },
      { field: 'attributes.seatClass', reason: 'required for boardingpass/airlines cards' },
    ]);
    assert.deepEqual(
      checkCardAttributes(
        'boardingpass',
        { title: 'Train', providerLogo: 'https://a.example/l.png', providerName: 'Rail', seatNumber: '3' },
        { subType: 'trains' },
      ),
      [],
    );
  });

  it('treats an empty string as missing and knows coupon flags', () => {
    const issues = checkCardAttributes('coupon', { title: '', editableYn: 'Y', deletableYn: 'maybe' });
    assert.deepEqual(
      issues.map((i) => i.field),
      [
        'attributes.deletableYn',
        'attributes.title',
        'attributes.mainImg',
        'attributes.expiry',
        'attributes.issueDate',
        'attributes.displayRedeemButtonYn',
        'attributes.notificationYn',
        'attributes.appLinkLogo',
        'attributes.appLinkName',
        'attributes.appLinkData',
      ],
    );
  });

  it('requires nothing of types whose requirements are not public, and nothing of unknown types', () => {
    assert.deepEqual(checkCardAttributes('digitalkey', {}), []);
    assert.deepEqual(checkCardAttributes('spaceship', { bgColor: 'nope' }), [
      { field: 'attributes.bgColor', reason: 'must be a colour #RRGGBB' },
    ]);
  });
});

describe('Samsung Server API bodies', () => {
  it('parses the seed Update Notification example', () => {
    assert.deepEqual(updateNotificationSchema.parse(seedUpdateNotification), seedUpdateNotification);
  });

  it('accepts every documented update state and rejects others', () => {
    for (const state of ['UPDATED', 'EXPIRED', 'REDEEMED', 'HELD', 'DELETED']) {
      const body = { card: { type: 'ticket', data: [{ refId: 'r1', state }] } };
      assert.ok(updateNotificationSchema.safeParse(body).success, state);
    }
    const r = parseWire(updateNotificationSchema, {
      card: { type: 'ticket', data: [{ refId: 'r1', state: 'GONE' }] },
    });
    assert.ok(!r.ok);
    assert.deepEqual(r.issues[0], {
      field: 'card.data[0].state',
      reason: 'must be one of: UPDATED, EXPIRED, REDEEMED, HELD, DELETED',
      kind: 'value',
    });
  });

  it('rejects an Update Notification without data objects', () => {
    const r = parseWire(updateNotificationSchema, { card: { type: 'ticket', data: [] } });
    assert.ok(!r.ok);
    assert.equal(r.issues[0]?.field, 'card.data');
  });

  it('parses the seed Cancel Notification example', () => {
    assert.deepEqual(cancelNotificationSchema.parse(seedCancelNotification), seedCancelNotification);
  });

  it('requires eventId for tickets and vehicleNumber for boarding passes', () => {
    const ticket = parseWire(cancelNotificationSchema, {
      card: { type: 'ticket', data: [{ state: 'CANCELED' }] },
    });
    assert.ok(!ticket.ok);
    assert.deepEqual(ticket.issues[0], {
      field: 'card.data[0].eventId',
      reason: 'required for ticket cards',
      kind: 'missing',
    });
    const pass = parseWire(cancelNotificationSchema, {
      card: { type: 'boardingpass', data: [{ eventId: 'e1', state: 'CANCELED' }] },
    });
    assert.ok(!pass.ok);
    assert.equal(pass.issues[0]?.field, 'card.data[0].vehicleNumber');
    const flight = {
      card: {
        type: 'boardingpass',
        data: [{ vehicleNumber: 'KE017', estimatedOrActualStartDate: 1700000000000, state: 'CANCELED' }],
      },
    };
    assert.ok(cancelNotificationSchema.safeParse(flight).success);
  });

  it('accepts only CANCELED as the state of a cancellation', () => {
    const r = parseWire(cancelNotificationSchema, {
      card: { type: 'ticket', data: [{ eventId: 'e', state: 'EXPIRED' }] },
    });
    assert.ok(!r.ok);
    assert.deepEqual(r.issues[0], { field: 'card.data[0].state', reason: 'must be CANCELED', kind: 'value' });
  });

  it('requires the Server API headers with ids of at most 32 characters', () => {
    const headers = {
      authorization: 'Bearer eyJjdHkiOiJBVVRIIiwidmVyIjoxLCJwYXJ0bmVySWQiOiIxMjg1O',
      'x-smcs-partner-id': 'partner-id-0001',
      'x-request-id': 'req-202303140003',
    };
    assert.ok(walletServerHeadersSchema.safeParse(headers).success);
    const r = parseWire(walletServerHeadersSchema, { 'x-request-id': 'r'.repeat(33) }, { root: 'headers' });
    assert.ok(!r.ok);
    assert.deepEqual(
      r.issues.map((i) => [i.field, i.reason]),
      [
        ['authorization', 'required'],
        ['x-smcs-partner-id', 'required'],
        ['x-request-id', 'must be at most 32 characters'],
      ],
    );
  });
});

describe('Partner Server API', () => {
  it('parses the seed Get Card Data answer, without subType too', () => {
    assert.deepEqual(getCardDataResponseSchema.parse(seedGetCardData), seedGetCardData);
    const { subType: _s, ...noSubType } = seedGetCardData.card;
    assert.ok(getCardDataResponseSchema.safeParse({ card: noSubType }).success);
  });

  it('parses a Get Card Data answer carrying cdata, and card states on data objects', () => {
    assert.ok(getCardDataResponseSchema.safeParse({ cdata: 'eyJhbGciOiJSUzI1NiJ9.x.y' }).success);
    const item = { ...seedGetCardData.card.data[0], state: 'EXPIRED' };
    assert.ok(
      getCardDataResponseSchema.safeParse({ card: { ...seedGetCardData.card, data: [item] } }).success,
    );
  });

  it('reports what is wrong inside a bad Get Card Data card', () => {
    const r = parseWire(getCardDataResponseSchema, {
      card: { ...seedGetCardData.card, subType: 'airlines' },
    });
    assert.ok(!r.ok);
    assert.deepEqual(r.issues[0]?.field, 'card.subType');
    const neither = parseWire(getCardDataResponseSchema, { other: 1 });
    assert.ok(!neither.ok);
  });

  it('parses the seed Send Card State query and body', () => {
    assert.deepEqual(sendCardStateQuerySchema.parse({ cc2: 'KR', event: 'ADDED' }), {
      cc2: 'KR',
      event: 'ADDED',
    });
    const body = { callback: 'https://us-tsapi.walletsvc.samsung.com' };
    assert.deepEqual(sendCardStateBodySchema.parse(body), body);
    assert.deepEqual(sendCardStateBodySchema.parse({}), {});
    assert.deepEqual(partnerCardParamsSchema.parse({ cardId: '12584806754', refId: 'ref-20230304-001' }), {
      cardId: '12584806754',
      refId: 'ref-20230304-001',
    });
  });

  it('accepts the four card state events and rejects others', () => {
    for (const event of ['ADDED', 'UPDATED', 'DELETED', 'PROVISIONED']) {
      assert.ok(sendCardStateQuerySchema.safeParse({ cc2: 'US', event }).success, event);
    }
    const r = parseWire(sendCardStateQuerySchema, { cc2: 'USA', event: 'REMOVED' }, { root: 'query' });
    assert.ok(!r.ok);
    assert.deepEqual(
      r.issues.map((i) => i.field),
      ['cc2', 'event'],
    );
  });
});
