import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { describe, it } from 'node:test';
import { credentialKeyId, decryptCredential, encryptCredential } from './credential.ts';
import { encodeBase64url } from './internal/base64url.ts';
import { encryptCompactJwe } from './internal/jwe.ts';
import {
  b64json,
  decodeHeader,
  expectJoseError,
  generateRsaKeyPair,
  pem,
  readCredentialVectors,
  runPython,
} from './test-support.ts';

const vectors = readCredentialVectors();
const merchant = generateRsaKeyPair();
const other = generateRsaKeyPair();

const samplePayload = {
  amount: '9876',
  currency_code: 'USD',
  utc: '1700000000000',
  eci_indicator: '05',
  tokenPAN: '4895370013341927',
  tokenPanExpiration: '1229',
  cryptogram: 'AgAAAAAABQrqUtnic6MLQAAAAAA=',
};

/** Replaces part `index` of a compact token. */
function withPart(token: string, index: number, part: string): string {
  const parts = token.split('.');
  parts[index] = part;
  return parts.join('.');
}

/** Flips one bit in the decoded part `index`. */
function flipBit(token: string, index: number): string {
  const bytes = Buffer.from(token.split('.')[index] ?? '', 'base64url');
  bytes[0] = (bytes[0] ?? 0) ^ 0x01;
  return withPart(token, index, encodeBase64url(bytes));
}

describe('decryptCredential with the real vectors', () => {
  for (const vector of vectors) {
    it(`decrypts real vector ${vector.name} to exactly its plaintext`, () => {
      const { header, payload, plaintext } = decryptCredential(
        vector.jwe,
        createPrivateKey(vector.privateKeyPem),
      );
      assert.equal(plaintext, vector.plaintext);
      assert.deepEqual(payload, JSON.parse(vector.plaintext));
      assert.deepEqual(header, vector.protectedHeader);
    });
  }

  it('computes each real kid as base64 SHA-256 of the SubjectPublicKeyInfo', () => {
    for (const vector of vectors) {
      const privateKey = createPrivateKey(vector.privateKeyPem);
      assert.equal(credentialKeyId(createPublicKey(privateKey)), vector.protectedHeader['kid']);
      assert.equal(credentialKeyId(privateKey), vector.protectedHeader['kid']);
    }
  });

  it('picks the key by kid among several keys', () => {
    const keys = [merchant.privateKey, ...vectors.map((v) => createPrivateKey(v.privateKeyPem))];
    for (const vector of vectors) {
      assert.equal(decryptCredential(vector.jwe, keys).plaintext, vector.plaintext);
    }
  });

  it('picks the key by kid from a Map', () => {
    const keys = new Map<string, KeyObject>(
      vectors.map((v) => [v.protectedHeader['kid'] ?? '', createPrivateKey(v.privateKeyPem)]),
    );
    keys.set('other', other.privateKey);
    for (const vector of vectors) {
      assert.equal(decryptCredential(vector.jwe, keys).plaintext, vector.plaintext);
    }
  });

  it('rejects a credential whose kid matches none of several keys', () => {
    const [vector] = vectors;
    assert.ok(vector);
    expectJoseError(
      () => decryptCredential(vector.jwe, [merchant.privateKey, other.privateKey]),
      'ERR_KEY_NOT_FOUND',
    );
    expectJoseError(
      () =>
        decryptCredential(
          vector.jwe,
          new Map([
            ['a', merchant.privateKey],
            ['b', other.privateKey],
          ]),
        ),
      'ERR_KEY_NOT_FOUND',
    );
  });

  it('tries a single given key even when the kid is unknown or absent', () => {
    const [vector] = vectors;
    assert.ok(vector);
    const header = { ...vector.protectedHeader, kid: 'some-other-kid' };
    const renamed = withPart(vector.jwe, 0, b64json(header));
    const key = createPrivateKey(vector.privateKeyPem);
    assert.equal(decryptCredential(renamed, key).plaintext, vector.plaintext);
    assert.equal(decryptCredential(renamed, [key]).plaintext, vector.plaintext);
    assert.equal(decryptCredential(renamed, new Map([['x', key]])).plaintext, vector.plaintext);
    const { kid: _kid, ...withoutKid } = vector.protectedHeader;
    assert.equal(
      decryptCredential(withPart(vector.jwe, 0, b64json(withoutKid)), key).plaintext,
      vector.plaintext,
    );
  });

  it('does not authenticate the protected header, because Samsung uses empty AAD', () => {
    // PROTOCOLS.md 4.2: a property of the real format, kept here so nobody "fixes" it silently.
    const [vector] = vectors;
    assert.ok(vector);
    const altered = withPart(vector.jwe, 0, b64json({ ...vector.protectedHeader, typ: 'ALTERED' }));
    const { header, plaintext } = decryptCredential(altered, createPrivateKey(vector.privateKeyPem));
    assert.equal(header.typ, 'ALTERED');
    assert.equal(plaintext, vector.plaintext);
  });
});

