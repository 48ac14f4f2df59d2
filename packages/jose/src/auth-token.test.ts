import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createAuthToken, type VerifyAuthTokenOptions, verifyAuthToken } from './auth-token.ts';
import { encodeBase64url } from './internal/base64url.ts';
import { signCompactRs256 } from './internal/jws.ts';
import {
  b64json,
  expectJoseRejection,
  generateRsaKeyPair,
  pem,
  runJoseCli,
  runPython,
  withTempDir,
  writeJwk,
} from './test-support.ts';

const NOW = 1_700_000_000_000;
const PARTNER_ID = '4048012345678901234';
const CERTIFICATE_ID = 'YMtt';
const PATH = '/wltex/cards/3hdpejr6qi380/notification';
const signer = generateRsaKeyPair();
const stranger = generateRsaKeyPair();
const clock = (ms: number) => () => ms;

function create(overrides: { now?: number; method?: string; path?: string; refId?: string } = {}): string {
  return createAuthToken({
    method: overrides.method ?? 'POST',
    path: overrides.path ?? PATH,
    partnerId: PARTNER_ID,
    certificateId: CERTIFICATE_ID,
    privateKey: signer.privateKey,
    now: clock(overrides.now ?? NOW),
    ...(overrides.refId === undefined ? {} : { refId: overrides.refId }),
  });
}

function options(overrides: Partial<VerifyAuthTokenOptions> = {}): VerifyAuthTokenOptions {
  return {
    resolveKey: (header) => (header.certificateId === CERTIFICATE_ID ? signer.publicKey : undefined),
    method: 'POST',
    path: PATH,
    now: clock(NOW),
    ...overrides,
  };
}

const baseHeader = {
  alg: 'RS256',
  cty: 'AUTH',
  ver: '3',
  partnerId: PARTNER_ID,
  certificateId: CERTIFICATE_ID,
  utc: NOW,
};
const basePayload = { API: { method: 'POST', path: PATH } };

function decodePart(token: string, index: number): string {
  return Buffer.from(token.split('.')[index] ?? '', 'base64url').toString('utf8');
}

describe('createAuthToken', () => {
  it('writes the header alg, cty AUTH, ver 3, partnerId, certificateId and utc in epoch ms', () => {
    assert.equal(
      decodePart(create(), 0),
      `{"alg":"RS256","cty":"AUTH","ver":"3","partnerId":"${PARTNER_ID}","certificateId":"YMtt","utc":${NOW}}`,
    );
  });

  it('puts the upper-cased method and the path in the API member of the payload', () => {
    assert.equal(decodePart(create({ method: 'post' }), 1), `{"API":{"method":"POST","path":"${PATH}"}}`);
  });

  it('adds refId to the payload when given', () => {
    assert.deepEqual(JSON.parse(decodePart(create({ refId: 'ref-42' }), 1)), {
      ...basePayload,
      refId: 'ref-42',
    });
  });

  it('drops the query string from the path', () => {
    const token = create({ method: 'POST', path: '/cards/c1/r1?cc2=US&event=ADDED' });
    assert.deepEqual(JSON.parse(decodePart(token, 1)).API, { method: 'POST', path: '/cards/c1/r1' });
  });

  it('rejects a URL with a host, an empty id or a public key with a TypeError', () => {
    const base = {
      method: 'POST',
      path: PATH,
      partnerId: PARTNER_ID,
      certificateId: CERTIFICATE_ID,
      privateKey: signer.privateKey,
    };
    assert.throws(
      () => createAuthToken({ ...base, path: `https://tsapi-card.walletsvc.samsung.com${PATH}` }),
      TypeError,
    );
    assert.throws(() => createAuthToken({ ...base, partnerId: '' }), TypeError);
    assert.throws(() => createAuthToken({ ...base, privateKey: signer.publicKey }), TypeError);
  });

  it('refuses to create a token that would not fit the 1024-character header', () => {
    assert.throws(() => create({ path: `/${'a'.repeat(600)}` }), RangeError);
  });
});

