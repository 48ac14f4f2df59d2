// HTTP of the virtual wallet: the phone's pages (/wallet, /wallet/app...), its JSON automation
// API (/wallet/api/...) and the admin API the CLI uses (/admin/v1/wallet/...).
import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../core/context.ts';
import { isPlatformError, notFound, type PlatformError } from '../core/errors.ts';
import { registerPlatformFamily } from '../core/http.ts';
import { openapi } from '../core/openapi.ts';
import { startsWalletSession, walletCsrfCheck, walletCsrfToken } from './csrf.ts';
import { cookieToken, sendWalletPage, sessionCookieName, walletApiSession } from './extensions.ts';
import { annotateWalletOperations } from './openapi.ts';
import type { AppPageContext } from './pages/app.ts';
import { accountPage, cardsPage, devicesPage } from './pages/app.ts';
import { signInPage, signUpPage } from './pages/sign-in.ts';
import {
  accountDetailSchema,
  addDeviceInput,
  createAccountInput,
  errorSchema,
  listWalletItemsQuery,
  meResponseSchema,
  parseInput,
  sessionResponseSchema,
  signInInput,
  walletAccountSchema,
  walletDeviceSchema,
  walletItemSchema,
} from './schemas.ts';
import type { StartedSession, WalletSession } from './service.ts';
import * as service from './service.ts';

/** What the wallet's routes need from the app context (tests can mount them on a bare app). */
export type WalletDeps = Pick<AppContext, 'db' | 'clock' | 'config' | 'keys' | 'requireAdmin'>;

const walletScript = readFileSync(new URL('./pages/wallet.js', import.meta.url), 'utf8');

/** A `next`/`returnTo` target: only paths inside the wallet, so a link can never redirect elsewhere. */
export function safeWalletPath(value: unknown, prefix = '/wallet'): string | undefined {
  if (typeof value !== 'string' || value.length > 512) return undefined;
  const re = new RegExp(`^${prefix.replace(/\//g, '\\/')}(?:[/?#][^\\s\\\\]*)?$`);
  return re.test(value) ? value : undefined;
}

/** String fields of a urlencoded form (anything else is ignored), trimmed. */
function formValues(body: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (body && typeof body === 'object') {
    for (const [k, v] of Object.entries(body)) if (typeof v === 'string') out[k] = v.trim();
  }
  return out;
}

/** Form fields left empty mean "not given". */
function nonEmpty(values: Record<string, string>, ...names: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of names) if (values[n]) out[n] = values[n];
  return out;
}

function sessionJson(s: StartedSession) {
  return { token: s.token, expiresAt: s.expiresAt, account: s.account, device: s.device };
}

