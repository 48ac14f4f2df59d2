// The edge of every API family (issue 9): text no field accepts, router errors, unknown paths,
// refused bodies and content types all answer 4xx in the format of the family owning the path.
import assert from 'node:assert/strict';
import https from 'node:https';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { testDbKinds } from './core/test-kit.ts';
import { domains } from './domains.ts';
import { partnersModule } from './partners/module.ts';
import { newRequestId, validRegistration } from './save-to-pay/test-support.ts';
import {
  onboardTestPartner,
  startTestPlatform,
  TEST_ADMIN_TOKEN,
  type TestPartner,
  type TestPlatform,
} from './testing/index.ts';
import { signUp } from './wallet/service.ts';
import { createTransactionBody, onboardCheckoutPartner, sdkFormBody } from './web-checkout/test-support.ts';

const admin = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };

interface Answer {
  status: number;
  type: string;
  body: string;
}

/** One request over mutual TLS with the partner's certificate, any body and content type. */
function s2p(
  port: number,
  partner: TestPartner,
  req: {
    method?: string;
    path: string;
    body?: string | Buffer;
    type?: string;
    headers?: Record<string, string>;
  },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const r = https.request(
      {
        host: '127.0.0.1',
        port,
        path: req.path,
        method: req.method ?? 'POST',
        ca: partner.caCertificatePem,
        cert: partner.clientCertificatePem,
        key: partner.clientKeyPem,
        agent: false,
        headers: {
          'Request-Id': newRequestId(),
          'Partner-Id': partner.partnerId,
          ...(req.type ? { 'content-type': req.type } : {}),
          ...(req.headers ?? {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            type: String(res.headers['content-type'] ?? ''),
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    r.on('error', reject);
    r.end(req.body);
  });
}

/** Raw bytes on a plain socket: for requests no HTTP client sends (431, bad URLs). */
function raw(url: string, request: string): Promise<Answer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(request));
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', body = ''] = text.split('\r\n\r\n');
      resolve({
        status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0),
        type: /content-type: ([^\r\n]+)/i.exec(head)?.[1] ?? '',
        body,
      });
    });
  });
}

const envelope = (a: Answer, status: number, code?: string) => {
  assert.equal(a.status, status, a.body);
  assert.match(a.type, /application\/json/);
  const body = JSON.parse(a.body) as { error: { code: string; message: string } };
  assert.equal(typeof body.error.message, 'string');
  if (code) assert.equal(body.error.code, code);
};
const opsResult = (a: Answer, status: number, resultCode = 'OPM1N1003') => {
  assert.equal(a.status, status, a.body);
  const body = JSON.parse(a.body) as { resultCode: string; resultMessage: string };
  assert.equal(body.resultCode, resultCode);
  assert.equal(typeof body.resultMessage, 'string');
};
const s2pResult = (a: Answer, status: number, code: string) => {
  assert.equal(a.status, status, a.body);
  const body = JSON.parse(a.body) as { code: string; message: string };
  assert.equal(body.code, code);
  assert.equal(typeof body.message, 'string');
};
const checkoutPage = (a: Answer, status: number) => {
  assert.equal(a.status, status, a.body);
  assert.match(a.type, /text\/html/);
  assert.match(a.body, /data-testid="checkout-failure"/);
};

