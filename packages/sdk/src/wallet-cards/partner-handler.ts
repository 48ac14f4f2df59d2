// The partner's side of the Partner Server API (PROTOCOLS.md 3.3): Get Card Data (GET) and Send
// Card State (POST) at `{your URL}/cards/{cardId}/{refId}`. Verifies the platform's AUTH token
// (signature with the platform certificate, 30 s utc window, bound to this method and path),
// hands ADDED/UPDATED/DELETED with cc2 and callback to your callback, and tolerates duplicates.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isJoseError, verifyAuthToken } from '@cardport/jose';
import { type CardStateEvent, cardStateEvents } from '@cardport/protocol';
import { type PublicKeyInput, type SdkClock, toPublicKey } from './keys.ts';

export interface CardStateNotice {
  cardId: string;
  refId: string;
  /** Country of the wallet's device: use it in Server API paths. */
  cc2: string;
  event: CardStateEvent;
  /** The Server API base to call back (from the body); keep it with cc2 from ADDED. */
  callback: string | undefined;
  /** The platform's `x-request-id`: the same id again is a retry of the same notice. */
  requestId: string | undefined;
}

export interface PartnerCardHandlerOptions {
  /** Your partner id: the platform's tokens name it. */
  partnerId: string;
  /** The platform's AUTH certificate (handed out at onboarding). */
  platformCertificate: PublicKeyInput;
  /**
   * The platform certificate's id (the `certificateId` its tokens carry), when you know it: a
   * token naming another certificate is refused before its signature is checked. Without it,
   * any token the platform key verifies is accepted, whatever id it names.
   */
  platformCertificateId?: string;
  /**
   * Get Card Data: the card object `{card:{type,subType,data:[...]}}` or `{cdata}` for this refId,
   * or null when it does not exist (answered 204: the wallet removes it).
   */
  getCardData(cardId: string, refId: string): Promise<unknown | null> | unknown | null;
  /** Send Card State. Must be idempotent: the platform retries; duplicates by request id are dropped here. */
  onCardState(notice: CardStateNotice): Promise<void> | void;
  clock?: SdkClock;
  /** Log of refused calls (never the token). */
  onRejected?(reason: string): void;
}

export interface PartnerRequest {
  method: string;
  /** The path and query exactly as received (what the token is bound to). */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body, or its text. */
  body?: unknown;
}

export interface PartnerResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const cardPath = /\/cards\/([^/?#]+)\/([^/?#]+)$/;

/**
 * The framework-free handler. Returns undefined for paths that are not `.../cards/{cardId}/{refId}`.
 */
export function createPartnerCardHandler(options: PartnerCardHandlerOptions) {
  const platformKey = toPublicKey(options.platformCertificate, 'platformCertificate');
  const seen = new Map<string, number>();
  const clock = options.clock;
  const reply = (status: number, body?: unknown): PartnerResponse => ({
    status,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? '' : JSON.stringify(body),
  });
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

  return async function handle(req: PartnerRequest): Promise<PartnerResponse | undefined> {
    const url = new URL(req.url, 'http://partner.invalid');
    const match = cardPath.exec(url.pathname);
    if (!match || (req.method !== 'GET' && req.method !== 'POST')) return undefined;
    const cardId = decodeURIComponent(match[1] as string);
    const refId = decodeURIComponent(match[2] as string);
    try {
      await verifyAuthToken(one(req.headers['authorization']) ?? '', {
        resolveKey: platformKey,
        method: req.method,
        path: url.pathname,
        expected: {
          partnerId: options.partnerId,
          ...(options.platformCertificateId ? { certificateId: options.platformCertificateId } : {}),
        },
        ...(clock ? { now: () => clock.now() } : {}),
      });
    } catch (err) {
      if (!isJoseError(err)) throw err;
      options.onRejected?.(`${req.method} ${url.pathname}: ${err.code} ${err.message}`);
      return reply(401, { error: { code: 'UNAUTHORIZED', message: err.message } });
    }
    if (req.method === 'GET') {
      const answer = await options.getCardData(cardId, refId);
      return answer === null || answer === undefined ? reply(204) : reply(200, answer);
    }
    const event = url.searchParams.get('event') ?? '';
    const cc2 = url.searchParams.get('cc2') ?? '';
    if (!(cardStateEvents as readonly string[]).includes(event) || !/^[A-Za-z]{2}$/.test(cc2)) {
      return reply(400, {
        error: { code: 'INVALID_INPUT', message: 'cc2 and event query parameters are required' },
      });
    }
    let body = req.body;
    if (typeof body === 'string' && body !== '') {
      try {
        body = JSON.parse(body);
      } catch {
        return reply(400, { error: { code: 'INVALID_INPUT', message: 'body is not JSON' } });
      }
    }
    const callback = (body as { callback?: unknown } | undefined)?.callback;
    const requestId = one(req.headers['x-request-id']);
    if (requestId) {
      if (seen.has(requestId)) return reply(200);
      seen.set(requestId, Date.now());
      if (seen.size > 10_000) seen.delete(seen.keys().next().value as string);
    }
    try {
      await options.onCardState({
        cardId,
        refId,
        cc2: cc2.toUpperCase(),
        event: event as CardStateEvent,
        callback: typeof callback === 'string' ? callback : undefined,
        requestId,
      });
    } catch (err) {
      if (requestId) seen.delete(requestId);
      throw err;
    }
    return reply(200);
  };
}

export type PartnerCardHandler = ReturnType<typeof createPartnerCardHandler>;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      text += c;
      if (text.length > 1_000_000) req.destroy(new Error('body too large'));
    });
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}

/**
 * For node:http and Express: `(req, res, next?)`. Express users mount it with `app.use(handler)`
 * before any JSON body parser, or after one (a parsed `req.body` is used).
 */
export function partnerCardMiddleware(options: PartnerCardHandlerOptions) {
  const handle = createPartnerCardHandler(options);
  return async (
    req: IncomingMessage & { body?: unknown; originalUrl?: string },
    res: ServerResponse,
    next?: (err?: unknown) => void,
  ): Promise<void> => {
    try {
      const url = req.originalUrl ?? req.url ?? '/';
      const body =
        req.body !== undefined ? req.body : req.method === 'POST' ? await readBody(req) : undefined;
      const out = await handle({ method: req.method ?? 'GET', url, headers: req.headers, body });
      if (!out) {
        if (next) next();
        else res.writeHead(404).end();
        return;
      }
      res.writeHead(out.status, out.headers).end(out.body);
    } catch (err) {
      if (next) next(err);
      else res.writeHead(500).end();
    }
  };
}

/** The handler's routes on a Fastify instance: `GET|POST {prefix}/cards/:cardId/:refId`. */
export function registerPartnerCardRoutes(
  app: {
    route(opts: {
      method: string[];
      url: string;
      handler: (
        req: { method: string; url: string; headers: PartnerRequest['headers']; body?: unknown },
        reply: {
          code(n: number): { headers(h: Record<string, string>): { send(b?: string): unknown } };
        },
      ) => Promise<unknown>;
    }): unknown;
  },
  options: PartnerCardHandlerOptions & { prefix?: string },
): void {
  const handle = createPartnerCardHandler(options);
  app.route({
    method: ['GET', 'POST'],
    url: `${options.prefix ?? ''}/cards/:cardId/:refId`,
    handler: async (req, reply) => {
      const out = await handle({ method: req.method, url: req.url, headers: req.headers, body: req.body });
      if (!out) return reply.code(404).headers({}).send();
      return reply.code(out.status).headers(out.headers).send(out.body);
    },
  });
}