export function registerWalletRoutes(app: FastifyInstance, deps: WalletDeps): void {
  const { db, clock } = deps;
  const secureCookie = deps.config.publicUrl.startsWith('https:');
  // The device API of every flow lives under /wallet/api/: JSON only, the platform envelope.
  // Both, and the wallet's pages, refuse cookie-borne state changes from other origins or without
  // the session's CSRF token (csrf.ts).
  const csrf = {
    sessionCookie: sessionCookieName,
    ownOrigins: () => [new URL(deps.config.publicUrl).origin],
    sessionToken: walletCsrfCheck(deps.keys),
    startsSession: startsWalletSession,
  };
  registerPlatformFamily(app, '/wallet/api/', {
    jsonOnly: true,
    headers: ['authorization', 'cookie'],
    ...csrf,
  });
  registerPlatformFamily(app, '/wallet/', csrf);

  function setSessionCookie(reply: FastifyReply, s: StartedSession): void {
    const maxAge = Math.max(0, Math.floor((s.expiresAt - clock.now()) / 1000));
    reply.header(
      'set-cookie',
      `${sessionCookieName}=${s.token}; Path=/wallet; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${secureCookie ? '; Secure' : ''}`,
    );
  }

  function clearSessionCookie(reply: FastifyReply): void {
    reply.header(
      'set-cookie',
      `${sessionCookieName}=; Path=/wallet; HttpOnly; SameSite=Lax; Max-Age=0${secureCookie ? '; Secure' : ''}`,
    );
  }

  const apiSession = (req: FastifyRequest): Promise<WalletSession> => walletApiSession(deps, req);

  const sendPage = sendWalletPage;

  // ---- JSON automation API -------------------------------------------------------------------

  app.post('/wallet/api/accounts', async (req, reply) => {
    const input = parseInput(createAccountInput, req.body);
    const s = await db.transaction((tx) => service.signUp(tx, clock, input));
    setSessionCookie(reply, s);
    return reply.code(201).send(sessionJson(s));
  });

  app.post('/wallet/api/sessions', async (req, reply) => {
    const input = parseInput(signInInput, req.body);
    const s = await service.signIn(db, clock, input);
    setSessionCookie(reply, s);
    return reply.code(201).send(sessionJson(s));
  });

  app.delete('/wallet/api/sessions/current', async (req, reply) => {
    const s = await apiSession(req);
    await service.endSession(db, s);
    clearSessionCookie(reply);
    return reply.code(204).send();
  });

  app.get('/wallet/api/me', async (req) => {
    const s = await apiSession(req);
    const devices = await service.listDevices(db, s.account.userId);
    return { account: s.account, device: s.device, devices, expiresAt: s.expiresAt };
  });

  app.get('/wallet/api/devices', async (req) => {
    const s = await apiSession(req);
    return { devices: await service.listDevices(db, s.account.userId) };
  });

  app.post('/wallet/api/devices', async (req, reply) => {
    const s = await apiSession(req);
    const input = parseInput(addDeviceInput, req.body);
    const device = await db.transaction(async (tx) => {
      const d = await service.addDevice(tx, clock, s.account.userId, input);
      if (input.select) await service.selectDevice(tx, s, d.deviceId);
      return d;
    });
    return reply.code(201).send({ device, selected: input.select });
  });

  app.post('/wallet/api/devices/:deviceId/select', async (req) => {
    const s = await apiSession(req);
    const { deviceId } = req.params as { deviceId: string };
    return { device: await service.selectDevice(db, s, deviceId) };
  });

  app.get('/wallet/api/items', async (req) => {
    const s = await apiSession(req);
    const query = parseInput(listWalletItemsQuery, req.query, 'query');
    const deviceId = query.deviceId ?? s.device.deviceId;
    const device = await service.getDevice(db, deviceId);
    if (!device || device.userId !== s.account.userId) throw notFound('device');
    return { deviceId, items: await service.listWalletItems(db, s.account.userId, { deviceId }) };
  });

  // ---- Admin API (the CLI's `cardport wallet ...`) -------------------------------------------

  app.post('/admin/v1/wallet/accounts', { preHandler: deps.requireAdmin }, async (req, reply) => {
    const input = parseInput(createAccountInput, req.body);
    const { account, device } = await service.createAccount(db, clock, input);
    return reply.code(201).send({
      userId: account.userId,
      deviceId: device.deviceId,
      walletId: device.walletId,
      account,
      devices: [device],
    });
  });

  app.get('/admin/v1/wallet/accounts', { preHandler: deps.requireAdmin }, async (req) => {
    const { limit } = parseInput(
      z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).default(100) }),
      req.query,
      'query',
    );
    return { accounts: await service.listAccounts(db, limit) };
  });

  app.get('/admin/v1/wallet/accounts/:email', { preHandler: deps.requireAdmin }, async (req) => {
    const { email } = req.params as { email: string };
    const account = await service.findAccountByEmail(db, email);
    if (!account) throw notFound('wallet account');
    const devices = await service.listDevices(db, account.userId);
    const first = devices[0];
    return {
      userId: account.userId,
      deviceId: first?.deviceId ?? null,
      walletId: first?.walletId ?? null,
      account,
      devices,
      items: await service.listWalletItems(db, account.userId),
    };
  });

  // ---- Pages ---------------------------------------------------------------------------------

  app.get('/wallet/assets/wallet.js', async (_req, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(walletScript),
  );

  /** The page session from the cookie; undefined (and the cookie cleared) when there is none. */
  async function pageSession(
    req: FastifyRequest,
    reply: FastifyReply,
  ): Promise<{ session?: WalletSession; expired?: boolean }> {
    const token = cookieToken(req);
    if (!token) return {};
    try {
      return { session: await service.authenticate(db, clock, token) };
    } catch (err) {
      if (isPlatformError(err) && err.code === 'UNAUTHORIZED') {
        clearSessionCookie(reply);
        return { expired: true };
      }
      throw err;
    }
  }

  async function appContext(session: WalletSession, path: string): Promise<AppPageContext> {
    return {
      account: session.account,
      device: session.device,
      devices: await service.listDevices(db, session.account.userId),
      path,
      now: clock.now(),
      csrfToken: walletCsrfToken(deps.keys, session.id),
    };
  }

  /** Signed-in pages: without a session, back to sign-in with `next` pointing here. */
  function signedIn(
    render: (session: WalletSession, req: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>,
  ) {
    return async (req: FastifyRequest, reply: FastifyReply) => {
      const { session, expired } = await pageSession(req, reply);
      if (!session) {
        const next = safeWalletPath(req.url.split('?')[0]);
        const query = new URLSearchParams({
          ...(next ? { next } : {}),
          ...(expired ? { expired: '1' } : {}),
        }).toString();
        return reply.redirect(`/wallet${query ? `?${query}` : ''}`, 303);
      }
      return render(session, req, reply);
    };
  }

  app.get('/wallet', async (req, reply) => {
    const query = req.query as Record<string, unknown>;
    const next = safeWalletPath(query['next']);
    const { session, expired } = await pageSession(req, reply);
    if (session) return reply.redirect(next ?? '/wallet/app', 303);
    const info =
      expired || query['expired']
        ? 'Your session ended. Sign in again.'
        : query['signedOut']
          ? 'Signed out.'
          : undefined;
    return sendPage(reply, signInPage(clock.now(), { next, ...(info ? { info } : {}) }));
  });

  app.get('/wallet/sign-up', async (req, reply) => {
    const next = safeWalletPath((req.query as Record<string, unknown>)['next']);
    return sendPage(reply, signUpPage(clock.now(), { next }));
  });

  /** Runs a form action; a client error re-renders the form with its message instead of failing. */
  async function formAction(
    reply: FastifyReply,
    action: () => Promise<FastifyReply>,
    onError: (err: PlatformError) => string,
  ): Promise<FastifyReply> {
    try {
      return await action();
    } catch (err) {
      if (!isPlatformError(err) || err.status >= 500) throw err;
      return sendPage(reply, onError(err), err.status);
    }
  }

  const errorState = (err: PlatformError) => ({
    text: err.code === 'INVALID_INPUT' ? 'Please check these fields:' : err.message,
    ...(err.code === 'INVALID_INPUT' && err.details ? { details: err.details } : {}),
  });

  app.post('/wallet/sign-in', async (req, reply) => {
    const values = formValues(req.body);
    const next = safeWalletPath(values['next']);
    return formAction(
      reply,
      async () => {
        const s = await service.signIn(db, clock, parseInput(signInInput, nonEmpty(values, 'email'), 'form'));
        setSessionCookie(reply, s);
        return reply.redirect(next ?? '/wallet/app', 303);
      },
      (err) => signInPage(clock.now(), { values, next, error: errorState(err) }),
    );
  });

  app.post('/wallet/sign-up', async (req, reply) => {
    const values = formValues(req.body);
    const next = safeWalletPath(values['next']);
    return formAction(
      reply,
      async () => {
        const input = parseInput(createAccountInput, nonEmpty(values, 'email', 'phone', 'country'), 'form');
        const s = await db.transaction((tx) => service.signUp(tx, clock, input));
        setSessionCookie(reply, s);
        return reply.redirect(next ?? '/wallet/app', 303);
      },
      (err) => signUpPage(clock.now(), { values, next, error: errorState(err) }),
    );
  });

  app.post('/wallet/sign-out', async (req, reply) => {
    const { session } = await pageSession(req, reply);
    if (session) await service.endSession(db, session);
    clearSessionCookie(reply);
    return reply.redirect('/wallet?signedOut=1', 303);
  });

  app.get(
    '/wallet/app',
    signedIn(async (session, _req, reply) => {
      const ctx = await appContext(session, '/wallet/app');
      const items = await service.listWalletItems(db, session.account.userId, {
        deviceId: session.device.deviceId,
      });
      return sendPage(reply, cardsPage(ctx, items));
    }),
  );

  app.get(
    '/wallet/app/devices',
    signedIn(async (session, req, reply) => {
      const ctx = await appContext(session, '/wallet/app/devices');
      const added = (req.query as Record<string, unknown>)['added'];
      const addedDevice = ctx.devices.find((d) => d.deviceId === added);
      if (addedDevice) ctx.message = { kind: 'success', text: `Added ${addedDevice.name}.` };
      return sendPage(reply, devicesPage(ctx, service.deviceModels));
    }),
  );

  app.post(
    '/wallet/app/devices',
    signedIn(async (session, req, reply) => {
      const values = formValues(req.body);
      let device: service.WalletDevice;
      try {
        const input = parseInput(addDeviceInput, nonEmpty(values, 'name', 'country'), 'form');
        device = await service.addDevice(db, clock, session.account.userId, input);
      } catch (err) {
        if (!isPlatformError(err) || err.status >= 500) throw err;
        const ctx = await appContext(session, '/wallet/app/devices');
        ctx.message = { kind: 'error', ...errorState(err) };
        return sendPage(reply, devicesPage(ctx, service.deviceModels), err.status);
      }
      return reply.redirect(`/wallet/app/devices?added=${encodeURIComponent(device.deviceId)}`, 303);
    }),
  );

  app.post(
    '/wallet/app/devices/select',
    signedIn(async (session, req, reply) => {
      const values = formValues(req.body);
      const returnTo = safeWalletPath(values['returnTo'], '/wallet/app') ?? '/wallet/app';
      try {
        await service.selectDevice(db, session, values['deviceId'] ?? '');
      } catch (err) {
        if (!isPlatformError(err) || err.status >= 500) throw err;
        const ctx = await appContext(session, '/wallet/app/devices');
        ctx.message = { kind: 'error', text: 'That device is not one of this account’s devices.' };
        return sendPage(reply, devicesPage(ctx, service.deviceModels), err.status);
      }
      return reply.redirect(returnTo, 303);
    }),
  );

  app.get(
    '/wallet/app/account',
    signedIn(async (session, _req, reply) => {
      const ctx = await appContext(session, '/wallet/app/account');
      return sendPage(reply, accountPage(ctx, session.expiresAt));
    }),
  );

  registerWalletOpenApi();
  annotateWalletOperations();
}

/** The wallet's public operations in the platform's OpenAPI document (/docs). */
export function registerWalletOpenApi(): void {
  openapi.registerTag({
    name: 'wallet',
    description:
      'Virtual wallet automation: sandbox accounts, devices and the wallet’s items, for tests and CI. Sign-in is passwordless (sandbox only).',
  });
  openapi.registerTag({
    name: 'admin',
    description: 'Admin API used by the cardport CLI (bearer admin token).',
  });
  openapi.registerSecurityScheme('walletBearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'The token from POST /wallet/api/sessions or POST /wallet/api/accounts.',
  });
  openapi.registerSecurityScheme('walletCookie', { type: 'apiKey', in: 'cookie', name: sessionCookieName });
  openapi.registerSecurityScheme('adminToken', {
    type: 'http',
    scheme: 'bearer',
    description: 'The token in $CARDPORT_HOME/admin-token.',
  });
  const wallet = ['walletBearer', 'walletCookie'];
  const errors = {
    '400': { description: 'Invalid input (details name the fields)', schema: errorSchema },
    '401': { description: 'Not signed in, or the session expired', schema: errorSchema },
  };
  openapi.register({
    method: 'POST',
    path: '/wallet/api/accounts',
    operationId: 'signUp',
    summary: 'Create a sandbox account (with its first device) and sign in',
    description:
      'Passwordless: the sandbox needs only an email. The account gets a first device (Galaxy S25) with its own wallet id. Sets the session cookie too.',
    tags: ['wallet'],
    requestBody: { schema: createAccountInput },
    responses: {
      '201': { description: 'Signed up and signed in', schema: sessionResponseSchema },
      '400': errors['400'],
      '409': { description: 'An account with this email exists', schema: errorSchema },
    },
  });
  openapi.register({
    method: 'POST',
    path: '/wallet/api/sessions',
    operationId: 'signIn',
    summary: 'Sign in with an email (passwordless sandbox)',
    description: 'Starts on the account’s first device. The token works as a bearer token and as the cookie.',
    tags: ['wallet'],
    requestBody: { schema: signInInput },
    responses: {
      '201': { description: 'Signed in', schema: sessionResponseSchema },
      '400': errors['400'],
      '404': { description: 'No account has this email', schema: errorSchema },
    },
  });
  openapi.register({
    method: 'DELETE',
    path: '/wallet/api/sessions/current',
    operationId: 'endSession',
    summary: 'Sign out',
    tags: ['wallet'],
    security: wallet,
    responses: { '204': { description: 'Signed out' }, '401': errors['401'] },
  });
  openapi.register({
    method: 'GET',
    path: '/wallet/api/me',
    operationId: 'getMe',
    summary: 'The signed-in account, its current device and all its devices',
    tags: ['wallet'],
    security: wallet,
    responses: { '200': { description: 'The session', schema: meResponseSchema }, '401': errors['401'] },
  });
  openapi.register({
    method: 'GET',
    path: '/wallet/api/devices',
    operationId: 'listDevices',
    summary: 'The account’s devices, first device first',
    tags: ['wallet'],
    security: wallet,
    responses: {
      '200': { description: 'Devices', schema: z.object({ devices: z.array(walletDeviceSchema) }) },
      '401': errors['401'],
    },
  });
  openapi.register({
    method: 'POST',
    path: '/wallet/api/devices',
    operationId: 'addDevice',
    summary: 'Add a device (random IMEI/serial tails unless given; locale defaults to the account country)',
    tags: ['wallet'],
    security: wallet,
    requestBody: { schema: addDeviceInput, required: false },
    responses: {
      '201': {
        description: 'The new device',
        schema: z.object({ device: walletDeviceSchema, selected: z.boolean() }),
      },
      ...errors,
    },
  });
  openapi.register({
    method: 'POST',
    path: '/wallet/api/devices/:deviceId/select',
    operationId: 'selectDevice',
    summary: 'Make one of the account’s devices the session’s current device',
    tags: ['wallet'],
    security: wallet,
    responses: {
      '200': { description: 'The selected device', schema: z.object({ device: walletDeviceSchema }) },
      '401': errors['401'],
      '404': { description: 'Not a device of this account', schema: errorSchema },
    },
  });
  openapi.register({
    method: 'GET',
    path: '/wallet/api/items',
    operationId: 'listWalletItems',
    summary: 'The wallet’s cards and passes on a device (the current device by default)',
    tags: ['wallet'],
    security: wallet,
    parameters: [{ name: 'deviceId', in: 'query', description: 'one of the account’s devices' }],
    responses: {
      '200': {
        description: 'Items, newest first: the device’s and the account-wide ones',
        schema: z.object({ deviceId: z.string(), items: z.array(walletItemSchema) }),
      },
      ...errors,
      '404': { description: 'Not a device of this account', schema: errorSchema },
    },
  });
  openapi.register({
    method: 'POST',
    path: '/admin/v1/wallet/accounts',
    operationId: 'createAccount',
    summary: 'Create a sandbox wallet account (cardport wallet account create)',
    tags: ['admin'],
    security: ['adminToken'],
    requestBody: { schema: createAccountInput },
    responses: {
      '201': { description: 'The account and its first device', schema: accountDetailSchema },
      '400': errors['400'],
      '409': { description: 'An account with this email exists', schema: errorSchema },
    },
  });
  openapi.register({
    method: 'GET',
    path: '/admin/v1/wallet/accounts',
    operationId: 'listAccounts',
    summary: 'Sandbox wallet accounts, newest first',
    tags: ['admin'],
    security: ['adminToken'],
    parameters: [{ name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000 } }],
    responses: {
      '200': { description: 'Accounts', schema: z.object({ accounts: z.array(walletAccountSchema) }) },
    },
  });
  openapi.register({
    method: 'GET',
    path: '/admin/v1/wallet/accounts/:email',
    operationId: 'findAccountByEmail',
    summary: 'One account by email, with its devices and items (cardport wallet account show)',
    tags: ['admin'],
    security: ['adminToken'],
    responses: {
      '200': {
        description: 'The account',
        schema: accountDetailSchema.extend({ items: z.array(walletItemSchema) }),
      },
      '404': { description: 'No account has this email', schema: errorSchema },
    },
  });
}
