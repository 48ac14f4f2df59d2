import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { ServerOptions as HttpsServerOptions } from 'node:https';
import type { Socket } from 'node:net';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import { z } from 'zod';
import { hasAdminSession } from './admin-session.ts';
import { AppState } from './app-state.ts';
import { isPlatformError, PlatformError } from './errors.ts';
import { type ErrorFamily, familyOf, registerErrorFamily } from './families.ts';
import { tokensEqual } from './home.ts';
import { checkRequestText } from './input-check.ts';
import type { Logger } from './logger.ts';
import { installPagePolicies } from './page-policy.ts';
import { installDeclaredRoutes } from './routes.ts';
import { fromValidationError } from './validation.ts';
import { registerWarnings } from './warnings.ts';

export interface HttpAppOptions {
  logger: Logger;
  /** The app's state, reachable from any request as `req.server.appState`; a fresh one by default. */
  state?: AppState;
  https?: HttpsServerOptions;
  bodyLimit?: number;
}

/**
 * A Fastify instance with the platform's defaults: request ids, redacting logger, and the
 * platform's own error envelope `{error:{code,message,details}}`. API families whose real
 * service has another format install their own handler in their plugin scope.
 */
export function createHttpApp(options: HttpAppOptions): FastifyInstance {
  // Fastify's per-request "incoming/completed" lines at info would drown the console (welcome
  // pages poll every second): at the default level its logger starts at warn; they show with
  // CARDPORT_LOG_LEVEL=debug. Warnings and errors of requests always show.
  const infoOrQuieter = options.logger.levelVal >= (options.logger.levels.values['info'] ?? 30);
  const families: ErrorFamily[] = [];
  const app = Fastify({
    // (Never louder than the logger itself: a silent logger stays silent.)
    loggerInstance:
      infoOrQuieter && options.logger.levelVal < (options.logger.levels.values['warn'] ?? 40)
        ? options.logger.child({}, { level: 'warn' })
        : options.logger,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    genReqId: () => randomUUID(),
    return503OnClosing: true,
    // Router errors (bad percent-encoding, an over-long parameter) and socket-level refusals
    // (431) answer in the format of the family owning the path (core/families.ts).
    frameworkErrors: (err, req, reply) => familyErrorHandler(routerError(err), req, reply),
    clientErrorHandler: (err, socket) => refuseOnSocket(families, err as unknown as SocketError, socket),
    ...(options.https ? { https: options.https } : {}),
  }) as unknown as FastifyInstance;
  app.decorate('errorFamilies', families);
  app.decorate('appState', options.state ?? new AppState());
  // Security headers once for the whole listener: nosniff on every answer. Each page scope adds its
  // own CSP and framing policy once: registerPagePolicy (core/page-policy.ts) for the wallet, the
  // checkout, the welcome page, the ATW landing page and the dashboards, @fastify/helmet in the
  // site's own scope. The welcome page stays embeddable (the bank's modal iframe), so nothing here
  // forbids framing.
  app.register(helmet, {
    contentSecurityPolicy: false,
    crossOriginEmbedderPolicy: false,
    crossOriginOpenerPolicy: false,
    crossOriginResourcePolicy: false,
    originAgentCluster: false,
    referrerPolicy: false,
    strictTransportSecurity: false,
    xDnsPrefetchControl: false,
    xDownloadOptions: false,
    xFrameOptions: false,
    xPermittedCrossDomainPolicies: false,
    xXssProtection: false,
  });
  // Cookies once for the whole listener: `req.cookies` parsed on request, `reply.setCookie` /
  // `clearCookie` written on send. No cookie is signed (the admin session's value is an HMAC of
  // its own, the wallet's a bearer token checked against the database).
  app.register(cookie);
  installPagePolicies(app);
  // Routes declare their zod schemas; @fastify/swagger generates the document (core/routes.ts).
  installDeclaredRoutes(app);
  app.setErrorHandler(familyErrorHandler);
  registerWarnings(app);
  app.setNotFoundHandler((req, reply) => {
    familyErrorHandler(
      new PlatformError('NOT_FOUND', `no route for ${req.method} ${req.url.split('?')[0]}`, {
        details: [{ field: 'path', reason: 'no route' }],
      }),
      req,
      reply,
    );
  });
  // Every route, in every scope: refuse text no field accepts, and forms or any other non-JSON
  // body on JSON-only families.
  app.addHook('preValidation', async (req) => {
    const family = familyOf(req.server.errorFamilies, req.url);
    const type = req.headers['content-type'];
    if (family?.jsonOnly && type !== undefined && !/^application\/([\w.-]+\+)?json\s*(;|$)/i.test(type)) {
      throw new PlatformError('INVALID_INPUT', 'this API takes application/json only', {
        status: 415,
        details: [{ field: 'Content-Type', reason: 'application/json required' }],
      });
    }
    if (family?.sessionCookie) refuseCrossSite(req, family);
    checkRequestText(req, family?.headers ?? []);
  });
  return app;
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF: a state change riding on the family's session cookie must come from the platform's own
 * origin. Browsers send Origin on every cross-origin POST (and `null` from opaque contexts); when
 * it is absent, Sec-Fetch-Site tells. Then the family's own token check runs (`sessionToken`, the
 * wallet's synchronizer token). Routes that start a session get the origin check even without the
 * cookie (login CSRF). Requests with an Authorization header carry no ambient credential and pass.
 */
function refuseCrossSite(req: FastifyRequest, family: ErrorFamily): void {
  if (safeMethods.has(req.method) || req.headers.authorization !== undefined) return;
  const session = family.sessionCookie ? req.cookies?.[family.sessionCookie] : undefined;
  if (session === undefined && !family.startsSession?.(req)) return;
  const origin = req.headers.origin;
  const site = req.headers['sec-fetch-site'];
  const own = [`${req.protocol}://${req.headers.host ?? ''}`, ...(family.ownOrigins?.() ?? [])];
  const allowed =
    origin !== undefined
      ? own.includes(origin)
      : site === undefined || site === 'same-origin' || site === 'none';
  if (!allowed) {
    throw new PlatformError(
      'FORBIDDEN',
      'cross-site request refused: this page must be used from the wallet itself',
      {
        details: [
          { field: origin !== undefined ? 'Origin' : 'Sec-Fetch-Site', reason: 'not the wallet origin' },
        ],
      },
    );
  }
  if (session !== undefined) family.sessionToken?.(req, session);
}

/** Fastify's router errors as PlatformErrors with safe messages (the path may carry a token). */
function routerError(err: { code?: string; statusCode?: number }): PlatformError {
  if (err.code === 'FST_ERR_MAX_PARAM_LENGTH')
    return new PlatformError('INVALID_INPUT', 'a path parameter is too long', {
      status: 414,
      details: [{ field: 'path', reason: 'parameter too long' }],
    });
  return new PlatformError('INVALID_INPUT', 'the URL is not valid (bad percent-encoding)', {
    status: err.statusCode && err.statusCode < 500 ? err.statusCode : 400,
    details: [{ field: 'path', reason: 'not a valid URL' }],
  });
}

/** The root error handler: the family owning the path renders, else the platform envelope. */
function familyErrorHandler(err: unknown, req: FastifyRequest, reply: FastifyReply): void {
  const family = familyOf(req.server.errorFamilies, req.url);
  if (family) family.handler(err, req, reply);
  else platformErrorHandler(err, req, reply);
}

/** A refusal before any request exists (bad request line, 431, timeout), in the path's family format. */
type SocketError = Error & { code?: string; rawPacket?: Buffer };

function refuseOnSocket(families: readonly ErrorFamily[], err: SocketError, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, message] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'request header fields too large']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'request timeout']
        : [400, 'malformed HTTP request'];
  const e = new PlatformError('INVALID_INPUT', message, { status });
  // The family needs only the start of the path; the rest of the line may be long (a 431).
  const line = /^([A-Z]+) (\/[^\s?#]{0,256})/.exec(
    Buffer.isBuffer(err.rawPacket) ? err.rawPacket.subarray(0, 300).toString('latin1') : '',
  );
  // When the line is not in this packet, the listener's catch-all family (prefix `/`) answers.
  const family = familyOf(families, line?.[2] ?? '/');
  const { type, body: text } = family ? family.raw(e) : platformRaw(e);
  // A HEAD request gets the head only.
  const body = line?.[1] === 'HEAD' ? '' : text;
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: ${type}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

/** Converts anything thrown into a PlatformError: Fastify's own 4xx stay client errors, the rest is 500. */
export function toPlatformError(err: unknown): PlatformError {
  if (isPlatformError(err)) return err;
  const invalid = fromValidationError(err);
  if (invalid) return invalid;
  const fe = err as Partial<FastifyError>;
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    const code =
      fe.statusCode === 413 ? 'PAYLOAD_TOO_LARGE' : fe.statusCode === 404 ? 'NOT_FOUND' : 'INVALID_INPUT';
    // Fastify's messages (bad JSON, wrong content type, body too large) name no secret.
    return new PlatformError(code, fe.message ?? 'bad request', { status: fe.statusCode, cause: err });
  }
  return new PlatformError('INTERNAL', 'internal error', { cause: err });
}

