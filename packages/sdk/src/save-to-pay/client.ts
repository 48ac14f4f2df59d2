// SaveToPayClient: the partner side of the Save to Pay inbound API (PROTOCOLS.md 1.1–1.4) over
// mutual TLS, with keep-alive, an automatic Request-Id, and retries on network errors and 503
// (honouring Retry-After) that reuse the same Request-Id, so a retry never makes a second
// registration.
import { randomUUID } from 'node:crypto';
import https from 'node:https';
import {
  type CreateRegistrationRequest,
  parseWire,
  type Registration,
  registrationSchema,
  S2P_BASE_URLS,
  S2P_HEADERS,
  s2pErrorSchema,
} from '@cardport/protocol';
import {
  backoffMs,
  CardportApiError,
  type CardportWarning,
  parseCardportWarnings,
  rejectUnknownOptions,
  WARNING_HEADER,
  type WarningHandler,
  withWarnings,
} from '../common.ts';

export type SaveToPayEnvironment = 'sandbox' | 'staging' | 'production';

/** The local Cardport sandbox's mTLS listener with its default port (CARDPORT_MTLS_PORT). */
export const SANDBOX_S2P_BASE_URL = 'https://127.0.0.1:8443/ext/v1';

export interface SaveToPayClientOptions {
  /** `sandbox` (default), `staging` or `production`; ignored when `baseUrl` is given. */
  environment?: SaveToPayEnvironment;
  /** Base URL of the API including `/ext/v1`, e.g. the sandbox's `https://127.0.0.1:8443/ext/v1`. */
  baseUrl?: string;
  /** Your Partner-Id (of this environment: ids differ per environment). */
  partnerId: string;
  /** Your client certificate and key (PEM), and the CA of the platform's server certificate. */
  tls: { cert: string; key: string; ca?: string | string[] };
  /** Retries after a network error or a 503; default 2. */
  maxRetries?: number;
  /** A Retry-After longer than this is not waited for: the 503 is thrown. Default 30 s. */
  maxRetryAfterMs?: number;
  /** Per attempt; default 15 s. */
  timeoutMs?: number;
  /** Called with the platform's `Cardport-Warning`s on an answer (results carry them as `warnings`). */
  onWarning?: WarningHandler;
}

const knownOptions = [
  'environment',
  'baseUrl',
  'partnerId',
  'tls',
  'maxRetries',
  'maxRetryAfterMs',
  'timeoutMs',
  'onWarning',
] as const;

/** A failed call: HTTP status (0 without an answer), application code, request id, field details. */
export class SaveToPayApiError extends CardportApiError {
  override readonly name = 'SaveToPayApiError';
  constructor(
    message: string,
    status: number,
    /** `400.1`, `403.1`, `404.1`, `500.1`, `503.1`, `503.2`, or `NETWORK_ERROR` / `BAD_RESPONSE`. */
    code: string,
    requestId: string,
    readonly details: { field: string; reason: string }[] = [],
    readonly retryAfterSeconds?: number,
  ) {
    super(message, { status, code, requestId });
  }
}

export interface RequestOptions {
  /** Your own Request-Id (UUID type, 26–128 of `[a-zA-Z0-9-_]`); generated when absent. */
  requestId?: string;
}

/**
 * A registration as returned, with Cardport's provisioning fields when the server sends them, and
 * the platform's warnings on the answer (`warnings`, not enumerable: empty from the real hosts).
 */
