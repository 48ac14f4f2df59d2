// The published retry policy of durable deliveries (docs/reliability.md): which answers are
// retried, after how long, and what the response excerpts we keep may contain.

/** Delays before retry 1..7 of a durable job; after the last one fails the job is dead. */
export const retryScheduleMs: readonly number[] = [
  5_000, // 5 s
  5 * 60_000, // 5 min
  30 * 60_000, // 30 min
  2 * 3_600_000, // 2 h
  5 * 3_600_000, // 5 h
  10 * 3_600_000, // 10 h
  10 * 3_600_000, // 10 h
];

/** Each delay is spread by ±10% so that retries after an outage do not arrive in one burst. */
export const retryJitter = 0.1;

/** A partner's Retry-After is honoured up to this long; a larger value is capped to it. */
export const maxRetryAfterMs = 24 * 3_600_000;

/** Bytes of each response kept with its attempt (after redaction). */
export const responseExcerptBytes = 2048;

/** Statuses worth retrying: the partner is busy, overloaded or broken for now. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * Parses `Retry-After` (delay-seconds or an HTTP date) into milliseconds from now. A date is
 * measured against the response's own `Date` header when it has one, so that a partner whose
 * clock is off still gets the delay it meant; otherwise against real time (`wallNow`).
 */
export function parseRetryAfter(
  value: string | undefined,
  responseDate: string | undefined,
  wallNow: number,
): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Math.min(Number(text) * 1000, maxRetryAfterMs);
  // All three HTTP date formats start with a day name; anything else (e.g. "-5") is not one.
  const at = /^[A-Za-z]{3}/.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(at)) return undefined;
  const base = responseDate === undefined ? Number.NaN : Date.parse(responseDate);
  const delay = at - (Number.isNaN(base) ? wallNow : base);
  return Math.min(Math.max(delay, 0), maxRetryAfterMs);
}

/**
 * The delay before the retry following failed attempt number `retryIndex` (0 = the first
 * attempt failed), or undefined when the schedule is exhausted and the job is dead. With a
 * Retry-After, the job waits the longer of the two: never sooner than the partner asked, never
 * faster than the schedule.
 */
export function nextRetryDelay(
  retryIndex: number,
  options: { schedule?: readonly number[]; retryAfterMs?: number | undefined; random?: () => number } = {},
): number | undefined {
  const schedule = options.schedule ?? retryScheduleMs;
  const base = schedule[retryIndex];
  if (base === undefined) return undefined;
  const random = options.random ?? Math.random;
  const jittered = Math.round(base * (1 + (random() * 2 - 1) * retryJitter));
  return Math.max(jittered, options.retryAfterMs ?? 0);
}

const secretKey =
  /^(encrypteddata|cdata|issuerblob|pan|fpan|dpan|tokenpan|token|accesstoken|refreshtoken|idtoken|privatekey|key|cryptogram|password|secret|authorization|cookie)$/i;

function redactValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactValue);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, secretKey.test(k) ? '[redacted]' : redactValue(v)]),
    );
  }
  return value;
}

/**
 * What we keep of a response body: JSON with secret-looking fields (issuer blobs, cdata, tokens,
 * keys) replaced by "[redacted]", then cut to `limit` bytes. The caller of a sync call still gets
 * the full body; only the stored copy is redacted.
 */
export function responseExcerpt(body: string, limit = responseExcerptBytes): string {
  let text = body;
  const trimmed = body.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      text = JSON.stringify(redactValue(JSON.parse(body)));
    } catch {
      // Not JSON after all (or cut short): keep it as text.
    }
  }
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= limit) return text;
  // Cutting inside a multi-byte character leaves U+FFFD at the end; harmless for an excerpt.
  return `${bytes.subarray(0, limit).toString('utf8')}…`;
}

const secretHeader = /^(authorization|cookie|x-api-key|proxy-authorization)$/i;

/** Headers as shown to admins and stored for sync calls: credentials replaced by "[redacted]". */
export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([k, v]) => [k, secretHeader.test(k) ? '[redacted]' : v]),
  );
}
