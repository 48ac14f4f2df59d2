import assert from 'node:assert/strict';
import { constants, generateKeyPairSync, privateDecrypt } from 'node:crypto';
import { describe, it } from 'node:test';
import { checkoutFormFields as protocolFormFields } from '@cardport/protocol';
import { checkoutFormFields, checkoutPath, connectFields, rsaEncryptHex } from './web-checkout.ts';

const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = publicKey.export({ format: 'jwk' });
const mod = Buffer.from(String(jwk.n), 'base64url').toString('hex');
const exp = Buffer.from(String(jwk.e), 'base64url').toString('hex').replace(/^0+/, '');

function unpad(hex: string): string {
  const em = privateDecrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, Buffer.from(hex, 'hex'));
  assert.equal(em[0], 0);
  assert.equal(em[1], 2);
  const separator = em.indexOf(0, 2);
  assert.ok(separator >= 10, 'at least 8 non-zero padding bytes');
  return em.subarray(separator + 1).toString('utf8');
}

describe('SamsungPay.connect (browser)', () => {
  it('posts exactly the form fields the protocol package defines, in the same order', () => {
    // The browser bundle keeps its own copy so that it does not pull zod into partners' pages.
    assert.deepEqual([...checkoutFormFields], [...protocolFormFields]);
  });

  it('encrypts with RSA PKCS#1 v1.5 to lowercase hex of the modulus length', () => {
    const hex = rsaEncryptHex('0123456789abcdef012345', mod, exp);
    assert.match(hex, /^[0-9a-f]{512}$/);
    assert.equal(unpad(hex), '0123456789abcdef012345');
    assert.notEqual(rsaEncryptHex('same', mod, exp), rsaEncryptHex('same', mod, exp), 'random padding');
  });

  it('picks the mobile checkout only for Android phones', () => {
    const android =
      'Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 Chrome/120 Mobile Safari/537.36';
    const tablet = 'Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 Chrome/120 Safari/537.36';
    const desktop = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120 Safari/537.36';
    assert.equal(checkoutPath(android), 'm_gsmpi/mobileIndex.do');
    assert.equal(checkoutPath(tablet), 'pc_gsmpi/index.do');
    assert.equal(checkoutPath(desktop), 'pc_gsmpi/index.do');
  });

  it('posts the SDK fields in order, each URL-encoded once', () => {
    const fields = connectFields(
      {
        transactionId: 'abc',
        href: 'https://checkout.example/gsmpi/',
        serviceId: 'svc',
        callbackUrl: 'https://shop.example/done?a=1&b=2',
        cancelUrl: 'https://shop.example/cart',
        countryCode: 'us',
        mod,
        exp,
        keyId: 'k1',
      },
      { hostname: 'shop.example', origin: 'https://shop.example' },
    );
    assert.deepEqual(Object.keys(fields), [...checkoutFormFields]);
    assert.equal(fields.callbackUrl, 'https%3A%2F%2Fshop.example%2Fdone%3Fa%3D1%26b%3D2');
    assert.equal(unpad(decodeURIComponent(fields.transactionId)), 'abc');
    assert.equal(unpad(decodeURIComponent(fields.serviceId)), 'svc');
  });
});
