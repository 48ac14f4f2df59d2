// The SDK's shared behaviour against real HTTP servers: unknown options refused at construction,
// retries with the same request id (reads after 5xx, every call after 503 with Retry-After),
// no retry of a write the service does not deduplicate, one error base class with status, family
// code and request id, and the platform's Cardport-Warning header surfaced to onWarning and on
// results.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { CardportApiError, type CardportWarning, parseCardportWarnings } from './common.ts';
import { SaveToPayClient } from './save-to-pay/client.ts';
import { WalletServerClient, WalletServerError } from './wallet-cards/server-client.ts';
import { WebCheckoutApiError, WebCheckoutClient } from './web-checkout/client.ts';

const warning: CardportWarning = {
  code: 'UNDOCUMENTED_FIELD',
  field: 'paymentDetails.extra',
  sent: 'x',
  documented: 'not in the documented request',
};

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, n: number) => void;

describe('the SDK transport against a real server', () => {
  let server: http.Server;
  let base: string;
  let handler: Handler = () => {};
  let seen: { method: string; url: string }[] = [];

  before(async () => {
    server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        seen.push({ method: req.method ?? '', url: req.url ?? '' });
        handler(req, res, seen.length);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const reset = (h: Handler) => {
    seen = [];
    handler = h;
  };

  it('refuses unknown options at construction, naming them', () => {
    assert.throws(
      () => new WebCheckoutClient({ baseUrl: base, serviceId: 's', timeout: 5 } as never),
      /WebCheckoutClient: unknown option timeout/,
    );
    assert.throws(
      () => new SaveToPayClient({ partnerId: 'p', tls: { cert: 'c', key: 'k' }, retries: 3 } as never),
      /SaveToPayClient: unknown option retries/,
    );
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    assert.throws(
      () =>
        new WalletServerClient({
          baseUrl: base,
          partnerId: 'p',
          certificateId: 'c',
          partnerKey: privateKey,
          callbackUrl: 'x',
        } as never),
      /WalletServerClient: unknown option callbackUrl/,
    );
  });

  it('knows the sandbox, staging and production hosts, and refuses another environment', () => {
    assert.equal(
      new WebCheckoutClient({ environment: 'sandbox', serviceId: 's' }).baseUrl,
      'http://127.0.0.1:8080',
    );
    assert.equal(
      new WebCheckoutClient({ environment: 'production', serviceId: 's' }).baseUrl,
      'https://api-ops.mpay.samsung.com',
    );
    assert.throws(
      () => new WebCheckoutClient({ environment: 'prod' as never, serviceId: 's' }),
      /unknown environment prod/,
    );
  });

  it('retries a read after a 503 with Retry-After and after a 500, then returns it with the warnings', async () => {
    reset((_req, res, n) => {
      if (n === 1) {
        res.writeHead(503, { 'retry-after': '0', 'content-type': 'application/json' });
        res.end('{"resultCode":"OPM1N9999","resultMessage":"busy"}');
      } else if (n === 2) {
        res.writeHead(500).end();
      } else {
        res.writeHead(200, {
          'content-type': 'application/json',
          'cardport-warning': JSON.stringify([warning]),
        });
        res.end(
          JSON.stringify({
            resultCode: '0',
            resultMessage: 'SUCCESS',
            method: '3DS',
            card_brand: 'MC',
            card_last4digits: '1234',
            '3DS': { type: 'S', version: '100', data: 'jwe' },
          }),
        );
      }
    });
    const heard: CardportWarning[][] = [];
    const client = new WebCheckoutClient({
      baseUrl: base,
      serviceId: 'svc',
      onWarning: (w) => heard.push(w),
    });
    const answer = await client.credentials.retrieve('ref-1');
    assert.equal(seen.length, 3);
    assert.ok(seen.every((s) => s.url === '/ops/v1/transactions/paymentCredentials/ref-1?serviceId=svc'));
    assert.equal(answer.card_last4digits, '1234');
    assert.deepEqual(answer.warnings, [warning]);
    assert.deepEqual(heard, [[warning]]);
    // The warnings stay off the wire value.
    assert.equal(Object.keys(answer).includes('warnings'), false);
  });

  it('does not send a transaction again after a 500, and throws the family error with status, code and request id', async () => {
    reset((_req, res) => {
      res.writeHead(500, {
        'content-type': 'application/json',
        'cardport-warning': JSON.stringify([warning]),
      });
      res.end('{"resultCode":"OPM1N1000","resultMessage":"internal"}');
    });
    const client = new WebCheckoutClient({ baseUrl: base, serviceId: 'svc' });
    await assert.rejects(
      client.transactions.create({
        callback: 'https://shop.example/done',
        orderNumber: 'o-1',
        amount: { total: '1.00', currency: 'USD' },
        merchant: { name: 'Shop' },
        allowedBrands: ['VI'],
      }),
      (err: unknown) => {
        assert.ok(err instanceof WebCheckoutApiError);
        assert.ok(err instanceof CardportApiError);
        assert.equal(err.status, 500);
        assert.equal(err.code, 'OPM1N1000');
        assert.match(err.requestId, /^[0-9a-f-]{36}$/);
        assert.deepEqual(err.warnings, [warning]);
        return true;
      },
    );
    assert.equal(seen.length, 1);
  });

  it('gives up on an unreachable host with NETWORK_ERROR and status 0', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const client = new WebCheckoutClient({
      baseUrl: `http://127.0.0.1:${port}`,
      serviceId: 'svc',
      maxRetries: 1,
    });
    await assert.rejects(client.credentials.retrieve('ref-1'), (err: unknown) => {
      assert.ok(err instanceof CardportApiError);
      assert.equal(err.status, 0);
      assert.equal(err.code, 'NETWORK_ERROR');
      return true;
    });
  });

  it('sends a Server API notification again after a 503 with the same request id, and reports warnings on the outcome', async () => {
    const requestIds: string[] = [];
    reset((req, res, n) => {
      requestIds.push(String(req.headers['x-request-id']));
      if (n === 1) res.writeHead(503, { 'retry-after': '0' }).end();
      else res.writeHead(200, { 'cardport-warning': JSON.stringify([warning]) }).end();
    });
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const client = new WalletServerClient({
      baseUrl: base,
      partnerId: 'p1',
      certificateId: 'AbCd',
      partnerKey: privateKey,
    });
    const outcome = await client.notifyUpdate('card1', undefined, {
      type: 'ticket',
      data: [{ refId: 'r1', state: 'UPDATED' }],
    });
    assert.equal(outcome.status, 200);
    assert.deepEqual(outcome.warnings, [warning]);
    assert.equal(requestIds.length, 2);
    assert.equal(requestIds[0], requestIds[1]);
    assert.equal(requestIds[0], outcome.requestId);

    reset((_req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end('{"error":{"code":"UNAUTHORIZED","message":"bad token"}}');
    });
    await assert.rejects(
      client.notifyUpdate('card1', 'KR', { type: 'ticket', data: [{ refId: 'r1', state: 'UPDATED' }] }),
      (err: unknown) => {
        assert.ok(err instanceof WalletServerError);
        assert.ok(err instanceof CardportApiError);
        assert.equal(err.status, 401);
        assert.equal(err.code, 'UNAUTHORIZED');
        return true;
      },
    );
  });
});

describe('parseCardportWarnings', () => {
  it('reads the JSON array of the header and leaves out anything malformed', () => {
    assert.deepEqual(parseCardportWarnings(JSON.stringify([warning, { code: 1 }, null])), [warning]);
    assert.deepEqual(parseCardportWarnings('not json'), []);
    assert.deepEqual(parseCardportWarnings('{"code":"X"}'), []);
    assert.deepEqual(parseCardportWarnings(undefined), []);
    assert.deepEqual(parseCardportWarnings(JSON.stringify([{ ...warning, sent: null }])), [
      { ...warning, sent: null },
    ]);
  });
});
