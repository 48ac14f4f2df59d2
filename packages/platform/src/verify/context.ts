// What every check needs from the platform, and the one way checks call a partner: through the
// delivery module (real mTLS identity, recorded in the delivery log as `verify.*`), no retries.
import type { AppContext } from '../core/context.ts';
import type { OutboundRequest, OutboundResponse } from '../core/delivery.ts';
import { isPlatformError } from '../core/errors.ts';
import { excerpt } from './report.ts';

export type VerifyDeps = Pick<AppContext, 'db' | 'keys' | 'clock' | 'delivery' | 'config' | 'log' | 'state'>;

/** The time budget of a synchronous partner call (core/delivery.ts syncTimeoutMs). */
export const SYNC_BUDGET_MS = 5000;

export interface Sent {
  /** `POST https://…/notifications {json}` (the AUTH token is never shown). */
  request: string;
  response?: OutboundResponse;
  /** Set when no answer came (network, TLS, timeout). */
  error?: string;
  deliveryId?: string;
}

export async function send(deps: VerifyDeps, req: OutboundRequest, kind: string): Promise<Sent> {
  const request = `${req.method} ${req.url}${req.body === undefined ? '' : ` ${excerpt(JSON.stringify(req.body), 300)}`}`;
  try {
    const response = await deps.delivery.call(req, { kind, retries: 0, timeoutMs: SYNC_BUDGET_MS });
    const [rec] = await deps.delivery.list({ kind, limit: 1 });
    return { request, response, ...(rec ? { deliveryId: rec.id } : {}) };
  } catch (err) {
    const [rec] = await deps.delivery.list({ kind, limit: 1 });
    return {
      request,
      error: isPlatformError(err) ? err.message : 'the call failed (see the logs)',
      ...(rec ? { deliveryId: rec.id } : {}),
    };
  }
}

export function answerOf(s: Sent): string {
  if (!s.response) return `no answer: ${s.error ?? 'unknown'}`;
  return `HTTP ${s.response.status} in ${s.response.latencyMs} ms ${excerpt(s.response.body, 300)}`;
}

export const is2xx = (s: Sent) => !!s.response && s.response.status >= 200 && s.response.status < 300;
