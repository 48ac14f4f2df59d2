// One attempt of a durable job, in named steps over the worker context: claim the due jobs,
// prepare the request (the partner's standing, the kind's prepare hook), call the partner, then
// handle the success or the failure (the retry schedule, or the dead letter) and record the result.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Queryable } from './db.ts';
import { type AttemptResult, claimDueDeliveries, finishAttempt } from './delivery-claims.ts';
import type { Completions } from './delivery-completions.ts';
import {
  type DeliveryContext,
  faultGate,
  injectedOf,
  refusal,
  send,
  withDeadline,
} from './delivery-context.ts';
import { type RawResponse, SendFailure } from './delivery-http.ts';
import { isRetryableStatus, nextRetryDelay, parseRetryAfter, responseExcerpt } from './delivery-policy.ts';
import { prepareRequest, safeHookError, toOutbound } from './delivery-request.ts';
import type { DeliveryRecord } from './delivery-store.ts';
import type { DeliveryJob, KindHooks, OutboundRequest } from './delivery-types.ts';
import { isPlatformError } from './errors.ts';

/** Claims up to `limit` due jobs under a fresh lease owned by this worker. */
export async function claim(ctx: DeliveryContext, limit: number): Promise<DeliveryRecord[]> {
  const { workerName, leaseClock, leaseMs } = ctx.settings;
  const owner = `${workerName}#${randomBytes(6).toString('hex')}`;
  const leaseNow = leaseClock.now();
  return claimDueDeliveries(ctx.db, {
    limit,
    now: ctx.clock.now(),
    leaseNow,
    leaseUntil: leaseNow + leaseMs,
    owner,
    worker: workerName,
  });
}

/** The job as its hooks see it. */
export function jobView(record: DeliveryRecord): DeliveryJob {
  return {
    id: record.id,
    kind: record.kind,
    partnerId: record.partnerId,
    method: record.method as OutboundRequest['method'],
    url: record.url,
    headers: record.headers,
    body: record.bodyText === null ? undefined : JSON.parse(record.bodyText),
    attempt: record.attempts,
    createdAt: record.createdAt,
  };
}

/** What calling the partner gave: an answer, or why there is none. */
interface Exchange {
  res: RawResponse | undefined;
  failure: SendFailure | undefined;
  /** The partner's standing refused the call: nothing was sent. */
  refused: string | null;
  /** What fault injection did to this attempt. */
  injected: string | null;
  latencyMs: number;
}

/** Prepares and sends the request; the whole attempt, prepare hook included, fits in timeoutMs. */
export async function callPartner(
  ctx: DeliveryContext,
  record: DeliveryRecord,
  job: DeliveryJob,
  hooks: KindHooks | undefined,
): Promise<Exchange> {
  const { timeoutMs, durableMaxBytes } = ctx.settings;
  const t0 = performance.now();
  const exchange: Exchange = {
    res: undefined,
    failure: undefined,
    refused: null,
    injected: null,
    latencyMs: 0,
  };
  try {
    exchange.refused = await refusal(ctx, record.partnerId);
    if (exchange.refused !== null) throw new SendFailure('network', `not sent: ${exchange.refused}`);
    const prepared = prepareRequest({
      partnerId: record.partnerId,
      method: job.method,
      url: record.url,
      headers: record.headers,
      ...(record.bodyText === null ? {} : { body: job.body }),
    });
    // The lease outlasts timeoutMs, so the attempt ends before another worker may take the job.
    exchange.res = await withDeadline(timeoutMs, async () => {
      await faultGate(ctx, record.partnerId, record.kind, 'durable', record.attempts);
      const extra = hooks?.prepare ? await hooks.prepare(job) : {};
      return send(ctx, prepared, record.partnerId, extra, { timeoutMs, maxBodyBytes: durableMaxBytes });
    });
  } catch (err) {
    if (err instanceof SendFailure) {
      exchange.failure = err;
      exchange.injected = injectedOf(err);
      if (err.cause) ctx.log.error({ err: err.cause, kind: record.kind, id: record.id }, err.message);
    } else {
      if (!isPlatformError(err))
        ctx.log.error({ err, kind: record.kind, id: record.id }, 'delivery attempt failed');
      exchange.failure = new SendFailure(
        'network',
        isPlatformError(err) ? err.message : safeHookError(err, 'prepare'),
      );
    }
  }
  exchange.latencyMs = Math.round(performance.now() - t0);
  return exchange;
}

/** Where the job goes after this attempt. */
interface Decision {
  outcome: 'delivered' | 'retry' | 'dead' | 'cancelled';
  error: string | null;
  result: AttemptResult;
}

