// SQL of per-partner fault settings (migrations/0012_faults.sql).
import type { Queryable } from '../core/db.ts';

export const inboundErrors = ['503.1', '503.2', '500'] as const;
export type InboundError = (typeof inboundErrors)[number];

/** What the platform is told to do wrong for one partner. Times in ms. */
export interface PartnerFaults {
  partnerId: string;
  /** Extra copies of each durable job (notifications, Send Card State, ...). */
  duplicates: number;
  /** Added before the first attempt of each durable job. */
  delayMs: number;
  /** Durable jobs are held and released in reverse order within windows of this length; 0 = off. */
  reorderWindowMs: number;
  /** The first N attempts of every outbound call (sync and durable) are aborted before leaving. */
  failFirst: number;
  /** The error the partner's own calls are answered with, at `inboundRate`; null = none. */
  inboundError: InboundError | null;
  inboundRate: number;
  retryAfterSeconds: number;
  /** How many inbound calls got the injected error so far. */
  inboundInjected: number;
  createdAt: number;
  updatedAt: number;
}

export type FaultSettings = Omit<PartnerFaults, 'partnerId' | 'inboundInjected' | 'createdAt' | 'updatedAt'>;

interface Row {
  partner_id: string;
  duplicates: number;
  delay_ms: number;
  reorder_window_ms: number;
  fail_first: number;
  inbound_error: InboundError | null;
  inbound_rate: number;
  retry_after_seconds: number;
  inbound_injected: number;
  created_at: number;
  updated_at: number;
}

function toFaults(r: Row): PartnerFaults {
  return {
    partnerId: r.partner_id,
    duplicates: Number(r.duplicates),
    delayMs: Number(r.delay_ms),
    reorderWindowMs: Number(r.reorder_window_ms),
    failFirst: Number(r.fail_first),
    inboundError: r.inbound_error,
    inboundRate: Number(r.inbound_rate),
    retryAfterSeconds: Number(r.retry_after_seconds),
    inboundInjected: Number(r.inbound_injected),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

export async function listFaults(q: Queryable): Promise<PartnerFaults[]> {
  const rows = await q.query<Row>('SELECT * FROM partner_faults ORDER BY partner_id');
  return rows.map(toFaults);
}

export async function findFaults(q: Queryable, partnerId: string): Promise<PartnerFaults | undefined> {
  const rows = await q.query<Row>('SELECT * FROM partner_faults WHERE partner_id = $1', [partnerId]);
  return rows[0] ? toFaults(rows[0]) : undefined;
}

export async function upsertFaults(
  q: Queryable,
  partnerId: string,
  s: FaultSettings,
  now: number,
): Promise<PartnerFaults> {
  const rows = await q.query<Row>(
    `INSERT INTO partner_faults (partner_id, duplicates, delay_ms, reorder_window_ms, fail_first, inbound_error,
       inbound_rate, retry_after_seconds, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
     ON CONFLICT (partner_id) DO UPDATE SET duplicates = $2, delay_ms = $3, reorder_window_ms = $4,
       fail_first = $5, inbound_error = $6, inbound_rate = $7, retry_after_seconds = $8, updated_at = $9
     RETURNING *`,
    [
      partnerId,
      s.duplicates,
      s.delayMs,
      s.reorderWindowMs,
      s.failFirst,
      s.inboundError,
      s.inboundRate,
      s.retryAfterSeconds,
      now,
    ],
  );
  return toFaults(rows[0]!);
}

export async function deleteFaults(q: Queryable, partnerId: string): Promise<boolean> {
  const rows = await q.query('DELETE FROM partner_faults WHERE partner_id = $1 RETURNING partner_id', [
    partnerId,
  ]);
  return rows.length > 0;
}

export async function countInboundInjected(q: Queryable, partnerId: string): Promise<void> {
  await q.query('UPDATE partner_faults SET inbound_injected = inbound_injected + 1 WHERE partner_id = $1', [
    partnerId,
  ]);
}
