// The data types of seed 001 §3.4.9 (PROTOCOLS.md 1.2), as zod schemas and plain predicates.
// Every S2P field is validated against one of these; other families reuse URL and Timestamp.
import { z } from 'zod';

/** String: at most 2048 characters [seed]. */
export const STRING_MAX_LENGTH = 2048;
/** URL: at most 2048 characters [seed]. */
export const URL_MAX_LENGTH = 2048;

/** Enum: `[A-Za-z0-9_]{1,256}` [seed]; each field then names its own allowed values. */
export const ENUM_PATTERN = /^[A-Za-z0-9_]{1,256}$/;
/** PhoneNumber: `[0-9+()-]+` [seed]. */
export const PHONE_NUMBER_PATTERN = /^[0-9+()-]+$/;
/** UUID: `[a-zA-Z0-9-_]{26,128}` [seed]. Not RFC 4122: the seed's own ids are 32 hex characters. */
export const UUID_PATTERN = /^[a-zA-Z0-9_-]{26,128}$/;
/** CountryCode: 2 characters [seed]; letters, as every real value is (`US`, `KR`). */
export const COUNTRY_CODE_PATTERN = /^[A-Za-z]{2}$/;

/**
 * True for an absolute http or https URL of at most 2048 characters (RFC 2396 absolute URI with
 * a host). Whitespace and control characters are refused: RFC 2396 does not allow them unescaped,
 * while WHATWG's parser would silently escape them.
 */
export function isHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > URL_MAX_LENGTH) return false;
  if (!/^https?:\/\//i.test(value)) return false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c <= 0x20 || c === 0x7f) return false;
  }
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID_PATTERN.test(value);
}

export function isPhoneNumber(value: unknown): value is string {
  return typeof value === 'string' && value.length <= STRING_MAX_LENGTH && PHONE_NUMBER_PATTERN.test(value);
}

/** String ≤ 2048. */
export const stringSchema = z.string().max(STRING_MAX_LENGTH);

/** A required String ≤ 2048 that must not be empty (a required name that is `""` is not given). */
export const requiredStringSchema = z.string().min(1).max(STRING_MAX_LENGTH);

/** Enum `[A-Za-z0-9_]{1,256}`; use `z.enum` for a field whose values are known. */
export const enumStringSchema = z
  .string()
  .regex(ENUM_PATTERN, { error: 'must be 1 to 256 letters, digits or underscores' });

/** PhoneNumber `[0-9+()-]+`. */
export const phoneNumberSchema = z
  .string()
  .max(STRING_MAX_LENGTH)
  .regex(PHONE_NUMBER_PATTERN, { error: 'must be a phone number: digits, +, (, ) and - only' });

/** UUID `[a-zA-Z0-9-_]{26,128}` (the seed's type, not RFC 4122). */
export const uuidSchema = z
  .string()
  .regex(UUID_PATTERN, { error: 'must be 26 to 128 letters, digits, - or _' });

/**
 * URL: absolute, http or https, ≤ 2048 characters. No JSON Schema `format: uri` on purpose: that
 * is RFC 3986, which refuses the `{refId}` placeholder Web Checkout callbacks may carry.
 */
export const httpUrlSchema = z
  .string()
  .max(URL_MAX_LENGTH)
  .refine(isHttpUrl, { error: 'must be an absolute http or https URL' })
  .meta({ description: 'Absolute http or https URL, at most 2048 characters' });

/** Timestamp: int64 epoch milliseconds (JSON numbers are exact up to 2^53, which zod's int enforces). */
export const timestampSchema = z.int();

/** CountryCode: 2 letters. */
export const countryCodeSchema = z
  .string()
  .regex(COUNTRY_CODE_PATTERN, { error: 'must be a 2-letter country code' });

/** Object: any JSON object (not an array, not null). */
export const jsonObjectSchema = z.record(z.string(), z.unknown());
