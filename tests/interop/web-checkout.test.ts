// Web Checkout interop: what the platform mints decrypts with an independent implementation
// (Python `cryptography`, empty AAD) and with the SDK; the real vectors decrypt with both; the
// checkout UI accepts transactionId/serviceId encrypted by a plain RSA PKCS#1 v1.5 that is not
// ours; the SDK client and its health handler work against the platform (bidirectional check).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import {
  createHealthHandler,
  decryptCredentials,
  generateMerchantKey,
  WebCheckoutApiError,
  WebCheckoutClient,
} from '@cardport/sdk';
import { startTestPlatform, type TestPlatform } from '../support/browser.ts';

const vectors = (
  JSON.parse(
    readFileSync(new URL('../../../shared/vectors/web-checkout-credentials.json', import.meta.url), 'utf8'),
  ) as { vectors: { name: string; jwe: string; privateKeyPem: string; plaintext: string }[] }
).vectors;

// An independent decryptor: compact JWE, RSA1_5 key unwrap and AES-128-GCM with EMPTY AAD.
const pythonDecrypt = `
import base64, json, sys
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
job = json.load(sys.stdin)
def b64(s): return base64.urlsafe_b64decode(s + '=' * (-len(s) % 4))
key = serialization.load_pem_private_key(job['key'].encode(), password=None)
h, ek, iv, ct, tag = job['jwe'].split('.')
header = json.loads(b64(h))
assert header['alg'] == 'RSA1_5' and header['enc'] == 'A128GCM', header
cek = key.decrypt(b64(ek), padding.PKCS1v15())
plain = AESGCM(cek).decrypt(b64(iv), b64(ct) + b64(tag), b'')
print(json.dumps({'header': header, 'plaintext': plain.decode()}))
`;

// A plain RSA PKCS#1 v1.5 encryption that is not ours, from encInfo's modulus and exponent.
const pythonEncrypt = `
import json, sys
from cryptography.hazmat.primitives.asymmetric import padding, rsa
job = json.load(sys.stdin)
key = rsa.RSAPublicNumbers(int(job['exp'], 16), int(job['mod'], 16)).public_key()
print(json.dumps({k: key.encrypt(job[k].encode(), padding.PKCS1v15()).hex() for k in ('transactionId', 'serviceId')}))
`;

function python(script: string, input: unknown): unknown {
  const out = execFileSync('python3', ['-c', script], { input: JSON.stringify(input), encoding: 'utf8' });
  return JSON.parse(out);
}

