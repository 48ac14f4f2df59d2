// The Web Checkout Server API client (PROTOCOLS.md 4.1): create a transaction, retrieve the
// payment credentials, notify the payment result, check health. The same code runs against
// Samsung's hosts and against Cardport (`baseUrl`).
import { randomUUID } from 'node:crypto';
import {
  type CreateTransactionRequest,
  type CreateTransactionResponse,
  createTransactionResponseSchema,
  type GetPaymentCredentialsResponse,
  getPaymentCredentialsResponseSchema,
  isWebCheckoutResultCode,
  type PaymentStatus,
  WEB_CHECKOUT_HOSTS,
  WEB_CHECKOUT_PATHS,
  type WebCheckoutResultCode,
} from '@cardport/protocol';
import {
  CardportApiError,
  type CardportWarning,
  fetchWithRetry,
  rejectUnknownOptions,
  type WarningHandler,
  withWarnings,
} from '../common.ts';

/** The local Cardport sandbox's main listener with its default port (CARDPORT_PORT). */
export const SANDBOX_WEB_CHECKOUT_BASE_URL = 'http://127.0.0.1:8080';

export type WebCheckoutEnvironment = 'sandbox' | keyof typeof WEB_CHECKOUT_HOSTS;

export interface WebCheckoutClientOptions {
  /** `sandbox` (the local Cardport), or Samsung's `staging` or `production` host; or give `baseUrl`. */
  environment?: WebCheckoutEnvironment;
  baseUrl?: string;
  /** Your serviceId. */
  serviceId: string;
  /** Per attempt; default 10 s. */
  timeoutMs?: number;
  /** Retries of reads after a network error or a 5xx, and of any call answered 503; default 2. */
  maxRetries?: number;
  /** A Retry-After longer than this is not waited for: the 503 is thrown. Default 30 s. */
  maxRetryAfterMs?: number;
  /** Called with the platform's `Cardport-Warning`s on an answer (results carry them as `warnings`). */
  onWarning?: WarningHandler;
  fetch?: typeof fetch;
}

const knownOptions = [
  'environment',
  'baseUrl',
  'serviceId',
  'timeoutMs',
  'maxRetries',
  'maxRetryAfterMs',
  'onWarning',
  'fetch',
] as const;

/** A non-success answer: `resultCode` as the service sent it (typed when it is a documented one). */
export class WebCheckoutApiError extends CardportApiError {
  override readonly name = 'WebCheckoutApiError';
  readonly resultCode: WebCheckoutResultCode | (string & {});
  constructor(
    status: number,
    resultCode: WebCheckoutResultCode | (string & {}),
    readonly resultMessage: string,
    requestId = '',
  ) {
    super(`${resultCode}: ${resultMessage} (HTTP ${status})`, { status, code: resultCode, requestId });
    this.resultCode = resultCode;
  }
  /** Whether `resultCode` is one of the documented codes. */
  get documented(): boolean {
    return isWebCheckoutResultCode(this.resultCode);
  }
}

/** What `transactions.create` takes: the body without `paymentDetails.service` (the client adds it). */
export interface CreateTransactionInput {
  callback: string;
  orderNumber: string;
  amount: {
    total: number | string;
    currency: string;
    option?: CreateTransactionRequest['paymentDetails']['amount']['option'];
  };
  merchant: { name: string; url?: string; reference?: string };
  allowedBrands: CreateTransactionRequest['paymentDetails']['allowedBrands'];
  recurring?: boolean;
}

export interface SendNotificationInput {
  /** The `ref_id` of the payment. */
  reference: string;
  status: PaymentStatus;
  /** Your payment gateway's name. */
  provider?: string;
  merchant?: Record<string, unknown>;
  /** Epoch ms; default now. */
  timestamp?: number;
}

export class WebCheckoutClient {
  readonly baseUrl: string;
  readonly serviceId: string;
  readonly #fetch: typeof fetch;
  readonly #timeoutMs: number;
  readonly #policy: { maxRetries: number; maxRetryAfterMs: number; timeoutMs: number };
  readonly #onWarning: WarningHandler | undefined;

