import { constants, type KeyObject, sign, verify } from 'node:crypto';
import { JoseError } from '../errors.ts';
import { encodeBase64url } from './base64url.ts';
import { decodePart, decodeProtectedHeader, splitCompact } from './compact.ts';
import { assertRsaKey } from './keys.ts';

/** A compact JWS taken apart, its signature not yet checked. */
export interface ParsedJws {
  readonly header: Record<string, unknown>;
  readonly payload: Buffer;
  /** ASCII(BASE64URL(header) || '.' || BASE64URL(payload)), RFC 7515 §5.2. */
  readonly signingInput: string;
  readonly signature: Buffer;
}

/** Signs `payload` as a compact RS256 JWS with `header` serialized in its own member order. */
export function signCompactRs256(
  header: Record<string, unknown>,
  payload: Uint8Array | string,
  privateKey: KeyObject,
): string {
  assertRsaKey(privateKey, 'private', 'privateKey');
  const signingInput = `${encodeBase64url(JSON.stringify(header))}.${encodeBase64url(payload)}`;
  const signature = sign('sha256', Buffer.from(signingInput, 'ascii'), {
    key: privateKey,
    padding: constants.RSA_PKCS1_PADDING,
  });
  return `${signingInput}.${encodeBase64url(signature)}`;
}

/**
 * Parses a compact JWS and insists on `alg: "RS256"` before anything else looks at it: the
 * algorithm comes from the profile, never from the token (no `none`, no HS256 keyed with the
 * RSA public key).
 */
export function parseCompactRs256(token: unknown, maxLength: number): ParsedJws {
  const [headerPart, payloadPart, signaturePart] = splitCompact(token, 3, 'ERR_JWS_INVALID', maxLength);
  const header = decodeProtectedHeader(headerPart, 'ERR_JWS_INVALID');
  if (header['alg'] !== 'RS256') {
    throw new JoseError('ERR_JWS_ALG_NOT_ALLOWED', 'JWS alg must be RS256', { member: 'alg' });
  }
  return {
    header,
    payload: decodePart(payloadPart, 'ERR_JWS_INVALID', 'JWS payload'),
    signingInput: `${headerPart}.${payloadPart}`,
    signature: decodePart(signaturePart, 'ERR_JWS_INVALID', 'JWS signature'),
  };
}

/** Checks the RS256 (RSASSA-PKCS1-v1_5 with SHA-256) signature; throws ERR_JWS_SIGNATURE_INVALID. */
export function verifyRs256(jws: ParsedJws, publicKey: KeyObject): void {
  assertRsaKey(publicKey, 'public', 'verification key');
  let ok = false;
  try {
    ok = verify(
      'sha256',
      Buffer.from(jws.signingInput, 'ascii'),
      { key: publicKey, padding: constants.RSA_PKCS1_PADDING },
      jws.signature,
    );
  } catch {
    ok = false;
  }
  if (!ok) throw new JoseError('ERR_JWS_SIGNATURE_INVALID', 'JWS signature does not verify');
}
