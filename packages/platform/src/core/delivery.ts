// Outbound delivery: every call the platform makes to a partner goes through here.
// Sync calls (the caller waits: WA_READY, Get Card Data) and durable jobs (WA_PROVISIONED, Send
// Card State, ...) written in the caller's transaction and retried on a published schedule.
// Guarantees and the retry policy are documented in docs/reliability.md.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Clock } from './clock.ts';
import { systemClock } from './clock.ts';
import type { Db, Queryable } from './db.ts';
import { applyEnqueueFault, type DeliveryFaults } from './delivery-faults.ts';
import { AgentPool, type RawResponse, type ResolveIdentity, SendFailure, sendOnce } from './delivery-http.ts';
import {
  isRetryableStatus,
  nextRetryDelay,
  parseRetryAfter,
  redactHeaders,
  responseExcerpt,
  retryScheduleMs,
} from './delivery-policy.ts';
import {
  type AttemptRecord,
  type AttemptResult,
  type CompletedAttempt,
  claimDueDeliveries,
  completeDeliveryAttempts,
  type DeliveryFilter,
  type DeliveryRecord,
  type FinishedAttempt,
  finishAttempt,
  getDelivery,
  insertAttempt,
  insertDelivery,
  listDeliveries,
  listDeliveryAttempts,
  markAttemptInjected,
  noteAttemptError,
  replayDelivery,
} from './delivery-store.ts';
import { invalidInput, isPlatformError, notFound, PlatformError } from './errors.ts';
import { newHexId } from './ids.ts';
import type { Logger } from './logger.ts';

export type { AttemptTarget, DeliveryFaults, EnqueueFault } from './delivery-faults.ts';
export type { PartnerIdentity, ResolveIdentity } from './delivery-http.ts';
export { maxRetryAfterMs, redactHeaders, retryJitter, retryScheduleMs } from './delivery-policy.ts';
export type {
  AttemptOutcome,
  AttemptRecord,
  DeliveryFilter,
  DeliveryMode,
  DeliveryRecord,
  DeliveryStatus,
} from './delivery-store.ts';
export { deliveryStatuses } from './delivery-store.ts';

export interface OutboundRequest {
  /** The partner whose mTLS identity and trust anchors the call uses; null for plain calls. */
  partnerId: string | null;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'HEAD';
  url: string;
  headers?: Record<string, string>;
  /** JSON body (serialized by the delivery module). */
  body?: unknown;
}

/** A partner's answer. `body` is the text (cut at the size cap); `json` is set when it parses. */
export interface OutboundResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  json?: unknown;
  truncated: boolean;
  /** Of the last attempt. */
  latencyMs: number;
  attempts: number;
}

/** A durable job as its hooks see it. */
export interface DeliveryJob {
  id: string;
  kind: string;
  partnerId: string | null;
  method: OutboundRequest['method'];
  url: string;
  headers: Record<string, string>;
  body: unknown;
  /** The number of the attempt being made (1 for the first). */
  attempt: number;
  createdAt: number;
}

/** Per-kind behaviour, registered by the domain that enqueues jobs of that kind. */
export interface KindHooks {
  /**
   * Extra headers computed at send time, for every attempt (e.g. an AUTH token valid for 30 s
   * must be minted when the request leaves, not when the job was enqueued).
   */
  prepare?(job: DeliveryJob): Promise<Record<string, string>>;
  /** Runs in the transaction that marks the job delivered. */
  onDelivered?(q: Queryable, job: DeliveryJob, response: OutboundResponse): Promise<void>;
  /** Runs in the transaction that marks the job dead. */
  onDead?(q: Queryable, job: DeliveryJob): Promise<void>;
}

export interface CallOptions {
  /** Per attempt; default `syncTimeoutMs` (5 s). */
  timeoutMs?: number;
  /** Fast retries on network errors and 5xx (never on 4xx); default 2. */
  retries?: number;
  /** Recorded with the call (e.g. `s2p.wa_ready`); default `sync`. Its `prepare` hook applies. */
  kind?: string;
}

export interface EnqueueRequest extends OutboundRequest {
  /** Free string naming the job's purpose and its hooks, e.g. `s2p.notification`. */
  kind: string;
}