describe('encryptCredential', () => {
  it("writes the protected header members in Samsung's exact order", () => {
    const jwe = encryptCredential(samplePayload, merchant.publicKey);
    const [headerPart = ''] = jwe.split('.');
    assert.equal(
      Buffer.from(headerPart, 'base64url').toString('utf8'),
      `{"alg":"RSA1_5","kid":"${credentialKeyId(merchant.publicKey)}","typ":"JOSE","channelSecurityContext":"RSA_PKI","enc":"A128GCM"}`,
    );
  });

  it('uses a 256-byte wrapped key, a 12-byte IV and a 16-byte tag', () => {
    const parts = encryptCredential(samplePayload, merchant.publicKey).split('.');
    assert.equal(parts.length, 5);
    assert.equal(Buffer.from(parts[1] ?? '', 'base64url').length, 256);
    assert.equal(Buffer.from(parts[2] ?? '', 'base64url').length, 12);
    assert.equal(Buffer.from(parts[4] ?? '', 'base64url').length, 16);
  });

  it('round-trips a payload', () => {
    const jwe = encryptCredential(samplePayload, merchant.publicKey);
    const { payload, plaintext, header } = decryptCredential(jwe, merchant.privateKey);
    assert.deepEqual(payload, samplePayload);
    assert.equal(plaintext, JSON.stringify(samplePayload));
    assert.equal(header.kid, credentialKeyId(merchant.publicKey));
  });

  it('accepts the private key as recipient and derives its public key', () => {
    const jwe = encryptCredential(samplePayload, merchant.privateKey);
    assert.equal(decodeHeader(jwe)['kid'], credentialKeyId(merchant.publicKey));
    assert.deepEqual(decryptCredential(jwe, merchant.privateKey).payload, samplePayload);
  });
});

