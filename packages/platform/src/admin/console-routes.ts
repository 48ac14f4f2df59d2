// The console's admin API: the request log (list, one entry), one object's timeline (inbound calls
// and outbound deliveries with their attempts), a server-sent event stream of both (the dashboard,
// `cardport logs --follow` and `cardport listen` read it), and the dashboard's once-per-browser
// session cookie (core/admin-session.ts).
//
// The stream polls the database rather than an in-process emitter: several processes may share
// one PostgreSQL (ARCHITECTURE.md), and a call served by another process must show up too.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { clearAdminSession, setAdminSession } from '../core/admin-session.ts';
import type { AppContext } from '../core/context.ts';
import type { Queryable } from '../core/db.ts';
import { invalidInput, notFound } from '../core/errors.ts';
import { adminApi, platformErrorSchema } from '../core/http.ts';
import { describeApi, documentedOnly } from '../core/routes.ts';
import { findRequestLogEntry, listRequestLog, type RequestLogEntry } from '../partners/request-log.ts';
import { listWalletActions } from '../wallet/actions.ts';
import { getAccounts } from '../wallet/service.ts';
import {
  consoleFilterQuery,
  eventsResponse,
  objectIdParams,
  requestEntryResponse,
  requestIdParams,
  requestsResponse,
  timelineResponse,
} from './console-schemas.ts';

export interface DeliveryEvent {
  id: string;
  kind: string;
  mode: string;
  partnerId: string | null;
  method: string;
  url: string;
  status: string;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
}

function deliveryEvent(r: Record<string, unknown>): DeliveryEvent {
  return {
    id: r['id'] as string,
    kind: r['kind'] as string,
    mode: r['mode'] as string,
    partnerId: (r['partner_id'] as string | null) ?? null,
    method: r['method'] as string,
    url: r['url'] as string,
    status: r['status'] as string,
    attempts: Number(r['attempts']),
    lastStatus: r['last_status'] === null ? null : Number(r['last_status']),
    lastError: (r['last_error'] as string | null) ?? null,
    createdAt: Number(r['created_at']),
    updatedAt: Number(r['updated_at']),
  };
}

const deliveryColumns =
  'id, kind, mode, partner_id, method, url, status, attempts, last_status, last_error, created_at, updated_at';

