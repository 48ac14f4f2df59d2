// The Samsung Server API from the partner's side (PROTOCOLS.md 3.2): Update and Cancel
// Notification, each with an AUTH token bound to its own method and path.
import { randomUUID } from 'node:crypto';
import { createAuthToken } from '@cardport/jose';
import type { CancelNotification, UpdateNotification } from '@cardport/protocol';
import { WALLET_SERVER_API_BASE_URL } from '@cardport/protocol';
import {
  CardportApiError,
  type CardportWarning,
  fetchWithRetry,
  rejectUnknownOptions,
  type WarningHandler,
} from '../common.ts';
import { type PrivateKeyInput, type SdkClock, toPrivateKey } from './keys.ts';

export interface WalletServerClientOptions {
  /** The Server API base: the `callback` of Send Card State ADDED, or the platform's URL. */
  baseUrl?: string;
  /** Same as baseUrl (the name Send Card State gives it). */
  callback?: string;
  partnerId: string;
  certificateId: string;
  /** Your private key: signs the AUTH tokens. */
  partnerKey: PrivateKeyInput;
  clock?: SdkClock;
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Per attempt; default 10 s. */
  timeoutMs?: number;
  /** Retries after a network error, a 5xx or a 503 (notifications set a state: sending one again is harmless); default 2. */
  maxRetries?: number;
  /** A Retry-After longer than this is not waited for; default 30 s. */
  maxRetryAfterMs?: number;
  /** Called with the platform's `Cardport-Warning`s on an answer (outcomes carry them as `warnings`). */
  onWarning?: WarningHandler;
}

const knownOptions = [
  'baseUrl',
  'callback',
  'partnerId',
  'certificateId',
  'partnerKey',
  'clock',
  'fetch',
  'timeoutMs',
  'maxRetries',
  'maxRetryAfterMs',
  'onWarning',
] as const;

/** The platform refused a call: `status` (401 for a bad token), the error code and its answer. */
export class WalletServerError extends CardportApiError {
  override readonly name = 'WalletServerError';
  constructor(
    message: string,
    status: number,
    readonly body: string,
    requestId = '',
    code = String(status),
  ) {
    super(message, { status, code, requestId });
  }
}

export interface NotificationOutcome {
  /** 200 (applied) or 204 (no wallet held it). */
  status: number;
  requestId: string;
  /** The platform's warnings on the answer (none from the real hosts). */
  warnings: CardportWarning[];
}

/** Update Notification data: `[{refId, state}]`. */
export type UpdateData = UpdateNotification['card']['data'];
/** Cancel Notification data: `[{eventId | vehicleNumber, estimatedOrActualStartDate?, state: 'CANCELED'}]`. */
export type CancelData = CancelNotification['card']['data'];

/**
 * Calls the Samsung Server API.
 *
 * @example
 *   const client = new WalletServerClient({ callback, partnerId, certificateId, partnerKey });
 *   await client.notifyUpdate(cardId, 'KR', { type: 'ticket', data: [{ refId, state: 'UPDATED' }] });
 */
export class WalletServerClient {
  readonly #base: string;
  readonly #options: WalletServerClientOptions;
  readonly #fetch: typeof fetch;

  constructor(options: WalletServerClientOptions) {
    rejectUnknownOptions('WalletServerClient', options, knownOptions);
    this.#base = (options.baseUrl ?? options.callback ?? WALLET_SERVER_API_BASE_URL).replace(/\/+$/, '');
    this.#options = options;
    this.#fetch = options.fetch ?? fetch;
    toPrivateKey(options.partnerKey, 'partnerKey');
  }

  /** Update Notification: `POST [/{cc2}]/wltex/cards/{cardId}/notification`. */
  notifyUpdate(
    cardId: string,
    cc2: string | undefined,
    card: { type: string; data: UpdateData },
  ): Promise<NotificationOutcome> {
    return this.#post(this.#path(cardId, cc2, 'notification'), { card });
  }

  /** Cancel Notification: `POST [/{cc2}]/wltex/cards/{cardId}/cancellation`. */
  notifyCancel(
    cardId: string,
    cc2: string | undefined,
    card: { type: string; data: CancelData },
  ): Promise<NotificationOutcome> {
    return this.#post(this.#path(cardId, cc2, 'cancellation'), { card });
  }

  #path(cardId: string, cc2: string | undefined, action: string): string {
    const prefix = cc2 ? `/${encodeURIComponent(cc2)}` : '';
    return `${prefix}/wltex/cards/${encodeURIComponent(cardId)}/${action}`;
  }

  async #post(path: string, body: unknown): Promise<NotificationOutcome> {
    const url = new URL(`${this.#base}${path}`);
    const o = this.#options;
    const clock = o.clock;
    // The token is bound to the full path the request goes to (a callback may carry a path).
    const token = createAuthToken({
      method: 'POST',
      path: url.pathname,
      partnerId: o.partnerId,
      certificateId: o.certificateId,
      privateKey: toPrivateKey(o.partnerKey, 'partnerKey'),
      ...(clock ? { now: () => clock.now() } : {}),
    });
    const requestId = randomUUID().replace(/-/g, '');
    const res = await fetchWithRetry(
      this.#fetch,
      {
        method: 'POST',
        url,
        headers: {
          authorization: `Bearer ${token}`,
          'x-smcs-partner-id': o.partnerId,
          'x-request-id': requestId,
          'content-type': 'application/json',
        },
        body: JSON.stringify(body),
        requestId,
        idempotent: true,
      },
      {
        maxRetries: o.maxRetries ?? 2,
        maxRetryAfterMs: o.maxRetryAfterMs ?? 30_000,
        timeoutMs: o.timeoutMs ?? 10_000,
      },
      o.onWarning,
      (err) =>
        new WalletServerError(`Server API not reachable: ${err.message}`, 0, '', requestId, 'NETWORK_ERROR'),
    );
    const text = res.text;
    if (res.status !== 200 && res.status !== 204) {
      let message = `Server API answered HTTP ${res.status}`;
      let code = String(res.status);
      try {
        const e = (JSON.parse(text) as { error?: { message?: string; code?: string } }).error;
        if (e?.message) message += `: ${e.message}`;
        if (typeof e?.code === 'string') code = e.code;
      } catch {
        // Not JSON: the status says enough.
      }
      const error = new WalletServerError(message, res.status, text, requestId, code);
      error.warnings = res.warnings;
      throw error;
    }
    return { status: res.status, requestId, warnings: res.warnings };
  }
}