/** A refused job is cancelled: the partner may not be called (revoked, suspended). */
export function handleRefusal(now: number, reason: string): Decision {
  const error = `not sent: ${reason}`;
  return {
    outcome: 'cancelled',
    error,
    result: { status: 'cancelled', nextAttemptAt: now, lastStatus: null, lastError: error, now },
  };
}

/** A 2xx answer: the job is delivered. */
export function handleSuccess(now: number, res: RawResponse): Decision {
  return {
    outcome: 'delivered',
    error: null,
    result: { status: 'delivered', nextAttemptAt: now, lastStatus: res.status, lastError: null, now },
  };
}

/**
 * No answer, or not a 2xx: the next retry of the schedule (or the partner's Retry-After), or the
 * dead letter when the answer is not retryable or the schedule is exhausted.
 */
export function handleFailure(
  ctx: DeliveryContext,
  record: DeliveryRecord,
  now: number,
  exchange: Exchange,
): Decision {
  const { res, failure } = exchange;
  const retryIndex = record.attempts - record.scheduleOffset - 1;
  const retryable = !res || isRetryableStatus(res.status);
  const retryAfterMs = res
    ? parseRetryAfter(res.headers['retry-after'], res.headers['date'], Date.now())
    : undefined;
  const { schedule, random } = ctx.settings;
  const delay = retryable ? nextRetryDelay(retryIndex, { schedule, retryAfterMs, random }) : undefined;
  let error = res
    ? `HTTP ${res.status}${retryable ? '' : ': not retryable'}`
    : (failure?.message ?? 'failed');
  const lastStatus = res?.status ?? null;
  if (delay === undefined) {
    if (retryable) error = `${error}; retry schedule exhausted`;
    return {
      outcome: 'dead',
      error,
      result: { status: 'dead', nextAttemptAt: now, lastStatus, lastError: error, now },
    };
  }
  return {
    outcome: 'retry',
    error,
    result: { status: 'pending', nextAttemptAt: now + delay, lastStatus, lastError: error, now },
  };
}

/** The kind's hook that runs with the result: onDelivered or onDead. */
function resultHook(
  decision: Decision,
  exchange: Exchange,
  job: DeliveryJob,
  hooks: KindHooks | undefined,
  attempts: number,
) {
  const { res, latencyMs } = exchange;
  if (decision.outcome === 'delivered' && res && hooks?.onDelivered) {
    return {
      name: 'onDelivered',
      run: (tx: Queryable) => hooks.onDelivered!(tx, job, toOutbound(res, latencyMs, attempts)),
    };
  }
  if (decision.outcome === 'dead' && hooks?.onDead) {
    return { name: 'onDead', run: (tx: Queryable) => hooks.onDead!(tx, job) };
  }
  return undefined;
}

/** One attempt of a claimed job, recorded; a late result (lease expired) is kept but ignored. */
export async function attemptJob(
  ctx: DeliveryContext,
  completions: Completions,
  record: DeliveryRecord,
): Promise<void> {
  const job = jobView(record);
  const hooks = ctx.kinds.get(record.kind);
  const exchange = await callPartner(ctx, record, job, hooks);
  const now = ctx.clock.now();
  const { res } = exchange;
  const decision =
    exchange.refused !== null
      ? handleRefusal(now, exchange.refused)
      : res && res.status >= 200 && res.status < 300
        ? handleSuccess(now, res)
        : handleFailure(ctx, record, now, exchange);
  const { outcome, error, result } = decision;
  const attemptBase = {
    attempt: record.attempts,
    finishedAt: now,
    latencyMs: exchange.latencyMs,
    httpStatus: res?.status ?? null,
    response: res ? responseExcerpt(res.body) : null,
  };
  // Completions are written in batches (one statement); a hook shares its batch's transaction.
  const updated = await completions.complete({
    id: record.id,
    owner: record.leaseOwner ?? '',
    result,
    attempt: { ...attemptBase, outcome, error, retryAt: outcome === 'retry' ? result.nextAttemptAt : null },
    injected: exchange.injected,
    kind: record.kind,
    hook: resultHook(decision, exchange, job, hooks, record.attempts),
  });
  if (!updated) {
    // Another worker reclaimed the job after our lease ran out; its result counts, not ours.
    await finishAttempt(ctx.db, record.id, {
      ...attemptBase,
      outcome: 'lease_expired',
      error: `finished after its lease expired (${error ?? 'delivered'}); result ignored`,
      retryAt: null,
    });
    ctx.log.warn({ id: record.id, kind: record.kind }, 'delivery finished after its lease expired');
    return;
  }
  if (outcome === 'dead' || outcome === 'cancelled')
    ctx.log.warn({ id: record.id, kind: record.kind, error }, `delivery is ${outcome}`);
}
