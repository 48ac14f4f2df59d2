const ALPHABET = /^[A-Za-z0-9_-]*$/;

/** RFC 7515 §2 base64url without padding. */
export function encodeBase64url(data: Uint8Array | string): string {
  return (typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data)).toString('base64url');
}

/**
 * Strict base64url decoding: only the URL-safe alphabet, no padding, canonical trailing bits.
 * Returns undefined on anything else (Buffer.from alone silently skips junk characters).
 */
export function decodeBase64url(text: string): Buffer | undefined {
  if (!ALPHABET.test(text) || text.length % 4 === 1) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  // Non-canonical trailing bits would give two spellings of one value: refuse them.
  return bytes.toString('base64url') === text ? bytes : undefined;
}
