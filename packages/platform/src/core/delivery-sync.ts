// Sync calls: the caller waits for the partner's answer (WA_READY, Get Card Data). A few fast
// retries on network errors and 5xx, then the whole call is recorded (one delivery, its attempts)
// for the console; failing to record it never fails the call.
import { performance } from 'node:perf_hooks';
import { type DeliveryContext, faultGate, injectedOf, refusal, send } from './delivery-context.ts';
import { SendFailure } from './delivery-http.ts';
import { redactHeaders, responseExcerpt } from './delivery-policy.ts';
import {
  hostOf,
  kindPattern,
  type PreparedRequest,
  prepareRequest,
  safeHookError,
  sleep,
  toOutbound,
} from './delivery-request.ts';
import type { FinishedAttempt } from './delivery-store.ts';
import { insertAttempt, insertDelivery, markAttemptInjected } from './delivery-store.ts';
import type { CallOptions, OutboundRequest, OutboundResponse } from './delivery-types.ts';
import { isPlatformError, PlatformError } from './errors.ts';
import { newHexId } from './ids.ts';

/** The columns every record of a sync call shares, whatever its outcome. */
function syncCallFields(req: OutboundRequest, prepared: PreparedRequest, kind: string) {
  return {
    mode: 'sync' as const,
    kind,
    partnerId: req.partnerId,
    method: prepared.method,
    url: req.url,
    headers: redactHeaders(prepared.headers),
    bodyText: prepared.bodyText ?? null,
  };
}

/** Records a sync call the gate refused (nothing was sent) and throws FORBIDDEN. */
async function refuseCall(
  ctx: DeliveryContext,
  req: OutboundRequest,
  prepared: PreparedRequest,
  kind: string,
  reason: string,
): Promise<PlatformError> {
  const { db, clock, log } = ctx;
  const now = clock.now();
  const error = `not sent: ${reason}`;
  await insertDelivery(db, {
    id: `dlv_${newHexId(12)}`,
    ...syncCallFields(req, prepared, kind),
    status: 'cancelled',
    attempts: 0,
    nextAttemptAt: now,
    lastStatus: null,
    lastError: error,
    now,
    deliveredAt: null,
  }).catch((err: unknown) => log.warn({ err, kind }, 'sync delivery: could not record the refusal'));
  log.warn({ kind, partnerId: req.partnerId, reason }, 'outbound call refused');
  return new PlatformError('FORBIDDEN', error);
}

/** Calls a partner and waits for the answer (fast retries on network errors and 5xx); records the call. */
export async function call(
  ctx: DeliveryContext,
  req: OutboundRequest,
  callOptions: CallOptions = {},
): Promise<OutboundResponse> {
  const { db, clock, log, kinds } = ctx;
  const { syncTimeoutMs, syncRetries, syncDelays, maxResponseBytes, workerName } = ctx.settings;
  const prepared = prepareRequest(req);
  const kind = callOptions.kind ?? 'sync';
  if (!kindPattern.test(kind)) throw new TypeError(`invalid delivery kind: ${kind}`);
  const refused = await refusal(ctx, req.partnerId);
  if (refused !== null) throw await refuseCall(ctx, req, prepared, kind, refused);
  const perAttempt = callOptions.timeoutMs ?? syncTimeoutMs;
  const retries = Math.max(0, callOptions.retries ?? syncRetries);
  const hooks = kinds.get(kind);
  const id = `dlv_${newHexId(12)}`;
  const records: FinishedAttempt[] = [];
  const createdAt = clock.now();
  let outcome: OutboundResponse | undefined;
  let failure: SendFailure | undefined;
  const injectedAt = new Map<number, string>();
  for (let attempt = 1; attempt <= retries + 1; attempt++) {
    const startedAt = clock.now();
    const t0 = performance.now();
    try {
      await faultGate(ctx, req.partnerId, kind, 'sync', attempt);
      const extra = hooks?.prepare
        ? await hooks.prepare({
            id,
            kind,
            partnerId: req.partnerId,
            method: prepared.method,
            url: req.url,
            headers: prepared.headers,
            body: req.body,
            attempt,
            createdAt,
          })
        : {};
      const res = await send(ctx, prepared, req.partnerId, extra, {
        timeoutMs: perAttempt,
        maxBodyBytes: maxResponseBytes,
      });
      const latencyMs = Math.round(performance.now() - t0);
      const retry = res.status >= 500 && attempt <= retries;
      records.push({
        attempt,
        worker: workerName,
        startedAt,
        finishedAt: clock.now(),
        latencyMs,
        httpStatus: res.status,
        outcome: res.status >= 200 && res.status < 300 ? 'delivered' : retry ? 'retry' : 'failed',
        error: res.status >= 200 && res.status < 300 ? null : `HTTP ${res.status}`,
        response: responseExcerpt(res.body),
        retryAt: null,
      });
      if (!retry) {
        outcome = toOutbound(res, latencyMs, attempt);
        failure = undefined;
        break;
      }
    } catch (err) {
      if (err instanceof SendFailure && err.cause) log.error({ err: err.cause, kind }, err.message);
      else if (!(err instanceof SendFailure) && !isPlatformError(err)) {
        log.error({ err, kind }, 'sync delivery: prepare hook failed');
      }
      if (injectedOf(err)) injectedAt.set(attempt, injectedOf(err)!);
      failure = err instanceof SendFailure ? err : new SendFailure('network', safeHookError(err, 'prepare'));
      records.push({
        attempt,
        worker: workerName,
        startedAt,
        finishedAt: clock.now(),
        latencyMs: Math.round(performance.now() - t0),
        httpStatus: null,
        outcome: attempt <= retries ? 'retry' : 'failed',
        error: failure.message,
        response: null,
        retryAt: null,
      });
    }
    if (attempt <= retries) await sleep(syncDelays[Math.min(attempt - 1, syncDelays.length - 1)] ?? 0);
  }
  const last = records[records.length - 1];
  const delivered = outcome !== undefined && outcome.status >= 200 && outcome.status < 300;
  const finishedAt = clock.now();
  try {
    await db.transaction(async (tx) => {
      await insertDelivery(tx, {
        id,
        ...syncCallFields(req, prepared, kind),
        status: delivered ? 'delivered' : 'failed',
        attempts: records.length,
        nextAttemptAt: createdAt,
        lastStatus: last?.httpStatus ?? null,
        lastError: last?.error ?? null,
        now: finishedAt,
        deliveredAt: delivered ? finishedAt : null,
      });
      for (const r of records) await insertAttempt(tx, id, r);
      for (const [n, note] of injectedAt) await markAttemptInjected(tx, id, n, note);
    });
  } catch (err) {
    // The record is for the dashboard; failing to write it must not fail the partner call.
    log.warn({ err, kind }, 'sync delivery: could not record the call');
  }
  if (outcome) return outcome;
  throw new PlatformError(
    'PARTNER_UNREACHABLE',
    `partner at ${hostOf(prepared.url)} did not answer: ${failure?.message ?? 'unknown error'} (${records.length} attempt${records.length === 1 ? '' : 's'})`,
    { cause: failure },
  );
}
