import type { KeyObject } from 'node:crypto';
import { JoseError } from './errors.ts';
import { isJsonObject, parseJsonObject } from './internal/json.ts';
import { parseCompactRs256, signCompactRs256, verifyRs256 } from './internal/jws.ts';
import { assertRsaKey } from './internal/keys.ts';
import {
  checkExpectedPartner,
  checkPartnerHeader,
  checkUtcWindow,
  resolveKey,
  resolveWindow,
} from './internal/partner-header.ts';
import type { ExpectedPartner, KeyResolver, PartnerJwsHeader } from './types.ts';

/** PROTOCOLS.md 3.1: the Authorization header value is at most 1024 characters. */
export const AUTH_HEADER_MAX_LENGTH = 1024;
const BEARER = /^Bearer[ \t]+/i;

/** Protected header of an AUTH token (PROTOCOLS.md 3.1). */
export interface AuthTokenHeader extends PartnerJwsHeader {
  readonly cty: 'AUTH';
}

/** Payload of an AUTH token: the request it authorizes (path only: no host, no query). */
export interface AuthTokenPayload {
  readonly API: { readonly method: string; readonly path: string; readonly [member: string]: unknown };
  readonly refId?: string;
  readonly [member: string]: unknown;
}

/** Options of {@link createAuthToken}. */
export interface CreateAuthTokenOptions {
  /** HTTP method of the request the token goes with; sent upper-case. */
  readonly method: string;
  /** Request path; a query string, if any, is dropped (PROTOCOLS.md 3.1). */
  readonly path: string;
  readonly partnerId: string;
  readonly certificateId: string;
  /** Partner key for partner → platform calls, platform key for platform → partner calls. */
  readonly privateKey: KeyObject;
  readonly refId?: string;
  /** Clock for `utc`, epoch ms. Defaults to `Date.now`. */
  readonly now?: () => number;
}

