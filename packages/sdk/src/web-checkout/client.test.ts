import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { WebCheckoutApiError, WebCheckoutClient } from './client.ts';

// A real local server standing in for the service: it records requests and answers what a test
// sets. (The client against the real platform is in tests/interop/web-checkout.test.ts.)
describe('WebCheckoutClient', () => {
  let server: http.Server;
  let baseUrl: string;
  let answer: { status: number; body: unknown } = { status: 200, body: {} };
  const seen: { method: string; url: string; body: string }[] = [];

  before(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString();
      });
      req.on('end', () => {
        seen.push({ method: req.method ?? '', url: req.url ?? '', body });
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sends the create-transaction body of PROTOCOLS.md 4.1 with its serviceId', async () => {
    answer = {
      status: 200,
      body: {
        resultCode: '0',
        resultMessage: 'SUCCESS',
        id: 'a'.repeat(22),
        href: 'https://x.example/gsmpi/',
        encInfo: { mod: 'ab', exp: '10001', keyId: 'k' },
      },
    };
    const client = new WebCheckoutClient({ baseUrl, serviceId: 'svc1' });
    const t = await client.transactions.create({
      callback: 'https://shop.example/cb',
      orderNumber: 'o1',
      amount: { total: '12.30', currency: 'EUR' },
      merchant: { name: 'Shop' },
      allowedBrands: ['VI'],
    });
    assert.equal(t.encInfo.keyId, 'k');
    const request = seen.at(-1);
    assert.equal(request?.method, 'POST');
    assert.equal(request?.url, '/ops/v1/transactions');
    const body = JSON.parse(request?.body ?? '{}');
    assert.deepEqual(body.paymentDetails.service, { id: 'svc1' });
    assert.deepEqual(body.paymentDetails.protocol, { type: '3DS', version: '80' });
    assert.equal(body.paymentDetails.amount.total, '12.30');
  });

  it('turns a {resultCode} error body into a typed WebCheckoutApiError', async () => {
    answer = { status: 404, body: { resultCode: 'OPM1N1035', resultMessage: 'Service does not exist' } };
    const client = new WebCheckoutClient({ baseUrl, serviceId: 'svc' });
    await assert.rejects(client.credentials.retrieve('ref'), (e: unknown) => {
      assert.ok(e instanceof WebCheckoutApiError);
      assert.equal(e.status, 404);
      assert.equal(e.resultCode, 'OPM1N1035');
      assert.equal(e.documented, true);
      return true;
    });
    assert.equal(seen.at(-1)?.url, '/ops/v1/transactions/paymentCredentials/ref?serviceId=svc');
  });

  it("uses Samsung's hosts for environment, and needs a host and a serviceId", () => {
    assert.equal(
      new WebCheckoutClient({ environment: 'staging', serviceId: 's' }).baseUrl,
      'https://api-ops.stg.mpay.samsung.com',
    );
    assert.equal(
      new WebCheckoutClient({ environment: 'production', serviceId: 's' }).baseUrl,
      'https://api-ops.mpay.samsung.com',
    );
    assert.throws(() => new WebCheckoutClient({ serviceId: 'svc' }), TypeError);
    assert.throws(() => new WebCheckoutClient({ baseUrl: 'http://x', serviceId: '' }), TypeError);
  });
});
