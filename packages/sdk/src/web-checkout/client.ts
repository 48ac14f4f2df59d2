// The Web Checkout Server API client (PROTOCOLS.md 4.1): create a transaction, retrieve the
// payment credentials, notify the payment result, check health. The same code runs against
// Samsung's hosts and against Cardport (`baseUrl`).
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

export type WebCheckoutEnvironment = keyof typeof WEB_CHECKOUT_HOSTS;

export interface WebCheckoutClientOptions {
  /** Samsung's `staging` or `production` host; or give `baseUrl` (e.g. a Cardport sandbox). */
  environment?: WebCheckoutEnvironment;
  baseUrl?: string;
  /** Your serviceId. */
  serviceId: string;
  /** Per request; default 10 s. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** A non-success answer: `resultCode` as the service sent it (typed when it is a documented one). */
export class WebCheckoutApiError extends Error {
  override readonly name = 'WebCheckoutApiError';
  constructor(
    readonly status: number,
    readonly resultCode: WebCheckoutResultCode | (string & {}),
    readonly resultMessage: string,
  ) {
    super(`${resultCode}: ${resultMessage} (HTTP ${status})`);
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

  constructor(options: WebCheckoutClientOptions) {
    const base =
      options.baseUrl ?? (options.environment ? WEB_CHECKOUT_HOSTS[options.environment] : undefined);
    if (!base) throw new TypeError('give environment ("staging" | "production") or baseUrl');
    if (!options.serviceId) throw new TypeError('serviceId is required');
    this.baseUrl = base.replace(/\/+$/, '');
    this.serviceId = options.serviceId;
    this.#fetch = options.fetch ?? fetch;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
  }

  async #request(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
    const res = await this.#fetch(`${this.baseUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(this.#timeoutMs),
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    const result = json as { resultCode?: unknown; resultMessage?: unknown } | undefined;
    if (!res.ok || (result && result.resultCode !== undefined && result.resultCode !== '0')) {
      throw new WebCheckoutApiError(
        res.status,
        typeof result?.resultCode === 'string' ? result.resultCode : String(res.status),
        typeof result?.resultMessage === 'string' ? result.resultMessage : res.statusText,
      );
    }
    return { status: res.status, json };
  }

  readonly transactions = {
    /** POST /ops/v1/transactions: id, href and encInfo for `SamsungPay.connect`. */
    create: async (input: CreateTransactionInput): Promise<CreateTransactionResponse> => {
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
      const { json } = await this.#request('POST', WEB_CHECKOUT_PATHS.createTransaction, body);
      return createTransactionResponseSchema.parse(json);
    },
  };

  readonly credentials = {
    /** GET the payment credentials of `ref_id`; decrypt `3DS.data` with `decryptCredentials`. */
    retrieve: async (referenceId: string): Promise<GetPaymentCredentialsResponse> => {
      const path = `${WEB_CHECKOUT_PATHS.getPaymentCredentials.replace('{referenceId}', encodeURIComponent(referenceId))}?serviceId=${encodeURIComponent(this.serviceId)}`;
      const { json } = await this.#request('GET', path);
      return getPaymentCredentialsResponseSchema.parse(json);
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
