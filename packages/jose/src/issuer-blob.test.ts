import assert from 'node:assert/strict';
import { constants, createCipheriv, generateKeyPairSync, publicEncrypt, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { encodeBase64url } from './internal/base64url.ts';
import { encryptCompactJwe } from './internal/jwe.ts';
import {
  createIssuerBlob,
  DEFAULT_ISSUER_BLOB_MAX_LENGTH,
  decryptIssuerBlob,
  type IssuerBlobCard,
} from './issuer-blob.ts';
import {
  b64json,
  decodeHeader,
  expectJoseError,
  generateRsaKeyPair,
  pem,
  runPython,
} from './test-support.ts';

const tsp = generateRsaKeyPair();
const stranger = generateRsaKeyPair();
const card: IssuerBlobCard = {
  pan: '4111111111111111',
  expMonth: 7,
  expYear: 2029,
  cardholderName: 'Zoë Holder',
};
const binding = { deviceId: 'MTUxMTE5MDAwMjAwMDM1N999', walletId: 'RcSm3gWJT9mXgFWy5sG123' };

/** Encrypts any plaintext with any header the way the sandbox format does (RSA-OAEP-256 + A256GCM). */
function craft(
  header: Record<string, unknown>,
  plaintext: string,
  aad: 'header' | 'none' = 'header',
): string {
  const cek = randomBytes(32);
  const iv = randomBytes(12);
  const headerPart = b64json(header);
  const cipher = createCipheriv('aes-256-gcm', cek, iv);
  if (aad === 'header') cipher.setAAD(Buffer.from(headerPart, 'ascii'));
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const ek = publicEncrypt(
    { key: tsp.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
    cek,
  );
  return [headerPart, ...[ek, iv, ct, cipher.getAuthTag()].map((b) => encodeBase64url(b))].join('.');
}

function flipBit(token: string, index: number): string {
  const parts = token.split('.');
  const bytes = Buffer.from(parts[index] ?? '', 'base64url');
  bytes[0] = (bytes[0] ?? 0) ^ 1;
  parts[index] = bytes.toString('base64url');
  return parts.join('.');
}

describe('createIssuerBlob', () => {
  it('writes a compact JWE with the header {"alg":"RSA-OAEP-256","enc":"A256GCM"}', () => {
    const blob = createIssuerBlob(card, binding, tsp.publicKey);
    assert.match(blob, /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+){4}$/);
    const [headerPart = ''] = blob.split('.');
    assert.equal(
      Buffer.from(headerPart, 'base64url').toString('utf8'),
      '{"alg":"RSA-OAEP-256","enc":"A256GCM"}',
    );
  });

  it('adds a kid when asked', () => {
    const blob = createIssuerBlob(card, binding, tsp.publicKey, { kid: 'tsp-2026' });
    assert.deepEqual(decodeHeader(blob), { alg: 'RSA-OAEP-256', enc: 'A256GCM', kid: 'tsp-2026' });
  });

  it('uses a 256-byte wrapped key, a 12-byte IV and a 16-byte tag', () => {
    const parts = createIssuerBlob(card, binding, tsp.publicKey).split('.');
    assert.equal(Buffer.from(parts[1] ?? '', 'base64url').length, 256);
    assert.equal(Buffer.from(parts[2] ?? '', 'base64url').length, 12);
    assert.equal(Buffer.from(parts[4] ?? '', 'base64url').length, 16);
  });

  it('rejects malformed cards, bindings and keys with a TypeError', () => {
    const bad: [IssuerBlobCard, typeof binding][] = [
      [{ ...card, pan: '4111 1111 1111 1111' }, binding],
      [{ ...card, pan: '41111' }, binding],
      [{ ...card, expMonth: 13 }, binding],
      [{ ...card, expMonth: 0 }, binding],
      [{ ...card, expYear: 29 }, binding],
      [{ ...card, cardholderName: '' }, binding],
      [card, { ...binding, deviceId: '' }],
      [card, { ...binding, walletId: '' }],
    ];
    for (const [c, b] of bad) assert.throws(() => createIssuerBlob(c, b, tsp.publicKey), TypeError);
    assert.throws(() => createIssuerBlob(card, binding, tsp.privateKey, { kid: '' }), TypeError);
    // A key below the 2048-bit floor is refused.
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey;
    assert.throws(() => createIssuerBlob(card, binding, small), TypeError);
  });
});

describe('decryptIssuerBlob', () => {
  it('round-trips the card and its binding', () => {
    const { header, payload } = decryptIssuerBlob(
      createIssuerBlob(card, binding, tsp.publicKey),
      tsp.privateKey,
    );
    assert.deepEqual(header, { alg: 'RSA-OAEP-256', enc: 'A256GCM' });
    assert.deepEqual(payload, { ...card, ...binding });
  });

  it('accepts months and years as digit strings and a two-digit year as 20YY', () => {
    const blob = craft(
      { alg: 'RSA-OAEP-256', enc: 'A256GCM' },
      JSON.stringify({ pan: '5555555555554444', expMonth: '03', expYear: '31', ...binding }),
    );
    const { payload } = decryptIssuerBlob(blob, tsp.privateKey);
    assert.equal(payload.expMonth, 3);
    assert.equal(payload.expYear, 2031);
    assert.equal(payload.cardholderName, undefined);
  });

  it('leaves the PAN’s digits and Luhn check to the token service', () => {
    const blob = craft(
      { alg: 'RSA-OAEP-256', enc: 'A256GCM' },
      JSON.stringify({ pan: '4111-1111', expMonth: 1, expYear: 2030, ...binding }),
    );
    assert.equal(decryptIssuerBlob(blob, tsp.privateKey).payload.pan, '4111-1111');
  });

  it('fails with ERR_JWE_DECRYPTION_FAILED under a wrong key', () => {
    expectJoseError(
      () => decryptIssuerBlob(createIssuerBlob(card, binding, stranger.publicKey), tsp.privateKey),
      'ERR_JWE_DECRYPTION_FAILED',
    );
  });

  it('fails with ERR_JWE_DECRYPTION_FAILED when the key, IV, ciphertext or tag is tampered', () => {
    const blob = createIssuerBlob(card, binding, tsp.publicKey);
    for (const index of [1, 2, 3, 4]) {
      expectJoseError(
        () => decryptIssuerBlob(flipBit(blob, index), tsp.privateKey),
        'ERR_JWE_DECRYPTION_FAILED',
      );
    }
  });

  it('authenticates the protected header (RFC 7516 AAD): a blob sealed without it fails', () => {
    const noAad = craft(
      { alg: 'RSA-OAEP-256', enc: 'A256GCM' },
      JSON.stringify({ ...card, ...binding }),
      'none',
    );
    expectJoseError(() => decryptIssuerBlob(noAad, tsp.privateKey), 'ERR_JWE_DECRYPTION_FAILED');
    const blob = createIssuerBlob(card, binding, tsp.publicKey);
    const swapped = [b64json({ alg: 'RSA-OAEP-256', enc: 'A256GCM', kid: 'x' }), ...blob.split('.').slice(1)];
    expectJoseError(() => decryptIssuerBlob(swapped.join('.'), tsp.privateKey), 'ERR_JWE_DECRYPTION_FAILED');
  });

  it('rejects other algorithms: RSA1_5, RSA-OAEP, dir and other encryptions', () => {
    const rsa15 = encryptCompactJwe(
      { alg: 'RSA1_5', enc: 'A128GCM' },
      Buffer.from(JSON.stringify({ ...card, ...binding })),
      tsp.publicKey,
      'protected-header',
    );
    expectJoseError(() => decryptIssuerBlob(rsa15, tsp.privateKey), 'ERR_JWE_ALG_NOT_ALLOWED', 'alg');
    for (const alg of ['RSA-OAEP', 'dir', 'none']) {
      const blob = craft({ alg, enc: 'A256GCM' }, '{}');
      expectJoseError(() => decryptIssuerBlob(blob, tsp.privateKey), 'ERR_JWE_ALG_NOT_ALLOWED', 'alg');
    }
    for (const enc of ['A128GCM', 'A256CBC-HS512']) {
      const blob = craft({ alg: 'RSA-OAEP-256', enc }, '{}');
      expectJoseError(() => decryptIssuerBlob(blob, tsp.privateKey), 'ERR_JWE_ALG_NOT_ALLOWED', 'enc');
    }
  });

  it('rejects compressed and critical-extension headers and a non-string kid', () => {
    const zip = craft({ alg: 'RSA-OAEP-256', enc: 'A256GCM', zip: 'DEF' }, '{}');
    expectJoseError(() => decryptIssuerBlob(zip, tsp.privateKey), 'ERR_HEADER_INVALID', 'zip');
    const crit = craft({ alg: 'RSA-OAEP-256', enc: 'A256GCM', crit: ['exp'], exp: 1 }, '{}');
    expectJoseError(() => decryptIssuerBlob(crit, tsp.privateKey), 'ERR_HEADER_INVALID', 'crit');
    const kid = craft({ alg: 'RSA-OAEP-256', enc: 'A256GCM', kid: 7 }, '{}');
    expectJoseError(() => decryptIssuerBlob(kid, tsp.privateKey), 'ERR_HEADER_INVALID', 'kid');
  });

  it('rejects what is not a five-part compact JWE, bad base64url, short IVs and tags, and over-long blobs', () => {
    const blob = createIssuerBlob(card, binding, tsp.publicKey);
    const parts = blob.split('.');
    expectJoseError(() => decryptIssuerBlob(parts.slice(0, 4).join('.'), tsp.privateKey), 'ERR_JWE_INVALID');
    expectJoseError(() => decryptIssuerBlob('not a blob', tsp.privateKey), 'ERR_JWE_INVALID');
    expectJoseError(() => decryptIssuerBlob(123 as unknown as string, tsp.privateKey), 'ERR_JWE_INVALID');
    const padded = [...parts];
    padded[2] = `${padded[2]}=`;
    expectJoseError(() => decryptIssuerBlob(padded.join('.'), tsp.privateKey), 'ERR_JWE_INVALID');
    const shortIv = [...parts];
    shortIv[2] = encodeBase64url(randomBytes(8));
    expectJoseError(() => decryptIssuerBlob(shortIv.join('.'), tsp.privateKey), 'ERR_JWE_INVALID');
    const shortTag = [...parts];
    shortTag[4] = encodeBase64url(Buffer.from(parts[4] ?? '', 'base64url').subarray(0, 12));
    expectJoseError(() => decryptIssuerBlob(shortTag.join('.'), tsp.privateKey), 'ERR_JWE_INVALID');
    expectJoseError(
      () => decryptIssuerBlob(blob, tsp.privateKey, { maxLength: blob.length - 1 }),
      'ERR_JWE_INVALID',
    );
    assert.equal(DEFAULT_ISSUER_BLOB_MAX_LENGTH, 65_536);
  });

  it('rejects plaintexts that are not the card object with ERR_PAYLOAD_INVALID', () => {
    const h = { alg: 'RSA-OAEP-256', enc: 'A256GCM' };
    const good = { pan: '4111111111111111', expMonth: 7, expYear: 2029, ...binding };
    const bad = [
      'not json',
      '[1,2]',
      JSON.stringify({ ...good, pan: 4111111111111111 }),
      JSON.stringify({ ...good, pan: '' }),
      JSON.stringify({ ...good, expMonth: 13 }),
      JSON.stringify({ ...good, expMonth: 1.5 }),
      JSON.stringify({ ...good, expYear: 'soon' }),
      JSON.stringify({ ...good, cardholderName: 42 }),
      JSON.stringify({ ...good, deviceId: undefined }),
      JSON.stringify({ ...good, walletId: '' }),
    ];
    for (const plaintext of bad) {
      const err = expectJoseError(
        () => decryptIssuerBlob(craft(h, plaintext), tsp.privateKey),
        'ERR_PAYLOAD_INVALID',
      );
      // Safe messages: never the PAN.
      assert.doesNotMatch(err.message, /4111/);
    }
  });

  it('refuses a public key for decryption with a TypeError', () => {
    assert.throws(
      () => decryptIssuerBlob(createIssuerBlob(card, binding, tsp.publicKey), tsp.publicKey),
      TypeError,
    );
  });
});

// The Debian jose CLI has no RSA-OAEP-256, so jwcrypto is the independent implementation here.
describe('issuerBlob interop', () => {
  it('decrypts with jwcrypto (python3-jwcrypto) to the same card and binding', () => {
    const script = `
import sys, json
from jwcrypto import jwk, jwe
d = json.load(sys.stdin)
token = jwe.JWE()
token.deserialize(d['blob'], key=jwk.JWK.from_pem(d['privateKey'].encode()))
print(json.dumps({'header': json.loads(token.objects['protected']), 'payload': json.loads(token.payload)}))
`;
    const result = runPython(script, {
      blob: createIssuerBlob(card, binding, tsp.publicKey, { kid: 'tsp' }),
      privateKey: pem(tsp.privateKey),
    }) as { header: unknown; payload: unknown };
    assert.deepEqual(result.header, { alg: 'RSA-OAEP-256', enc: 'A256GCM', kid: 'tsp' });
    assert.deepEqual(result.payload, { ...card, ...binding });
  });

  it('decrypts a blob that jwcrypto made from the public key PEM', () => {
    const script = `
import sys, json
from jwcrypto import jwk, jwe
d = json.load(sys.stdin)
token = jwe.JWE(json.dumps(d['payload']).encode(), protected=json.dumps({'alg': 'RSA-OAEP-256', 'enc': 'A256GCM'}))
token.add_recipient(jwk.JWK.from_pem(d['publicKey'].encode()))
print(json.dumps(token.serialize(compact=True)))
`;
    const payload = {
      pan: '378282246310005',
      expMonth: 11,
      expYear: 2030,
      deviceId: 'dev-1',
      walletId: 'wal-1',
    };
    const blob = runPython(script, { payload, publicKey: pem(tsp.publicKey) });
    assert.equal(typeof blob, 'string');
    assert.deepEqual(decryptIssuerBlob(blob as string, tsp.privateKey).payload, payload);
  });
});
