// The phone's own pages: sign-in and sign-up, the card list, the devices and the account, with
// their form actions. A form's client error re-renders the form with its message.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { servePageScript } from '../core/bundles.ts';
import { isPlatformError, type PlatformError } from '../core/errors.ts';
import { walletCsrfToken } from './csrf.ts';
import { cookieToken, sendWalletPage } from './extensions.ts';
import { formValues, nonEmpty, safeWalletPath, sessionCookie, type WalletDeps } from './http-support.ts';
import type { AppPageContext } from './pages/app.ts';
import { accountPage, cardsPage, devicesPage } from './pages/app.ts';
import { signInPage, signUpPage } from './pages/sign-in.ts';
import { addDeviceInput, createAccountInput, parseInput, signInInput } from './schemas.ts';
import type { WalletSession } from './service.ts';
import * as service from './service.ts';
import { walletShell } from './shell.ts';

export function registerWalletPageRoutes(app: FastifyInstance, deps: WalletDeps): void {
  const { db, clock } = deps;
  const cookie = sessionCookie(deps);
  const sendPage = sendWalletPage;

  servePageScript(
    app,
    deps.state,
    '/wallet/assets/wallet.js',
    new URL('./pages/wallet.browser.ts', import.meta.url),
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
        cookie.clear(reply);
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
      csrfToken: walletCsrfToken(deps, session.id),
      extraTabs: walletShell(deps).tabs(),
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
        cookie.set(reply, s);
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
        cookie.set(reply, s);
        return reply.redirect(next ?? '/wallet/app', 303);
      },
      (err) => signUpPage(clock.now(), { values, next, error: errorState(err) }),
    );
  });

  app.post('/wallet/sign-out', async (req, reply) => {
    const { session } = await pageSession(req, reply);
    if (session) await service.endSession(db, session);
    cookie.clear(reply);
    return reply.redirect('/wallet?signedOut=1', 303);
  });

  app.get(
    '/wallet/app',
    signedIn(async (session, _req, reply) => {
      const ctx = await appContext(session, '/wallet/app');
      const items = await service.listWalletItems(db, session.account.userId, {
        deviceId: session.device.deviceId,
      });
      return sendPage(
        reply,
        cardsPage(ctx, items, (source) => walletShell(deps).renderer(source)),
      );
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
}