export interface WorkerOptions {
  /** Attempts in flight at once in this process (and the most one claim takes); default 64. */
  concurrency?: number;
  /** How often an idle worker looks for due jobs; default 1000 ms. */
  pollMs?: number;
}

export interface DeliveryDetails {
  delivery: DeliveryRecord;
  attempts: AttemptRecord[];
}

export interface Delivery {
  /** Calls a partner and waits for the answer; throws PARTNER_UNREACHABLE when none comes. */
  call(req: OutboundRequest, options?: CallOptions): Promise<OutboundResponse>;
  /** Writes a durable job in the caller's transaction `q`: it exists if and only if `q` commits. */
  enqueue(q: Queryable, job: EnqueueRequest): Promise<{ id: string }>;
  registerKind(kind: string, hooks: KindHooks): void;
  /** Installs the fault-injection hook (the platform's src/faults/ fills it; none by default). */
  setFaults(faults: DeliveryFaults | undefined): void;
  /** Starts the background worker (idempotent). */
  start(options?: WorkerOptions): void;
  /** Stops claiming and waits for attempts in flight (SIGTERM drains). */
  stop(): Promise<void>;
  /** One pass for tests: delivers every job due now, waits for them, returns how many were attempted. */
  runDue(): Promise<number>;
  list(filter?: DeliveryFilter): Promise<DeliveryRecord[]>;
  get(id: string): Promise<DeliveryDetails | undefined>;
  /** Puts a dead (or delivered) durable job back in the queue, due now; keeps its attempts. */
  replay(id: string): Promise<DeliveryRecord>;
  /** Stops the worker and closes the keep-alive connections. */
  close(): Promise<void>;
}

export interface DeliveryOptions {
  db: Db;
  /** Domain time: retry times and record timestamps (the sandbox clock in `cardport up`). */
  clock: Clock;
  log: Logger;
  resolveIdentity: ResolveIdentity;
  /** Retry delays of durable jobs; default `retryScheduleMs`. */
  schedule?: readonly number[];
  /** Per-attempt timeout of sync calls; default 5000 ms. */
  syncTimeoutMs?: number;
  /** Fast retries of sync calls; default 2. */
  syncRetries?: number;
  /** Waits between sync retries (the last repeats); default 100 ms, 400 ms. */
  syncRetryDelaysMs?: readonly number[];
  /** Per-attempt timeout of durable jobs; default 15000 ms. */
  timeoutMs?: number;
  /** How long a claimed job stays reserved to its worker; default timeoutMs + 30 s. */
  leaseMs?: number;
  /**
   * Leases are measured in real time, not domain time: advancing the sandbox clock must not let
   * a second worker take a job still in flight. Tests inject a manual clock.
   */
  leaseClock?: Clock;
  /** Largest body a sync call returns; default 1 MiB. Durable attempts keep 64 KiB. */
  maxResponseBytes?: number;
  /** Jitter source; default Math.random. */
  random?: () => number;
  /** Names this worker in attempt records; default host:pid. */
  workerName?: string;
  /**
   * The outbound gate, asked before every attempt: a reason when nothing may be sent to this
   * partner (e.g. it is revoked), null otherwise. A refused sync call throws FORBIDDEN; a refused
   * durable job ends `cancelled` with the reason. Core knows no partner: the app injects it.
   */
  refuse?: (partnerId: string) => Promise<string | null>;
}

/** The most jobs one claim takes (and the default worker concurrency). */
const maxClaim = 64;
/** Notified (PostgreSQL) by the enqueuing transaction's commit: workers in every process wake at once. */
export const deliveryChannel = 'cardport_deliveries';

const methods = new Set(['GET', 'POST', 'PUT', 'DELETE', 'HEAD']);
const kindPattern = /^[A-Za-z0-9_.:-]{1,100}$/;

interface PreparedRequest {
  method: OutboundRequest['method'];
  url: URL;
  headers: Record<string, string>;
  bodyText: string | undefined;
}

