// The admin side of Save to Pay on the main listener: the switches (503.1 / 503.2) and
// `cardport wallet scan` (what the wallet app does after scanning, for a given account and device).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../core/context.ts';
import { invalidInput, notFound } from '../core/errors.ts';
import { parseInput } from '../core/validation.ts';
import { findAccountByEmail, getDevice, listDevices, type WalletSession } from '../wallet/service.ts';
import type { S2pDeps } from './deps.ts';
import { initiateRegistration, provisionRegistration } from './provisioning.ts';
import type { S2pSwitches } from './store.ts';
import { currentSwitches, setSwitches } from './switches.ts';

/** PUT /admin/v1/save-to-pay/switches: the switches to change, every other field refused. */
export const switchesPatchSchema = z.strictObject({
  api: z.enum(['on', 'off'], { error: 'must be on or off' }).optional(),
  load: z.enum(['normal', 'shed'], { error: 'must be normal or shed' }).optional(),
  retryAfterSeconds: z
    .number({ error: 'must be an integer from 1 to 86400' })
    .int({ error: 'must be an integer from 1 to 86400' })
    .min(1, { error: 'must be an integer from 1 to 86400' })
    .max(86400, { error: 'must be an integer from 1 to 86400' })
    .optional(),
}) satisfies z.ZodType<Partial<S2pSwitches>>;

/** The switches patch of a request body, or INVALID_INPUT naming each wrong field. */
export function parseSwitchesPatch(body: unknown): Partial<S2pSwitches> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalidInput('invalid switches', [{ field: 'body', reason: 'must be an object' }]);
  }
  return parseInput(switchesPatchSchema, body, 'switches');
}

const scanSchema = z.object({
  account: z.string({ error: 'required email' }).min(1, { error: 'required email' }),
  deviceId: z.string({ error: 'string' }).optional(),
  url: z.string({ error: 'required' }).min(1, { error: 'required' }),
});

async function sessionFor(
  deps: S2pDeps,
  email: string,
  deviceId: string | undefined,
): Promise<WalletSession> {
  const account = await findAccountByEmail(deps.db, email);
  if (!account) throw notFound('wallet account');
  const device = deviceId
    ? await getDevice(deps.db, deviceId)
    : (await listDevices(deps.db, account.userId))[0];
  if (!device || device.userId !== account.userId) throw notFound('device');
  return { id: 'admin-scan', account, device, expiresAt: deps.clock.now() + 60_000 };
}

export function registerS2pAdminRoutes(app: FastifyInstance, ctx: AppContext): void {
  const deps: S2pDeps = ctx;
  app.get('/admin/v1/save-to-pay/switches', { preHandler: ctx.requireAdmin }, async () =>
    currentSwitches(deps),
  );
  app.put('/admin/v1/save-to-pay/switches', { preHandler: ctx.requireAdmin }, async (req) =>
    setSwitches(deps, parseSwitchesPatch(req.body)),
  );

  /** `cardport wallet scan`: what the wallet app does after scanning, for a given account/device. */
  app.post('/admin/v1/save-to-pay/scan', { preHandler: ctx.requireAdmin }, async (req) => {
    const scan = parseInput(scanSchema, req.body, 'scan request');
    const session = await sessionFor(deps, scan.account, scan.deviceId);
    const init = await initiateRegistration(deps, { session, url: scan.url });
    const result = await provisionRegistration(deps, {
      session,
      regId: init.regId,
      issuerBlob: init.issuerBlob,
    });
    return {
      card: init.card,
      ...(init.emailMatches !== undefined ? { emailMatches: init.emailMatches } : {}),
      ...(init.phoneMatches !== undefined ? { phoneMatches: init.phoneMatches } : {}),
      deviceId: session.device.deviceId,
      walletId: session.device.walletId,
      ...result,
    };
  });
}
