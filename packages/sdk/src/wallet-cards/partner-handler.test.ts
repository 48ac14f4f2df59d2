import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createAuthToken, verifyAuthToken } from '@cardport/jose';
import { dataFetchLink, dataTransmitLink, RECOMMENDED_TOKEN_LENGTH } from './cdata.ts';
import { type CardStateNotice, createPartnerCardHandler, partnerCardMiddleware } from './partner-handler.ts';
import { WalletServerClient, WalletServerError } from './server-client.ts';

const platform = generateKeyPairSync('rsa', { modulusLength: 2048 });
const partner = generateKeyPairSync('rsa', { modulusLength: 2048 });
const partnerId = '4048012345678901234';

describe('partner card handler (Get Card Data and Send Card State)', () => {
  let server: http.Server;
  let base: string;
  const notices: CardStateNotice[] = [];
  const cards = new Map<string, unknown>([['ref-1', { card: { type: 'ticket', data: [] } }]]);

  before(async () => {
    const handler = partnerCardMiddleware({
      partnerId,
      platformCertificate: platform.publicKey,
      getCardData: (_cardId, refId) => cards.get(refId) ?? null,
      onCardState: (n) => {
        notices.push(n);
      },
    });
    server = http.createServer((req, res) => void handler(req, res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  const call = (
    method: string,
    path: string,
    o: { token?: string; requestId?: string; body?: unknown } = {},
  ) =>
    fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${
          o.token ??
          createAuthToken({ method, path, partnerId, certificateId: 'Plat', privateKey: platform.privateKey })
        }`,
        ...(o.requestId ? { 'x-request-id': o.requestId } : {}),
        'content-type': 'application/json',
      },
      ...(o.body === undefined ? {} : { body: JSON.stringify(o.body) }),
    });

  test('answers Get Card Data with the card, and 204 for an unknown refId', async () => {
    const res = await call('GET', '/shop/cards/c1/ref-1');
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { card: { type: 'ticket', data: [] } });
    assert.equal((await call('GET', '/shop/cards/c1/ref-404')).status, 204);
  });

  test('hands Send Card State ADDED with cc2 and callback to the callback, once per request id', async () => {
    const path = '/shop/cards/c1/ref-1?cc2=KR&event=ADDED';
    const token = createAuthToken({
      method: 'POST',
      path,
      partnerId,
      certificateId: 'Plat',
      privateKey: platform.privateKey,
    });
    for (let i = 0; i < 2; i++) {
      const res = await call('POST', path, {
        token,
        requestId: 'a'.repeat(32),
        body: { callback: 'https://api.example' },
      });
      assert.equal(res.status, 200);
    }
    assert.deepEqual(notices, [
      {
        cardId: 'c1',
        refId: 'ref-1',
        cc2: 'KR',
        event: 'ADDED',
        callback: 'https://api.example',
        requestId: 'a'.repeat(32),
      },
    ]);
  });

  test('refuses a token bound to another path, a stale token and a token of another signer (401)', async () => {
    const other = createAuthToken({
      method: 'GET',
      path: '/shop/cards/c1/ref-2',
      partnerId,
      certificateId: 'P',
      privateKey: platform.privateKey,
    });
    assert.equal((await call('GET', '/shop/cards/c1/ref-1', { token: other })).status, 401);
    const stale = createAuthToken({
      method: 'GET',
      path: '/shop/cards/c1/ref-1',
      partnerId,
      certificateId: 'P',
      privateKey: platform.privateKey,
      now: () => Date.now() - 31_000,
    });
    assert.equal((await call('GET', '/shop/cards/c1/ref-1', { token: stale })).status, 401);
    const forged = createAuthToken({
      method: 'GET',
      path: '/shop/cards/c1/ref-1',
      partnerId,
      certificateId: 'P',
      privateKey: partner.privateKey,
    });
    assert.equal((await call('GET', '/shop/cards/c1/ref-1', { token: forged })).status, 401);
  });

  test('pins the platform certificate id when given: a token naming another certificate is refused', async () => {
    const rejected: string[] = [];
    const handler = createPartnerCardHandler({
      partnerId,
      platformCertificate: platform.publicKey,
      platformCertificateId: 'Plat',
      getCardData: () => ({ card: { type: 'ticket', data: [] } }),
      onCardState: () => {},
      onRejected: (reason) => rejected.push(reason),
    });
    const path = '/shop/cards/c1/ref-1';
    const tokenFor = (certificateId: string) =>
      `Bearer ${createAuthToken({ method: 'GET', path, partnerId, certificateId, privateKey: platform.privateKey })}`;
    const pinned = await handler({ method: 'GET', url: path, headers: { authorization: tokenFor('Plat') } });
    assert.equal(pinned?.status, 200);
    const other = await handler({ method: 'GET', url: path, headers: { authorization: tokenFor('Othr') } });
    assert.equal(other?.status, 401);
    assert.match(rejected.join('\n'), /certificateId/);
  });
});

describe('WalletServerClient', () => {
  test('binds each AUTH token to its own request path and sends the Samsung headers', async () => {
    const seen: { path: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        seen.push({ path: req.url ?? '', headers: req.headers, body });
        res
          .writeHead(req.url?.includes('cancellation') ? 401 : 200)
          .end(req.url?.includes('cancellation') ? '{"error":{"message":"AUTH token expired"}}' : '');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const client = new WalletServerClient({
        callback: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`,
        partnerId,
        certificateId: 'YMtt',
        partnerKey: partner.privateKey,
      });
      const out = await client.notifyUpdate('card1', 'KR', {
        type: 'ticket',
        data: [{ refId: 'r1', state: 'UPDATED' }],
      });
      assert.equal(out.status, 200);
      const [first] = seen;
      assert.equal(first?.path, '/api/KR/wltex/cards/card1/notification');
      assert.equal(first?.headers['x-smcs-partner-id'], partnerId);
      assert.match(String(first?.headers['x-request-id']), /^[0-9a-f]{32}$/);
      await verifyAuthToken(String(first?.headers.authorization), {
        resolveKey: partner.publicKey,
        method: 'POST',
        path: '/api/KR/wltex/cards/card1/notification',
      });
      await assert.rejects(
        client.notifyCancel('card1', 'KR', { type: 'ticket', data: [{ eventId: 'e1', state: 'CANCELED' }] }),
        (err) => err instanceof WalletServerError && err.status === 401 && /expired/.test(err.message),
      );
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});

describe('Add to Wallet links', () => {
  test('builds every link form', () => {
    assert.equal(
      dataTransmitLink({ cardId: 'c1', cdata: 'a.b.c' }),
      'https://a.swallet.link/atw/v3/c1#Clip?cdata=a.b.c',
    );
    assert.equal(
      dataTransmitLink({
        cardId: 'c1',
        cdata: 't',
        form: 'wlt',
        productId: 'p1',
        baseUrl: 'http://127.0.0.1:1/',
      }),
      'http://127.0.0.1:1/wlt/p1/c1#Clip?cdata=t',
    );
    assert.equal(
      dataFetchLink({ cardId: 'c1', refId: 'r 1', certificateId: 'YMtt' }),
      'https://a.swallet.link/atw/v3/YMtt/c1#Clip?pdata=r%201',
    );
    assert.equal(
      dataFetchLink({ cardId: 'c1', refId: 'r1' }),
      'https://a.swallet.link/atw/v1/c1#Clip?pdata=r1',
    );
  });

  test('warns past the recommended length, or switches to a pdata link when asked', () => {
    const long = 'x'.repeat(RECOMMENDED_TOKEN_LENGTH + 1);
    const warnings: string[] = [];
    dataTransmitLink({ cardId: 'c1', cdata: long, onWarning: (m) => warnings.push(m) });
    assert.equal(warnings.length, 1);
    assert.equal(
      dataTransmitLink({
        cardId: 'c1',
        cdata: long,
        whenTooLong: 'pdata',
        refId: 'r1',
        certificateId: 'YMtt',
      }),
      'https://a.swallet.link/atw/v3/YMtt/c1#Clip?pdata=r1',
    );
  });
});
