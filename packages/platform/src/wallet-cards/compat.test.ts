// Issue 8: the cdata Samsung's own sample code makes (PROTOCOLS.md 2.3 [impl]), written from the
// issue's description, plus variants. Each is accepted with exactly its warnings in the
// Cardport-Warning header, and refused with INVALID_CARD once the partner is in strict mode.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { parseWarningHeader, WARNING_HEADER } from '@cardport/protocol';
import { testDbKinds } from '../core/test-kit.ts';
import { TEST_ADMIN_TOKEN } from '../testing/index.ts';
import { type AtwFixture, startAtwFixture } from './test-support.ts';

const NOW = Date.UTC(2026, 0, 1);

/** A coupon as Samsung's cdata sample code builds it: UUID refId, no subType, ptSubFormat CODE128. */
function sampleCoupon(
  patch: { card?: Record<string, unknown>; attributes?: Record<string, unknown>; refId?: string } = {},
) {
  return {
    card: {
      type: 'coupon',
      data: [
        {
          refId: patch.refId ?? randomUUID(),
          createdAt: NOW,
          updatedAt: NOW,
          language: 'en',
          attributes: {
            title: 'Samsung Wallet Coupon',
            mainImg: 'https://example.com/coupon.png',
            expiry: NOW + 30 * 86_400_000,
            issueDate: NOW,
            editableYn: 'N',
            deletableYn: 'Y',
            displayRedeemButtonYn: 'Y',
            notificationYn: 'N',
            appLinkLogo: 'https://example.com/app.png',
            appLinkName: 'Coupon app',
            appLinkData: 'https://example.com/app',
            'barcode.value': '1234567890128',
            'barcode.serialType': 'BARCODE',
            'barcode.ptFormat': 'BARCODESERIAL',
            'barcode.ptSubFormat': 'CODE128',
            ...patch.attributes,
          },
        },
      ],
      ...patch.card,
    },
  };
}

interface Case {
  name: string;
  card(): unknown;
  warnings: [string, string][];
}

const at = 'card.data[0]';
const cases: Case[] = [
  {
    name: "Samsung's sample coupon (36-character UUID refId, no subType, CODE128)",
    card: () => sampleCoupon(),
    warnings: [
      ['SUBTYPE_MISSING', 'card.subType'],
      ['REF_ID_TOO_LONG', `${at}.refId`],
      ['ATTRIBUTE_VALUE_SPELLING', `${at}.attributes.barcode.ptSubFormat`],
    ],
  },
  {
    name: 'a coupon with no subType only',
    card: () => sampleCoupon({ refId: 'cpn-0001', attributes: { 'barcode.ptSubFormat': 'CODE_128' } }),
    warnings: [['SUBTYPE_MISSING', 'card.subType']],
  },
  {
    name: 'a UUID refId only',
    card: () =>
      sampleCoupon({ card: { subType: 'others' }, attributes: { 'barcode.ptSubFormat': 'CODE_128' } }),
    warnings: [['REF_ID_TOO_LONG', `${at}.refId`]],
  },
  {
    name: 'barcode codes in other spellings (pdf417, qrcode) and a lower-case Y/N flag',
    card: () =>
      sampleCoupon({
        refId: 'cpn-0002',
        card: { subType: 'others' },
        attributes: { 'barcode.ptSubFormat': 'pdf417', 'barcode.serialType': 'qrcode', editableYn: 'n' },
      }),
    warnings: [
      ['YN_FLAG_SPELLING', `${at}.attributes.editableYn`],
      ['ATTRIBUTE_VALUE_SPELLING', `${at}.attributes.barcode.serialType`],
      ['ATTRIBUTE_VALUE_SPELLING', `${at}.attributes.barcode.ptSubFormat`],
    ],
  },
  {
    name: 'createdAt sent as a string of digits',
    card: () => {
      const c = sampleCoupon({
        refId: 'cpn-0003',
        card: { subType: 'others' },
        attributes: { 'barcode.ptSubFormat': 'EAN_13' },
      });
      (c.card.data[0] as Record<string, unknown>)['createdAt'] = String(NOW);
      return c;
    },
    warnings: [['LONG_AS_STRING', `${at}.createdAt`]],
  },
];

interface CheckBody {
  offerId?: string;
  card?: { subType: string; data: { refId: string; attributes: Record<string, unknown> }[] };
  barcodes?: ({ dataUrl?: string } | null)[];
  error?: { reason: string; message: string; details?: { field: string; reason: string }[] };
}

