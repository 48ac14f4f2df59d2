// The partner half of the bidirectional health check (seed 004 Appendix B): Samsung calls your
// health URL (e.g. HEAD /samsungpay/integration/health); you call Samsung's
// HEAD /ops/v1/internal/health and answer 204 when it answered 204, else 502.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WebCheckoutClient } from './client.ts';

/**
 * A Node `http` request handler for your health URL. Use it with `http.createServer`, or call it
 * from an Express/Fastify route with the raw req/res.
 *
 * @example
 *   const health = createHealthHandler(client);
 *   http.createServer((req, res) => req.url === '/samsungpay/integration/health' ? health(req, res) : app(req, res));
 */
export function createHealthHandler(client: Pick<WebCheckoutClient, 'health'>) {
  return async (_req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const { healthy } = await client.health.check();
    res.statusCode = healthy ? 204 : 502;
    res.end();
  };
}