function prepareRequest(req: OutboundRequest): PreparedRequest {
  if (!methods.has(req.method)) {
    throw invalidInput('unsupported method', [
      { field: 'method', reason: 'one of GET, POST, PUT, DELETE, HEAD' },
    ]);
  }
  let url: URL;
  try {
    url = new URL(req.url);
  } catch {
    throw invalidInput('partner URL is not an absolute URL', [
      { field: 'url', reason: 'absolute http(s) URL' },
    ]);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalidInput('partner URL must use http or https', [
      { field: 'url', reason: 'absolute http(s) URL' },
    ]);
  }
  if (req.partnerId !== null && (typeof req.partnerId !== 'string' || req.partnerId === '')) {
    throw invalidInput('partnerId must be a partner id or null', [
      { field: 'partnerId', reason: 'string or null' },
    ]);
  }
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers ?? {})) {
    if (typeof v !== 'string' || /[\r\n]/.test(v) || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(k)) {
      throw invalidInput('invalid header', [
        { field: `headers.${k}`, reason: 'a token name and a one-line value' },
      ]);
    }
    headers[k.toLowerCase()] = v;
  }
  let bodyText: string | undefined;
  if (req.body !== undefined) {
    try {
      bodyText = JSON.stringify(req.body);
    } catch {
      throw invalidInput('body is not serializable as JSON', [{ field: 'body', reason: 'JSON value' }]);
    }
    if (bodyText === undefined) {
      throw invalidInput('body is not serializable as JSON', [{ field: 'body', reason: 'JSON value' }]);
    }
    headers['content-type'] ??= 'application/json';
  }
  headers['user-agent'] ??= 'Cardport';
  return { method: req.method, url, headers, bodyText };
}

function parseJson(res: RawResponse): unknown {
  if (res.truncated || res.body === '') return undefined;
  try {
    return JSON.parse(res.body);
  } catch {
    return undefined;
  }
}

function toOutbound(res: RawResponse, latencyMs: number, attempts: number): OutboundResponse {
  const json = parseJson(res);
  return {
    status: res.status,
    headers: res.headers,
    body: res.body,
    ...(json === undefined ? {} : { json }),
    truncated: res.truncated,
    latencyMs,
    attempts,
  };
}

