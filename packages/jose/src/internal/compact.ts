import { JoseError } from '../errors.ts';
import { decodeBase64url } from './base64url.ts';
import { MAX_HEADER_BYTES, parseJsonObject } from './json.ts';

type CompactCode = 'ERR_JWS_INVALID' | 'ERR_JWE_INVALID';

/** A compact serialization cut at its dots: 3 parts for JWS, 5 for JWE (RFC 7515 §7.1, RFC 7516 §7.1). */
export function splitCompact(
  token: unknown,
  parts: 3,
  code: CompactCode,
  maxLength: number,
): [string, string, string];
export function splitCompact(
  token: unknown,
  parts: 5,
  code: CompactCode,
  maxLength: number,
): [string, string, string, string, string];
export function splitCompact(token: unknown, parts: number, code: CompactCode, maxLength: number): string[] {
  const what = parts === 3 ? 'JWS' : 'JWE';
  if (typeof token !== 'string') throw new JoseError(code, `${what} must be a string`);
  // Size cap before any work: the token may come straight from an untrusted request.
  if (token.length > maxLength) throw new JoseError(code, `${what} exceeds ${maxLength} characters`);
  const split = token.split('.');
  if (split.length !== parts) {
    throw new JoseError(code, `${what} compact serialization must have ${parts} parts`);
  }
  return split;
}

/** Base64url-decodes one part; `name` goes into the error message, never the value. */
export function decodePart(segment: string, code: CompactCode, name: string): Buffer {
  const bytes = decodeBase64url(segment);
  if (bytes === undefined) throw new JoseError(code, `${name} is not valid base64url`);
  return bytes;
}

/** Decodes the protected header segment into a JSON object and rejects `crit` (RFC 7515 §4.1.11). */
export function decodeProtectedHeader(segment: string, code: CompactCode): Record<string, unknown> {
  const header = parseJsonObject(decodePart(segment, code, 'protected header'), MAX_HEADER_BYTES);
  if (header === undefined) throw new JoseError(code, 'protected header is not a JSON object');
  // No Samsung profile defines critical extensions, so any `crit` names one we cannot honour.
  if ('crit' in header) {
    throw new JoseError('ERR_HEADER_INVALID', 'protected header member crit is not supported', {
      member: 'crit',
    });
  }
  return header;
}
