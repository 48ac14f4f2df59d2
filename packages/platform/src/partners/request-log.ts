// The console's request log (issue 11): every inbound call on the partner-facing API families
// (Save to Pay over mTLS, Add to Wallet links and Server API, the Web Checkout API and checkout
// form), per partner, bounded by age and count. Each family registers it with one line in its
// plugin scope: `recordRequests(scope, ctx, 'web-checkout')`.
//
// What is kept: method, a path without tokens (token segments keep the route's parameter name),
// status, latency, request id, the partner, redacted bodies, the warnings of the fidelity issue
// (`request.cardportWarnings`, read as optional) and, for a failed call, why (the error the
// family answered: it names the failed check, never a secret). `object_ids` names the
// registrations, cards, passes and transactions the call touched, for one object's timeline.
// The row is built in `onResponse`, after the answer left, and written by a batcher (one
// multi-row INSERT for the rows that arrived while the previous write ran, no timer): logging
// adds no latency and one statement per busy moment rather than per call. A failed write is
// logged and never fails the call; rows queued when the app closes are written before it ends.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../core/context.ts';
import type { Queryable } from '../core/db.ts';
import { type Column, col, table } from '../core/rows.ts';
import { collectIds, errorOf, parseJson, redactBody, safePath, tokenParam } from './request-log-redact.ts';
import { RowBatch } from './row-batch.ts';
import { findCard, findService } from './service.ts';

export type RequestFamily = 's2p' | 'atw' | 'web-checkout';

/** Entries kept per partner (and for calls with no known partner), and for how long. */
export const requestLogLimits = { perPartner: 1000, maxAgeMs: 7 * 24 * 3_600_000 };

export interface RequestLogEntry {
  id: number;
  requestId: string;
  family: string;
  partnerId: string | null;
  partnerName: string | null;
  method: string;
  path: string;
  route: string;
  status: number;
  latencyMs: number;
  requestBody: unknown;
  responseBody: unknown;
  warnings: unknown[];
  error: string | null;
  /** The fault injected into this call (faults/service.ts, the `Cardport-Fault` header), or null. */
  injected: string | null;
  objectIds: string[];
  at: number;
}

const started = Symbol('cardport.requestLog.started');
const sent = Symbol('cardport.requestLog.payload');
const attributed = Symbol('cardport.requestLog.serviceId');
type Tracked = FastifyRequest & { [started]?: bigint; [sent]?: string; [attributed]?: string };

/** Names the Web Checkout service of a call whose body hides it (the checkout form, encrypted). */
export function attributeToService(req: FastifyRequest, serviceId: string): void {
  (req as Tracked)[attributed] = serviceId;
}

/** How the recorder batches its rows (partners/row-batch.ts) and how often it prunes. */
export const requestLogBatching = { maxBatch: 200, maxQueue: 10_000, pruneEvery: 25 };

type LogDeps = Pick<AppContext, 'db' | 'clock' | 'log'>;

/**
 * Registers the recorder on one family's plugin scope. Rows are written by a batcher of the scope
 * (one multi-row INSERT per write, the next write carrying what arrived meanwhile) and every row
 * queued is written when the scope closes.
 */
export function recordRequests(
  scope: FastifyInstance,
  ctx: LogDeps,
  family: RequestFamily,
  options: { only?: (url: string) => boolean } = {},
): void {
  const writer = requestLogWriter(ctx);
  const building = new Set<Promise<void>>();
  scope.addHook('onRequest', async (req) => {
    (req as Tracked)[started] = process.hrtime.bigint();
  });
  scope.addHook('onSend', async (req, _reply, payload) => {
    if (typeof payload === 'string' && payload.length <= 65_536) (req as Tracked)[sent] = payload;
    else if (Buffer.isBuffer(payload) && payload.length <= 65_536)
      (req as Tracked)[sent] = payload.toString('utf8');
    return payload;
  });
  scope.addHook('onResponse', async (req, reply) => {
    if (options.only && !options.only(req.url)) return;
    const build = entryOf(ctx, family, req as Tracked, reply)
      .then((row) => writer.push(row))
      .catch((err: unknown) =>
        ctx.log.warn({ err: (err as Error).message }, 'request log: entry not written'),
      )
      .finally(() => building.delete(build));
    building.add(build);
    await build;
  });
  scope.addHook('onClose', async () => {
    await Promise.all(building);
    await writer.flush();
  });
}