for (const kind of testDbKinds()) {
  describe(`Add to Wallet compatibility (${kind.name})`, () => {
    let f: AtwFixture;

    before(async () => {
      f = await startAtwFixture(kind, { type: 'coupon', subType: 'others' });
    });
    after(async () => f.close());

    async function setStrict(strict: boolean) {
      const res = await f.p.app.main.inject({
        method: 'PATCH',
        url: `/admin/v1/partners/${f.partner.partnerId}`,
        headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
        payload: { strict },
      });
      assert.equal(res.statusCode, 200, res.body);
    }

    async function check(card: unknown) {
      const res = await f.p.app.main.inject({
        method: 'POST',
        url: '/atw/api/links/check',
        payload: { link: `/atw/v3/${f.cardId}#Clip?cdata=${f.cdata(card)}` },
      });
      return {
        status: res.statusCode,
        body: res.json() as CheckBody,
        warnings: parseWarningHeader(res.headers[WARNING_HEADER.toLowerCase()] as string | undefined),
      };
    }

    for (const c of cases) {
      test(`accepts ${c.name} with exactly its warnings, and refuses it with INVALID_CARD in strict mode`, async () => {
        const card = c.card();
        const ok = await check(card);
        assert.equal(ok.status, 200, JSON.stringify(ok.body));
        assert.deepEqual(
          ok.warnings.map((w) => [w.code, w.field]),
          c.warnings,
        );
        assert.equal(ok.body.card?.subType, 'others');
        assert.ok(ok.body.barcodes?.[0], 'the barcode is drawn');

        await setStrict(true);
        try {
          const refused = await check(card);
          assert.equal(refused.status, 400, JSON.stringify(refused.body));
          assert.equal(refused.body.error?.reason, 'INVALID_CARD');
          assert.match(refused.body.error?.message ?? '', /strict mode/);
          assert.deepEqual(
            refused.body.error?.details?.map((d) => d.field),
            c.warnings.map(([, field]) => field),
          );
        } finally {
          await setStrict(false);
        }
      });
    }

    test('normalises what it accepted: the pass keeps the UUID refId and CODE_128, and Update Notification names it', async () => {
      const refId = randomUUID();
      const ok = await check(sampleCoupon({ refId }));
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.equal(ok.body.card?.data[0]?.refId, refId);
      assert.equal(ok.body.card?.data[0]?.attributes['barcode.ptSubFormat'], 'CODE_128');
      const added = await f.p.app.main.inject({
        method: 'POST',
        url: '/wallet/api/passes',
        headers: { authorization: `Bearer ${f.session.token}` },
        payload: { offerId: ok.body.offerId },
      });
      assert.equal(added.statusCode, 201, added.body);
      assert.equal(added.json().cards[0].refId, refId);

      // The partner then names that pass by its UUID in Update Notification.
      const path = `/wltex/cards/${f.cardId}/notification`;
      const notify = () =>
        f.p.app.main.inject({
          method: 'POST',
          url: path,
          headers: {
            authorization: `Bearer ${f.auth('POST', path)}`,
            'x-smcs-partner-id': f.partner.partnerId,
            'x-request-id': 'req-202303140003',
          },
          payload: { card: { type: 'coupon', data: [{ refId, state: 'REDEEMED' }] } },
        });
      await setStrict(true);
      try {
        const refused = await notify();
        assert.equal(refused.statusCode, 400, refused.body);
        assert.match(refused.body, /strict mode/);
      } finally {
        await setStrict(false);
      }
      const updated = await notify();
      assert.equal(updated.statusCode, 200, updated.body);
      assert.deepEqual(
        parseWarningHeader(updated.headers[WARNING_HEADER.toLowerCase()] as string).map((w) => [
          w.code,
          w.field,
        ]),
        [['REF_ID_TOO_LONG', 'card.data[0].refId']],
      );
    });

    test('sends no warning for a documented coupon', async () => {
      const ok = await check(
        sampleCoupon({
          refId: 'cpn-0009',
          card: { subType: 'others' },
          attributes: { 'barcode.ptSubFormat': 'CODE_128' },
        }),
      );
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.deepEqual(ok.warnings, []);
    });

    test('still refuses what would change meaning or cannot be stored', async () => {
      const long = await check(sampleCoupon({ refId: 'r'.repeat(65) }));
      assert.equal(long.status, 400);
      assert.equal(long.body.error?.reason, 'INVALID_CARD');
      const slash = await check(sampleCoupon({ refId: 'a/b' }));
      assert.equal(slash.body.error?.reason, 'INVALID_CARD');
      const unknownCode = await check(sampleCoupon({ attributes: { 'barcode.ptSubFormat': 'CODE129' } }));
      assert.equal(unknownCode.body.error?.reason, 'INVALID_CARD');
      const otherSubType = await check(sampleCoupon({ card: { subType: 'movies' } }));
      assert.equal(otherSubType.body.error?.reason, 'TYPE_MISMATCH');
    });
  });
}
