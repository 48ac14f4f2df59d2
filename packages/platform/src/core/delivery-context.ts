// The worker context every delivery step receives: the resolved settings, the database and
// clocks, the keep-alive agents, the registered kinds and the gates asked before a call leaves
// (fault injection, the partner's standing). Steps are functions of `(ctx, …)`, as in Svix's worker.
import { hostname } from 'node:os';
import type { Clock } from './clock.ts';
import { systemClock } from './clock.ts';
import type { Db } from './db.ts';
import type { DeliveryFaults } from './delivery-faults.ts';
import { AgentPool, type RawResponse, SendFailure, sendOnce } from './delivery-http.ts';
import { retryScheduleMs } from './delivery-policy.ts';
import type { PreparedRequest } from './delivery-request.ts';
import type { DeliveryOptions, KindHooks } from './delivery-types.ts';
import type { Logger } from './logger.ts';

/** Notified (PostgreSQL) once jobs are committed: workers in every process wake at once. */
export const deliveryChannel = 'cardport_deliveries';

/** The most jobs one claim takes (and the default worker concurrency). */
export const maxClaim = 64;

export interface DeliverySettings {
  readonly schedule: readonly number[];
  readonly syncTimeoutMs: number;
  readonly syncRetries: number;
  readonly syncDelays: readonly number[];
  readonly timeoutMs: number;
  readonly leaseMs: number;
  readonly leaseClock: Clock;
  readonly maxResponseBytes: number;
  /** Durable attempts keep this much of an answer. */
  readonly durableMaxBytes: number;
  readonly random: () => number;
  readonly workerName: string;
}

export interface DeliveryContext {
  readonly db: Db;
  /** Domain time: retry times and record timestamps. */
  readonly clock: Clock;
  readonly log: Logger;
  readonly settings: DeliverySettings;
  readonly agents: AgentPool;
  readonly kinds: Map<string, KindHooks>;
  readonly refuse: DeliveryOptions['refuse'];
  /** The fault-injection hook (setFaults); none by default. */
  faults: DeliveryFaults | undefined;
  /**
   * Tells the workers of every process that jobs are due: on PostgreSQL one autocommit NOTIFY on
   * the delivery channel, and the calls made while one is in flight share the next; nothing on
   * PGlite (one process). Call it once the jobs are committed.
   */
  readonly announce: () => void;
}

/** Resolves the options' defaults and checks them. */
export function createDeliveryContext(options: DeliveryOptions): DeliveryContext {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const settings: DeliverySettings = {
    schedule: options.schedule ?? retryScheduleMs,
    syncTimeoutMs: options.syncTimeoutMs ?? 5000,
    syncRetries: options.syncRetries ?? 2,
    syncDelays: options.syncRetryDelaysMs ?? [100, 400],
    timeoutMs,
    leaseMs: options.leaseMs ?? timeoutMs + 30_000,
    leaseClock: options.leaseClock ?? systemClock,
    maxResponseBytes: options.maxResponseBytes ?? 1024 * 1024,
    durableMaxBytes: 64 * 1024,
    random: options.random ?? Math.random,
    workerName: options.workerName ?? `${hostname()}:${process.pid}`,
  };
  if (settings.schedule.some((d) => !Number.isFinite(d) || d < 0))
    throw new TypeError('schedule: delays must be >= 0 ms');
  if (settings.leaseMs <= settings.timeoutMs)
    throw new TypeError('leaseMs must exceed timeoutMs: a lease must outlast its attempt');
  return {
    db: options.db,
    clock: options.clock,
    log: options.log,
    settings,
    agents: new AgentPool(options.resolveIdentity),
    kinds: new Map(),
    refuse: options.refuse,
    faults: undefined,
    announce: options.db.kind === 'postgres' ? coalesced(options.db, options.log) : () => {},
  };
}

/**
 * One NOTIFY at a time: a NOTIFY takes PostgreSQL's notification queue lock at commit, which
 * orders every notifying commit behind one another, so it is sent alone after the jobs' commits
 * rather than inside them, and many enqueues share one.
 */
function coalesced(db: Db, log: Logger): () => void {
  let sending = false;
  let again = false;
  const send = (): void => {
    sending = true;
    again = false;
    db.query('SELECT pg_notify($1, $2)', [deliveryChannel, ''])
      .catch((err: unknown) => log.warn({ err }, 'delivery: NOTIFY failed; workers poll'))
      .finally(() => {
        sending = false;
        if (again) send();
      });
  };
  return () => {
    if (sending) again = true;
    else send();
  };
}

/** Asks the fault hook before an attempt leaves; throws (as a network failure) when it is aborted. */
export async function faultGate(
  ctx: DeliveryContext,
  partnerId: string | null,
  kind: string,
  mode: 'sync' | 'durable',
  attempt: number,
): Promise<void> {
  const note =
    ctx.faults && partnerId ? await ctx.faults.beforeAttempt({ partnerId, kind, mode, attempt }) : null;
  if (note) throw Object.assign(new SendFailure('network', `injected fault: ${note}`), { injected: note });
}

/** The fault note an aborted attempt carries, if any. */
export const injectedOf = (err: unknown): string | null =>
  (err as { injected?: string } | undefined)?.injected ?? null;

/** The partner's standing: a reason when nothing may be sent to it, null otherwise. */
export function refusal(ctx: DeliveryContext, partnerId: string | null): Promise<string | null> {
  return partnerId !== null && ctx.refuse ? ctx.refuse(partnerId) : Promise.resolve(null);
}

/** One HTTP exchange with the partner's agent (its mTLS identity), extra headers on top. */
export async function send(
  ctx: DeliveryContext,
  prepared: PreparedRequest,
  partnerId: string | null,
  extraHeaders: Record<string, string>,
  limits: { timeoutMs: number; maxBodyBytes: number },
): Promise<RawResponse> {
  const agent = await ctx.agents.agentFor(partnerId, prepared.url);
  const headers = { ...prepared.headers };
  for (const [k, v] of Object.entries(extraHeaders)) headers[k.toLowerCase()] = v;
  return sendOnce(
    { method: prepared.method, url: prepared.url, headers, body: prepared.bodyText },
    agent,
    limits,
  );
}

/** Runs `fn` with a deadline, so a hanging prepare hook cannot outlive the lease. */
export async function withDeadline<T>(ms: number, fn: () => Promise<T>): Promise<T> {
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
