import type { KeyObject } from 'node:crypto';
import { JoseError } from './errors.ts';
import { parseJson } from './internal/json.ts';
import { decryptCompactJwe, encryptCompactJwe, parseCompactJwe } from './internal/jwe.ts';
import { parseCompactRs256, signCompactRs256, verifyRs256 } from './internal/jws.ts';
import { assertRsaKey } from './internal/keys.ts';
import {
  checkExpectedPartner,
  checkPartnerHeader,
  checkUtcWindow,
  resolveKey,
  resolveWindow,
} from './internal/partner-header.ts';
import type { Awaitable, ExpectedPartner, KeyResolver, PartnerJwsHeader } from './types.ts';

/** Default cap on a cdata token; Samsung recommends staying under 2048 bytes for links. */
export const DEFAULT_CDATA_MAX_LENGTH = 128 * 1024;

/** Protected header of a cdata JWS (PROTOCOLS.md 2.2). */
export interface CdataHeader extends PartnerJwsHeader {
  readonly cty: 'CARD';
}

/** Options of {@link createCdata}. */
export interface CreateCdataOptions {
  readonly partnerId: string;
  readonly certificateId: string;
  /** The partner's private key: signs the JWS. */
  readonly partnerKey: KeyObject;
  /** The platform's public key for this partner/certificate: the JWE is encrypted to it. */
  readonly platformPublicKey: KeyObject;
  /** Clock for `utc`, epoch ms. Defaults to `Date.now`. */
  readonly now?: () => number;
}

/**
 * Creates a cdata token for Add to Wallet links (PROTOCOLS.md 2.2): a compact RS256 JWS signed
 * with the partner key whose payload is the ASCII of a compact RSA1_5/A128GCM JWE of the card
 * JSON, encrypted to the platform key.
 *
 * @example
 * ```ts
 * const cdata = createCdata({ card: { type: 'ticket', subType: 'movies', data: [] } }, {
 *   partnerId: '4048012345678901234', certificateId: 'YMtt', partnerKey, platformPublicKey,
 * });
 * const link = `https://a.swallet.link/atw/v3/${cardId}#Clip?cdata=${cdata}`;
 * ```
 */
export function createCdata(card: unknown, opts: CreateCdataOptions): string {
  if (typeof opts.partnerId !== 'string' || opts.partnerId === '') {
    throw new TypeError('partnerId must be a non-empty string');
  }
  if (typeof opts.certificateId !== 'string' || opts.certificateId === '') {
    throw new TypeError('certificateId must be a non-empty string');
  }
  assertRsaKey(opts.partnerKey, 'private', 'partnerKey');
  assertRsaKey(opts.platformPublicKey, 'public', 'platformPublicKey');
  const json = JSON.stringify(card);
  if (json === undefined) throw new TypeError('card must be JSON-serializable');
  const utc = (opts.now ?? Date.now)();
  if (!Number.isSafeInteger(utc) || utc < 0) throw new TypeError('now() must return epoch milliseconds');

  // PROTOCOLS.md 2.2: standard RFC 7516 AAD for this JWE (unlike the payment credential).
  const jwe = encryptCompactJwe(
    { alg: 'RSA1_5', enc: 'A128GCM' },
    Buffer.from(json, 'utf8'),
    opts.platformPublicKey,
    'protected-header',
  );
  // PROTOCOLS.md 2.2: member order as Samsung's samples; utc is a number; no typ.
  const header = {
    alg: 'RS256',
    cty: 'CARD',
    ver: '3',
    certificateId: opts.certificateId,
    partnerId: opts.partnerId,
    utc,
  };
  return signCompactRs256(header, jwe, opts.partnerKey);
}

/** Options of {@link verifyCdata}. */
export interface VerifyCdataOptions {
  /** The partner's public key (certificate) for the header's partnerId/certificateId. */
  readonly resolvePartnerKey: KeyResolver<CdataHeader> | KeyObject;
  /** The platform's private key for this partner, or a resolver given both protected headers. */
  readonly platformPrivateKey:
    | KeyObject
    | ((header: CdataHeader, jweHeader: Record<string, unknown>) => Awaitable<KeyObject | undefined>);
  /** Clock, epoch ms. Defaults to `Date.now`. */
  readonly now?: () => number;
  /** Maximum age after `utc`. Defaults to 30 000 ms (PROTOCOLS.md 2.2). */
  readonly maxAgeMs?: number;
  /** Tolerance for `utc` ahead of our clock. Defaults to 5 000 ms. */
  readonly maxSkewMs?: number;
  /** Require these header values, e.g. the partner the link was issued for. */
  readonly expected?: ExpectedPartner;
  /** Longest token accepted, in characters. Defaults to {@link DEFAULT_CDATA_MAX_LENGTH}. */
  readonly maxLength?: number;
}

/** Result of {@link verifyCdata}. */
export interface VerifiedCdata {
  readonly header: CdataHeader;
  /** The decrypted card JSON, e.g. `{ card: { type, subType, data } }`; not schema-checked. */
  readonly card: unknown;
}

/**
 * Verifies and decrypts a cdata token (PROTOCOLS.md 2.2): RS256 signature with the partner key,
 * `cty: "CARD"`, `ver` "3" (or legacy "1"), partner and certificate ids, the 30 s `utc` window,
 * then the inner RSA1_5/A128GCM JWE with the platform key. Throws {@link JoseError}.
 *
 * @example
 * ```ts
 * const { header, card } = await verifyCdata(token, {
 *   resolvePartnerKey: (h) => certificates.get(`${h.partnerId}/${h.certificateId}`),
 *   platformPrivateKey: (h) => platformKeys.get(h.partnerId),
 * });
 * ```
 */
export async function verifyCdata(token: string, opts: VerifyCdataOptions): Promise<VerifiedCdata> {
  const window = resolveWindow(opts);
  const maxLength = opts.maxLength ?? DEFAULT_CDATA_MAX_LENGTH;
  const jws = parseCompactRs256(token, maxLength);
  const header = checkPartnerHeader(jws.header, 'CARD');
  checkExpectedPartner(header, opts.expected);
  const partnerKey = await resolveKey(opts.resolvePartnerKey, header, 'partner key');
  verifyRs256(jws, partnerKey);
  // Time after signature: a forged token is reported as forged, not as expired.
  checkUtcWindow(header.utc, window);

  // PROTOCOLS.md 2.2: the JWS payload is the ASCII of a compact JWE.
  const jwe = parseCompactJwe(jws.payload.toString('latin1'), maxLength);
  const resolvePlatformKey = opts.platformPrivateKey;
  const platformKey = await resolveKey(
    typeof resolvePlatformKey === 'function'
      ? (h: CdataHeader) => resolvePlatformKey(h, jwe.header)
      : resolvePlatformKey,
    header,
    'platform key',
  );
  const plaintext = decryptCompactJwe(jwe, platformKey, 'protected-header');
  const parsed = parseJson(plaintext, maxLength);
  if (parsed === undefined) throw new JoseError('ERR_PAYLOAD_INVALID', 'cdata plaintext is not JSON');
  return { header, card: parsed.value };
}
