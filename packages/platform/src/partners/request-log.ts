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

// Keys whose values are secrets (or would be, in the real service): never stored.
const secretKey =
  /^(cdata|issuerblob|encrypteddata|pan|fpan|dpan|tokenpan|cvv|cvc|cvv2|cryptogram|password|secret|privatekey|privatekeypem|authorization|3ds|jwe|jws|token|accesstoken|authtoken|otp|mod|exp)$|(token|secret|password|privatekey)$/i;
// Keys whose values name objects: they feed the timeline.
const objectKey = /^(id|regId|refId|cardId|transactionId|referenceId|serviceId|walletCardId|offerId|ref_id)$/;
// Route parameters that carry tokens: the stored path keeps their name, not their value.
const tokenParam = /^(\*|token|cdata|pdata)$/i;

const maxString = 96;

/** Bodies as stored: secrets replaced, long strings cut, depth and size bounded. */
export function redactBody(value: unknown, depth = 0): unknown {
  if (value === null || value === undefined) return value ?? null;
  if (typeof value === 'string')
    return value.length > maxString ? `${value.slice(0, 24)}…[${value.length} chars]` : value;
  if (typeof value !== 'object') return value;
  if (depth > 6) return '[…]';
  if (Array.isArray(value)) return value.slice(0, 20).map((v) => redactBody(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>).slice(0, 60)) {
    out[k] = secretKey.test(k) && v !== null && v !== '' ? '[redacted]' : redactBody(v, depth + 1);
  }
  return out;
}

function collectIds(value: unknown, into: Set<string>, depth = 0): void {
  if (!value || typeof value !== 'object' || depth > 3) return;
  if (Array.isArray(value)) {
    for (const v of value.slice(0, 20)) collectIds(v, into, depth + 1);
    return;
  }
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (objectKey.test(k) && typeof v === 'string' && v.length >= 4 && v.length <= 128) into.add(v);
    else if (v && typeof v === 'object') collectIds(v, into, depth + 1);
  }
}

/** The route with its parameters filled in, except those that carry tokens; no query string. */
export function safePath(route: string | undefined, params: Record<string, unknown>, url: string): string {
  if (!route) return (url.split('?')[0] ?? url).replace(/[^/]{48,}/g, ':token');
  return route.replace(/:(\w+)|\*/g, (_whole, name: string | undefined) => {
    const key = name ?? '*';
    const value = params[key];
    if (tokenParam.test(key) || typeof value !== 'string' || value.length > 64)
      return name ? `:${name}` : ':token';
    return encodeURIComponent(value);
  });
}

/** Why a call failed, from the family's own error body (S2P, ATW, Web Checkout, main). */
export function errorOf(status: number, body: unknown): string | null {
  if (status < 400) return null;
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const inner = (b['error'] && typeof b['error'] === 'object' ? b['error'] : b) as Record<string, unknown>;
  const code = inner['code'] ?? inner['resultCode'] ?? inner['reasonCode'];
  const message = inner['message'] ?? inner['resultMessage'] ?? inner['reason'];
  const details = Array.isArray(inner['details'])
    ? (inner['details'] as { field?: unknown; reason?: unknown }[])
        .slice(0, 5)
        .map((d) => `${String(d.field ?? '')}: ${String(d.reason ?? '')}`)
        .join('; ')
    : '';
  const text = [code, message].filter((x) => x !== undefined && x !== null && x !== '').join(' ');
  return `${text || `HTTP ${status}`}${details ? ` (${details})` : ''}`.slice(0, 500);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text.length ? `[${text.length} bytes, not JSON]` : null;
  }
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

const columns = `l.id, l.request_id, l.family, l.partner_id, p.name AS partner_name, l.method, l.path, l.route,
  l.status, l.latency_ms, l.request_body, l.response_body, l.warnings, l.error, l.injected, l.object_ids, l.at`;

function rowOf(r: Record<string, unknown>): RequestLogEntry {
  const json = (v: unknown) => (typeof v === 'string' ? parseJson(v) : v);
  return {
    id: Number(r['id']),
    requestId: r['request_id'] as string,
    family: r['family'] as string,
    partnerId: (r['partner_id'] as string | null) ?? null,
    partnerName: (r['partner_name'] as string | null) ?? null,
    method: r['method'] as string,
    path: r['path'] as string,
    route: r['route'] as string,
    status: Number(r['status']),
    latencyMs: Number(r['latency_ms']),
    requestBody: json(r['request_body']),
    responseBody: json(r['response_body']),
    warnings: (json(r['warnings']) as unknown[]) ?? [],
    error: (r['error'] as string | null) ?? null,
    injected: (r['injected'] as string | null) ?? null,
    objectIds: (r['object_ids'] as string[]) ?? [],
    at: Number(r['at']),
  };
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
