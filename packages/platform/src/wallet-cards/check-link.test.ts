import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createCdata } from '@cardport/jose';
import { testDbKinds } from '../core/test-kit.ts';
import { onboardTestPartner, type TestPartner } from '../testing/index.ts';
import { type AtwFixture, innerJwe, signRaw, startAtwFixture, ticketCard } from './test-support.ts';

interface CheckBody {
  offerId?: string;
  previewHtml?: string;
  card?: { data: unknown[] };
  error?: { code: string; reason: string; message: string; details?: { field: string; reason: string }[] };
}

for (const kind of testDbKinds()) {
  describe(`checking Add to Wallet links (${kind.name})`, () => {
    let f: AtwFixture;
    let other: TestPartner;

    before(async () => {
      f = await startAtwFixture(kind);
      other = await onboardTestPartner(f.p, { name: 'Other partner' });
    });
    after(async () => {
      await f.close();
    });

    const check = async (link: string, languages?: string[]) => {
      const res = await f.p.app.main.inject({
        method: 'POST',
        url: '/atw/api/links/check',
        payload: { link, ...(languages ? { languages } : {}) },
      });
      return { status: res.statusCode, body: res.json() as CheckBody };
    };
    const cdataLink = (token: string, cardId = f.cardId) => `/atw/v3/${cardId}#Clip?cdata=${token}`;
    const refused = async (link: string, status: number, reason: string) => {
      const res = await check(link);
      assert.equal(res.status, status, JSON.stringify(res.body));
      assert.equal(res.body.error?.reason, reason, JSON.stringify(res.body));
      assert.ok(
        !JSON.stringify(res.body).includes(link.split('cdata=')[1] ?? '\u0000'),
        'no token in the error',
      );
      return res.body.error;
    };
    /** A token with the valid JWE but a header of our choosing, signed with the partner key. */
    const withHeader = (patch: Record<string, unknown>) => {
      const valid = f.cdata(ticketCard());
      const header = {
        alg: 'RS256',
        cty: 'CARD',
        ver: '3',
        certificateId: f.partner.certificateId,
        partnerId: f.partner.partnerId,
        utc: f.p.clock.now(),
        ...patch,
      };
      return signRaw(header, innerJwe(valid), f.partnerKey);
    };

    test('accepts a valid cdata link on every path form and shows a localized preview', async () => {
      for (const link of [
        `/atw/v1/${f.cardId}#Clip?cdata=${f.cdata(ticketCard())}`,
        `/atw/v3/${f.cardId}#Clip?cdata=${f.cdata(ticketCard())}`,
        `/wlt/product1/${f.cardId}#Clip?cdata=${f.cdata(ticketCard())}`,
      ]) {
        const res = await check(link);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.ok(res.body.offerId);
        assert.match(res.body.previewHtml ?? '', /Parasite/);
        assert.match(res.body.previewHtml ?? '', /data:image\/svg\+xml;base64/, 'the QR code is rendered');
      }
      const ko = await check(cdataLink(f.cdata(ticketCard())), ['ko-KR', 'en']);
      assert.match(ko.body.previewHtml ?? '', /기생충/);
    });

    test('keeps the offers of concurrent checks with fewer statements than checks, each offer its own', async () => {
      const db = f.p.db as { query: typeof f.p.db.query };
      const query = db.query;
      let offerInserts = 0;
      db.query = ((sql: string, params?: readonly unknown[]) => {
        if (/^INSERT INTO wallet_card_offers/.test(sql)) offerInserts++;
        return query(sql, params);
      }) as typeof f.p.db.query;
      try {
        const results = await Promise.all(
          Array.from({ length: 12 }, () => check(cdataLink(f.cdata(ticketCard())))),
        );
        assert.deepEqual(
          results.map((r) => r.status),
          Array(12).fill(200),
        );
        const ids = results.map((r) => r.body.offerId ?? '');
        assert.equal(new Set(ids).size, 12);
        const stored = await f.p.db.query(
          'SELECT offer_id FROM wallet_card_offers WHERE offer_id = ANY($1)',
          [ids],
        );
        assert.equal(stored.length, 12, 'every answered offer is stored');
        assert.ok(offerInserts < 12, `${offerInserts} INSERTs for 12 checks`);
      } finally {
        db.query = query;
      }
    });

    test('refuses an unknown card id', async () => {
      await refused(cdataLink(f.cdata(ticketCard()), 'nosuchcard123'), 404, 'UNKNOWN_CARD');
    });

    test('refuses a card of another partner', async () => {
      const token = f.cdata(ticketCard(), { partner: other });
      await refused(cdataLink(token), 403, 'CARD_OF_ANOTHER_PARTNER');
    });

    test('refuses a token older than 30 s by its utc', async () => {
      const token = f.cdata(ticketCard(), { now: f.p.clock.now() - 30_001 });
      await refused(cdataLink(token), 400, 'TOKEN_EXPIRED');
    });

    test('accepts a token 29 s old', async () => {
      const token = f.cdata(ticketCard(), { now: f.p.clock.now() - 29_000 });
      assert.equal((await check(cdataLink(token))).status, 200);
    });

    test('refuses a token from the future', async () => {
      const token = f.cdata(ticketCard(), { now: f.p.clock.now() + 60_000 });
      await refused(cdataLink(token), 400, 'TOKEN_FROM_FUTURE');
    });

    test('refuses a bad signature', async () => {
      const token = f.cdata(ticketCard());
      const [h, p, s = ''] = token.split('.');
      const flipped = `${s.slice(0, 10)}${s[10] === 'A' ? 'B' : 'A'}${s.slice(11)}`;
      await refused(cdataLink(`${h}.${p}.${flipped}`), 400, 'BAD_SIGNATURE');
      // Signed by another key than the certificate the header names.
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const forged = signRaw(
        {
          alg: 'RS256',
          cty: 'CARD',
          ver: '3',
          certificateId: f.partner.certificateId,
          partnerId: f.partner.partnerId,
          utc: f.p.clock.now(),
        },
        innerJwe(token),
        privateKey,
      );
      await refused(cdataLink(forged), 400, 'BAD_SIGNATURE');
    });

    test('refuses alg none and HS256 keyed with the public key', async () => {
      const jwe = innerJwe(f.cdata(ticketCard()));
      const header = {
        cty: 'CARD',
        ver: '3',
        certificateId: f.partner.certificateId,
        partnerId: f.partner.partnerId,
        utc: f.p.clock.now(),
      };
      const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
      const none = `${b64({ alg: 'none', ...header })}.${Buffer.from(jwe).toString('base64url')}.`;
      await refused(cdataLink(none), 400, 'ALG_NOT_ALLOWED');
      const { createHmac } = await import('node:crypto');
      const input = `${b64({ alg: 'HS256', ...header })}.${Buffer.from(jwe).toString('base64url')}`;
      const mac = createHmac('sha256', f.partner.clientCertificatePem).update(input).digest('base64url');
      await refused(cdataLink(`${input}.${mac}`), 400, 'ALG_NOT_ALLOWED');
    });

    test('refuses a wrong cty', async () => {
      await refused(cdataLink(withHeader({ cty: 'AUTH' })), 400, 'WRONG_CTY');
    });

    test('refuses a wrong ver', async () => {
      await refused(cdataLink(withHeader({ ver: '2' })), 400, 'WRONG_VER');
    });

    test('refuses a partnerId that is no partner', async () => {
      await refused(cdataLink(withHeader({ partnerId: '4040404040404040404' })), 400, 'WRONG_PARTNER_ID');
    });

    test('refuses a wrong certificateId', async () => {
      await refused(cdataLink(withHeader({ certificateId: 'ZZZZ' })), 400, 'WRONG_CERTIFICATE_ID');
      await refused(
        cdataLink(withHeader({ certificateId: other.certificateId })),
        400,
        'WRONG_CERTIFICATE_ID',
      );
    });

    test('refuses cdata it cannot decrypt (encrypted to another key)', async () => {
      const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const token = createCdata(ticketCard(), {
        partnerId: f.partner.partnerId,
        certificateId: f.partner.certificateId,
        partnerKey: f.partnerKey,
        platformPublicKey: publicKey,
        now: () => f.p.clock.now(),
      });
      await refused(cdataLink(token), 400, 'CANNOT_DECRYPT');
    });

    test('refuses an invalid card object, naming the field and why', async () => {
      const card = ticketCard(2);
      delete (card.card.data[1] as Record<string, unknown>)['refId'];
      const missing = await refused(cdataLink(f.cdata(card)), 400, 'INVALID_CARD');
      assert.deepEqual(missing?.details, [{ field: 'card.data[1].refId', reason: 'required' }]);
      const colour = await refused(
        cdataLink(f.cdata(ticketCard(1, { bgColor: 'red' }))),
        400,
        'INVALID_CARD',
      );
      assert.deepEqual(
        colour?.details?.map((d) => d.field),
        ['card.data[0].attributes.bgColor'],
      );
      assert.match(colour?.message ?? '', /bgColor/);
    });

    test('refuses more than 10 data objects', async () => {
      await refused(cdataLink(f.cdata(ticketCard(11))), 400, 'TOO_MANY_DATA');
      assert.equal((await check(cdataLink(f.cdata(ticketCard(10))))).status, 200);
    });

    test('refuses a type or subType that is not the card registration', async () => {
      const card = ticketCard();
      await refused(cdataLink(f.cdata({ card: { ...card.card, subType: 'sports' } })), 400, 'TYPE_MISMATCH');
      await refused(
        cdataLink(f.cdata({ card: { ...card.card, type: 'coupon', subType: 'others' } })),
        400,
        'TYPE_MISMATCH',
      );
    });

    test('refuses a malformed token', async () => {
      await refused(cdataLink('not-a-token'), 400, 'MALFORMED_TOKEN');
    });

    test('the landing page of every link form is served without the fragment and with a strict CSP', async () => {
      for (const path of [
        `/atw/v1/${f.cardId}`,
        `/atw/v3/${f.cardId}`,
        `/atw/v3/YMtt/${f.cardId}`,
        `/wlt/p1/${f.cardId}`,
      ]) {
        const res = await f.p.app.main.inject({ method: 'GET', url: path });
        assert.equal(res.statusCode, 200, path);
        assert.match(res.headers['content-security-policy'] as string, /script-src 'self'/);
        assert.match(res.body, /\/atw\/assets\/landing\.js/);
      }
    });
  });
}