for (const kind of testDbKinds()) {
  describe(`the edge of every API family on ${kind.name}`, () => {
    let platform: TestPlatform;
    let partner: TestPartner;
    let urls: { url: string; mtlsPort: number };
    const main = async (opts: {
      method?: string;
      url: string;
      payload?: unknown;
      headers?: Record<string, string>;
    }): Promise<Answer> => {
      const res = await platform.app.main.inject({
        method: (opts.method ?? 'GET') as 'GET',
        url: opts.url,
        ...(opts.payload !== undefined ? { payload: opts.payload as string } : {}),
        ...(opts.headers ? { headers: opts.headers } : {}),
      });
      return { status: res.statusCode, type: String(res.headers['content-type'] ?? ''), body: res.body };
    };

    before(async () => {
      platform = await startTestPlatform({ kind, modules: domains.filter((m) => m !== partnersModule) });
      urls = await platform.listen();
      partner = await onboardTestPartner(platform, { name: 'Edge Bank' });
    });
    after(() => platform.close());

    describe('refuses NUL, lone surrogates and noncharacters with a 400 in the family format', () => {
      it('in an ATW offer id', async () =>
        envelope(await main({ url: '/atw/api/offers/%00' }), 400, 'INVALID_INPUT'));

      it('in a Web Checkout referenceId and serviceId', async () => {
        opsResult(await main({ url: '/ops/v1/transactions/paymentCredentials/%00?serviceId=abc' }), 400);
        opsResult(await main({ url: '/ops/v1/transactions/paymentCredentials/abc?serviceId=%00' }), 400);
      });

      it('in a transaction body', async () => {
        const a = await main({
          method: 'POST',
          url: '/ops/v1/transactions',
          headers: { 'content-type': 'application/json' },
          payload: JSON.stringify({
            callback: 'https://shop.example/',
            paymentDetails: { orderNumber: 'a\u0000' },
          }),
        });
        opsResult(a, 400);
        assert.match(a.body, /paymentDetails\.orderNumber/);
      });

      it('in a checkout form field, encoded once or twice, answered with the checkout error page', async () => {
        const shop = await onboardCheckoutPartner(platform);
        const createdRes = await main({
          method: 'POST',
          url: '/ops/v1/transactions',
          headers: { 'content-type': 'application/json' },
          payload: JSON.stringify(createTransactionBody(shop.service.serviceId)),
        });
        const created = JSON.parse(createdRes.body) as {
          id: string;
          href: string;
          encInfo: { mod: string; exp: string; keyId: string };
        };
        const form = (keyId: string) =>
          sdkFormBody({
            transactionId: created.id,
            href: created.href,
            serviceId: shop.service.serviceId,
            callbackUrl: 'https://shop.example/checkout/done?order=42',
            cancelUrl: 'https://shop.example/cart',
            countryCode: 'us',
            ...created.encInfo,
            keyId,
          });
        const post = (payload: string) =>
          main({
            method: 'POST',
            url: '/gsmpi/pc_gsmpi/index.do',
            headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://shop.example' },
            payload,
          });
        // As the SDK encodes (twice), and with the NUL encoded once at the form level.
        checkoutPage(await post(form('\u0000')), 400);
        checkoutPage(await post(form('k').replace(/keyId=[^&]*/, 'keyId=%00')), 400);
      });

      it('in wallet paths and an admin partner name', async () => {
        envelope(await main({ method: 'DELETE', url: '/wallet/api/passes/%00' }), 400, 'INVALID_INPUT');
        envelope(
          await main({
            method: 'POST',
            url: '/admin/v1/partners',
            headers: { ...admin, 'content-type': 'application/json' },
            payload: JSON.stringify({ name: '\u0000' }),
          }),
          400,
          'INVALID_INPUT',
        );
        envelope(
          await main({
            method: 'POST',
            url: '/admin/v1/partners',
            headers: { ...admin, 'content-type': 'application/json' },
            payload: '{"name":"a\\udfffb"}',
          }),
          400,
          'INVALID_INPUT',
        );
      });

      it('in an S2P registration over mutual TLS', async () => {
        const body = JSON.stringify({
          ...validRegistration,
          custom: { ...validRegistration.custom, partnerName: 'x' },
        });
        const a = await s2p(urls.mtlsPort, partner, {
          path: '/ext/v1/registrations',
          type: 'application/json',
          body: body.replace('"partnerName":"x"', '"partnerName":"\\udfff"'),
        });
        s2pResult(a, 400, '400.1');
        assert.match(a.body, /custom\.partnerName/);
        s2pResult(
          await s2p(urls.mtlsPort, partner, { method: 'GET', path: '/ext/v1/registrations/%00' }),
          400,
          '400.1',
        );
      });

      it('keeps accepting paired surrogates (emoji) and ordinary text', async () => {
        const a = await main({
          method: 'POST',
          url: '/admin/v1/partners',
          headers: { ...admin, 'content-type': 'application/json' },
          payload: JSON.stringify({ name: 'Bank 😀' }),
        });
        assert.notEqual(a.status, 500);
        assert.doesNotMatch(a.body, /invalid text/);
      });
    });

    describe('router errors and unknown paths answer in the family format', () => {
      it('a bad percent-encoding in the path', async () => {
        opsResult(
          await raw(
            urls.url,
            'GET /ops/v1/transactions/paymentCredentials/%E0%A4%A HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
          ),
          400,
        );
        envelope(
          await raw(
            urls.url,
            'GET /atw/api/offers/%E0%A4%A HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
          ),
          400,
          'INVALID_INPUT',
        );
      });

      it('a path parameter over the router limit', async () => {
        opsResult(
          await main({ url: `/ops/v1/transactions/paymentCredentials/${'a'.repeat(300)}?serviceId=x` }),
          414,
        );
        envelope(await main({ url: `/atw/api/offers/${'a'.repeat(300)}` }), 414, 'INVALID_INPUT');
        s2pResult(
          await s2p(urls.mtlsPort, partner, {
            method: 'GET',
            path: `/ext/v1/registrations/${'a'.repeat(300)}`,
          }),
          414,
          '414.1',
        );
      });

      it('headers over the size limit (431)', async () => {
        const big = `X-Big: ${'a'.repeat(20_000)}\r\n`;
        opsResult(await raw(urls.url, `POST /ops/v1/transactions HTTP/1.1\r\nHost: x\r\n${big}\r\n`), 431);
        envelope(await raw(urls.url, `GET /wallet/api/passes HTTP/1.1\r\nHost: x\r\n${big}\r\n`), 431);
      });

      it('a HEAD request over the header limit gets a 431 head without a body', async () => {
        const big = `X-Big: ${'a'.repeat(20_000)}\r\n`;
        const a = await raw(urls.url, `HEAD /ops/v1/internal/health HTTP/1.1\r\nHost: x\r\n${big}\r\n`);
        assert.equal(a.status, 431);
        assert.equal(a.body, '');
      });

      it('an empty registration id on the wallet API (found by the fuzzer)', async () => {
        const user = await signUp(platform.db, platform.clock, { email: 'edge-empty@example.com' });
        envelope(
          await main({
            method: 'POST',
            url: '/wallet/api/s2p/registrations//provision',
            headers: { authorization: `Bearer ${user.token}` },
          }),
          400,
          'INVALID_INPUT',
        );
      });

      it('unknown paths under /ops/v1 and /gsmpi', async () => {
        opsResult(await main({ url: '/ops/v1/nothing-here' }), 404);
        checkoutPage(await main({ url: '/gsmpi/nothing-here' }), 404);
        envelope(await main({ url: '/gsmpi/api/nothing-here' }), 404, 'NOT_FOUND');
        s2pResult(
          await s2p(urls.mtlsPort, partner, { method: 'GET', path: '/ext/v1/nothing' }),
          404,
          '404.1',
        );
      });
    });

    describe('refused bodies and content types answer in the family format', () => {
      it('S2P 413 and 415', async () => {
        s2pResult(
          await s2p(urls.mtlsPort, partner, {
            path: '/ext/v1/registrations',
            type: 'application/json',
            body: `{"email":"${'a'.repeat(1_100_000)}"}`,
          }),
          413,
          '413.1',
        );
        s2pResult(
          await s2p(urls.mtlsPort, partner, {
            path: '/ext/v1/registrations',
            type: 'text/plain',
            body: 'hello',
          }),
          415,
          '415.1',
        );
      });

      it('a checkout form over the body limit gets the checkout error page (413)', async () => {
        checkoutPage(
          await main({
            method: 'POST',
            url: '/gsmpi/pc_gsmpi/index.do',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            payload: `keyId=${'a'.repeat(1_100_000)}`,
          }),
          413,
        );
      });

      it('JSON APIs refuse urlencoded forms with 415', async () => {
        const form = { 'content-type': 'application/x-www-form-urlencoded' };
        opsResult(
          await main({ method: 'POST', url: '/ops/v1/transactions', headers: form, payload: 'a=b' }),
          415,
        );
        envelope(
          await main({ method: 'POST', url: '/wallet/api/passes', headers: form, payload: 'offerId=x' }),
          415,
        );
        envelope(
          await main({ method: 'POST', url: '/atw/api/links/check', headers: form, payload: 'link=x' }),
          415,
        );
        envelope(
          await main({
            method: 'POST',
            url: '/admin/v1/partners',
            headers: { ...form, ...admin },
            payload: 'name=x',
          }),
          415,
        );
      });
    });
  });
}
