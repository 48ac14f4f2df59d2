/** Cap on a decoded protected header: Samsung headers are well under 300 bytes. */
export const MAX_HEADER_BYTES = 4096;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** A parsed JSON value, or `undefined` when the bytes are too long, not UTF-8 or not JSON. */
export function parseJson(bytes: Uint8Array, maxBytes: number): { value: unknown } | undefined {
  if (bytes.length > maxBytes) return undefined;
  try {
    return { value: JSON.parse(utf8.decode(bytes)) };
  } catch {
    return undefined;
  }
}

/** Whether `value` is a plain JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A parsed JSON object, or `undefined` for anything else (see {@link parseJson}). */
export function parseJsonObject(bytes: Uint8Array, maxBytes: number): Record<string, unknown> | undefined {
  const parsed = parseJson(bytes, maxBytes);
  return parsed !== undefined && isJsonObject(parsed.value) ? parsed.value : undefined;
}
