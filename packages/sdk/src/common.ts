// What every client of the SDK shares: the error base class, the platform's warnings
// (`Cardport-Warning`), option checking, and the fetch transport (timeouts, retries with jitter,
// a request id on every call).

/**
 * An accepted deviation from the documented contract, reported by the platform in the
 * `Cardport-Warning` response header (a JSON array of these). The real hosts send no such header.
 */
export interface CardportWarning {
  /** UPPER_SNAKE, e.g. `UNDOCUMENTED_FIELD`. */
  code: string;
  /** Dotted path of what it is about, e.g. `paymentDetails.amount.total`. */
  field: string;
  /** What was sent (at most 64 characters), or null when it was absent. */
  sent: string | null;
  /** What the documents say. */
  documented: string;
}

/** Called with the warnings of each answer that carries some. */
export type WarningHandler = (
  warnings: CardportWarning[],
  call: { method: string; url: string; requestId: string },
) => void;

export const WARNING_HEADER = 'cardport-warning';

/** Parses a `Cardport-Warning` header; anything malformed is left out (never throws). */
export function parseCardportWarnings(value: string | string[] | null | undefined): CardportWarning[] {
  const values = value == null ? [] : Array.isArray(value) ? value : [value];
  const out: CardportWarning[] = [];
  for (const v of values) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(v);
    } catch {
      continue;
    }
    if (!Array.isArray(parsed)) continue;
    for (const w of parsed as Record<string, unknown>[]) {
      if (
        w &&
        typeof w.code === 'string' &&
        typeof w.field === 'string' &&
        (typeof w.sent === 'string' || w.sent === null) &&
        typeof w.documented === 'string'
      ) {
        out.push({ code: w.code, field: w.field, sent: w.sent, documented: w.documented });
      }
    }
  }
  return out;
}

/** Attaches `warnings` to a result (not enumerable: the result still serializes as the wire value). */
export function withWarnings<T extends object>(
  value: T,
  warnings: CardportWarning[],
): T & { readonly warnings: CardportWarning[] } {
  Object.defineProperty(value, 'warnings', { value: warnings, enumerable: false, configurable: true });
  return value as T & { readonly warnings: CardportWarning[] };
}

/**
 * The base of every error an SDK client throws for a call: the HTTP status (0 when no answer
 * came), the API family's own code (`400.1`, `OPM1N1001`, …, or `NETWORK_ERROR`), the request
 * id of the call, and the platform's warnings on that answer.
 */
export class CardportApiError extends Error {
  override readonly name: string = 'CardportApiError';
  readonly status: number;
  readonly code: string;
  readonly requestId: string;
  warnings: CardportWarning[] = [];
  constructor(message: string, init: { status: number; code: string; requestId: string }) {
    super(message);
    this.status = init.status;
    this.code = init.code;
    this.requestId = init.requestId;
  }
}

/** Throws a TypeError naming every option the client does not know (a typo never goes unnoticed). */
export function rejectUnknownOptions(client: string, options: object, known: readonly string[]): void {
  if (options === null || typeof options !== 'object')
    throw new TypeError(`${client}: options must be an object`);
  const unknown = Object.keys(options).filter((k) => !known.includes(k));
  if (unknown.length) {
    throw new TypeError(
      `${client}: unknown option${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (known: ${known.join(', ')})`,
    );
  }
}

export interface RetryPolicy {
  /** Retries after the first attempt; default 2. */
  maxRetries: number;
  /** A Retry-After longer than this is not waited for; default 30 s. */
  maxRetryAfterMs: number;
  /** Per attempt. */
  timeoutMs: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Full jitter: a random wait up to 250 ms × 2^attempt. */
export function backoffMs(attempt: number): number {
  return Math.round(Math.random() * 250 * 2 ** attempt);
}

/** The wait a `Retry-After` header asks for (seconds or an HTTP date), or undefined. */
export function retryAfterMs(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export interface FetchCall {
  method: string;
  url: URL | string;
  headers: Record<string, string>;
  body?: string;
  requestId: string;
  /**
   * Whether the call may be sent again after a network error or a 5xx: true for reads, and for
   * writes the server deduplicates. A 503 is always retried (the server did not take the call).
   */
  idempotent: boolean;
}

export interface FetchAnswer {
  status: number;
  headers: Headers;
  text: string;
  warnings: CardportWarning[];
}

/**
 * The fetch transport: one timeout per attempt, retries with jitter on network errors and 5xx
 * (idempotent calls only) and on 503 (honouring Retry-After up to `maxRetryAfterMs`), the same
 * request id on every attempt, and the platform's warnings handed to `onWarning`. Network
 * failures end in `onNetworkError(err)`, whose error the caller shapes.
 */
export async function fetchWithRetry(
  doFetch: typeof fetch,
  call: FetchCall,
  policy: RetryPolicy,
  onWarning: WarningHandler | undefined,
  onNetworkError: (err: Error) => Error,
): Promise<FetchAnswer> {
  for (let attempt = 0; ; attempt++) {
    let res: Response;
    let text: string;
    try {
      res = await doFetch(call.url, {
        method: call.method,
        headers: call.headers,
        ...(call.body === undefined ? {} : { body: call.body }),
        signal: AbortSignal.timeout(policy.timeoutMs),
      });
      text = await res.text();
    } catch (err) {
      if (call.idempotent && attempt < policy.maxRetries) {
        await sleep(backoffMs(attempt));
        continue;
      }
      throw onNetworkError(err as Error);
    }
    if (attempt < policy.maxRetries && (res.status === 503 || (call.idempotent && res.status >= 500))) {
      const wait = res.status === 503 ? retryAfterMs(res.headers.get('retry-after')) : undefined;
      if (wait === undefined || wait <= policy.maxRetryAfterMs) {
        await sleep(wait ?? backoffMs(attempt));
        continue;
      }
    }
    const warnings = parseCardportWarnings(res.headers.get(WARNING_HEADER));
    if (warnings.length && onWarning)
      onWarning(warnings, { method: call.method, url: String(call.url), requestId: call.requestId });
    return { status: res.status, headers: res.headers, text, warnings };
  }
}
