// The wallet's JSON automation API (/wallet/api/...): sign-up and sign-in, the session, devices
// and the wallet's items, by bearer token or session cookie. And the admin accounts API the CLI
// uses (`cardport wallet ...`, /admin/v1/wallet/...).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { notFound } from '../core/errors.ts';
import { walletApiSession } from './extensions.ts';
import { sessionCookie, type WalletDeps } from './http-support.ts';
import {
  addDeviceInput,
  createAccountInput,
  listWalletItemsQuery,
  parseInput,
  signInInput,
} from './schemas.ts';
import type { StartedSession, WalletSession } from './service.ts';
import * as service from './service.ts';

function sessionJson(s: StartedSession) {
  return { token: s.token, expiresAt: s.expiresAt, account: s.account, device: s.device };
}

export function registerWalletApiRoutes(app: FastifyInstance, deps: WalletDeps): void {
  const { db, clock } = deps;
  const cookie = sessionCookie(deps);
  const apiSession = (req: FastifyRequest): Promise<WalletSession> => walletApiSession(deps, req);

  app.post('/wallet/api/accounts', async (req, reply) => {
    const input = parseInput(createAccountInput, req.body);
    const s = await db.transaction((tx) => service.signUp(tx, clock, input));
    cookie.set(reply, s);
    return reply.code(201).send(sessionJson(s));
  });

  app.post('/wallet/api/sessions', async (req, reply) => {
    const input = parseInput(signInInput, req.body);
    const s = await service.signIn(db, clock, input);
    cookie.set(reply, s);
    return reply.code(201).send(sessionJson(s));
  });

  app.delete('/wallet/api/sessions/current', async (req, reply) => {
    const s = await apiSession(req);
    await service.endSession(db, s);
    cookie.clear(reply);
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
}

export function registerWalletAdminRoutes(app: FastifyInstance, deps: WalletDeps): void {
  const { db, clock } = deps;
  const admin = { preHandler: deps.requireAdmin };

  app.post('/admin/v1/wallet/accounts', admin, async (req, reply) => {
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

  app.get('/admin/v1/wallet/accounts', admin, async (req) => {
    const { limit } = parseInput(
      z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).default(100) }),
      req.query,
      'query',
    );
    return { accounts: await service.listAccounts(db, limit) };
  });

  app.get('/admin/v1/wallet/accounts/:email', admin, async (req) => {
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
}