export type RegistrationResult = Registration & {
  provisioningStatus?: 'NONE' | 'IN_PROGRESS' | 'PROVISIONED' | 'FAILED';
  provisioningError?: string;
  readonly warnings?: CardportWarning[];
};

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class SaveToPayClient {
  readonly baseUrl: string;
  readonly partnerId: string;
  readonly registrations: {
    create(params: CreateRegistrationRequest, options?: RequestOptions): Promise<RegistrationResult>;
    retrieve(regId: string, options?: RequestOptions): Promise<RegistrationResult>;
  };
  readonly #agent: https.Agent;
  readonly #maxRetries: number;
  readonly #maxRetryAfterMs: number;
  readonly #timeoutMs: number;
  readonly #onWarning: WarningHandler | undefined;

  constructor(options: SaveToPayClientOptions) {
    rejectUnknownOptions('SaveToPayClient', options, knownOptions);
    if (!options.partnerId) throw new TypeError('SaveToPayClient: partnerId is required');
    if (!options.tls?.cert || !options.tls?.key)
      throw new TypeError('SaveToPayClient: tls.cert and tls.key are required');
    const env = options.environment ?? 'sandbox';
    const base = options.baseUrl ?? (env === 'sandbox' ? SANDBOX_S2P_BASE_URL : S2P_BASE_URLS[env]);
    if (!base) throw new TypeError(`SaveToPayClient: unknown environment ${env}`);
    this.baseUrl = base.replace(/\/+$/, '');
    this.partnerId = options.partnerId;
    this.#maxRetries = options.maxRetries ?? 2;
    this.#maxRetryAfterMs = options.maxRetryAfterMs ?? 30_000;
    this.#timeoutMs = options.timeoutMs ?? 15_000;
    this.#onWarning = options.onWarning;
    this.#agent = new https.Agent({
      keepAlive: true,
      cert: options.tls.cert,
      key: options.tls.key,
      ...(options.tls.ca ? { ca: options.tls.ca } : {}),
      minVersion: 'TLSv1.2',
    });
    this.registrations = {
      create: (params, opts) => this.#call('POST', '/registrations', params, opts),
      retrieve: (regId, opts) => {
        if (typeof regId !== 'string' || !/^[a-zA-Z0-9_-]{26,128}$/.test(regId)) {
          return Promise.reject(
            new SaveToPayApiError(
              'regId must be of the UUID type',
              0,
              'INVALID_INPUT',
              opts?.requestId ?? '',
              [{ field: 'regId', reason: 'must be 26 to 128 letters, digits, - or _' }],
            ),
          );
        }
        return this.#call('GET', `/registrations/${encodeURIComponent(regId)}`, undefined, opts);
      },
    };
  }

  /** Closes the keep-alive connections. */
  close(): void {
    this.#agent.destroy();
  }

  async #call(
    method: 'GET' | 'POST',
    path: string,
    body: unknown,
    options: RequestOptions = {},
  ): Promise<RegistrationResult> {
    const requestId = options.requestId ?? randomUUID();
    for (let attempt = 0; ; attempt++) {
      let answer: RawAnswer;
      try {
        answer = await this.#send(method, path, body, requestId);
      } catch (err) {
        if (attempt < this.#maxRetries) {
          await sleep(backoffMs(attempt));
          continue;
        }
        throw new SaveToPayApiError(
          `Save to Pay API not reachable: ${(err as Error).message}`,
          0,
          'NETWORK_ERROR',
          requestId,
        );
      }
      const warnings = parseCardportWarnings(answer.headers[WARNING_HEADER]);
      if (warnings.length && this.#onWarning)
        this.#onWarning(warnings, { method, url: this.baseUrl + path, requestId });
      if (answer.status >= 200 && answer.status < 300) {
        const parsed = parseWire(registrationSchema, safeJson(answer.text));
        if (!parsed.ok) {
          throw new SaveToPayApiError(
            'unexpected answer from the Save to Pay API',
            answer.status,
            'BAD_RESPONSE',
            requestId,
            parsed.issues.map(({ field, reason }) => ({ field, reason })),
          );
        }
        return withWarnings(parsed.value as RegistrationResult, warnings);
      }
      const error = toError(answer, requestId);
      error.warnings = warnings;
      if (answer.status === 503 && attempt < this.#maxRetries) {
        const waitMs = (error.retryAfterSeconds ?? 1) * 1000;
        if (waitMs <= this.#maxRetryAfterMs) {
          await sleep(waitMs);
          continue;
        }
      }
      throw error;
    }
  }

  #send(method: string, path: string, body: unknown, requestId: string): Promise<RawAnswer> {
    const url = new URL(this.baseUrl + path);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = https.request(
        {
          protocol: url.protocol,
          hostname: url.hostname,
          port: url.port,
          path: url.pathname + url.search,
          method,
          agent: this.#agent,
          timeout: this.#timeoutMs,
          headers: {
            accept: 'application/json',
            [S2P_HEADERS.requestId]: requestId,
            [S2P_HEADERS.partnerId]: this.partnerId,
            ...(payload
              ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
              : {}),
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => {
            text += c;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${this.#timeoutMs} ms`)));
      req.on('error', reject);
      req.end(payload);
    });
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function toError(answer: RawAnswer, requestId: string): SaveToPayApiError {
  const parsed = s2pErrorSchema.safeParse(safeJson(answer.text));
  const retryAfterHeader = answer.headers['retry-after'];
  const retryAfter = Number(Array.isArray(retryAfterHeader) ? retryAfterHeader[0] : retryAfterHeader);
  const code = parsed.success ? parsed.data.code : `${answer.status}`;
  const message = parsed.success ? parsed.data.message : `HTTP ${answer.status}`;
  return new SaveToPayApiError(
    `Save to Pay API error ${code}: ${message}`,
    answer.status,
    code,
    requestId,
    parsed.success ? (parsed.data.details ?? []).map(({ field, reason }) => ({ field, reason })) : [],
    Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : undefined,
  );
}
