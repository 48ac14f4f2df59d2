// The admin side of Save to Pay on the main listener: the switches (503.1 / 503.2) and
// `cardport wallet scan` (what the wallet app does after scanning, for a given account and device).
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../core/context.ts';
import { invalidInput, notFound, PlatformError } from '../core/errors.ts';
import { adminApi } from '../core/http.ts';
import { describeApi, documentedOnly, type ZodTypeProvider } from '../core/routes.ts';
import { parseInput } from '../core/validation.ts';
import { findAccountByEmail, getDevice, listDevices, type WalletSession } from '../wallet/service.ts';
import type { S2pDeps } from './deps.ts';
import { initiateRegistration, provisionRegistration } from './provisioning.ts';
import {
  adminErrors,
  scanBody,
  scanResponse,
  switchesBody,
  switchesPatchSchema,
  switchesResponse,
} from './schemas.ts';
import type { S2pSwitches } from './store.ts';
import { currentSwitches, setSwitches } from './switches.ts';

/** The switches patch of a request body, or INVALID_INPUT naming each wrong field. */
export function parseSwitchesPatch(body: unknown): Partial<S2pSwitches> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalidInput('invalid switches', [{ field: 'body', reason: 'must be an object' }]);
  }
  try {
    return parseInput(switchesPatchSchema, body, 'switches');
  } catch (err) {
    // The same answer as ever: "invalid switches", the details naming each field.
    throw err instanceof PlatformError && err.details ? invalidInput('invalid switches', err.details) : err;
  }
}

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
  describeApi(app, adminApi);
  const api = app.withTypeProvider<ZodTypeProvider>();
  const admin = { tags: ['admin'], security: [{ adminToken: [] }] };
  api.get(
    '/admin/v1/save-to-pay/switches',
    {
      preValidation: ctx.requireAdmin,
      schema: {
        operationId: 'currentSwitches',
        summary: 'The Save to Pay switches (503.1 shedding load, 503.2 API off)',
        ...admin,
        response: { 200: switchesResponse, 401: adminErrors[401] },
      },
    },
    async () => currentSwitches(deps),
  );
  api.put(
    '/admin/v1/save-to-pay/switches',
    {
      preValidation: ctx.requireAdmin,
      schema: {
        operationId: 'setSwitches',
        summary: 'Change Save to Pay switches; absent ones keep their value',
        description: 'Every process sees the change within a second (docs/save-to-pay.md).',
        ...admin,
        // Checked by parseSwitchesPatch, which names a non-object body as before.
        body: documentedOnly(switchesBody),
        response: { 200: switchesResponse, ...adminErrors },
      },
    },
    async (req) => setSwitches(deps, parseSwitchesPatch(req.body)),
  );

  /** `cardport wallet scan`: what the wallet app does after scanning, for a given account/device. */
  api.post(
    '/admin/v1/save-to-pay/scan',
    {
      preValidation: ctx.requireAdmin,
      schema: {
        operationId: 'scanSaveToPayCode',
        summary: 'What the wallet app does after scanning a Save to Pay code, for an account and device',
        description: 'cardport wallet scan: initiate, then provision.',
        ...admin,
        body: scanBody,
        response: { 200: scanResponse, ...adminErrors },
      },
    },
    async (req) => {
      const scan = req.body;
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
    },
  );
}
