// The wallet's JSON automation API (/wallet/api/...): sign-up and sign-in, the session, devices
// and the wallet's items, by bearer token or session cookie. And the admin accounts API the CLI
// uses (`cardport wallet ...`, /admin/v1/wallet/...). Declared with their schemas
// (api-schemas.ts); a refusal names the fields the wallet's way (walletRefusal).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { notFound } from '../core/errors.ts';
import { adminApi } from '../core/http.ts';
import { describeApi, type ZodTypeProvider } from '../core/routes.ts';
import {
  accountDetailResponse,
  accountsQuery,
  accountsResponse,
  accountWithItemsResponse,
  addDeviceBody,
  addDeviceResponse,
  createAccountBody,
  deviceParams,
  devicesResponse,
  emailParams,
  emailTaken,
  invalid,
  itemsQuery,
  itemsResponse,
  meResponse,
  noAdminToken,
  noSuchAccount,
  noSuchDevice,
  notSignedIn,
  selectDeviceResponse,
  signInBody,
  signInResponse,
  signUpBody,
  signUpResponse,
  walletApi,
} from './api-schemas.ts';
import { walletApiSession } from './extensions.ts';
import { sessionCookie, type WalletDeps } from './http-support.ts';
import { walletRefusal } from './schemas.ts';
import type { StartedSession, WalletSession } from './service.ts';
import * as service from './service.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The device API's session, set before validation by the routes that need one. */
    walletSession: WalletSession | null;
  }
}

function sessionJson(s: StartedSession) {
  return { token: s.token, expiresAt: s.expiresAt, account: s.account, device: s.device };
}

function signedIn(req: FastifyRequest): WalletSession {
  if (!req.walletSession) throw new Error('wallet route without its session guard');
  return req.walletSession;
}

/** An absent or null JSON body reads as `{}` (the defaults), as it always has. */
async function emptyBodyAsObject(req: FastifyRequest): Promise<void> {
  if (req.body === undefined || req.body === null) req.body = {};
}

const tags = ['wallet'];
const wallet: { tags: string[]; security: Record<string, string[]>[] } = {
  tags,
  security: [{ walletBearer: [] }, { walletCookie: [] }],
};
const admin = { tags: ['admin'], security: [{ adminToken: [] }] };

