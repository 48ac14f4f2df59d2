import assert from 'node:assert/strict';
import { createHmac, type KeyObject } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { type CdataHeader, createCdata, type VerifyCdataOptions, verifyCdata } from './cdata.ts';
import { encodeBase64url } from './internal/base64url.ts';
import { encryptCompactJwe } from './internal/jwe.ts';
import { signCompactRs256 } from './internal/jws.ts';
import {
  b64json,
  decodeHeader,
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
const partner = generateRsaKeyPair();
const platform = generateRsaKeyPair();
const stranger = generateRsaKeyPair();
const card = {
  card: {
    type: 'ticket',
    subType: 'movies',
    data: [
      { refId: 'ref-1', createdAt: NOW, updatedAt: NOW, language: 'en', attributes: { title: 'Film ✓' } },
    ],
  },
};

const clock = (ms: number) => () => ms;

function create(now = NOW): string {
  return createCdata(card, {
    partnerId: PARTNER_ID,
    certificateId: CERTIFICATE_ID,
    partnerKey: partner.privateKey,
    platformPublicKey: platform.publicKey,
    now: clock(now),
  });
}

function options(overrides: Partial<VerifyCdataOptions> = {}): VerifyCdataOptions {
  return {
    resolvePartnerKey: (header) =>
      header.partnerId === PARTNER_ID && header.certificateId === CERTIFICATE_ID
        ? partner.publicKey
        : undefined,
    platformPrivateKey: platform.privateKey,
    now: clock(NOW),
    ...overrides,
  };
}

const baseHeader = {
  alg: 'RS256',
  cty: 'CARD',
  ver: '3',
  certificateId: CERTIFICATE_ID,
  partnerId: PARTNER_ID,
  utc: NOW,
};

/** Builds a cdata by hand so each test can break exactly one thing. */
function craft(
  opts: {
    header?: Record<string, unknown>;
    jweHeader?: Record<string, unknown>;
    plaintext?: string;
    signKey?: KeyObject;
    encryptTo?: KeyObject;
  } = {},
): string {
  const jwe = encryptCompactJwe(
    opts.jweHeader ?? { alg: 'RSA1_5', enc: 'A128GCM' },
    Buffer.from(opts.plaintext ?? JSON.stringify(card)),
    opts.encryptTo ?? platform.publicKey,
    'protected-header',
  );
  return signCompactRs256(opts.header ?? baseHeader, jwe, opts.signKey ?? partner.privateKey);
}

describe('createCdata', () => {
  it('writes the header members alg, cty, ver, certificateId, partnerId, utc with utc in epoch ms and no typ', () => {
    const [headerPart = ''] = create().split('.');
    assert.equal(
      Buffer.from(headerPart, 'base64url').toString('utf8'),
      `{"alg":"RS256","cty":"CARD","ver":"3","certificateId":"YMtt","partnerId":"${PARTNER_ID}","utc":${NOW}}`,
    );
  });

  it('signs the ASCII of a compact RSA1_5/A128GCM JWE as the JWS payload', () => {
    const [, payloadPart = ''] = create().split('.');
    const inner = Buffer.from(payloadPart, 'base64url').toString('latin1');
    assert.match(inner, /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+){4}$/);
    assert.deepEqual(decodeHeader(inner), { alg: 'RSA1_5', enc: 'A128GCM' });
  });

  it('rejects missing ids, non-RSA keys and unserializable cards with a TypeError', () => {
    const base = {
      partnerId: PARTNER_ID,
      certificateId: CERTIFICATE_ID,
      partnerKey: partner.privateKey,
      platformPublicKey: platform.publicKey,
    };
    assert.throws(() => createCdata(card, { ...base, partnerId: '' }), TypeError);
    assert.throws(() => createCdata(card, { ...base, certificateId: '' }), TypeError);
    assert.throws(() => createCdata(card, { ...base, partnerKey: partner.publicKey }), TypeError);
    assert.throws(() => createCdata(undefined, base), TypeError);
  });
});

