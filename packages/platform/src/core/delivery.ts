// Outbound delivery: every call the platform makes to a partner goes through here.
// Sync calls (the caller waits: WA_READY, Get Card Data) and durable jobs (WA_PROVISIONED, Send
// Card State, ...) written in the caller's transaction and retried on a published schedule.
// Guarantees and the retry policy are documented in docs/reliability.md.
//
// This file assembles the module and is its public face; the work is done in named steps over a
// worker context (delivery-context.ts): delivery-sync.ts (sync calls), delivery-attempt.ts (claim,
// prepare and call, handle success, handle failure), delivery-completions.ts (group commit of the
// results), delivery-worker.ts (the loop), delivery-store.ts and its neighbours (SQL).
import type { Queryable } from './db.ts';
import { createDeliveryContext, type DeliveryContext, deliveryChannel } from './delivery-context.ts';
import { applyEnqueueFault } from './delivery-faults.ts';
import { kindPattern, prepareRequest } from './delivery-request.ts';
import {
  getDelivery,
  insertDelivery,
  listDeliveries,
  listDeliveryAttempts,
  replayDelivery,
} from './delivery-store.ts';
import { call } from './delivery-sync.ts';
import type { Delivery, DeliveryOptions, EnqueueRequest } from './delivery-types.ts';
import { DeliveryWorker } from './delivery-worker.ts';
import { invalidInput, notFound, PlatformError } from './errors.ts';
import { newHexId } from './ids.ts';

export type { AttemptTarget, DeliveryFaults, EnqueueFault } from './delivery-faults.ts';
export type { PartnerIdentity, ResolveIdentity } from './delivery-http.ts';
export { maxRetryAfterMs, redactHeaders, retryJitter, retryScheduleMs } from './delivery-policy.ts';
export type { AttemptOutcome, DeliveryMode, DeliveryStatus } from './delivery-statuses.ts';
export { deliveryStatuses } from './delivery-statuses.ts';
export type { AttemptRecord, DeliveryFilter, DeliveryRecord } from './delivery-store.ts';
export type {
  CallOptions,
  Delivery,
  DeliveryDetails,
  DeliveryJob,
  DeliveryOptions,
  EnqueueRequest,
  KindHooks,
  OutboundRequest,
  OutboundResponse,
  WorkerOptions,
} from './delivery-types.ts';
export { deliveryChannel };

/** Writes a durable job in the caller's transaction `q`: it exists if and only if `q` commits. */
async function enqueue(ctx: DeliveryContext, q: Queryable, job: EnqueueRequest): Promise<{ id: string }> {
  const { clock, faults } = ctx;
  if (typeof job.kind !== 'string' || !kindPattern.test(job.kind)) {
    throw invalidInput('invalid delivery kind', [
      { field: 'kind', reason: 'letters, digits and ._:- (1-100)' },
    ]);
  }
  const prepared = prepareRequest(job);
  const id = `dlv_${newHexId(12)}`;
  const now = clock.now();
  await insertDelivery(q, {
    id,
    mode: 'durable',
    kind: job.kind,
    partnerId: job.partnerId,
    method: prepared.method,
    url: job.url,
    headers: prepared.headers,
    bodyText: prepared.bodyText ?? null,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: now,
    lastStatus: null,
    lastError: null,
    now,
    deliveredAt: null,
  });
  if (faults && job.partnerId)
    await applyEnqueueFault(q, faults, id, { ...job, partnerId: job.partnerId, now });
  return { id };
}

/** Puts a dead (or delivered) durable job back in the queue, due now; keeps its attempts. */
async function replay(ctx: DeliveryContext, id: string) {
  const replayed = await replayDelivery(ctx.db, id, ctx.clock.now());
  if (replayed) return replayed;
  const existing = await getDelivery(ctx.db, id);
  if (!existing) throw notFound('delivery');
  if (existing.mode === 'sync') {
    throw new PlatformError('CONFLICT', 'a sync call cannot be replayed: its caller has moved on');
  }
  throw new PlatformError(
    'CONFLICT',
    `delivery is ${existing.status}: only dead or delivered jobs can be replayed`,
  );
}

/** Builds the delivery module. Nothing starts until `start()`; `runDue()` drives it in tests. */
export function createDelivery(options: DeliveryOptions): Delivery {
  const ctx = createDeliveryContext(options);
  const worker = new DeliveryWorker(ctx);
  return {
    call: (req, callOptions) => call(ctx, req, callOptions),
    async enqueue(q, job) {
      const queued = await enqueue(ctx, q, job);
      // Once the job is committed, wake this process's worker and tell every other process's
      // (PostgreSQL NOTIFY, shared by the enqueues of the moment). Woken earlier, a claim could
      // run before the commit and miss the job until the next poll.
      const due = () => {
        if (worker.running) worker.wake();
        ctx.announce();
      };
      if (q.afterCommit) q.afterCommit(due);
      else due();
      return queued;
    },
    setFaults(hooks) {
      ctx.faults = hooks;
    },
    registerKind(kind, hooks) {
      if (!kindPattern.test(kind)) throw new TypeError(`invalid delivery kind: ${kind}`);
      // Registering again replaces the hooks: buildApp may mount a domain twice on one module in tests.
      ctx.kinds.set(kind, hooks);
    },
    start: (workerOptions) => worker.start(workerOptions),
    stop: () => worker.stop(),
    runDue: () => worker.runDue(),
    list: (filter) => listDeliveries(ctx.db, filter),
    async get(id) {
      const delivery = await getDelivery(ctx.db, id);
      if (!delivery) return undefined;
      return { delivery, attempts: await listDeliveryAttempts(ctx.db, id) };
    },
    async replay(id) {
      const replayed = await replay(ctx, id);
      if (worker.running) worker.wake();
      ctx.announce();
      return replayed;
    },
    async close() {
      await worker.stop();
      ctx.agents.destroy();
    },
  };
}