describe('Web Checkout interop', () => {
  let platform: TestPlatform;
  let merchantKeyPem: string;
  let serviceId: string;
  let client: WebCheckoutClient;
  let partnerServer: http.Server;
  const email = 'interop@example.com';

  before(async () => {
    platform = await startTestPlatform();
    partnerServer = http.createServer((req, res) => {
      if (req.url === '/samsungpay/integration/health') void createHealthHandler(client)(req, res);
      else {
        res.statusCode = 404;
        res.end();
      }
    });
    await new Promise<void>((resolve) => partnerServer.listen(0, '127.0.0.1', resolve));
    const partnerUrl = `http://127.0.0.1:${(partnerServer.address() as AddressInfo).port}`;
    const partnerIdentity = await generateMerchantKey({ commonName: 'Interop PG' });
    const { partnerId } = await platform.admin<{ partnerId: string }>('POST', '/partners', {
      name: 'Interop PG',
      csrPem: partnerIdentity.csrPem,
    });
    const merchant = await generateMerchantKey({ commonName: 'Interop merchant' });
    merchantKeyPem = merchant.privateKeyPem;
    ({ serviceId } = await platform.admin<{ serviceId: string }>('POST', '/services', {
      partnerId,
      name: 'Interop checkout',
      csrPem: merchant.csrPem,
      domains: ['shop.example'],
      healthUrl: `${partnerUrl}/samsungpay/integration/health`,
    }));
    client = new WebCheckoutClient({ baseUrl: platform.url, serviceId });
    await platform.admin('POST', '/wallet/accounts', { email });
    await platform.admin('POST', '/web-checkout/test-cards', { account: email, brand: 'MC' });
  });
  after(async () => {
    await new Promise<void>((resolve) => partnerServer?.close(() => resolve()));
    await platform?.close();
  });

  async function approvedCredential(): Promise<{ referenceId: string; jwe: string }> {
    const t = await client.transactions.create({
      callback: 'https://shop.example/done',
      orderNumber: 'interop-1',
      amount: { total: '1060.00', currency: 'USD' },
      merchant: { name: 'Interop shop' },
      allowedBrands: ['MC'],
    });
    const answer = await platform.admin<{ referenceId: string }>('POST', '/web-checkout/approvals', {
      account: email,
      transactionId: t.id,
    });
    const response = await client.credentials.retrieve(answer.referenceId);
    assert.equal(response.card_brand, 'MC');
    return { referenceId: answer.referenceId, jwe: response['3DS'].data };
  }

  for (const v of vectors) {
    it(`Python cryptography (empty AAD) and the SDK both decrypt the real vector ${v.name}`, () => {
      const py = python(pythonDecrypt, { jwe: v.jwe, key: v.privateKeyPem }) as { plaintext: string };
      assert.deepEqual(JSON.parse(py.plaintext), JSON.parse(v.plaintext));
      assert.deepEqual(decryptCredentials(v.jwe, v.privateKeyPem).raw, JSON.parse(v.plaintext));
    });
  }

  it('credentials minted by the platform decrypt with Python cryptography (empty AAD) and with the SDK, to the same payload', async () => {
    const { jwe } = await approvedCredential();
    const py = python(pythonDecrypt, { jwe, key: merchantKeyPem }) as {
      header: Record<string, unknown>;
      plaintext: string;
    };
    assert.deepEqual(Object.keys(py.header), ['alg', 'kid', 'typ', 'channelSecurityContext', 'enc']);
    const payload = JSON.parse(py.plaintext) as Record<string, string>;
    // Mastercard member order, as in the real Mastercard vectors.
    assert.deepEqual(Object.keys(payload), [
      'amount',
      'currency_code',
      'utc',
      'eci_indicator',
      'tokenPAN',
      'tokenPanExpiration',
      'cryptogram',
    ]);
    assert.equal(payload['amount'], '106000');
    assert.equal(payload['eci_indicator'], '5');
    const sdk = decryptCredentials(jwe, merchantKeyPem);
    assert.deepEqual(sdk.raw, payload);
    assert.equal(sdk.eci, '05');
  });

  it("the checkout UI accepts transactionId and serviceId encrypted by Python cryptography's RSA PKCS#1 v1.5", async () => {
    const t = await client.transactions.create({
      callback: 'https://shop.example/done',
      orderNumber: 'interop-2',
      amount: { total: 5, currency: 'EUR' },
      merchant: { name: 'Interop shop' },
      allowedBrands: ['VI', 'MC'],
    });
    const encrypted = python(pythonEncrypt, { ...t.encInfo, transactionId: t.id, serviceId }) as Record<
      string,
      string
    >;
    const values: Record<string, string> = {
      domains: 'shop.example',
      myOrigin: 'https://shop.example',
      transactionId: encrypted['transactionId'] ?? '',
      href: t.href,
      serviceId: encrypted['serviceId'] ?? '',
      callbackUrl: 'https://shop.example/done',
      cancelUrl: 'https://shop.example/cart',
      countryCode: 'fr_ch',
      isWindow: 'N',
      mod: t.encInfo.mod,
      exp: t.encInfo.exp,
      keyId: t.encInfo.keyId,
    };
    const body = Object.entries(values)
      .map(([k, v]) => `${k}=${encodeURIComponent(encodeURIComponent(v))}`)
      .join('&');
    const res = await fetch(`${t.href}pc_gsmpi/index.do`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://shop.example' },
      body,
      redirect: 'manual',
    });
    assert.equal(res.status, 303, await res.text());
    const page = await fetch(new URL(res.headers.get('location') ?? '', platform.url));
    const text = await page.text();
    assert.match(text, /Payer avec Samsung Pay/);
    assert.match(text, /Interop shop/);
  });

  it('the SDK client notifies results and reports documented result codes as typed errors', async () => {
    const { referenceId } = await approvedCredential();
    await client.notifications.send({ reference: referenceId, status: 'CHARGED', provider: 'Interop PG' });
    await assert.rejects(
      client.credentials.retrieve('0'.repeat(32)),
      (e: unknown) =>
        e instanceof WebCheckoutApiError && e.resultCode === 'OPM1N1002' && e.status === 400 && e.documented,
    );
    const stranger = new WebCheckoutClient({ baseUrl: platform.url, serviceId: 'f'.repeat(32) });
    await assert.rejects(
      stranger.transactions.create({
        callback: 'https://shop.example/done',
        orderNumber: 'x',
        amount: { total: 1, currency: 'USD' },
        merchant: { name: 'x' },
        allowedBrands: ['VI'],
      }),
      (e: unknown) => e instanceof WebCheckoutApiError && e.resultCode === 'OPM1N1035' && e.status === 404,
    );
  });

  it('health is bidirectional: the platform probes the partner handler, which calls back and answers 204', async () => {
    assert.deepEqual(await client.health.check(), { healthy: true, status: 204 });
    const probe = await platform.admin<{ ok: boolean; httpStatus: number; callbackSeen: boolean }>(
      'POST',
      `/web-checkout/services/${serviceId}/health-probes`,
    );
    assert.equal(probe.ok, true);
    assert.equal(probe.httpStatus, 204);
    assert.equal(probe.callbackSeen, true);
  });
});
