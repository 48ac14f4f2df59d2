import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { encryptCredential } from '@cardport/jose';
import { CredentialDecryptionError, decryptCredentials, normalizeEci } from './credentials.ts';

interface Vector {
  name: string;
  jwe: string;
  privateKeyPem: string;
  plaintext: string;
}

const vectors = (
  JSON.parse(
    readFileSync(
      new URL('../../../../../shared/vectors/web-checkout-credentials.json', import.meta.url),
      'utf8',
    ),
  ) as { vectors: Vector[] }
).vectors;

describe('decryptCredentials', () => {
  it('has the four real vectors to check', () => {
    assert.equal(vectors.length, 4);
  });

  for (const v of vectors) {
    it(`decrypts the real credential ${v.name} to its exact plaintext`, () => {
      const c = decryptCredentials(v.jwe, v.privateKeyPem);
      assert.deepEqual(c.raw, JSON.parse(v.plaintext));
      const expected = JSON.parse(v.plaintext) as Record<string, string>;
      assert.equal(c.tokenPan, expected['tokenPAN']);
      assert.equal(c.amount, expected['amount']);
      assert.equal(c.utc, Number(expected['utc']));
      assert.equal(c.eci, normalizeEci(expected['eci_indicator']));
    });
  }

  it('picks the key by kid among several keys', () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const [first, second] = vectors;
    assert.ok(first && second);
    const keys = [other, first.privateKeyPem, second.privateKeyPem];
    assert.equal(decryptCredentials(first.jwe, keys).tokenPan, JSON.parse(first.plaintext).tokenPAN);
    const third = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const map = new Map([
      ['someone-else', other],
      ['another-one', third],
    ]);
    assert.throws(
      () => decryptCredentials(first.jwe, map),
      (e: unknown) => e instanceof CredentialDecryptionError && e.code === 'ERR_KEY_NOT_FOUND',
    );
  });

  it("normalizes Mastercard's one-digit ECI to two digits and keeps the raw value", () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwe = encryptCredential(
      {
        amount: '100',
        currency_code: 'EUR',
        utc: '1700000000000',
        eci_indicator: '5',
        tokenPAN: '5204740000001234',
        tokenPanExpiration: '1229',
        cryptogram: 'AAECAwQ=',
      },
      publicKey,
    );
    const c = decryptCredentials(jwe, privateKey);
    assert.equal(c.eci, '05');
    assert.equal(c.raw.eci_indicator, '5');
  });

  it('fails with a typed error under the wrong key, never returning garbage', () => {
    const wrong = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const [v] = vectors;
    assert.ok(v);
    assert.throws(
      () => decryptCredentials(v.jwe, wrong),
      (e: unknown) => e instanceof CredentialDecryptionError && e.code === 'ERR_JWE_DECRYPTION_FAILED',
    );
  });

  it('rejects a decrypted payload that is not a payment credential', () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwe = encryptCredential({ amount: '1.00', currency_code: 'USD' }, publicKey);
    assert.throws(
      () => decryptCredentials(jwe, privateKey),
      (e: unknown) => e instanceof CredentialDecryptionError && e.code === 'ERR_PAYLOAD_INVALID',
    );
  });
});