  constructor(options: WebCheckoutClientOptions) {
    rejectUnknownOptions('WebCheckoutClient', options, knownOptions);
    const env = options.environment;
    if (env !== undefined && env !== 'sandbox' && !(env in WEB_CHECKOUT_HOSTS))
      throw new TypeError(`WebCheckoutClient: unknown environment ${String(env)}`);
    const base =
      options.baseUrl ??
      (env === 'sandbox' ? SANDBOX_WEB_CHECKOUT_BASE_URL : env ? WEB_CHECKOUT_HOSTS[env] : undefined);
    if (!base) throw new TypeError('give environment ("sandbox" | "staging" | "production") or baseUrl');
    if (!options.serviceId) throw new TypeError('serviceId is required');
    this.baseUrl = base.replace(/\/+$/, '');
    this.serviceId = options.serviceId;
    this.#fetch = options.fetch ?? fetch;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#policy = {
      maxRetries: options.maxRetries ?? 2,
      maxRetryAfterMs: options.maxRetryAfterMs ?? 30_000,
      timeoutMs: this.#timeoutMs,
    };
    this.#onWarning = options.onWarning;
  }

  async #request(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: unknown; warnings: CardportWarning[] }> {
    // Web Checkout defines no request id header: the id names the call in errors and warnings.
    const requestId = randomUUID();
    const res = await fetchWithRetry(
      this.#fetch,
      {
        method,
        url: `${this.baseUrl}${path}`,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        requestId,
        // Creating a transaction is not deduplicated by the service: only reads are retried after
        // a network error or a 5xx; a 503 (not taken) is retried for every call.
        idempotent: method === 'GET' || method === 'HEAD',
      },
      this.#policy,
      this.#onWarning,
      (err) =>
        new WebCheckoutApiError(
          0,
          'NETWORK_ERROR',
          `Web Checkout API not reachable: ${err.message}`,
          requestId,
        ),
    );
    let json: unknown;
    try {
      json = res.text ? JSON.parse(res.text) : undefined;
    } catch {
      json = undefined;
    }
    const result = json as { resultCode?: unknown; resultMessage?: unknown } | undefined;
    if (
      res.status < 200 ||
      res.status > 299 ||
      (result && result.resultCode !== undefined && result.resultCode !== '0')
    ) {
      const error = new WebCheckoutApiError(
        res.status,
        typeof result?.resultCode === 'string' ? result.resultCode : String(res.status),
        typeof result?.resultMessage === 'string' ? result.resultMessage : `HTTP ${res.status}`,
        requestId,
      );
      error.warnings = res.warnings;
      throw error;
    }
    return { status: res.status, json, warnings: res.warnings };
  }

  readonly transactions = {
    /** POST /ops/v1/transactions: id, href and encInfo for `SamsungPay.connect`. */
    create: async (
      input: CreateTransactionInput,
    ): Promise<CreateTransactionResponse & { readonly warnings: CardportWarning[] }> => {
      const body: CreateTransactionRequest = {
        callback: input.callback,
        paymentDetails: {
          service: { id: this.serviceId },
          orderNumber: input.orderNumber,
          recurring: input.recurring ?? false,
          protocol: { type: '3DS', version: '80' },
          amount: {
            option: input.amount.option ?? 'FORMAT_TOTAL_ESTIMATED_AMOUNT',
            currency: input.amount.currency,
            total: input.amount.total,
          },
          merchant: input.merchant,
          allowedBrands: input.allowedBrands,
        },
      };
      const { json, warnings } = await this.#request('POST', WEB_CHECKOUT_PATHS.createTransaction, body);
      return withWarnings(createTransactionResponseSchema.parse(json), warnings);
    },
  };

  readonly credentials = {
    /** GET the payment credentials of `ref_id`; decrypt `3DS.data` with `decryptCredentials`. */
    retrieve: async (
      referenceId: string,
    ): Promise<GetPaymentCredentialsResponse & { readonly warnings: CardportWarning[] }> => {
      const path = `${WEB_CHECKOUT_PATHS.getPaymentCredentials.replace('{referenceId}', encodeURIComponent(referenceId))}?serviceId=${encodeURIComponent(this.serviceId)}`;
      const { json, warnings } = await this.#request('GET', path);
      return withWarnings(getPaymentCredentialsResponseSchema.parse(json), warnings);
    },
  };

  readonly notifications = {
    /** POST /ops/v1/notifications: the result of the payment you made with the credentials. */
    send: async (input: SendNotificationInput): Promise<void> => {
      await this.#request('POST', WEB_CHECKOUT_PATHS.sendNotification, {
        payment: {
          service: { id: this.serviceId },
          reference: input.reference,
          status: input.status,
          ...(input.provider ? { provider: input.provider } : {}),
          ...(input.merchant ? { merchant: input.merchant } : {}),
        },
        timestamp: input.timestamp ?? Date.now(),
      });
    },
  };

  readonly health = {
    /** HEAD /ops/v1/internal/health: true on 204. Never throws for an unhealthy answer. */
    check: async (): Promise<{ healthy: boolean; status: number | null }> => {
      try {
        const res = await this.#fetch(`${this.baseUrl}${WEB_CHECKOUT_PATHS.health}`, {
          method: 'HEAD',
          signal: AbortSignal.timeout(this.#timeoutMs),
        });
        return { healthy: res.status === 204, status: res.status };
      } catch {
        return { healthy: false, status: null };
      }
    },
  };
}
