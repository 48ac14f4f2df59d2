import type { KeyObject } from 'node:crypto';
import { JoseError } from '../errors.ts';
import type { ExpectedPartner, KeyResolver, PartnerJwsHeader } from '../types.ts';

/** 30 seconds: PROTOCOLS.md 2.2 (cdata) and 3.1 (AUTH). */
export const DEFAULT_MAX_AGE_MS = 30_000;
/** Tolerated clock difference for tokens stamped slightly ahead of our clock. */
export const DEFAULT_MAX_SKEW_MS = 5_000;

function invalid(member: string, message: string): JoseError {
  return new JoseError('ERR_HEADER_INVALID', message, { member });
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

/**
 * Checks the members PROTOCOLS.md 2.2/3.1 require on a partner JWS header (alg was checked when
 * parsing). Extra members such as `kid: "WLT.PUBKEY"` are accepted, as the spec demands.
 */
export function checkPartnerHeader<C extends string>(
  header: Record<string, unknown>,
  cty: C,
): PartnerJwsHeader & { readonly cty: C } {
  if (header['cty'] !== cty) throw invalid('cty', `protected header member cty must be ${cty}`);
  const ver = header['ver'];
  if (ver !== '3' && ver !== '1') throw invalid('ver', 'protected header member ver must be "3" or "1"');
  if (!isNonEmptyString(header['partnerId'])) {
    throw invalid('partnerId', 'protected header member partnerId must be a non-empty string');
  }
  const certificateId = header['certificateId'];
  // ver "1" predates certificate ids; ver "3" names the certificate that signed.
  if ((ver === '3' || certificateId !== undefined) && !isNonEmptyString(certificateId)) {
    throw invalid('certificateId', 'protected header member certificateId must be a non-empty string');
  }
  const utc = header['utc'];
  if (typeof utc !== 'number' || !Number.isSafeInteger(utc) || utc < 0) {
    throw invalid('utc', 'protected header member utc must be epoch milliseconds');
  }
  return header as PartnerJwsHeader & { readonly cty: C };
}

/** Throws ERR_HEADER_MISMATCH when the header names another partner or certificate. */
export function checkExpectedPartner(header: PartnerJwsHeader, expected: ExpectedPartner | undefined): void {
  if (expected?.partnerId !== undefined && header.partnerId !== expected.partnerId) {
    throw new JoseError('ERR_HEADER_MISMATCH', 'partnerId is not the expected one', { member: 'partnerId' });
  }
  if (expected?.certificateId !== undefined && header.certificateId !== expected.certificateId) {
    throw new JoseError('ERR_HEADER_MISMATCH', 'certificateId is not the expected one', {
      member: 'certificateId',
    });
  }
}

/** Validity window of a token stamped with `utc`. */
export interface UtcWindow {
  readonly now?: (() => number) | undefined;
  readonly maxAgeMs?: number | undefined;
  readonly maxSkewMs?: number | undefined;
}

function nonNegative(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new TypeError(`${name} must be a non-negative number`);
  }
  return value;
}

/** A {@link UtcWindow} with its defaults filled in. */
export interface ResolvedUtcWindow {
  readonly now: () => number;
  readonly maxAgeMs: number;
  readonly maxSkewMs: number;
}

/** Validates window options up front, so a bad option is a TypeError even for bad tokens. */
export function resolveWindow(window: UtcWindow): ResolvedUtcWindow {
  if (window.now !== undefined && typeof window.now !== 'function') {
    throw new TypeError('now must be a function');
  }
  return {
    now: window.now ?? Date.now,
    maxAgeMs: nonNegative(window.maxAgeMs, DEFAULT_MAX_AGE_MS, 'maxAgeMs'),
    maxSkewMs: nonNegative(window.maxSkewMs, DEFAULT_MAX_SKEW_MS, 'maxSkewMs'),
  };
}

/** PROTOCOLS.md 2.2/3.1: a token lives 30 s after `utc`; tokens from the future get a small skew. */
export function checkUtcWindow(utc: number, window: ResolvedUtcWindow): void {
  const now = window.now();
  if (now - utc > window.maxAgeMs) throw new JoseError('ERR_TOKEN_EXPIRED', 'token is too old');
  if (utc - now > window.maxSkewMs) {
    throw new JoseError('ERR_TOKEN_FROM_FUTURE', 'token utc is in the future');
  }
}

/** Runs a key resolver; `undefined` becomes ERR_KEY_NOT_FOUND. */
export async function resolveKey<H>(
  resolver: KeyResolver<H> | KeyObject,
  header: H,
  what: string,
): Promise<KeyObject> {
  const key = typeof resolver === 'function' ? await resolver(header) : resolver;
  if (key === undefined) throw new JoseError('ERR_KEY_NOT_FOUND', `no ${what} is known for this token`);
  return key;
}