export function registerWalletApiRoutes(app: FastifyInstance, deps: WalletDeps): void {
  const { db, clock } = deps;
  const cookie = sessionCookie(deps);
  describeApi(app, walletApi);
  if (!app.hasRequestDecorator('walletSession')) app.decorateRequest('walletSession', null);
  const api = app.withTypeProvider<ZodTypeProvider>();
  // The session is checked before validation: a caller who is not signed in learns nothing more.
  const session = async (req: FastifyRequest) => {
    req.walletSession = await walletApiSession(deps, req);
  };
  const schemaErrorFormatter = walletRefusal();

  api.post(
    '/wallet/api/accounts',
    {
      preValidation: emptyBodyAsObject,
      schemaErrorFormatter,
      schema: {
        operationId: 'signUp',
        summary: 'Create a sandbox account (with its first device) and sign in',
        description:
          'Passwordless: the sandbox needs only an email. The account gets a first device (Galaxy S25) with its own wallet id. Sets the session cookie too.',
        tags,
        body: signUpBody,
        response: { 201: signUpResponse, 400: invalid, 409: emailTaken },
      },
    },
    async (req, reply) => {
      const s = await db.transaction((tx) => service.signUp(tx, clock, req.body));
      cookie.set(reply, s);
      return reply.code(201).send(sessionJson(s));
    },
  );

  api.post(
    '/wallet/api/sessions',
    {
      preValidation: emptyBodyAsObject,
      schemaErrorFormatter,
      schema: {
        operationId: 'signIn',
        summary: 'Sign in with an email (passwordless sandbox)',
        description:
          'Starts on the account’s first device. The token works as a bearer token and as the cookie.',
        tags,
        body: signInBody,
        response: { 201: signInResponse, 400: invalid, 404: noSuchAccount },
      },
    },
    async (req, reply) => {
      const s = await service.signIn(db, clock, req.body);
      cookie.set(reply, s);
      return reply.code(201).send(sessionJson(s));
    },
  );

  api.delete(
    '/wallet/api/sessions/current',
    {
      preValidation: session,
      schema: {
        operationId: 'endSession',
        summary: 'Sign out',
        ...wallet,
        response: { 204: z.null().meta({ description: 'Signed out' }), 401: notSignedIn },
      },
    },
    async (req, reply) => {
      await service.endSession(db, signedIn(req));
      cookie.clear(reply);
      return reply.code(204).send(null);
    },
  );

  api.get(
    '/wallet/api/me',
    {
      preValidation: session,
      schema: {
        operationId: 'getMe',
        summary: 'The signed-in account, its current device and all its devices',
        ...wallet,
        response: { 200: meResponse, 401: notSignedIn },
      },
    },
    async (req) => {
      const s = signedIn(req);
      const devices = await service.listDevices(db, s.account.userId);
      return { account: s.account, device: s.device, devices, expiresAt: s.expiresAt };
    },
  );

  api.get(
    '/wallet/api/devices',
    {
      preValidation: session,
      schema: {
        operationId: 'listDevices',
        summary: 'The account’s devices, first device first',
        ...wallet,
        response: { 200: devicesResponse, 401: notSignedIn },
      },
    },
    async (req) => ({ devices: await service.listDevices(db, signedIn(req).account.userId) }),
  );

  api.post(
    '/wallet/api/devices',
    {
      preValidation: [session, emptyBodyAsObject],
      schemaErrorFormatter,
      schema: {
        operationId: 'addDevice',
        summary:
          'Add a device (random IMEI/serial tails unless given; locale defaults to the account country)',
        ...wallet,
        body: addDeviceBody,
        response: { 201: addDeviceResponse, 400: invalid, 401: notSignedIn },
      },
    },
    async (req, reply) => {
      const s = signedIn(req);
      const input = req.body;
      const device = await db.transaction(async (tx) => {
        const d = await service.addDevice(tx, clock, s.account.userId, input);
        if (input.select) await service.selectDevice(tx, s, d.deviceId);
        return d;
      });
      return reply.code(201).send({ device, selected: input.select });
    },
  );

  api.post(
    '/wallet/api/devices/:deviceId/select',
    {
      preValidation: session,
      schemaErrorFormatter: walletRefusal(() => notFound('device')),
      schema: {
        operationId: 'selectDevice',
        summary: 'Make one of the account’s devices the session’s current device',
        ...wallet,
        params: deviceParams,
        response: { 200: selectDeviceResponse, 401: notSignedIn, 404: noSuchDevice },
      },
    },
    async (req) => ({ device: await service.selectDevice(db, signedIn(req), req.params.deviceId) }),
  );

  api.get(
    '/wallet/api/items',
    {
      preValidation: session,
      schemaErrorFormatter,
      schema: {
        operationId: 'listWalletItems',
        summary: 'The wallet’s cards and passes on a device (the current device by default)',
        ...wallet,
        querystring: itemsQuery,
        response: { 200: itemsResponse, 400: invalid, 401: notSignedIn, 404: noSuchDevice },
      },
    },
    async (req) => {
      const s = signedIn(req);
      const deviceId = req.query.deviceId ?? s.device.deviceId;
      const device = await service.getDevice(db, deviceId);
      if (!device || device.userId !== s.account.userId) throw notFound('device');
      return { deviceId, items: await service.listWalletItems(db, s.account.userId, { deviceId }) };
    },
  );
}

export function registerWalletAdminRoutes(app: FastifyInstance, deps: WalletDeps): void {
  const { db, clock } = deps;
  describeApi(app, adminApi);
  const api = app.withTypeProvider<ZodTypeProvider>();
  // The admin check runs before validation: a caller without the token learns nothing of the body.
  const guard = deps.requireAdmin;

  api.post(
    '/admin/v1/wallet/accounts',
    {
      preValidation: [guard, emptyBodyAsObject],
      schemaErrorFormatter: walletRefusal(),
      schema: {
        operationId: 'createAccount',
        summary: 'Create a sandbox wallet account (cardport wallet account create)',
        ...admin,
        body: createAccountBody,
        response: { 201: accountDetailResponse, 400: invalid, 401: noAdminToken, 409: emailTaken },
      },
    },
    async (req, reply) => {
      const { account, device } = await service.createAccount(db, clock, req.body);
      return reply.code(201).send({
        userId: account.userId,
        deviceId: device.deviceId,
        walletId: device.walletId,
        account,
        devices: [device],
      });
    },
  );

  api.get(
    '/admin/v1/wallet/accounts',
    {
      preValidation: guard,
      schemaErrorFormatter: walletRefusal(),
      schema: {
        operationId: 'listAccounts',
        summary: 'Sandbox wallet accounts, newest first',
        ...admin,
        querystring: accountsQuery,
        response: { 200: accountsResponse, 400: invalid, 401: noAdminToken },
      },
    },
    async (req) => ({ accounts: await service.listAccounts(db, req.query.limit) }),
  );

  api.get(
    '/admin/v1/wallet/accounts/:email',
    {
      preValidation: guard,
      schemaErrorFormatter: walletRefusal(() => notFound('wallet account')),
      schema: {
        operationId: 'findAccountByEmail',
        summary: 'One account by email, with its devices and items (cardport wallet account show)',
        ...admin,
        params: emailParams,
        response: { 200: accountWithItemsResponse, 401: noAdminToken, 404: noSuchAccount },
      },
    },
    async (req) => {
      const account = await service.findAccountByEmail(db, req.params.email);
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
    },
  );
}
