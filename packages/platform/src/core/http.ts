import { randomUUID } from 'node:crypto';
import type { ServerOptions as HttpsServerOptions } from 'node:https';
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import { hasAdminSession } from './admin-session.ts';
import { isPlatformError, PlatformError } from './errors.ts';
import { tokensEqual } from './home.ts';
import type { Logger } from './logger.ts';

export interface HttpAppOptions {
  logger: Logger;
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
  const app = Fastify({
    loggerInstance: infoOrQuieter ? options.logger.child({}, { level: 'warn' }) : options.logger,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    genReqId: () => randomUUID(),
    return503OnClosing: true,
    ...(options.https ? { https: options.https } : {}),
  }) as unknown as FastifyInstance;
  app.setErrorHandler(platformErrorHandler);
  app.setNotFoundHandler((req, reply) => {
    reply
      .code(404)
      .send({ error: { code: 'NOT_FOUND', message: `no route for ${req.method} ${req.url.split('?')[0]}` } });
  });
  return app;
}

/** Converts anything thrown into a PlatformError: Fastify's own 4xx stay client errors, the rest is 500. */
export function toPlatformError(err: unknown): PlatformError {
  if (isPlatformError(err)) return err;
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