describe('verifyCdata', () => {
  it('round-trips a card through createCdata and verifyCdata', async () => {
    const { header, card: decrypted } = await verifyCdata(create(), options());
    assert.deepEqual(decrypted, card);
    assert.deepEqual(header, baseHeader);
  });

  it('resolves keys asynchronously and hands both protected headers to the platform key resolver', async () => {
    const seen: unknown[] = [];
    const result = await verifyCdata(
      create(),
      options({
        resolvePartnerKey: async (header) => {
          seen.push(header.certificateId);
          return partner.publicKey;
        },
        platformPrivateKey: async (header, jweHeader) => {
          seen.push(header.partnerId, jweHeader['enc']);
          return platform.privateKey;
        },
      }),
    );
    assert.deepEqual(result.card, card);
    assert.deepEqual(seen, [CERTIFICATE_ID, PARTNER_ID, 'A128GCM']);
  });

  it('accepts unknown extra header members such as kid WLT.PUBKEY', async () => {
    const token = craft({
      header: { ...baseHeader, kid: 'WLT.PUBKEY', extra: { nested: true } },
      jweHeader: { alg: 'RSA1_5', kid: 'WLT.PUBKEY', enc: 'A128GCM' },
    });
    const { header, card: decrypted } = await verifyCdata(token, options());
    assert.equal(header['kid'], 'WLT.PUBKEY');
    assert.deepEqual(decrypted, card);
  });

  it('accepts the legacy ver "1" without certificateId', async () => {
    const { certificateId: _omit, ...legacy } = baseHeader;
    const token = craft({ header: { ...legacy, ver: '1' } });
    const { header } = await verifyCdata(token, options({ resolvePartnerKey: () => partner.publicKey }));
    assert.equal(header.ver, '1');
    assert.equal(header.certificateId, undefined);
  });

  it('accepts the expected partnerId and certificateId', async () => {
    const { header } = await verifyCdata(
      create(),
      options({ expected: { partnerId: PARTNER_ID, certificateId: CERTIFICATE_ID } }),
    );
    assert.equal(header.partnerId, PARTNER_ID);
  });

  it('accepts a cdata token exactly 30 seconds old', async () => {
    assert.ok(await verifyCdata(create(NOW - 30_000), options()));
  });

  it('accepts a cdata token from the future within the clock skew', async () => {
    assert.ok(await verifyCdata(create(NOW + 5_000), options()));
  });

  it('rejects a token that does not have three parts', async () => {
    const token = create();
    await expectJoseRejection(
      verifyCdata(token.split('.').slice(0, 2).join('.'), options()),
      'ERR_JWS_INVALID',
    );
    await expectJoseRejection(verifyCdata(`${token}.x`, options()), 'ERR_JWS_INVALID');
  });

  it('rejects a token whose header is not a JSON object', async () => {
    const [, payload, signature] = create().split('.');
    await expectJoseRejection(
      verifyCdata(`bm90IGpzb24.${payload}.${signature}`, options()),
      'ERR_JWS_INVALID',
    );
  });

  it('rejects a token longer than maxLength', async () => {
    await expectJoseRejection(verifyCdata(create(), options({ maxLength: 512 })), 'ERR_JWS_INVALID');
  });

  it('rejects alg none with an empty signature', async () => {
    const [, payload] = create().split('.');
    const token = `${b64json({ ...baseHeader, alg: 'none' })}.${payload}.`;
    await expectJoseRejection(verifyCdata(token, options()), 'ERR_JWS_ALG_NOT_ALLOWED', 'alg');
  });

  it('rejects HS256 keyed with the partner public key as HMAC secret', async () => {
    const [, payload] = create().split('.');
    const signingInput = `${b64json({ ...baseHeader, alg: 'HS256' })}.${payload}`;
    for (const secret of [
      pem(partner.publicKey),
      partner.publicKey.export({ type: 'spki', format: 'der' }),
    ]) {
      const mac = createHmac('sha256', secret).update(signingInput).digest();
      const token = `${signingInput}.${encodeBase64url(mac)}`;
      await expectJoseRejection(verifyCdata(token, options()), 'ERR_JWS_ALG_NOT_ALLOWED', 'alg');
    }
  });

  it('rejects a cty other than CARD', async () => {
    const token = craft({ header: { ...baseHeader, cty: 'AUTH' } });
    await expectJoseRejection(verifyCdata(token, options()), 'ERR_HEADER_INVALID', 'cty');
  });

  it('rejects a ver other than "3" or "1"', async () => {
    for (const ver of ['2', 3, undefined]) {
      const token = craft({ header: { ...baseHeader, ver } });
      await expectJoseRejection(verifyCdata(token, options()), 'ERR_HEADER_INVALID', 'ver');
    }
  });

  it('rejects ver "3" without certificateId', async () => {
    const { certificateId: _omit, ...header } = baseHeader;
    await expectJoseRejection(
      verifyCdata(craft({ header }), options()),
      'ERR_HEADER_INVALID',
      'certificateId',
    );
  });

  it('rejects a token without partnerId', async () => {
    const { partnerId: _omit, ...header } = baseHeader;
    await expectJoseRejection(verifyCdata(craft({ header }), options()), 'ERR_HEADER_INVALID', 'partnerId');
  });

  it('rejects a utc that is not epoch milliseconds as a number', async () => {
    for (const utc of [String(NOW), -1, 1.5, undefined]) {
      const token = craft({ header: { ...baseHeader, utc } });
      await expectJoseRejection(verifyCdata(token, options()), 'ERR_HEADER_INVALID', 'utc');
    }
  });

  it('rejects a critical header extension', async () => {
    const token = craft({ header: { ...baseHeader, crit: ['utc'] } });
    await expectJoseRejection(verifyCdata(token, options()), 'ERR_HEADER_INVALID', 'crit');
  });

  it('rejects a partnerId other than the expected one', async () => {
    await expectJoseRejection(
      verifyCdata(create(), options({ expected: { partnerId: '1' } })),
      'ERR_HEADER_MISMATCH',
      'partnerId',
    );
  });

  it('rejects a certificateId other than the expected one', async () => {
    await expectJoseRejection(
      verifyCdata(create(), options({ expected: { certificateId: 'ymtt' } })),
      'ERR_HEADER_MISMATCH',
      'certificateId',
    );
  });

  it('rejects a token from an unknown partner', async () => {
    const token = craft({ header: { ...baseHeader, partnerId: '999' } });
    await expectJoseRejection(verifyCdata(token, options()), 'ERR_KEY_NOT_FOUND');
  });

  it('rejects a cdata token older than 30 seconds', async () => {
    await expectJoseRejection(verifyCdata(create(NOW - 30_001), options()), 'ERR_TOKEN_EXPIRED');
  });

  it('honours a custom maxAgeMs', async () => {
    await expectJoseRejection(
      verifyCdata(create(NOW - 2_000), options({ maxAgeMs: 1_000 })),
      'ERR_TOKEN_EXPIRED',
    );
  });

  it('rejects a cdata token from the future beyond the clock skew', async () => {
    await expectJoseRejection(verifyCdata(create(NOW + 5_001), options()), 'ERR_TOKEN_FROM_FUTURE');
  });

  it('rejects a signature made with another key', async () => {
    await expectJoseRejection(
      verifyCdata(craft({ signKey: stranger.privateKey }), options()),
      'ERR_JWS_SIGNATURE_INVALID',
    );
  });

  it('rejects a header changed after signing', async () => {
    const [, payload, signature] = create().split('.');
    const token = `${b64json({ ...baseHeader, utc: NOW + 1 })}.${payload}.${signature}`;
    await expectJoseRejection(verifyCdata(token, options()), 'ERR_JWS_SIGNATURE_INVALID');
  });

  it('rejects a payload changed after signing', async () => {
    const [header, , signature] = create().split('.');
    const [, otherPayload] = craft().split('.');
    await expectJoseRejection(
      verifyCdata(`${header}.${otherPayload}.${signature}`, options()),
      'ERR_JWS_SIGNATURE_INVALID',
    );
  });

  it('reports a forged expired token as forged, not as expired', async () => {
    const token = craft({ header: { ...baseHeader, utc: NOW - 60_000 }, signKey: stranger.privateKey });
    await expectJoseRejection(verifyCdata(token, options()), 'ERR_JWS_SIGNATURE_INVALID');
  });

  it('rejects an inner JWE whose alg is not RSA1_5', async () => {
    const token = craft({ jweHeader: { alg: 'RSA-OAEP', enc: 'A128GCM' } });
    await expectJoseRejection(verifyCdata(token, options()), 'ERR_JWE_ALG_NOT_ALLOWED', 'alg');
  });

  it('rejects an inner JWE whose enc is not A128GCM', async () => {
    const token = craft({ jweHeader: { alg: 'RSA1_5', enc: 'A256GCM' } });
    await expectJoseRejection(verifyCdata(token, options()), 'ERR_JWE_ALG_NOT_ALLOWED', 'enc');
  });

  it('rejects a signed payload that is not a compact JWE', async () => {
    const token = signCompactRs256(baseHeader, JSON.stringify(card), partner.privateKey);
    await expectJoseRejection(verifyCdata(token, options()), 'ERR_JWE_INVALID');
  });

  it('rejects a cdata encrypted to another platform key', async () => {
    await expectJoseRejection(
      verifyCdata(craft({ encryptTo: stranger.publicKey }), options()),
      'ERR_JWE_DECRYPTION_FAILED',
    );
  });

  it('rejects an inner JWE encrypted with empty AAD instead of RFC 7516 AAD', async () => {
    const jwe = encryptCompactJwe(
      { alg: 'RSA1_5', enc: 'A128GCM' },
      Buffer.from('{}'),
      platform.publicKey,
      'empty',
    );
    const token = signCompactRs256(baseHeader, jwe, partner.privateKey);
    await expectJoseRejection(verifyCdata(token, options()), 'ERR_JWE_DECRYPTION_FAILED');
  });

  it('rejects when no platform key is known for the partner', async () => {
    await expectJoseRejection(
      verifyCdata(create(), options({ platformPrivateKey: () => undefined })),
      'ERR_KEY_NOT_FOUND',
    );
  });

  it('rejects a decrypted payload that is not JSON', async () => {
    await expectJoseRejection(
      verifyCdata(craft({ plaintext: '{"card":' }), options()),
      'ERR_PAYLOAD_INVALID',
    );
  });

  it('keeps the token and card out of error messages', async () => {
    const token = craft({ encryptTo: stranger.publicKey });
    const err = await expectJoseRejection(verifyCdata(token, options()), 'ERR_JWE_DECRYPTION_FAILED');
    for (const secret of [...token.split('.'), 'Film', PARTNER_ID]) assert.ok(!err.message.includes(secret));
  });

  it('rejects invalid options with a TypeError', async () => {
    await assert.rejects(verifyCdata(create(), options({ maxAgeMs: -1 })), TypeError);
    await assert.rejects(
      verifyCdata(create(), options({ resolvePartnerKey: () => platform.privateKey.export() as never })),
      TypeError,
    );
  });
});