describe('verifyAuthToken', () => {
  it('accepts a token with the Bearer prefix', async () => {
    const { header, payload } = await verifyAuthToken(`Bearer ${create()}`, options());
    assert.deepEqual(header, baseHeader);
    assert.deepEqual(payload, basePayload);
  });

  it('accepts a token without the Bearer prefix', async () => {
    const { payload } = await verifyAuthToken(create(), options());
    assert.deepEqual(payload, basePayload);
  });

  it('accepts the Bearer scheme in any case', async () => {
    assert.ok(await verifyAuthToken(`bearer ${create()}`, options()));
  });

  it('returns refId from the payload', async () => {
    const { payload } = await verifyAuthToken(create({ refId: 'ref-42' }), options());
    assert.equal(payload.refId, 'ref-42');
  });

  it('compares the method case-insensitively', async () => {
    assert.ok(await verifyAuthToken(create({ method: 'post' }), options({ method: 'post' })));
    const token = signCompactRs256(
      baseHeader,
      JSON.stringify({ API: { method: 'post', path: PATH } }),
      signer.privateKey,
    );
    assert.ok(await verifyAuthToken(token, options({ method: 'POST' })));
  });

  it("ignores the request's query string when comparing paths", async () => {
    assert.ok(await verifyAuthToken(create(), options({ path: `${PATH}?cc2=US&event=ADDED` })));
  });

  it('accepts a key object instead of a resolver', async () => {
    assert.ok(await verifyAuthToken(create(), options({ resolveKey: signer.publicKey })));
  });

  it('accepts unknown extra header members', async () => {
    const token = signCompactRs256(
      { ...baseHeader, kid: 'x' },
      JSON.stringify(basePayload),
      signer.privateKey,
    );
    assert.ok(await verifyAuthToken(token, options()));
  });

  it('rejects an Authorization value longer than 1024 characters', async () => {
    const token = create();
    await expectJoseRejection(
      verifyAuthToken(`Bearer ${token}${' '.repeat(1025 - 7 - token.length)}`, options()),
      'ERR_JWS_INVALID',
    );
  });

  it('rejects a value that is not a compact JWS', async () => {
    await expectJoseRejection(verifyAuthToken('Bearer', options()), 'ERR_JWS_INVALID');
    await expectJoseRejection(verifyAuthToken('Basic dXNlcjpwYXNz', options()), 'ERR_JWS_INVALID');
  });

  it('rejects a token issued for another method', async () => {
    await expectJoseRejection(
      verifyAuthToken(create(), options({ method: 'GET' })),
      'ERR_AUTH_BINDING_MISMATCH',
    );
  });

  it('rejects a token issued for another path', async () => {
    await expectJoseRejection(
      verifyAuthToken(create(), options({ path: '/wltex/cards/other/notification' })),
      'ERR_AUTH_BINDING_MISMATCH',
    );
    await expectJoseRejection(
      verifyAuthToken(create(), options({ path: `${PATH}/` })),
      'ERR_AUTH_BINDING_MISMATCH',
    );
  });

  it('rejects an AUTH token older than 30 seconds', async () => {
    await expectJoseRejection(verifyAuthToken(create({ now: NOW - 30_001 }), options()), 'ERR_TOKEN_EXPIRED');
    assert.ok(await verifyAuthToken(create({ now: NOW - 30_000 }), options()));
  });

  it('rejects an AUTH token from the future beyond the clock skew', async () => {
    await expectJoseRejection(
      verifyAuthToken(create({ now: NOW + 5_001 }), options()),
      'ERR_TOKEN_FROM_FUTURE',
    );
    assert.ok(await verifyAuthToken(create({ now: NOW + 5_000 }), options()));
  });

  it('rejects a token whose cty is CARD', async () => {
    const token = signCompactRs256(
      { ...baseHeader, cty: 'CARD' },
      JSON.stringify(basePayload),
      signer.privateKey,
    );
    await expectJoseRejection(verifyAuthToken(token, options()), 'ERR_HEADER_INVALID', 'cty');
  });

  it('rejects a token without certificateId in ver 3', async () => {
    const { certificateId: _omit, ...header } = baseHeader;
    const token = signCompactRs256(header, JSON.stringify(basePayload), signer.privateKey);
    await expectJoseRejection(verifyAuthToken(token, options()), 'ERR_HEADER_INVALID', 'certificateId');
  });

  it('rejects a partnerId other than the expected one', async () => {
    await expectJoseRejection(
      verifyAuthToken(create(), options({ expected: { partnerId: '1' } })),
      'ERR_HEADER_MISMATCH',
      'partnerId',
    );
  });

  it('rejects a token from an unknown certificate', async () => {
    const token = signCompactRs256(
      { ...baseHeader, certificateId: 'zzzz' },
      JSON.stringify(basePayload),
      signer.privateKey,
    );
    await expectJoseRejection(verifyAuthToken(token, options()), 'ERR_KEY_NOT_FOUND');
  });

  it('rejects a signature made with another key', async () => {
    const token = signCompactRs256(baseHeader, JSON.stringify(basePayload), stranger.privateKey);
    await expectJoseRejection(verifyAuthToken(token, options()), 'ERR_JWS_SIGNATURE_INVALID');
  });

  it('rejects a payload changed after signing', async () => {
    const [header, , signature] = create().split('.');
    const payload = b64json({ API: { method: 'DELETE', path: PATH } });
    await expectJoseRejection(
      verifyAuthToken(`${header}.${payload}.${signature}`, options({ method: 'DELETE' })),
      'ERR_JWS_SIGNATURE_INVALID',
    );
  });

  it('rejects alg none', async () => {
    const token = `${b64json({ ...baseHeader, alg: 'none' })}.${b64json(basePayload)}.`;
    await expectJoseRejection(verifyAuthToken(token, options()), 'ERR_JWS_ALG_NOT_ALLOWED', 'alg');
  });

  it('rejects HS256 keyed with the signer public key as HMAC secret', async () => {
    const signingInput = `${b64json({ ...baseHeader, alg: 'HS256' })}.${b64json(basePayload)}`;
    const mac = createHmac('sha256', pem(signer.publicKey)).update(signingInput).digest();
    await expectJoseRejection(
      verifyAuthToken(`${signingInput}.${encodeBase64url(mac)}`, options()),
      'ERR_JWS_ALG_NOT_ALLOWED',
      'alg',
    );
  });

  it('rejects a payload without the API member', async () => {
    for (const payload of [{}, { API: { method: 'POST' } }, { ...basePayload, refId: 7 }]) {
      const token = signCompactRs256(baseHeader, JSON.stringify(payload), signer.privateKey);
      await expectJoseRejection(verifyAuthToken(token, options()), 'ERR_PAYLOAD_INVALID');
    }
    const notJson = signCompactRs256(baseHeader, 'not json', signer.privateKey);
    await expectJoseRejection(verifyAuthToken(notJson, options()), 'ERR_PAYLOAD_INVALID');
  });
});