/** The columns of one new entry, in insert order. */
type NewEntry = [
  requestId: string,
  family: RequestFamily,
  partnerId: string | null,
  method: string,
  path: string,
  route: string,
  status: number,
  latencyMs: number,
  requestBody: string,
  responseBody: string,
  warnings: string,
  error: string | null,
  objectIds: string[],
  at: number,
  injected: string | null,
];
const entryColumns = `request_id, family, partner_id, method, path, route, status, latency_ms,
  request_body, response_body, warnings, error, object_ids, at, injected`;
const perEntry = 15;

/** A batcher writing entries with one multi-row INSERT each, pruning every `pruneEvery` entries. */
export function requestLogWriter(ctx: LogDeps, limits = requestLogBatching): RowBatch<NewEntry> {
  let sincePrune = 0;
  const toPrune = new Set<string | null>();
  return new RowBatch<NewEntry>(
    async (rows) => {
      const values = rows.map(
        (_row, i) =>
          `(${Array.from({ length: perEntry }, (_v, j) => `$${i * perEntry + j + 1}`).join(', ')})`,
      );
      await ctx.db.query(
        `INSERT INTO request_log (${entryColumns}) VALUES ${values.join(', ')}`,
        rows.flat(),
      );
      sincePrune += rows.length;
      for (const row of rows) if (toPrune.size < 50) toPrune.add(row[2]);
      if (sincePrune < limits.pruneEvery) return;
      const partners = [...toPrune];
      sincePrune = 0;
      toPrune.clear();
      await pruneRequestLog(ctx.db, ctx.clock.now(), partners);
    },
    {
      maxBatch: limits.maxBatch,
      maxQueue: limits.maxQueue,
      onError: (err, rows) =>
        ctx.log.warn({ err: (err as Error).message, rows }, 'request log: entries not written'),
      onDropped: (rows) => ctx.log.warn({ rows }, 'request log: queue full, entries dropped'),
    },
  );
}

async function entryOf(
  ctx: LogDeps,
  family: RequestFamily,
  req: Tracked,
  reply: FastifyReply,
): Promise<NewEntry> {
  const t0 = req[started];
  const latencyMs = t0 === undefined ? 0 : Number(process.hrtime.bigint() - t0) / 1e6;
  const params = (req.params ?? {}) as Record<string, unknown>;
  const contentType = String(reply.getHeader('content-type') ?? '');
  const text = req[sent];
  const responseBody =
    text === undefined
      ? null
      : contentType.includes('json')
        ? parseJson(text)
        : `[${contentType.split(';')[0] || 'body'}, ${text.length} bytes]`;
  const requestBody = req.body === undefined ? null : req.body;
  const ids = new Set<string>();
  for (const [k, v] of Object.entries(params))
    if (!tokenParam.test(k) && typeof v === 'string' && v.length <= 64) ids.add(v);
  collectIds(requestBody, ids);
  collectIds(responseBody, ids);
  const header = (name: string) => {
    const v = req.headers[name];
    return (Array.isArray(v) ? v[0] : v)?.slice(0, 128);
  };
  const partnerId = await partnerOf(ctx.db, req, params, requestBody);
  const warnings = (req as unknown as { cardportWarnings?: unknown }).cardportWarnings;
  const route = req.routeOptions?.url ?? '(unmatched)';
  const injected = (req as unknown as { cardportFault?: unknown }).cardportFault;
  return [
    header('request-id') ?? header('x-request-id') ?? String(req.id),
    family,
    partnerId ?? null,
    req.method,
    safePath(req.routeOptions?.url, params, req.url),
    route,
    reply.statusCode,
    Math.round(latencyMs * 100) / 100,
    JSON.stringify(redactBody(requestBody)),
    JSON.stringify(redactBody(responseBody)),
    JSON.stringify(Array.isArray(warnings) ? warnings.slice(0, 50) : []),
    errorOf(reply.statusCode, responseBody),
    [...ids].slice(0, 20),
    ctx.clock.now(),
    typeof injected === 'string' ? injected.slice(0, 200) : null,
  ];
}

/** The partner of a call: the mTLS binding, the claimed partner header, the card or the service. */
async function partnerOf(
  db: Queryable,
  req: FastifyRequest,
  params: Record<string, unknown>,
  body: unknown,
): Promise<string | undefined> {
  const bound = (req as unknown as { partner?: { partnerId?: string } | null }).partner?.partnerId;
  if (bound) return bound;
  const claimed = req.headers['x-smcs-partner-id'] ?? req.headers['partner-id'];
  const one = Array.isArray(claimed) ? claimed[0] : claimed;
  if (one && /^[1-9][0-9]{31}$/.test(one)) return one;
  const cardId = params['cardId'];
  if (typeof cardId === 'string' && cardId.length <= 64) {
    const card = await findCard(db, cardId);
    if (card) return card.partnerId;
  }
  // Web Checkout names its service in the body (paymentDetails.service.id) or the query.
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const details = (b['paymentDetails'] ?? {}) as { service?: { id?: unknown } };
  const query = (req.query ?? {}) as Record<string, unknown>;
  const serviceId =
    (req as Tracked)[attributed] ?? b['serviceId'] ?? details.service?.id ?? query['serviceId'];
  if (typeof serviceId === 'string' && /^[0-9a-f]{32}$/.test(serviceId)) {
    const service = await findService(db, serviceId);
    if (service) return service.partnerId;
  }
  return undefined;
}