describe('decryptCredential rejections', () => {
  const jwe = encryptCredential(samplePayload, merchant.publicKey);

  it('fails with ERR_JWE_DECRYPTION_FAILED under a wrong key', () => {
    expectJoseError(() => decryptCredential(jwe, other.privateKey), 'ERR_JWE_DECRYPTION_FAILED');
  });

  it('fails with ERR_JWE_DECRYPTION_FAILED when the tag is tampered', () => {
    expectJoseError(
      () => decryptCredential(flipBit(jwe, 4), merchant.privateKey),
      'ERR_JWE_DECRYPTION_FAILED',
    );
  });

  it('fails with ERR_JWE_DECRYPTION_FAILED when the ciphertext is tampered', () => {
    expectJoseError(
      () => decryptCredential(flipBit(jwe, 3), merchant.privateKey),
      'ERR_JWE_DECRYPTION_FAILED',
    );
  });

  it('fails with ERR_JWE_DECRYPTION_FAILED when the IV is tampered', () => {
    expectJoseError(
      () => decryptCredential(flipBit(jwe, 2), merchant.privateKey),
      'ERR_JWE_DECRYPTION_FAILED',
    );
  });

  it('fails with ERR_JWE_DECRYPTION_FAILED when the encrypted key is tampered', () => {
    expectJoseError(
      () => decryptCredential(flipBit(jwe, 1), merchant.privateKey),
      'ERR_JWE_DECRYPTION_FAILED',
    );
  });

  it('rejects a header whose alg is not RSA1_5', () => {
    for (const alg of ['RSA-OAEP', 'RSA-OAEP-256', 'dir', 'none']) {
      const altered = withPart(jwe, 0, b64json({ ...decodeHeader(jwe), alg }));
      expectJoseError(
        () => decryptCredential(altered, merchant.privateKey),
        'ERR_JWE_ALG_NOT_ALLOWED',
        'alg',
      );
    }
  });

  it('rejects a header whose enc is not A128GCM', () => {
    for (const enc of ['A256GCM', 'A128CBC-HS256']) {
      const altered = withPart(jwe, 0, b64json({ ...decodeHeader(jwe), enc }));
      expectJoseError(
        () => decryptCredential(altered, merchant.privateKey),
        'ERR_JWE_ALG_NOT_ALLOWED',
        'enc',
      );
    }
  });

  it('rejects compressed or critical-extension headers', () => {
    const zipped = withPart(jwe, 0, b64json({ ...decodeHeader(jwe), zip: 'DEF' }));
    expectJoseError(() => decryptCredential(zipped, merchant.privateKey), 'ERR_HEADER_INVALID', 'zip');
    const critical = withPart(jwe, 0, b64json({ ...decodeHeader(jwe), crit: ['exp'], exp: 1 }));
    expectJoseError(() => decryptCredential(critical, merchant.privateKey), 'ERR_HEADER_INVALID', 'crit');
  });

  it('rejects a JWE that does not have five parts', () => {
    expectJoseError(
      () => decryptCredential(jwe.split('.').slice(0, 4).join('.'), merchant.privateKey),
      'ERR_JWE_INVALID',
    );
    expectJoseError(() => decryptCredential(`${jwe}.x`, merchant.privateKey), 'ERR_JWE_INVALID');
    expectJoseError(() => decryptCredential('', merchant.privateKey), 'ERR_JWE_INVALID');
  });

  it('rejects parts that are not strict base64url', () => {
    expectJoseError(
      () => decryptCredential(withPart(jwe, 3, 'a+b/'), merchant.privateKey),
      'ERR_JWE_INVALID',
    );
    expectJoseError(
      () => decryptCredential(withPart(jwe, 2, `${jwe.split('.')[2]}=`), merchant.privateKey),
      'ERR_JWE_INVALID',
    );
    expectJoseError(
      () => decryptCredential(withPart(jwe, 0, 'bm90IGpzb24'), merchant.privateKey),
      'ERR_JWE_INVALID',
    );
  });

  it('rejects a truncated tag and a short IV', () => {
    const tag = Buffer.from(jwe.split('.')[4] ?? '', 'base64url');
    expectJoseError(
      () => decryptCredential(withPart(jwe, 4, encodeBase64url(tag.subarray(0, 12))), merchant.privateKey),
      'ERR_JWE_INVALID',
    );
    expectJoseError(
      () => decryptCredential(withPart(jwe, 2, encodeBase64url(Buffer.alloc(8))), merchant.privateKey),
      'ERR_JWE_INVALID',
    );
  });

  it('rejects a plaintext that is not a JSON object', () => {
    for (const plaintext of ['not json', '["array"]', '"string"']) {
      const token = encryptCompactJwe(decodeHeader(jwe), Buffer.from(plaintext), merchant.publicKey, 'empty');
      expectJoseError(() => decryptCredential(token, merchant.privateKey), 'ERR_PAYLOAD_INVALID');
    }
  });

  it('rejects a JWE longer than maxLength', () => {
    expectJoseError(() => decryptCredential(jwe, merchant.privateKey, { maxLength: 100 }), 'ERR_JWE_INVALID');
  });

  it('keeps the token, key and plaintext out of error messages', () => {
    const err = expectJoseError(
      () => decryptCredential(flipBit(jwe, 4), merchant.privateKey),
      'ERR_JWE_DECRYPTION_FAILED',
    );
    for (const secret of [
      ...jwe.split('.'),
      samplePayload.tokenPAN,
      samplePayload.cryptogram,
      pem(merchant.privateKey),
    ]) {
      assert.ok(!err.message.includes(secret));
      assert.ok(!String(err.stack).includes(secret));
    }
  });
});