describe('AUTH token interop with independent implementations', () => {
  it('is verified by jwcrypto', () => {
    const script = `
import sys, json
from jwcrypto import jwk, jws
d = json.load(sys.stdin)
token = jws.JWS()
token.deserialize(d['token'])
token.verify(jwk.JWK.from_pem(d['publicKey'].encode()), alg='RS256')
print(json.dumps({'header': token.jose_header, 'payload': json.loads(token.payload)}))
`;
    const result = runPython(script, { token: create({ refId: 'r1' }), publicKey: pem(signer.publicKey) });
    assert.deepEqual(result, { header: baseHeader, payload: { ...basePayload, refId: 'r1' } });
  });

  it('verifies an AUTH token made by jwcrypto', async () => {
    const script = `
import sys, json
from jwcrypto import jwk, jws
d = json.load(sys.stdin)
token = jws.JWS(json.dumps(d['payload']).encode())
token.add_signature(jwk.JWK.from_pem(d['privateKey'].encode()), alg='RS256', protected=json.dumps(d['header']))
print(json.dumps(token.serialize(compact=True)))
`;
    const token = runPython(script, {
      header: baseHeader,
      payload: basePayload,
      privateKey: pem(signer.privateKey),
    });
    assert.equal(typeof token, 'string');
    const { payload } = await verifyAuthToken(`Bearer ${token as string}`, options());
    assert.deepEqual(payload, basePayload);
  });

  it('is verified by the jose CLI', () => {
    withTempDir((dir) => {
      const tokenFile = join(dir, 'auth.jws');
      writeFileSync(tokenFile, create());
      const result = runJoseCli([
        'jws',
        'ver',
        '-i',
        tokenFile,
        '-k',
        writeJwk(dir, 'signer', signer.publicKey),
        '-O',
        '-',
      ]);
      assert.equal(result.status, 0);
      assert.deepEqual(JSON.parse(result.stdout), basePayload);
      const wrongKey = runJoseCli([
        'jws',
        'ver',
        '-i',
        tokenFile,
        '-k',
        writeJwk(dir, 'stranger', stranger.publicKey),
      ]);
      assert.notEqual(wrongKey.status, 0);
    });
  });
});