/** Drops entries older than the age bound, and each named partner's entries beyond the count bound. */
export async function pruneRequestLog(
  q: Queryable,
  now: number,
  partnerIds: readonly (string | null)[],
  limits = requestLogLimits,
): Promise<void> {
  await q.query('DELETE FROM request_log WHERE at < $1', [now - limits.maxAgeMs]);
  for (const partnerId of partnerIds) {
    await q.query(
      `DELETE FROM request_log WHERE partner_id IS NOT DISTINCT FROM $1 AND id <= (
         SELECT id FROM request_log WHERE partner_id IS NOT DISTINCT FROM $1 ORDER BY id DESC OFFSET $2 LIMIT 1)`,
      [partnerId, limits.perPartner],
    );
  }
}

/**
 * A JSONB body as the log has always read it: a string from the driver is parsed again, and one
 * that is not JSON text reads as `[n bytes, not JSON]` (never a failed read).
 */
const body = <T>(name: string): Column<T> => ({
  name,
  decode: (v) => (typeof v === 'string' ? parseJson(v) : (v ?? null)) as T,
  encode: (v) => JSON.stringify(v),
});

/** The request_log table (migrations 0011, 0014), declared once. */
const requestLog = table('request_log', {
  id: col.number('id'),
  requestId: col.text('request_id'),
  family: col.text('family'),
  partnerId: col.nullable(col.text('partner_id')),
  method: col.text('method'),
  path: col.text('path'),
  route: col.text('route'),
  status: col.number('status'),
  latencyMs: col.number('latency_ms'),
  requestBody: body<unknown>('request_body'),
  responseBody: body<unknown>('response_body'),
  warnings: body<unknown[]>('warnings'),
  error: col.nullable(col.text('error')),
  injected: col.nullable(col.text('injected')),
  objectIds: col.textArray('object_ids'),
  at: col.number('at'),
});

// Each entry with its partner's name: the table's columns (as `l.`) and the joined name.
const columns = `${requestLog.selectList
  .split(', ')
  .map((c) => `l.${c}`)
  .join(', ')}, p.name AS partner_name`;

function rowOf(r: Record<string, unknown>): RequestLogEntry {
  const name = r['partner_name'];
  return { ...requestLog.fromDb(r), partnerName: name === null || name === undefined ? null : String(name) };
}

export interface RequestLogFilter {
  partnerId?: string;
  objectId?: string;
  /** Only entries with a larger id (for following). */
  afterId?: number;
  /** Only entries with a smaller id (for paging back). */
  beforeId?: number;
  limit?: number;
}

/** Newest first, or oldest first when following (`afterId`). */
export async function listRequestLog(q: Queryable, f: RequestLogFilter = {}): Promise<RequestLogEntry[]> {
  const where: string[] = [];
  const args: unknown[] = [];
  if (f.partnerId) where.push(`l.partner_id = $${args.push(f.partnerId)}`);
  if (f.objectId) where.push(`$${args.push(f.objectId)} = ANY (l.object_ids)`);
  if (f.afterId !== undefined) where.push(`l.id > $${args.push(f.afterId)}`);
  if (f.beforeId !== undefined) where.push(`l.id < $${args.push(f.beforeId)}`);
  const limit = Math.min(Math.max(f.limit ?? 100, 1), 1000);
  const order = f.afterId !== undefined ? 'ASC' : 'DESC';
  const rows = await q.query(
    `SELECT ${columns} FROM request_log l LEFT JOIN partners p ON p.partner_id = l.partner_id
     ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY l.id ${order} LIMIT ${limit}`,
    args,
  );
  return rows.map(rowOf);
}

export async function findRequestLogEntry(q: Queryable, id: number): Promise<RequestLogEntry | undefined> {
  const rows = await q.query(
    `SELECT ${columns} FROM request_log l LEFT JOIN partners p ON p.partner_id = l.partner_id WHERE l.id = $1`,
    [id],
  );
  return rows[0] ? rowOf(rows[0]) : undefined;
}
