// What the request log keeps of a call's bodies, path and failure (partners/request-log.ts): secret
// fields replaced, long strings cut, token path segments named rather than kept, the ids that feed
// an object's timeline, and why a call failed in a line. Pure functions: no database, no state.

// Keys whose values are secrets (or would be, in the real service): never stored.
const secretKey =
  /^(cdata|issuerblob|encrypteddata|pan|fpan|dpan|tokenpan|cvv|cvc|cvv2|cryptogram|password|secret|privatekey|privatekeypem|authorization|3ds|jwe|jws|token|accesstoken|authtoken|otp|mod|exp)$|(token|secret|password|privatekey)$/i;
// Keys whose values name objects: they feed the timeline.
const objectKey = /^(id|regId|refId|cardId|transactionId|referenceId|serviceId|walletCardId|offerId|ref_id)$/;
// Route parameters that carry tokens: the stored path keeps their name, not their value.
export const tokenParam = /^(\*|token|cdata|pdata)$/i;

const maxString = 96;

/** Bodies as stored: secrets replaced, long strings cut, depth and size bounded. */
export function redactBody(value: unknown, depth = 0): unknown {
  if (value === null || value === undefined) return value ?? null;
  if (typeof value === 'string')
    return value.length > maxString ? `${value.slice(0, 24)}…[${value.length} chars]` : value;
  if (typeof value !== 'object') return value;
  if (depth > 6) return '[…]';
  if (Array.isArray(value)) return value.slice(0, 20).map((v) => redactBody(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>).slice(0, 60)) {
    out[k] = secretKey.test(k) && v !== null && v !== '' ? '[redacted]' : redactBody(v, depth + 1);
  }
  return out;
}

export function collectIds(value: unknown, into: Set<string>, depth = 0): void {
  if (!value || typeof value !== 'object' || depth > 3) return;
  if (Array.isArray(value)) {
    for (const v of value.slice(0, 20)) collectIds(v, into, depth + 1);
    return;
  }
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (objectKey.test(k) && typeof v === 'string' && v.length >= 4 && v.length <= 128) into.add(v);
    else if (v && typeof v === 'object') collectIds(v, into, depth + 1);
  }
}

/** The route with its parameters filled in, except those that carry tokens; no query string. */
export function safePath(route: string | undefined, params: Record<string, unknown>, url: string): string {
  if (!route) return (url.split('?')[0] ?? url).replace(/[^/]{48,}/g, ':token');
  return route.replace(/:(\w+)|\*/g, (_whole, name: string | undefined) => {
    const key = name ?? '*';
    const value = params[key];
    if (tokenParam.test(key) || typeof value !== 'string' || value.length > 64)
      return name ? `:${name}` : ':token';
    return encodeURIComponent(value);
  });
}

/** Why a call failed, from the family's own error body (S2P, ATW, Web Checkout, main). */
export function errorOf(status: number, body: unknown): string | null {
  if (status < 400) return null;
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const inner = (b['error'] && typeof b['error'] === 'object' ? b['error'] : b) as Record<string, unknown>;
  const code = inner['code'] ?? inner['resultCode'] ?? inner['reasonCode'];
  const message = inner['message'] ?? inner['resultMessage'] ?? inner['reason'];
  const details = Array.isArray(inner['details'])
    ? (inner['details'] as { field?: unknown; reason?: unknown }[])
        .slice(0, 5)
        .map((d) => `${String(d.field ?? '')}: ${String(d.reason ?? '')}`)
        .join('; ')
    : '';
  const text = [code, message].filter((x) => x !== undefined && x !== null && x !== '').join(' ');
  return `${text || `HTTP ${status}`}${details ? ` (${details})` : ''}`.slice(0, 500);
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text.length ? `[${text.length} bytes, not JSON]` : null;
  }
}