describe('cdata interop with independent implementations', () => {
  it('verifies and decrypts with jwcrypto when RSA1_5 is allowed explicitly', () => {
    const script = `
import sys, json
from jwcrypto import jwk, jws, jwe
d = json.load(sys.stdin)
outer = jws.JWS()
outer.deserialize(d['token'])
outer.verify(jwk.JWK.from_pem(d['partnerPublicKey'].encode()), alg='RS256')
inner = jwe.JWE(algs=['RSA1_5', 'A128GCM'])
inner.deserialize(outer.payload.decode('ascii'), key=jwk.JWK.from_pem(d['platformPrivateKey'].encode()))
print(json.dumps({'header': outer.jose_header, 'card': json.loads(inner.plaintext)}))
`;
    const result = runPython(script, {
      token: create(Date.now()),
      partnerPublicKey: pem(partner.publicKey),
      platformPrivateKey: pem(platform.privateKey),
    }) as { header: CdataHeader; card: unknown };
    assert.deepEqual(result.card, card);
    assert.equal(result.header.cty, 'CARD');
    assert.equal(result.header.partnerId, PARTNER_ID);
  });

  it('verifies a cdata built by jwcrypto', async () => {
    const script = `
import sys, json
from jwcrypto import jwk, jws, jwe
d = json.load(sys.stdin)
inner = jwe.JWE(json.dumps(d['card']).encode(), protected=json.dumps({'alg': 'RSA1_5', 'enc': 'A128GCM', 'kid': 'WLT.PUBKEY'}), algs=['RSA1_5', 'A128GCM'])
inner.add_recipient(jwk.JWK.from_pem(d['platformPublicKey'].encode()))
outer = jws.JWS(inner.serialize(compact=True).encode('ascii'))
outer.add_signature(jwk.JWK.from_pem(d['partnerPrivateKey'].encode()), alg='RS256', protected=json.dumps(d['header']))
print(json.dumps(outer.serialize(compact=True)))
`;
    const token = runPython(script, {
      card,
      header: baseHeader,
      platformPublicKey: pem(platform.publicKey),
      partnerPrivateKey: pem(partner.privateKey),
    });
    assert.equal(typeof token, 'string');
    const result = await verifyCdata(token as string, options());
    assert.deepEqual(result.card, card);
  });

  it('verifies and decrypts with the jose CLI', () => {
    withTempDir((dir) => {
      const tokenFile = join(dir, 'cdata.jws');
      const innerFile = join(dir, 'inner.jwe');
      writeFileSync(tokenFile, create());
      const verified = runJoseCli([
        'jws',
        'ver',
        '-i',
        tokenFile,
        '-k',
        writeJwk(dir, 'partner', partner.publicKey),
        '-O',
        innerFile,
      ]);
      assert.equal(verified.status, 0);
      const decrypted = runJoseCli([
        'jwe',
        'dec',
        '-i',
        innerFile,
        '-k',
        writeJwk(dir, 'platform', platform.privateKey),
      ]);
      assert.equal(decrypted.status, 0);
      assert.deepEqual(JSON.parse(decrypted.stdout), card);
      assert.match(readFileSync(innerFile, 'latin1'), /^eyJ/);
    });
  });

  it('verifies a cdata built with the jose CLI', async () => {
    const token = withTempDir((dir) => {
      const plaintextFile = join(dir, 'card.json');
      const innerFile = join(dir, 'inner.jwe');
      writeFileSync(plaintextFile, JSON.stringify(card));
      const encrypted = runJoseCli([
        'jwe',
        'enc',
        '-i',
        JSON.stringify({ protected: { alg: 'RSA1_5', enc: 'A128GCM' } }),
        '-I',
        plaintextFile,
        '-k',
        writeJwk(dir, 'platform', platform.publicKey),
        '-c',
        '-o',
        innerFile,
      ]);
      assert.equal(encrypted.status, 0);
      const signed = runJoseCli([
        'jws',
        'sig',
        '-I',
        innerFile,
        '-s',
        JSON.stringify({ protected: baseHeader }),
        '-k',
        writeJwk(dir, 'partner', partner.privateKey),
        '-c',
      ]);
      assert.equal(signed.status, 0);
      return signed.stdout.trim();
    });
    const result = await verifyCdata(token, options());
    assert.deepEqual(result.card, card);
    assert.equal(result.header.utc, NOW);
  });
});