function safeHookError(err: unknown, hook: string): string {
  // PlatformError messages are safe by contract; anything else may carry secrets: logs only.
  return isPlatformError(err) ? `${hook} hook failed: ${err.message}` : `${hook} hook failed (see the logs)`;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function hostOf(url: URL): string {
  return url.host;
}

/** Builds the delivery module. Nothing starts until `start()`; `runDue()` drives it in tests. */
export function createDelivery(options: DeliveryOptions): Delivery {
  const { db, clock, log } = options;
  const schedule = options.schedule ?? retryScheduleMs;
  const syncTimeoutMs = options.syncTimeoutMs ?? 5000;
  const syncRetries = options.syncRetries ?? 2;
  const syncDelays = options.syncRetryDelaysMs ?? [100, 400];
  const timeoutMs = options.timeoutMs ?? 15_000;
  const leaseMs = options.leaseMs ?? timeoutMs + 30_000;
  const leaseClock = options.leaseClock ?? systemClock;
  const maxResponseBytes = options.maxResponseBytes ?? 1024 * 1024;
  const durableMaxBytes = 64 * 1024;
  const random = options.random ?? Math.random;
  const workerName = options.workerName ?? `${hostname()}:${process.pid}`;
  const agents = new AgentPool(options.resolveIdentity);
  const kinds = new Map<string, KindHooks>();
  let faults: DeliveryFaults | undefined;
  /** Asks the fault hook before an attempt leaves; throws (as a network failure) when it is aborted. */
  async function faultGate(
    partnerId: string | null,
    kind: string,
    mode: 'sync' | 'durable',
    attempt: number,
  ) {
    const note = faults && partnerId ? await faults.beforeAttempt({ partnerId, kind, mode, attempt }) : null;
    if (note) throw Object.assign(new SendFailure('network', `injected fault: ${note}`), { injected: note });
  }
  const injectedOf = (err: unknown): string | null =>
    (err as { injected?: string } | undefined)?.injected ?? null;

  if (schedule.some((d) => !Number.isFinite(d) || d < 0))
    throw new TypeError('schedule: delays must be >= 0 ms');
  if (leaseMs <= timeoutMs)
    throw new TypeError('leaseMs must exceed timeoutMs: a lease must outlast its attempt');

  // Worker state.
  let running = false;
  let loop: Promise<void> | undefined;
  let concurrency = maxClaim;
  let pollMs = 1000;
  const active = new Set<Promise<void>>();
  let wakeUp: (() => void) | undefined;
  let wakePending = false;

  const wake = () => {
    if (wakeUp) {
      const w = wakeUp;
      wakeUp = undefined;
      w();
    } else {
      wakePending = true;
    }
  };

  const idle = (ms: number) =>
    new Promise<void>((resolve) => {
      if (wakePending) {
        wakePending = false;
        resolve();
        return;
      }
      const timer = setTimeout(() => {
        wakeUp = undefined;
        resolve();
      }, ms);
      wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  async function send(
    prepared: PreparedRequest,
    partnerId: string | null,
    extraHeaders: Record<string, string>,
    limits: { timeoutMs: number; maxBodyBytes: number },
  ): Promise<RawResponse> {
    const agent = await agents.agentFor(partnerId, prepared.url);
    const headers = { ...prepared.headers };
    for (const [k, v] of Object.entries(extraHeaders)) headers[k.toLowerCase()] = v;
    return sendOnce(
      { method: prepared.method, url: prepared.url, headers, body: prepared.bodyText },
      agent,
      limits,
    );
  }

  /** Runs `fn` with a deadline, so a hanging prepare hook cannot outlive the lease. */
  async function withDeadline<T>(ms: number, fn: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        fn(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new SendFailure('timeout', `no complete answer within ${ms} ms`)),
            ms,
          );
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  const refusal = (partnerId: string | null): Promise<string | null> =>
    partnerId !== null && options.refuse ? options.refuse(partnerId) : Promise.resolve(null);

  /** Records a sync call the gate refused (nothing was sent) and throws FORBIDDEN. */
  async function refuseCall(req: OutboundRequest, prepared: PreparedRequest, kind: string, reason: string) {
    const now = clock.now();
    const error = `not sent: ${reason}`;
    await insertDelivery(db, {
      id: `dlv_${newHexId(12)}`,
      mode: 'sync',
      kind,
      partnerId: req.partnerId,
      method: prepared.method,
      url: req.url,
      headers: redactHeaders(prepared.headers),
      bodyText: prepared.bodyText ?? null,
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

  async function call(req: OutboundRequest, callOptions: CallOptions = {}): Promise<OutboundResponse> {
    const prepared = prepareRequest(req);
    const kind = callOptions.kind ?? 'sync';
    if (!kindPattern.test(kind)) throw new TypeError(`invalid delivery kind: ${kind}`);
    const refused = await refusal(req.partnerId);
    if (refused !== null) throw await refuseCall(req, prepared, kind, refused);
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
        await faultGate(req.partnerId, kind, 'sync', attempt);
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
        const res = await send(prepared, req.partnerId, extra, {
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
        failure =
          err instanceof SendFailure ? err : new SendFailure('network', safeHookError(err, 'prepare'));
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
    try {
      await db.transaction(async (tx) => {
        await insertDelivery(tx, {
          id,
          mode: 'sync',
          kind,
          partnerId: req.partnerId,
          method: prepared.method,
          url: req.url,
          headers: redactHeaders(prepared.headers),
          bodyText: prepared.bodyText ?? null,
          status: outcome && outcome.status >= 200 && outcome.status < 300 ? 'delivered' : 'failed',
          attempts: records.length,
          nextAttemptAt: createdAt,
          lastStatus: last?.httpStatus ?? null,
          lastError: last?.error ?? null,
          now: clock.now(),
          deliveredAt: outcome && outcome.status >= 200 && outcome.status < 300 ? clock.now() : null,
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

  async function enqueue(q: Queryable, job: EnqueueRequest): Promise<{ id: string }> {
    if (typeof job.kind !== 'string' || !kindPattern.test(job.kind)) {
      throw invalidInput('invalid delivery kind', [
        { field: 'kind', reason: 'letters, digits and ._:- (1-100)' },
      ]);
    }
    const prepared = prepareRequest(job);
    const id = `dlv_${newHexId(12)}`;
    const now = clock.now();
    // Wake the worker at once. On PGlite (one connection) its claim queues behind the caller's
    // transaction, so it sees the job once that commits. On PostgreSQL the claim may run before the
    // commit: the NOTIFY sent with the insert is delivered at commit and wakes every worker
    // listening, in every process.
    await insertDelivery(
      q,
      {
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
      },
      db.kind === 'postgres' ? deliveryChannel : undefined,
    );
    if (faults && job.partnerId)
      await applyEnqueueFault(q, faults, id, { ...job, partnerId: job.partnerId, now });
    if (running) wake();
    return { id };
  }

  function jobView(record: DeliveryRecord): DeliveryJob {
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

  /**
   * Runs `hook` under a savepoint: a failing hook is rolled back and logged, the job's state still
   * commits. The savepoint is opened before the hook's first statement, so a hook that runs no SQL
   * costs none.
   */
  async function runHook(
    q: Queryable,
    name: string,
    kind: string,
    hook: (tx: Queryable) => Promise<void>,
  ): Promise<string | null> {
    let savepoint: Promise<unknown> | undefined;
    const open = () => (savepoint ??= q.query('SAVEPOINT delivery_hook'));
    const guarded: Queryable = {
      query: async (sql, params) => {
        await open();
        return q.query(sql, params);
      },
      exec: async (sql) => {
        await open();
        await q.exec(sql);
      },
    };
    try {
      await hook(guarded);
      if (savepoint) await q.query('RELEASE SAVEPOINT delivery_hook');
      return null;
    } catch (err) {
      if (savepoint) await q.query('ROLLBACK TO SAVEPOINT delivery_hook');
      log.error({ err, kind, hook: name }, 'delivery hook failed');
      return safeHookError(err, name);
    }
  }

  interface Completion extends CompletedAttempt {
    kind: string;
    hook: { name: string; run: (tx: Queryable) => Promise<void> } | undefined;
    settle: (updated: boolean) => void;
    fail: (err: unknown) => void;
  }
  const completions: Completion[] = [];
  let flushing = false;

  /** Records a batch: one statement, plus one transaction around it when a job has a hook. */
  async function completeBatch(batch: readonly Completion[]): Promise<Set<string>> {
    if (!batch.some((c) => c.hook)) return completeDeliveryAttempts(db, batch);
    return db.transaction(async (tx) => {
      const done = await completeDeliveryAttempts(tx, batch);
      for (const c of batch) {
        if (!c.hook || !done.has(c.id)) continue;
        const hookError = await runHook(tx, c.hook.name, c.kind, c.hook.run);
        if (hookError) await noteAttemptError(tx, c.id, c.attempt.attempt, hookError);
      }
      return done;
    });
  }

  /**
   * Group commit of finished attempts: those that end while a batch is being written go into the
   * next one. If a batch fails, its jobs are retried one by one, so one bad row fails only itself.
   */
  async function flushCompletions(): Promise<void> {
    flushing = true;
    try {
      // Let the attempts that finish in this turn of the event loop join the first batch.
      await new Promise<void>((resolve) => setImmediate(resolve));
      while (completions.length > 0) {
        const batch = completions.splice(0, maxClaim);
        try {
          const done = await completeBatch(batch);
          for (const c of batch) c.settle(done.has(c.id));
        } catch (err) {
          if (batch.length === 1) {
            batch[0]?.fail(err);
            continue;
          }
          for (const c of batch) {
            await completeBatch([c]).then(
              (done) => c.settle(done.has(c.id)),
              (e: unknown) => c.fail(e),
            );
          }
        }
      }
    } finally {
      flushing = false;
    }
  }

  function complete(c: Omit<Completion, 'settle' | 'fail'>): Promise<boolean> {
    return new Promise<boolean>((settle, fail) => {
      completions.push({ ...c, settle, fail });
      if (!flushing) void flushCompletions();
    });
  }

  async function attemptJob(record: DeliveryRecord): Promise<void> {
    const owner = record.leaseOwner ?? '';
    const job = jobView(record);
    const hooks = kinds.get(record.kind);
    const t0 = performance.now();
    let res: RawResponse | undefined;
    let failure: SendFailure | undefined;
    let refused: string | null = null;
    let injected: string | null = null;
    try {
      refused = await refusal(record.partnerId);
      if (refused !== null) throw new SendFailure('network', `not sent: ${refused}`);
      const prepared = prepareRequest({
        partnerId: record.partnerId,
        method: job.method,
        url: record.url,
        headers: record.headers,
        ...(record.bodyText === null ? {} : { body: job.body }),
      });
      // The whole attempt, prepare hook included, fits in timeoutMs, so it ends before its lease.
      res = await withDeadline(timeoutMs, async () => {
        await faultGate(record.partnerId, record.kind, 'durable', record.attempts);
        const extra = hooks?.prepare ? await hooks.prepare(job) : {};
        return send(prepared, record.partnerId, extra, { timeoutMs, maxBodyBytes: durableMaxBytes });
      });
    } catch (err) {
      if (err instanceof SendFailure) {
        failure = err;
        injected = injectedOf(err);
        if (err.cause) log.error({ err: err.cause, kind: record.kind, id: record.id }, err.message);
      } else {
        if (!isPlatformError(err))
          log.error({ err, kind: record.kind, id: record.id }, 'delivery attempt failed');
        failure = new SendFailure(
          'network',
          isPlatformError(err) ? err.message : safeHookError(err, 'prepare'),
        );
      }
    }
    const latencyMs = Math.round(performance.now() - t0);
    const now = clock.now();
    const retryIndex = record.attempts - record.scheduleOffset - 1;
    let result: AttemptResult;
    let outcome: 'delivered' | 'retry' | 'dead' | 'cancelled';
    let error: string | null;
    if (refused !== null) {
      outcome = 'cancelled';
      error = `not sent: ${refused}`;
      result = { status: 'cancelled', nextAttemptAt: now, lastStatus: null, lastError: error, now };
    } else if (res && res.status >= 200 && res.status < 300) {
      outcome = 'delivered';
      error = null;
      result = { status: 'delivered', nextAttemptAt: now, lastStatus: res.status, lastError: null, now };
    } else {
      const retryable = !res || isRetryableStatus(res.status);
      const retryAfterMs = res
        ? parseRetryAfter(res.headers['retry-after'], res.headers['date'], Date.now())
        : undefined;
      const delay = retryable ? nextRetryDelay(retryIndex, { schedule, retryAfterMs, random }) : undefined;
      error = res
        ? `HTTP ${res.status}${retryable ? '' : ': not retryable'}`
        : (failure?.message ?? 'failed');
      if (delay === undefined) {
        outcome = 'dead';
        if (retryable) error = `${error}; retry schedule exhausted`;
        result = {
          status: 'dead',
          nextAttemptAt: now,
          lastStatus: res?.status ?? null,
          lastError: error,
          now,
        };
      } else {
        outcome = 'retry';
        result = {
          status: 'pending',
          nextAttemptAt: now + delay,
          lastStatus: res?.status ?? null,
          lastError: error,
          now,
        };
      }
    }
    const attemptBase = {
      attempt: record.attempts,
      finishedAt: now,
      latencyMs,
      httpStatus: res?.status ?? null,
      response: res ? responseExcerpt(res.body) : null,
    };
    const finished = {
      ...attemptBase,
      outcome,
      error,
      retryAt: outcome === 'retry' ? result.nextAttemptAt : null,
    };
    const hook =
      outcome === 'delivered' && res && hooks?.onDelivered
        ? {
            name: 'onDelivered',
            run: (tx: Queryable) => hooks.onDelivered!(tx, job, toOutbound(res, latencyMs, record.attempts)),
          }
        : outcome === 'dead' && hooks?.onDead
          ? { name: 'onDead', run: (tx: Queryable) => hooks.onDead!(tx, job) }
          : undefined;
    // Completions are written in batches (one statement); a hook shares its batch's transaction.
    const updated = await complete({
      id: record.id,
      owner,
      result,
      attempt: finished,
      injected,
      kind: record.kind,
      hook,
    });
    if (!updated) {
      // Another worker reclaimed the job after our lease ran out; its result counts, not ours.
      await finishAttempt(db, record.id, {
        ...attemptBase,
        outcome: 'lease_expired',
        error: `finished after its lease expired (${error ?? 'delivered'}); result ignored`,
        retryAt: null,
      });
      log.warn({ id: record.id, kind: record.kind }, 'delivery finished after its lease expired');
      return;
    }
    if (outcome === 'dead' || outcome === 'cancelled')
      log.warn({ id: record.id, kind: record.kind, error }, `delivery is ${outcome}`);
  }

  async function claim(limit: number): Promise<DeliveryRecord[]> {
    const owner = `${workerName}#${randomBytes(6).toString('hex')}`;
    const leaseNow = leaseClock.now();
    return claimDueDeliveries(db, {
      limit,
      now: clock.now(),
      leaseNow,
      leaseUntil: leaseNow + leaseMs,
      owner,
      worker: workerName,
    });
  }

  function track(record: DeliveryRecord): void {
    const p: Promise<void> = attemptJob(record)
      .catch((err: unknown) => {
        // A database failure while recording: the lease expires and another pass retries the job.
        log.error({ err, id: record.id }, 'delivery attempt could not be recorded');
      })
      .finally(() => {
        active.delete(p);
        wake();
      });
    active.add(p);
  }

  async function workLoop(): Promise<void> {
    while (running) {
      const free = concurrency - active.size;
      // Under load, claim in batches (once half the slots are free) rather than one job per
      // finished attempt: each claim is a commit, and commits are what durable delivery costs.
      if (free > 0 && (active.size === 0 || free * 2 >= concurrency)) {
        try {
          for (const job of await claim(Math.min(free, maxClaim))) track(job);
        } catch (err) {
          log.error({ err }, 'delivery worker: claiming failed');
        }
      }
      if (!running) break;
      // A finished attempt, an enqueue or a replay wakes the loop early; otherwise it polls.
      await idle(pollMs);
    }
  }

  async function runDue(): Promise<number> {
    let total = 0;
    for (;;) {
      const jobs = await claim(Math.min(concurrency, maxClaim));
      if (jobs.length === 0) break;
      total += jobs.length;
      await Promise.all(
        jobs.map((job) =>
          attemptJob(job).catch((err: unknown) => {
            log.error({ err, id: job.id }, 'delivery attempt could not be recorded');
          }),
        ),
      );
    }
    return total;
  }

  let unlisten: Promise<(() => Promise<void>) | undefined> | undefined;

  async function stop(): Promise<void> {
    running = false;
    const listening = unlisten;
    unlisten = undefined;
    await (await listening)?.();
    wake();
    await loop;
    loop = undefined;
    await Promise.allSettled([...active]);
  }

  return {
    call,
    enqueue,
    setFaults(hooks) {
      faults = hooks;
    },
    registerKind(kind, hooks) {
      if (!kindPattern.test(kind)) throw new TypeError(`invalid delivery kind: ${kind}`);
      // Registering again replaces the hooks: buildApp may mount a domain twice on one module in tests.
      kinds.set(kind, hooks);
    },
    start(workerOptions = {}) {
      if (running) return;
      concurrency = Math.max(1, workerOptions.concurrency ?? concurrency);
      pollMs = Math.max(10, workerOptions.pollMs ?? pollMs);
      running = true;
      wakePending = false;
      // Jobs enqueued by other processes (and this one's, once committed) wake the worker at once.
      unlisten = db.listen
        ? db.listen(deliveryChannel, wake).catch((err: unknown) => {
            log.warn({ err }, 'delivery worker: cannot listen for new jobs; polling');
            return undefined;
          })
        : undefined;
      loop = workLoop();
    },
    stop,
    runDue,
    list: (filter) => listDeliveries(db, filter),
    async get(id) {
      const delivery = await getDelivery(db, id);
      if (!delivery) return undefined;
      return { delivery, attempts: await listDeliveryAttempts(db, id) };
    },
    async replay(id) {
      const replayed = await replayDelivery(db, id, clock.now());
      if (replayed) {
        if (running) wake();
        return replayed;
      }
      const existing = await getDelivery(db, id);
      if (!existing) throw notFound('delivery');
      if (existing.mode === 'sync') {
        throw new PlatformError('CONFLICT', 'a sync call cannot be replayed: its caller has moved on');
      }
      throw new PlatformError(
        'CONFLICT',
        `delivery is ${existing.status}: only dead or delivered jobs can be replayed`,
      );
    },
    async close() {
      await stop();
      agents.destroy();
    },
  };
}
