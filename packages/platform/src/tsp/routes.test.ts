import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createIssuerBlob } from '@cardport/jose';
import type { FastifyInstance } from 'fastify';
import { createHttpApp } from '../core/http.ts';
import { ManualClock, silentLogger, type TestDb, testDbKinds, testKeyStore } from '../core/test-kit.ts';
import { domains } from '../domains.ts';
import { magicPans, testPans } from './card-numbers.ts';
import { addTestCard, mintCryptogram, tokenizeIssuerBlob } from './index.ts';
import { tspModule } from './module.ts';
import { registerTspRoutes } from './routes.ts';

it('is mounted by buildApp as a domain', () => {
  assert.ok(domains.includes(tspModule));
});

for (const kind of testDbKinds()) {
  describe(`token service routes on ${kind.name}`, () => {
    let t: TestDb;
    let app: FastifyInstance;
    const clock = new ManualClock(Date.UTC(2026, 3, 1));
    const keys = testKeyStore(clock);
    const deps = { keys, clock };

    before(async () => {
      t = await kind.open();
      app = createHttpApp({ logger: silentLogger });
      registerTspRoutes(app, { db: t.db, clock, keys });
      await app.ready();
    });
    after(async () => {
      await app.close();
      await t.dispose();
    });

    async function payment(pan?: string) {
      const w = { deviceId: `d-${Math.random()}`, walletId: `w-${Math.random()}` };
      const result = await addTestCard(t.db, deps, { ...w, brand: 'VI', ...(pan ? { pan } : {}) });
      assert.ok(result.ok);
      const c = await mintCryptogram(t.db, deps, {
        tokenRef: result.token.tokenRef,
        amountMinor: '2500',
        currency: 'EUR',
        merchantRef: 'shop-1',
        at: clock.now(),
      });
      return {
        tokenPan: c.tokenPan,
        tokenPanExpiration: c.tokenPanExpiration,
        cryptogram: c.cryptogram,
        amountMinor: '2500',
        currency: 'EUR',
        merchantRef: 'shop-1',
        utc: String(c.utc),
      };
    }

    it('serves the public key as PEM, and a blob encrypted to it tokenizes', async () => {
      const res = await app.inject({ method: 'GET', url: '/tsp/v1/public-key.pem' });
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /^application\/x-pem-file/);
      assert.match(res.body, /^-----BEGIN PUBLIC KEY-----/);
      const w = { deviceId: 'dev-http', walletId: 'wallet-http' };
      const issuerBlob = createIssuerBlob(
        { pan: '4012888888881881', expMonth: 4, expYear: 2031 },
        w,
        createPublicKey(res.body),
      );
      const result = await tokenizeIssuerBlob(t.db, deps, { issuerBlob, ...w, acceptOpaqueBlobs: false });
      assert.ok(result.ok);
      assert.equal(result.token.fundingLast4, '1881');
    });

    it('lists the documented test cards per brand', async () => {
      const res = await app.inject({ method: 'GET', url: '/tsp/v1/test-cards' });
      assert.equal(res.statusCode, 200);
      const body = res.json() as {
        brands: { brand: string; testPans: string[]; magicPans: Record<string, string> }[];
      };
      assert.deepEqual(
        body.brands.map((b) => b.brand),
        ['VI', 'MC', 'AX', 'DS'],
      );
      assert.deepEqual(body.brands[0]?.testPans, testPans.VI);
      assert.equal(body.brands[1]?.magicPans['TOKENIZATION_DECLINED'], magicPans.MC.TOKENIZATION_DECLINED);
    });

    it('validates a cryptogram for the acquirer once, then reports the replay', async () => {
      const body = await payment();
      const ok = await app.inject({ method: 'POST', url: '/tsp/v1/cryptograms/validate', payload: body });
      assert.equal(ok.statusCode, 200);
      assert.deepEqual(ok.json(), { valid: true, brand: 'VI', fundingLast4: '1111' });
      const replay = await app.inject({ method: 'POST', url: '/tsp/v1/cryptograms/validate', payload: body });
      assert.equal(replay.statusCode, 200);
      assert.deepEqual(replay.json(), {
        valid: false,
        reason: 'REPLAYED',
        message: 'the cryptogram has already been used',
        brand: 'VI',
        fundingLast4: '1111',
      });
    });

    it('answers a wrong amount with CRYPTOGRAM_MISMATCH and a magic PAN with a decline', async () => {
      const body = await payment();
      const wrong = await app.inject({
        method: 'POST',
        url: '/tsp/v1/cryptograms/validate',
        payload: { ...body, amountMinor: '2501' },
      });
      assert.equal(wrong.json().reason, 'CRYPTOGRAM_MISMATCH');
      const declined = await app.inject({
        method: 'POST',
        url: '/tsp/v1/cryptograms/validate',
        payload: await payment(magicPans.VI.PAYMENT_DECLINED),
      });
      assert.equal(declined.json().reason, 'DECLINED');
      assert.equal(declined.json().declineCode, 'DO_NOT_HONOR');
    });

    it('answers bad input with 400 naming the fields, without echoing the token PAN or cryptogram', async () => {
      const body = await payment();
      const bad = {
        ...body,
        tokenPan: `${body.tokenPan}x`,
        cryptogram: `${body.cryptogram}!`,
        tokenPanExpiration: '1399',
        amountMinor: 25,
        extra: true,
      };
      const res = await app.inject({ method: 'POST', url: '/tsp/v1/cryptograms/validate', payload: bad });
      assert.equal(res.statusCode, 400);
      const error = res.json().error as { code: string; details: { field: string }[] };
      assert.equal(error.code, 'INVALID_INPUT');
      assert.deepEqual(error.details.map((d) => d.field).sort(), [
        'amountMinor',
        'cryptogram',
        'extra',
        'tokenPan',
        'tokenPanExpiration',
      ]);
      assert.ok(!res.body.includes(body.tokenPan), 'token PAN echoed');
      assert.ok(!res.body.includes(body.cryptogram.slice(0, 12)), 'cryptogram echoed');

      const missing = await app.inject({ method: 'POST', url: '/tsp/v1/cryptograms/validate', payload: {} });
      assert.equal(missing.statusCode, 400);
      assert.ok((missing.json().error.details as { reason: string }[]).every((d) => d.reason === 'required'));

      const notJson = await app.inject({
        method: 'POST',
        url: '/tsp/v1/cryptograms/validate',
        headers: { 'content-type': 'application/json' },
        payload: '{"tokenPan":',
      });
      assert.equal(notJson.statusCode, 400);
      assert.equal(notJson.json().error.code, 'INVALID_INPUT');
    });

    it('documents its operations in the OpenAPI document under token-service', () => {
      // The document generated from the declared routes (@fastify/swagger on this listener).
      const doc = app.swagger() as unknown as { paths: Record<string, Record<string, { tags: string[] }>> };
      assert.deepEqual(doc.paths['/tsp/v1/public-key.pem']?.['get']?.tags, ['token-service']);
      assert.deepEqual(doc.paths['/tsp/v1/cryptograms/validate']?.['post']?.tags, ['token-service']);
      assert.deepEqual(doc.paths['/tsp/v1/test-cards']?.['get']?.tags, ['token-service']);
    });
  });
}
