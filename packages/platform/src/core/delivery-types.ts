// The delivery module's public types: what callers send and get back, the per-kind hooks, the
// options of createDelivery and the Delivery interface itself (core/delivery.ts builds it).
import type { Clock } from './clock.ts';
import type { Db, Queryable } from './db.ts';
import type { DeliveryFaults } from './delivery-faults.ts';
import type { ResolveIdentity } from './delivery-http.ts';
import type { AttemptRecord, DeliveryFilter, DeliveryRecord } from './delivery-store.ts';
import type { Logger } from './logger.ts';

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