function stripQuery(path: string): string {
  const end = path.search(/[?#]/);
  return end === -1 ? path : path.slice(0, end);
}

/**
 * Creates the JWS for an `Authorization: Bearer …` header (PROTOCOLS.md 3.1): RS256, header
 * `alg, cty: "AUTH", ver: "3", partnerId, certificateId, utc`, payload
 * `{"API":{"method","path"}}` plus an optional `refId`.
 *
 * @example
 * ```ts
 * const token = createAuthToken({
 *   method: 'POST', path: `/wltex/cards/${cardId}/notification`,
 *   partnerId, certificateId, privateKey: partnerKey,
 * });
 * await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body });
 * ```
 */
export function createAuthToken(opts: CreateAuthTokenOptions): string {
  for (const name of ['method', 'path', 'partnerId', 'certificateId'] as const) {
    if (typeof opts[name] !== 'string' || opts[name] === '') {
      throw new TypeError(`${name} must be a non-empty string`);
    }
  }
  if (!opts.path.startsWith('/')) {
    throw new TypeError('path must be a path starting with "/", without a host');
  }
  if (opts.refId !== undefined && typeof opts.refId !== 'string') {
    throw new TypeError('refId must be a string');
  }
  assertRsaKey(opts.privateKey, 'private', 'privateKey');
  const utc = (opts.now ?? Date.now)();
  if (!Number.isSafeInteger(utc) || utc < 0) throw new TypeError('now() must return epoch milliseconds');

  const header = {
    alg: 'RS256',
    cty: 'AUTH',
    ver: '3',
    partnerId: opts.partnerId,
    certificateId: opts.certificateId,
    utc,
  };
  const payload: Record<string, unknown> = {
    API: { method: opts.method.toUpperCase(), path: stripQuery(opts.path) },
  };
  if (opts.refId !== undefined) payload['refId'] = opts.refId;
  const token = signCompactRs256(header, JSON.stringify(payload), opts.privateKey);
  // Leave room for "Bearer " within the 1024 characters verifiers accept.
  if (token.length > AUTH_HEADER_MAX_LENGTH - 'Bearer '.length) {
    throw new RangeError('AUTH token would exceed the 1024-character Authorization header limit');
  }
  return token;
}

/** Options of {@link verifyAuthToken}. */
export interface VerifyAuthTokenOptions {
  /** The signer's public key for the header's partnerId/certificateId. */
  readonly resolveKey: KeyResolver<AuthTokenHeader> | KeyObject;
  /** HTTP method of the request the token came with (compared case-insensitively). */
  readonly method: string;
  /** Path of the request the token came with; its query string is ignored. */
  readonly path: string;
  /** Clock, epoch ms. Defaults to `Date.now`. */
  readonly now?: () => number;
  /** Maximum age after `utc`. Defaults to 30 000 ms (PROTOCOLS.md 3.1). */
  readonly maxAgeMs?: number;
  /** Tolerance for `utc` ahead of our clock. Defaults to 5 000 ms. */
  readonly maxSkewMs?: number;
  /** Require these header values, e.g. the partner named by `x-smcs-partner-id`. */
  readonly expected?: ExpectedPartner;
}

/** Result of {@link verifyAuthToken}. */
export interface VerifiedAuthToken {
  readonly header: AuthTokenHeader;
  readonly payload: AuthTokenPayload;
}

function readPayload(bytes: Buffer): AuthTokenPayload {
  const payload = parseJsonObject(bytes, AUTH_HEADER_MAX_LENGTH);
  const api = payload?.['API'];
  if (
    payload === undefined ||
    !isJsonObject(api) ||
    typeof api['method'] !== 'string' ||
    typeof api['path'] !== 'string' ||
    (payload['refId'] !== undefined && typeof payload['refId'] !== 'string')
  ) {
    throw new JoseError('ERR_PAYLOAD_INVALID', 'AUTH payload must be {"API":{"method","path"}}');
  }
  return payload as AuthTokenPayload;
}

/**
 * Verifies the value of an Authorization header (PROTOCOLS.md 3.1), with or without `Bearer `:
 * at most 1024 characters, RS256 signature, `cty: "AUTH"`, the 30 s `utc` window, and that the
 * token was issued for this request's method and path. Throws {@link JoseError}.
 *
 * @example
 * ```ts
 * const { header } = await verifyAuthToken(req.headers.authorization ?? '', {
 *   resolveKey: (h) => certificates.get(`${h.partnerId}/${h.certificateId}`),
 *   method: req.method, path: req.url,
 * });
 * ```
 */
export async function verifyAuthToken(
  authorization: string,
  opts: VerifyAuthTokenOptions,
): Promise<VerifiedAuthToken> {
  if (typeof opts.method !== 'string' || typeof opts.path !== 'string') {
    throw new TypeError('method and path of the request are required');
  }
  const window = resolveWindow(opts);
  if (typeof authorization !== 'string') {
    throw new JoseError('ERR_JWS_INVALID', 'Authorization must be a string');
  }
  if (authorization.length > AUTH_HEADER_MAX_LENGTH) {
    throw new JoseError('ERR_JWS_INVALID', `Authorization exceeds ${AUTH_HEADER_MAX_LENGTH} characters`);
  }
  const jws = parseCompactRs256(authorization.trim().replace(BEARER, ''), AUTH_HEADER_MAX_LENGTH);
  const header = checkPartnerHeader(jws.header, 'AUTH');
  checkExpectedPartner(header, opts.expected);
  const key = await resolveKey(opts.resolveKey, header, 'signing key');
  verifyRs256(jws, key);
  checkUtcWindow(header.utc, window);

  const payload = readPayload(jws.payload);
  // PROTOCOLS.md 3.1: the token is bound to one request, so a captured token cannot be replayed
  // against another endpoint within its 30 s.
  if (payload.API.method.toUpperCase() !== opts.method.toUpperCase()) {
    throw new JoseError('ERR_AUTH_BINDING_MISMATCH', 'AUTH token was issued for another method');
  }
  if (payload.API.path !== stripQuery(opts.path)) {
    throw new JoseError('ERR_AUTH_BINDING_MISMATCH', 'AUTH token was issued for another path');
  }
  return { header, payload };
}
