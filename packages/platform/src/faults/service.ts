// Fault injection per partner (issue 14, docs/verify.md). The settings live in partner_faults;
// this file turns them into the delivery module's hook (outbound) and a preHandler each API
// family adds to its scope in one line (inbound).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type AppState, appStateKey } from '../core/app-state.ts';
import type { Clock } from '../core/clock.ts';
import type { Db, Queryable } from '../core/db.ts';
import type { DeliveryFaults, EnqueueFault } from '../core/delivery.ts';
import { notFound, PlatformError } from '../core/errors.ts';
import { findPartner, findService } from '../partners/store.ts';
import {
  countInboundInjected,
  deleteFaults,
  type FaultSettings,
  findFaults,
  listFaults,
  type PartnerFaults,
  upsertFaults,
} from './store.ts';

export type { FaultSettings, InboundError, PartnerFaults } from './store.ts';
export { inboundErrors } from './store.ts';

/** How long a process trusts its copy of the settings (another process may change them). */
const cacheTtlMs = 1000;

/**
 * This app's copy of every partner's settings, read at most once a second (inbound calls are
 * hot); cleared when this app changes them. Lives in the app's state (`faultSettingsKey`).
 */
export class FaultSettingsCache {
  #at = 0;
  #byPartner: Map<string, PartnerFaults> | undefined;

