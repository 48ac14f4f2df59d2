import type { FastifyInstance } from 'fastify';
import { parseDuration } from '../core/clock.ts';
import type { AppContext } from '../core/context.ts';
import type { DomainModule } from '../core/domain.ts';
import { invalidInput, PlatformError } from '../core/errors.ts';
import { adminApi, platformErrorSchema } from '../core/http.ts';
import { describeApi, documentedOnly, type ZodTypeProvider } from '../core/routes.ts';
import { advanceClockBody, advancedClockResponse, clockResponse, resetClockResponse } from './schemas.ts';

const unauthorized = platformErrorSchema.meta({ description: 'Missing or wrong admin token' });
const admin = { tags: ['admin'], security: [{ adminToken: [] }] };
const fixedClock = platformErrorSchema.meta({ description: 'The platform runs on a fixed clock' });

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
    describeApi(app, adminApi);
    const api = app.withTypeProvider<ZodTypeProvider>();
    const guard = ctx.requireAdmin;
    api.get(
      '/admin/v1/clock',
      {
        preValidation: guard,
        schema: {
          operationId: 'showClock',
          summary: 'The sandbox time and its offset from real time',
          ...admin,
          response: { 200: clockResponse, 401: unauthorized },
        },
      },
      async () => clockView(ctx),
    );
    const advance = {
      preValidation: guard,
      schema: {
        operationId: 'advanceClock',
        summary:
          'Move the sandbox (business) time forward ({"duration":"5m"}); authentication stays on real time',
        ...admin,
        // Checked below, with the message that shows the expected body.
        body: documentedOnly(advanceClockBody),
        response: {
          200: advancedClockResponse,
          400: platformErrorSchema.meta({ description: 'Not a positive duration' }),
          401: unauthorized,
          409: fixedClock,
        },
      },
    };
    api.post('/admin/v1/clock/advance', advance, async (req) => {
      const parsed = advanceClockBody.safeParse(req.body ?? {});
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
    const reset = {
      preValidation: guard,
      schema: {
        operationId: 'resetClock',
        summary: 'Put the sandbox time back to real time',
        ...admin,
        response: { 200: resetClockResponse, 401: unauthorized, 409: fixedClock },
      },
    };
    api.post('/admin/v1/clock/reset', reset, async () => {
      await requireSandboxClock(ctx).reset(ctx.db);
      return clockView(ctx);
    });
  },
};