async function deliveriesMentioning(q: Queryable, objectId: string) {
  const like = `%${objectId.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const rows = await q.query(
    `SELECT ${deliveryColumns} FROM deliveries WHERE body LIKE $1 OR url LIKE $1 ORDER BY created_at ASC LIMIT 200`,
    [like],
  );
  const out = [];
  for (const r of rows) {
    const attempts = await q.query(
      `SELECT attempt, started_at, latency_ms, http_status, outcome, error, retry_at
         FROM delivery_attempts WHERE delivery_id = $1 ORDER BY attempt`,
      [r['id']],
    );
    out.push({
      ...deliveryEvent(r),
      attemptList: attempts.map((a) => ({
        attempt: Number(a['attempt']),
        startedAt: Number(a['started_at']),
        latencyMs: a['latency_ms'] === null ? null : Number(a['latency_ms']),
        httpStatus: a['http_status'] === null ? null : Number(a['http_status']),
        outcome: a['outcome'] as string,
        error: (a['error'] as string | null) ?? null,
        retryAt: a['retry_at'] === null ? null : Number(a['retry_at']),
      })),
    });
  }
  return out;
}

const idPattern = /^[A-Za-z0-9_.+=\-/]{4,128}$/;

function intParam(q: Record<string, unknown>, name: string): number | undefined {
  const v = q[name];
  if (v === undefined || v === '') return undefined;
  if (typeof v !== 'string' || !/^\d{1,15}$/.test(v))
    throw invalidInput(`${name} must be a whole number`, [{ field: name, reason: 'whole number' }]);
  return Number(v);
}

function filterOf(req: FastifyRequest) {
  const q = (req.query ?? {}) as Record<string, unknown>;
  const partnerId = typeof q['partnerId'] === 'string' && q['partnerId'] ? q['partnerId'] : undefined;
  if (partnerId !== undefined && !/^[1-9][0-9]{31}$/.test(partnerId))
    throw invalidInput('partnerId must be 32 decimal digits', [{ field: 'partnerId', reason: '32 digits' }]);
  const objectId = typeof q['objectId'] === 'string' && q['objectId'] ? q['objectId'] : undefined;
  if (objectId !== undefined && !idPattern.test(objectId))
    throw invalidInput('objectId is not an id', [{ field: 'objectId', reason: '4-128 id characters' }]);
  const limit = intParam(q, 'limit');
  if (limit !== undefined && (limit < 1 || limit > 1000))
    throw invalidInput('limit must be 1-1000', [{ field: 'limit', reason: '1-1000' }]);
  const afterId = intParam(q, 'after');
  const beforeId = intParam(q, 'before');
  return {
    ...(partnerId ? { partnerId } : {}),
    ...(objectId ? { objectId } : {}),
    ...(limit ? { limit } : {}),
    ...(afterId !== undefined ? { afterId } : {}),
    ...(beforeId !== undefined ? { beforeId } : {}),
  };
}

/** The summary streamed and listed: bodies only on the single entry. */
export function requestSummary(e: RequestLogEntry) {
  const { requestBody: _req, responseBody: _res, ...rest } = e;
  return rest;
}

const unauthorized = platformErrorSchema.meta({ description: 'Missing or wrong admin token' });
const admin = { tags: ['admin'], security: [{ adminToken: [] }] };
// The route declarations (the handlers check the filters themselves, with their own reasons).
const declared = {
  listRequests: {
    operationId: 'listRequests',
    summary: 'The request log: partner calls, newest first',
    description: 'What `cardport logs` and the dashboard show. Bodies only on GET /admin/v1/requests/{id}.',
    ...admin,
    querystring: documentedOnly(consoleFilterQuery),
    response: {
      200: requestsResponse,
      400: platformErrorSchema.meta({ description: 'Invalid filter' }),
      401: unauthorized,
    },
  },
  getRequest: {
    operationId: 'getRequest',
    summary: 'One logged call with its bodies',
    ...admin,
    params: documentedOnly(requestIdParams),
    response: {
      200: requestEntryResponse,
      401: unauthorized,
      404: platformErrorSchema.meta({ description: 'No such entry' }),
    },
  },
  getTimeline: {
    operationId: 'getTimeline',
    summary: "One object's timeline: the calls and deliveries that named it",
    ...admin,
    params: documentedOnly(objectIdParams),
    response: {
      200: timelineResponse,
      400: platformErrorSchema.meta({ description: 'Not an id' }),
      401: unauthorized,
    },
  },
  streamEvents: {
    operationId: 'streamEvents',
    summary: 'Server-sent events of new calls and delivery changes',
    description: 'What `cardport logs --follow`, `cardport listen` and the dashboard read.',
    ...admin,
    querystring: documentedOnly(consoleFilterQuery),
    response: { 200: eventsResponse, 401: unauthorized },
  },
};

export function registerConsoleRoutes(app: FastifyInstance, ctx: AppContext): void {
  describeApi(app, adminApi);
  const guard = { preHandler: ctx.requireAdmin };
  // Open event streams end when the app closes (they would keep its server open).
  const streams = new Set<() => void>();
  app.addHook('onClose', async () => {
    for (const end of streams) end();
    streams.clear();
  });

  // The dashboard sends the token once as a bearer; the answer sets the browser-wide cookie.
  app.post('/admin/session', guard, async (req, reply) => {
    const header = req.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
    if (!token) throw invalidInput('send the admin token as a bearer to open a session');
    setAdminSession(reply, token, new URL(ctx.config.publicUrl).protocol === 'https:');
    return reply.code(204).send();
  });
  // Whether this browser already holds a session: pages ask here instead of probing a guarded
  // route, so a signed-out browser sees no failed request in its console.
  app.get('/admin/session', async (req, reply) => {
    const signedIn = await Promise.resolve(ctx.requireAdmin.call(app, req, reply)).then(
      () => true,
      () => false,
    );
    return { signedIn };
  });
  app.delete('/admin/session', async (_req, reply) => {
    clearAdminSession(reply);
    return reply.code(204).send();
  });

  app.get('/admin/v1/requests', { ...guard, schema: declared.listRequests }, async (req) => {
    const entries = await listRequestLog(ctx.db, filterOf(req));
    return { requests: entries.map(requestSummary) };
  });

  app.get<{ Params: { id: string } }>(
    '/admin/v1/requests/:id',
    { ...guard, schema: declared.getRequest },
    async (req) => {
      if (!/^\d{1,15}$/.test(req.params.id)) throw notFound('request');
      const entry = await findRequestLogEntry(ctx.db, Number(req.params.id));
      if (!entry) throw notFound('request');
      return entry;
    },
  );

  app.get<{ Params: { objectId: string } }>(
    '/admin/v1/timeline/:objectId',
    { ...guard, schema: declared.getTimeline },
    async (req) => {
      const { objectId } = req.params;
      if (!idPattern.test(objectId))
        throw invalidInput('not an id', [{ field: 'objectId', reason: '4-128 id characters' }]);
      const [requests, deliveries, actions] = await Promise.all([
        listRequestLog(ctx.db, { objectId, limit: 500 }),
        deliveriesMentioning(ctx.db, objectId),
        listWalletActions(ctx.db, objectId),
      ]);
      const accountIds = [...new Set(actions.map((a) => a.accountId))];
      const emails = new Map((await getAccounts(ctx.db, accountIds)).map((a) => [a.userId, a.email]));
      const items = [
        ...requests.map((r) => ({ type: 'request' as const, at: r.at, request: requestSummary(r) })),
        ...deliveries.map((d) => ({ type: 'delivery' as const, at: d.createdAt, delivery: d })),
        ...actions.map((a) => {
          const accountEmail = emails.get(a.accountId);
          return {
            type: 'wallet' as const,
            at: a.at,
            action: {
              action: a.action,
              accountId: a.accountId,
              ...(accountEmail ? { accountEmail } : {}),
              detail: a.detail,
            },
          };
        }),
      ].sort((a, b) => a.at - b.at);
      // The wallet accounts that acted come first: the console links them to their account.
      const related = new Set<string>(accountIds.filter((id) => id !== objectId));
      for (const r of requests) for (const id of r.objectIds) if (id !== objectId) related.add(id);
      return { objectId, items, related: [...related].slice(0, 50) };
    },
  );

  // Server-sent events: `request` for each new request-log entry, `delivery` for each delivery
  // created or changed. `after` (or Last-Event-ID) resumes the request stream after that id.
  app.get('/admin/v1/events', { ...guard, schema: declared.streamEvents }, async (req, reply) => {
    const filter = filterOf(req);
    const lastEventId = Number(req.headers['last-event-id']);
    let afterId =
      filter.afterId ?? (Number.isFinite(lastEventId) && lastEventId > 0 ? lastEventId : undefined);
    if (afterId === undefined) {
      const newest = await listRequestLog(ctx.db, { limit: 1 });
      afterId = newest[0]?.id ?? 0;
    }
    let deliveriesSince = ctx.clock.now();
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      connection: 'keep-alive',
    });
    res.write(`retry: 2000\n: cardport events after request ${afterId}\n\n`);
    let open = true;
    let timer: NodeJS.Timeout | undefined;
    let beat = 0;
    const tick = async () => {
      if (!open) return;
      try {
        const entries = await listRequestLog(ctx.db, { ...filter, afterId, limit: 200 });
        for (const e of entries) {
          afterId = e.id;
          res.write(`id: ${e.id}\nevent: request\ndata: ${JSON.stringify(requestSummary(e))}\n\n`);
        }
        const rows = await ctx.db.query(
          `SELECT ${deliveryColumns} FROM deliveries WHERE updated_at > $1 ${
            filter.partnerId ? 'AND partner_id = $2' : ''
          } ORDER BY updated_at ASC LIMIT 200`,
          filter.partnerId ? [deliveriesSince, filter.partnerId] : [deliveriesSince],
        );
        for (const r of rows) {
          const d = deliveryEvent(r);
          deliveriesSince = Math.max(deliveriesSince, d.updatedAt);
          res.write(`event: delivery\ndata: ${JSON.stringify(d)}\n\n`);
        }
        beat += 1;
        if (beat % 30 === 0) res.write(': keep-alive\n\n');
      } catch (err) {
        ctx.log.warn({ err: (err as Error).message }, 'events stream: poll failed');
      }
      if (open) timer = setTimeout(tick, 500);
    };
    const close = () => {
      open = false;
      if (timer) clearTimeout(timer);
    };
    req.raw.on('close', close);
    res.on('close', close);
    const end = () => {
      close();
      res.end();
    };
    streams.add(end);
    res.on('close', () => streams.delete(end));
    timer = setTimeout(tick, 0);
  });
}