export function platformErrorHandler(err: unknown, req: FastifyRequest, reply: FastifyReply): void {
  const e = toPlatformError(err);
  if (e.status >= 500) req.log.error({ err: e.cause ?? e, code: e.code }, 'request failed');
  if (e.retryAfterSeconds !== undefined) reply.header('Retry-After', String(e.retryAfterSeconds));
  reply
    .code(e.status)
    .send({ error: { code: e.code, message: e.message, ...(e.details ? { details: e.details } : {}) } });
}

/** The platform envelope as raw text, for refusals made on the socket. */
export function platformRaw(e: PlatformError): { type: string; body: string } {
  return { type: 'application/json', body: JSON.stringify({ error: { code: e.code, message: e.message } }) };
}

/** Registers a family answering in the platform's own envelope (the wallet API, the admin API). */
export function registerPlatformFamily(
  app: FastifyInstance,
  prefix: string,
  options: Pick<
    ErrorFamily,
    'headers' | 'jsonOnly' | 'sessionCookie' | 'ownOrigins' | 'sessionToken' | 'startsSession'
  > = {},
): void {
  registerErrorFamily(app, { prefix, handler: platformErrorHandler, raw: platformRaw, ...options });
}

/** A preHandler that admits only `Authorization: Bearer <admin token>`. */
export function adminGuard(adminToken: string) {
  return async (req: FastifyRequest): Promise<void> => {
    const header = req.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
    if (!token && hasAdminSession(req, adminToken)) return; // the dashboard's cookie (admin-session.ts)
    if (!token || !tokensEqual(token, adminToken)) {
      throw new PlatformError(
        'UNAUTHORIZED',
        'admin API needs Authorization: Bearer <token from $CARDPORT_HOME/admin-token>',
      );
    }
  };
}

/**
 * The admin API's tag and security scheme in the OpenAPI document: every domain mounting admin
 * routes (guarded by `requireAdmin`) passes it to `describeApi` (core/routes.ts).
 */
export const adminApi = {
  tags: [{ name: 'admin', description: 'Admin API used by the cardport CLI (bearer admin token).' }],
  securitySchemes: {
    adminToken: { type: 'http', scheme: 'bearer', description: 'The token in $CARDPORT_HOME/admin-token.' },
  },
};

/** The platform envelope `{error:{code,message,details}}` as a zod schema, for declared responses. */
export const platformErrorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ field: z.string(), reason: z.string() })).optional(),
  }),
});