describe('credential interop with independent implementations', () => {
  const decryptScript = `
import sys, json, base64
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
def b64u(s): return base64.urlsafe_b64decode(s + '=' * (-len(s) % 4))
d = json.load(sys.stdin)
priv = serialization.load_pem_private_key(d['privateKey'].encode(), password=None)
out = []
for token in d['tokens']:
    h, ek, iv, ct, tag = token.split('.')
    cek = priv.decrypt(b64u(ek), padding.PKCS1v15())
    out.append(AESGCM(cek).decrypt(b64u(iv), b64u(ct) + b64u(tag), None).decode())
print(json.dumps(out))
`;

  it('produces JWEs that python cryptography decrypts with empty AAD', () => {
    const tokens = [
      encryptCredential(samplePayload, merchant.publicKey),
      encryptCredential({}, merchant.publicKey),
    ];
    const plaintexts = runPython(decryptScript, { privateKey: pem(merchant.privateKey), tokens });
    assert.deepEqual(plaintexts, [JSON.stringify(samplePayload), '{}']);
  });

  it('agrees with python cryptography on the real vectors', () => {
    for (const vector of vectors) {
      const plaintexts = runPython(decryptScript, { privateKey: vector.privateKeyPem, tokens: [vector.jwe] });
      assert.deepEqual(plaintexts, [vector.plaintext]);
    }
  });

  it('decrypts a credential that python cryptography encrypted with empty AAD', () => {
    const script = `
import sys, json, base64, os
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
def b64u(b): return base64.urlsafe_b64encode(b).rstrip(b'=').decode()
d = json.load(sys.stdin)
pub = serialization.load_pem_public_key(d['publicKey'].encode())
header = json.dumps({'alg': 'RSA1_5', 'kid': d['kid'], 'typ': 'JOSE', 'channelSecurityContext': 'RSA_PKI', 'enc': 'A128GCM'}, separators=(',', ':'))
cek, iv = os.urandom(16), os.urandom(12)
sealed = AESGCM(cek).encrypt(iv, d['plaintext'].encode(), None)
token = '.'.join([b64u(header.encode()), b64u(pub.encrypt(cek, padding.PKCS1v15())), b64u(iv), b64u(sealed[:-16]), b64u(sealed[-16:])])
print(json.dumps(token))
`;
    const plaintext = JSON.stringify(samplePayload);
    const token = runPython(script, {
      publicKey: pem(merchant.publicKey),
      kid: credentialKeyId(merchant.publicKey),
      plaintext,
    });
    assert.equal(typeof token, 'string');
    assert.equal(
      decryptCredential(token as string, [other.privateKey, merchant.privateKey]).plaintext,
      plaintext,
    );
  });

  it('is refused by jwcrypto, whose RFC 7516 AAD differs from Samsung empty AAD', () => {
    // Documents why generic JOSE libraries cannot read these tokens (PROTOCOLS.md 4.2).
    const script = `
import sys, json
from jwcrypto import jwk, jwe
d = json.load(sys.stdin)
key = jwk.JWK.from_pem(d['privateKey'].encode())
token = jwe.JWE(algs=['RSA1_5', 'A128GCM'])
try:
    token.deserialize(d['token'], key=key)
    print(json.dumps('decrypted'))
except Exception as e:
    print(json.dumps(type(e).__name__ + ': ' + str(e)))
`;
    const result = runPython(script, {
      privateKey: pem(merchant.privateKey),
      token: encryptCredential(samplePayload, merchant.publicKey),
    });
    // The RSA1_5 step succeeds; only the GCM tag, computed over the wrong AAD, fails.
    assert.match(String(result), /InvalidTag/);
  });
});
