import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { parseDuration } from '../core/clock.ts';
import type { AppContext } from '../core/context.ts';
import type { DomainModule } from '../core/domain.ts';
import { invalidInput, PlatformError } from '../core/errors.ts';
import { openapi } from '../core/openapi.ts';

const advanceBody = z
  .object({ duration: z.union([z.string().min(1), z.number().int().positive()]) })
  .strict();

function clockView(ctx: AppContext) {
  const now = ctx.clock.now();
  return { now, nowIso: new Date(now).toISOString(), offsetMs: ctx.sandboxClock?.offsetMs ?? 0 };
}

function requireSandboxClock(ctx: AppContext) {
  if (!ctx.sandboxClock)
    throw new PlatformError('CONFLICT', 'this platform runs on a fixed clock that cannot be moved');
  return ctx.sandboxClock;
}

/**
 * Admin API of the sandbox clock: it moves business time (welcome URLs, credential lifetimes,
 * retry waits, pass dates), never the partners' clocks: authentication (AUTH token and cdata
 * `utc`, certificate validity) stays on real time (docs/compatibility.md).
 */
export const clockModule: DomainModule = {
  name: 'clock',
  main(app: FastifyInstance, ctx: AppContext) {
    for (const [method, path, operationId, summary] of [
      ['GET', '/admin/v1/clock', 'showClock', 'The sandbox time and its offset from real time'],
      [
        'POST',
        '/admin/v1/clock/advance',
        'advanceClock',
        'Move the sandbox (business) time forward ({"duration":"5m"}); authentication stays on real time',
      ],
      ['POST', '/admin/v1/clock/reset', 'resetClock', 'Put the sandbox time back to real time'],
    ] as const) {
      openapi.register({
        method,
        path,
        operationId,
        summary,
        tags: ['admin'],
        security: ['adminToken'],
        ...(method === 'POST' && path.endsWith('advance') ? { requestBody: { schema: advanceBody } } : {}),
        responses: {
          '200': { description: '{now, nowIso, offsetMs}' },
          '401': { description: 'Missing or wrong admin token' },
        },
      });
    }
    app.get('/admin/v1/clock', { preHandler: ctx.requireAdmin }, async () => clockView(ctx));
    app.post('/admin/v1/clock/advance', { preHandler: ctx.requireAdmin }, async (req) => {
      const parsed = advanceBody.safeParse(req.body ?? {});
      if (!parsed.success)
        throw invalidInput('body must be {"duration": "5m"}', [
          { field: 'duration', reason: 'required: a duration such as 30s, 5m, 2h, 1d or milliseconds' },
        ]);
      let ms: number;
      try {
        ms =
          typeof parsed.data.duration === 'number'
            ? parsed.data.duration
            : parseDuration(parsed.data.duration);
      } catch (err) {
        throw invalidInput((err as Error).message, [{ field: 'duration', reason: (err as Error).message }]);
      }
      if (ms <= 0)
        throw invalidInput('the sandbox clock only moves forward', [
          { field: 'duration', reason: 'must be positive' },
        ]);
      await requireSandboxClock(ctx).advance(ctx.db, ms);
      return { ...clockView(ctx), advancedMs: ms };
    });
    app.post('/admin/v1/clock/reset', { preHandler: ctx.requireAdmin }, async () => {
      await requireSandboxClock(ctx).reset(ctx.db);
      return clockView(ctx);
    });
  },
};