  /** Every partner's settings; `via` reads through the caller's open transaction (PGlite). */
  async all(via: Queryable): Promise<Map<string, PartnerFaults>> {
    if (this.#byPartner && Date.now() - this.#at < cacheTtlMs) return this.#byPartner;
    const byPartner = new Map((await listFaults(via)).map((f) => [f.partnerId, f]));
    this.#byPartner = byPartner;
    this.#at = Date.now();
    return byPartner;
  }

  clear(): void {
    this.#byPartner = undefined;
  }
}

export const faultSettingsKey = appStateKey('faults.settings', () => new FaultSettingsCache());

/** What the fault services need: the database, the clock, and the app's settings cache. */
export interface FaultsDeps {
  db: Db;
  clock: Clock;
  state: AppState;
}

export const noFaults: FaultSettings = {
  duplicates: 0,
  delayMs: 0,
  reorderWindowMs: 0,
  failFirst: 0,
  inboundError: null,
  inboundRate: 0,
  retryAfterSeconds: 30,
};

/** Sets (merging with what is set already) a partner's faults. */
export async function setFaults(
  deps: FaultsDeps,
  input: { partnerId: string; changes: Partial<FaultSettings> },
): Promise<PartnerFaults> {
  const { db, clock } = deps;
  const { partnerId, changes } = input;
  if (!(await findPartner(db, partnerId))) throw notFound('partner');
  const current = await findFaults(db, partnerId);
  const next: FaultSettings = { ...noFaults, ...(current ?? {}), ...changes };
  if (next.inboundError === null) next.inboundRate = 0;
  else if (changes.inboundRate === undefined && !current?.inboundError) next.inboundRate = 1;
  const saved = await upsertFaults(db, partnerId, next, clock.now());
  deps.state.get(faultSettingsKey).clear();
  return saved;
}

export async function showFaults(db: Db, partnerId: string): Promise<PartnerFaults> {
  const f = await findFaults(db, partnerId);
  if (f) return f;
  if (!(await findPartner(db, partnerId))) throw notFound('partner');
  return { partnerId, ...noFaults, inboundInjected: 0, createdAt: 0, updatedAt: 0 };
}

export async function clearFaults(
  deps: Pick<FaultsDeps, 'db' | 'state'>,
  input: { partnerId: string },
): Promise<boolean> {
  const removed = await deleteFaults(deps.db, input.partnerId);
  deps.state.get(faultSettingsKey).clear();
  return removed;
}

export { listFaults };

/** A one-line description of what is set, e.g. `duplicates=1 failFirst=2 inbound=503.1@0.5`. */
export function describeFaults(f: FaultSettings): string {
  const parts: string[] = [];
  if (f.duplicates) parts.push(`duplicates=${f.duplicates}`);
  if (f.delayMs) parts.push(`delay=${f.delayMs}ms`);
  if (f.reorderWindowMs) parts.push(`reorder=${f.reorderWindowMs}ms`);
  if (f.failFirst) parts.push(`failFirst=${f.failFirst}`);
  if (f.inboundError)
    parts.push(`inbound=${f.inboundError}@${f.inboundRate} retryAfter=${f.retryAfterSeconds}s`);
  return parts.length ? parts.join(' ') : 'none';
}

/**
 * The outbound hook the delivery module consults (core/delivery-faults.ts):
 * - duplicates: N extra copies of each durable job, written in the same transaction;
 * - delay: the first attempt is due `delayMs` later (sandbox time);
 * - reorder: the timeline is cut into windows of `reorderWindowMs`; a job written at t is due at
 *   the window's end plus (end - t), so within a window the last written is delivered first;
 * - failFirst: attempts 1..N of every call (sync and durable) are aborted before they leave.
 */
export function deliveryFaults(state: AppState, db: Queryable): DeliveryFaults {
  const cache = state.get(faultSettingsKey);
  return {
    async atEnqueue(q, job): Promise<EnqueueFault | null> {
      const f = (await cache.all(q)).get(job.partnerId);
      if (!f || (!f.duplicates && !f.delayMs && !f.reorderWindowMs)) return null;
      const notes: string[] = [];
      let delayMs = f.delayMs;
      if (f.delayMs) notes.push(`delayed ${f.delayMs} ms`);
      if (f.reorderWindowMs) {
        const end = (Math.floor(job.now / f.reorderWindowMs) + 1) * f.reorderWindowMs;
        delayMs += 2 * (end - job.now);
        notes.push(
          `reordered: held ${2 * (end - job.now)} ms (window ${f.reorderWindowMs} ms, last in first out)`,
        );
      }
      if (f.duplicates) notes.push(`sent ${f.duplicates + 1} times`);
      return { copies: f.duplicates, delayMs, note: notes.join('; ') };
    },
    async beforeAttempt(target) {
      const f = (await cache.all(db)).get(target.partnerId);
      if (!f || target.attempt > f.failFirst) return null;
      return `attempt ${target.attempt} aborted (fail first ${f.failFirst})`;
    },
  };
}

export type FaultFamily = 's2p' | 'atw' | 'web-checkout';

/**
 * A preHandler answering a share of a partner's own calls with the injected error, in the
 * family's format (the family's error handler renders the thrown PlatformError): 503.1 is
 * SERVICE_UNAVAILABLE and 503.2 API_UNAVAILABLE, both with Retry-After; 500 is INTERNAL. The
 * `Cardport-Fault` header names what was injected so the partner (and the request log) can see it.
 */
export function inboundFaults(
  db: Db,
  family: FaultFamily,
  partnerOf: (req: FastifyRequest) => string | undefined | Promise<string | undefined>,
  random: () => number = Math.random,
) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    // The app's cache, through the listener (the flows mount this hook with the database only).
    const all = await req.server.appState.get(faultSettingsKey).all(db);
    // No partner has faults (the usual case): no lookup of who is calling.
    if (all.size === 0) return;
    const partnerId = await partnerOf(req);
    if (!partnerId) return;
    const f = all.get(partnerId);
    if (!f?.inboundError || f.inboundRate <= 0 || random() >= f.inboundRate) return;
    await countInboundInjected(db, partnerId);
    const injected = `${f.inboundError} (rate ${f.inboundRate}, ${family})`;
    reply.header('Cardport-Fault', injected);
    (req as FastifyRequest & { cardportFault?: string }).cardportFault = injected;
    if (f.inboundError === '500')
      throw new PlatformError('INTERNAL', 'Internal Server Error (injected fault)', { status: 500 });
    reply.header('Retry-After', String(f.retryAfterSeconds));
    throw new PlatformError(
      f.inboundError === '503.1' ? 'SERVICE_UNAVAILABLE' : 'API_UNAVAILABLE',
      f.inboundError === '503.1' ? 'Service Temporarily Unavailable' : 'API Temporarily Unavailable',
      { retryAfterSeconds: f.retryAfterSeconds },
    );
  };
}

/** The partner behind a Web Checkout Server API call: the owner of its `serviceId` (body or query). */
export function webCheckoutPartnerOf(db: Db) {
  return async (req: FastifyRequest): Promise<string | undefined> => {
    // Where each call names its service: a transaction's `paymentDetails.service.id`, a
    // notification's `payment.service.id`, the credentials query's `serviceId`.
    const at = (v: unknown, ...path: string[]): unknown =>
      path.reduce<unknown>(
        (o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined),
        v,
      );
    const serviceId =
      at(req.body, 'paymentDetails', 'service', 'id') ??
      at(req.body, 'payment', 'service', 'id') ??
      at(req.body, 'serviceId') ??
      at(req.query, 'serviceId');
    if (typeof serviceId !== 'string' || serviceId.length > 100) return undefined;
    return (await findService(db, serviceId))?.partnerId;
  };
}

/** The partner a Wallet Server API call claims to be (`x-smcs-partner-id`); faults only hurt the caller. */
export function atwPartnerOf(req: FastifyRequest): string | undefined {
  const h = req.headers['x-smcs-partner-id'];
  return typeof h === 'string' && h !== '' ? h : undefined;
}
