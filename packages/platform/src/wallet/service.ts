// The virtual wallet's logic: sandbox accounts, their devices, sessions and the wallet's items.
//
// Other domains use the wallet only through the functions exported here (ARCHITECTURE.md: a
// small, explicit cross-domain interface). The ones meant for them:
//   findAccountByEmail, getAccount, getDevice, getDeviceByWalletId, listDevices,
//   addWalletItem, getWalletItem, listWalletItems, listWalletItemsByRef, updateWalletItem,
//   removeWalletItem.
// Each takes the db handle first (the database or an open transaction), and the clock when it
// writes a time.
import { createHash } from 'node:crypto';
import type { Clock } from '../core/clock.ts';
import type { Queryable } from '../core/db.ts';
import { notFound, PlatformError } from '../core/errors.ts';
import { newOpaqueToken } from '../core/ids.ts';
import { newDeviceId, newWalletScopedId, randomDigits, randomSerialTail } from './ids.ts';
import {
  type AddDeviceInput,
  addDeviceInput,
  type CreateAccountInput,
  createAccountInput,
  parseInput,
  type SignInInput,
  signInInput,
  type WalletAccount,
  type WalletDevice,
} from './schemas.ts';
import * as store from './store.ts';

export { newDeviceId } from './ids.ts';
// The items are the wallet's other half of its interface to the flows (items.ts).
export {
  addWalletItem,
  getWalletItem,
  listWalletItems,
  listWalletItemsByRef,
  removeWalletItem,
  updateWalletItem,
  type WalletActionDetail,
  type WalletItemActionOptions,
} from './items.ts';
export type { WalletAccount, WalletDevice, WalletItem, WalletItemKind } from './schemas.ts';

/** How long a wallet session lasts, on the injected clock. Phones stay signed in for long. */
export const sessionLifetimeMs = 30 * 24 * 3_600_000;

/** Phones the sandbox offers when adding a device: display name and model number. */
export const deviceModels: readonly { name: string; model: string }[] = [
  { name: 'Galaxy S25', model: 'SM-S931B' },
  { name: 'Galaxy S25 Ultra', model: 'SM-S938B' },
  { name: 'Galaxy Z Fold7', model: 'SM-F966B' },
  { name: 'Galaxy Z Flip7', model: 'SM-F766B' },
  { name: 'Galaxy A56', model: 'SM-A566B' },
];
const firstDevice = { name: 'Galaxy S25', model: 'SM-S931B' };
const maxDevicesPerAccount = 20;

function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export interface CreatedAccount {
  account: WalletAccount;
  /** The first device, created with the account ("Galaxy S25", locale = account country). */
  device: WalletDevice;
}

/**
 * Signs up a sandbox account. Passwordless by design: the sandbox holds no real identities, so an
 * email is all it takes. The account gets its first device (and that device's wallet id).
 */
export async function createAccount(
  q: Queryable,
  clock: Clock,
  input: CreateAccountInput,
): Promise<CreatedAccount> {
  const parsed = parseInput(createAccountInput, input);
  const now = clock.now();
  const account: WalletAccount = {
    userId: newWalletScopedId(),
    email: parsed.email,
    phone: parsed.phone ?? null,
    country: parsed.country,
    createdAt: now,
  };
  const device: WalletDevice = {
    deviceId: newDeviceId(),
    userId: account.userId,
    name: firstDevice.name,
    model: firstDevice.model,
    imeiLast4: randomDigits(4),
    serialLast4: randomSerialTail(),
    locale: { country: parsed.country },
    walletId: newWalletScopedId(),
    createdAt: now,
  };
  if (!(await store.createAccount(q, account, device))) {
    throw new PlatformError('CONFLICT', 'an account with this email already exists: sign in instead', {
      details: [{ field: 'email', reason: 'already registered' }],
    });
  }
  return { account, device };
}

/** The account of an email, compared case-insensitively; undefined when there is none. */
export async function findAccountByEmail(q: Queryable, email: string): Promise<WalletAccount | undefined> {
  return store.findAccountByEmail(q, email.trim());
}

/** The account of a user id (the seed's `user.id`); undefined when there is none. */
export async function getAccount(q: Queryable, userId: string): Promise<WalletAccount | undefined> {
  return store.getAccount(q, userId);
}

/** Several accounts by user id (the console's names for a timeline); unknown ids are left out. */
export async function getAccounts(q: Queryable, userIds: readonly string[]): Promise<WalletAccount[]> {
  return store.getAccounts(q, userIds);
}

/** Accounts, newest first (admin listing). */
export async function listAccounts(q: Queryable, limit = 100): Promise<WalletAccount[]> {
  return store.listAccounts(q, Math.max(1, Math.min(limit, 1000)));
}

/** A device by its id (the seed's `device.id`); undefined when there is none. */
export async function getDevice(q: Queryable, deviceId: string): Promise<WalletDevice | undefined> {
  return store.getDevice(q, deviceId);
}

/** The device whose wallet has this id (the seed's `wallet.id`); undefined when there is none. */
export async function getDeviceByWalletId(q: Queryable, walletId: string): Promise<WalletDevice | undefined> {
  return store.getDeviceByWalletId(q, walletId);
}

/** Devices of an account, the first device first. */
export async function listDevices(q: Queryable, userId: string): Promise<WalletDevice[]> {
  return store.listDevices(q, userId);
}

/** Adds a phone to an account; random IMEI/serial tails unless given, locale = account country unless given. */
export async function addDevice(
  q: Queryable,
  clock: Clock,
  userId: string,
  input: AddDeviceInput,
): Promise<WalletDevice> {
  const parsed = parseInput(addDeviceInput, input);
  const account = await store.getAccount(q, userId);
  if (!account) throw notFound('wallet account');
  const count = await store.countDevices(q, userId);
  if (count >= maxDevicesPerAccount) {
    throw new PlatformError('CONFLICT', `an account holds at most ${maxDevicesPerAccount} devices`);
  }
  const known = deviceModels.find((m) => m.name === parsed.name || m.model === parsed.model);
  const model = parsed.model ?? known?.model ?? firstDevice.model;
  // Two phones of one model get numbered names, so the device switcher tells them apart.
  const baseName = parsed.name ?? known?.name ?? firstDevice.name;
  const taken = new Set((await store.listDevices(q, userId)).map((d) => d.name));
  let name = baseName;
  for (let n = 2; taken.has(name); n++) name = `${baseName} (${n})`;
  const device: WalletDevice = {
    deviceId: newDeviceId(),
    userId,
    name,
    model,
    imeiLast4: parsed.imeiLast4 ?? randomDigits(4),
    serialLast4: parsed.serialLast4 ?? randomSerialTail(),
    locale: { country: parsed.country ?? account.country },
    walletId: newWalletScopedId(),
    createdAt: clock.now(),
  };
  await store.addDevice(q, device);
  return device;
}

/** A signed-in session: the account, the device the wallet currently plays, and when it ends. */
export interface WalletSession {
  /** SHA-256 of the token: identifies the session row; the token itself is never stored. */
  id: string;
  account: WalletAccount;
  device: WalletDevice;
  expiresAt: number;
}

export interface StartedSession extends WalletSession {
  /** The bearer token (also the cookie value). Shown once; never logged. */
  token: string;
}

async function startSession(
  q: Queryable,
  clock: Clock,
  account: WalletAccount,
  device: WalletDevice,
): Promise<StartedSession> {
  const token = newOpaqueToken();
  const now = clock.now();
  const session = { tokenHash: hashToken(token), userId: account.userId, deviceId: device.deviceId };
  const expiresAt = now + sessionLifetimeMs;
  await store.deleteExpiredSessions(q, account.userId, now);
  await store.createSession(q, { ...session, createdAt: now, expiresAt });
  return { id: session.tokenHash, token, account, device, expiresAt };
}

/** Signs up and signs in at once (what the sign-up page does). */
export async function signUp(q: Queryable, clock: Clock, input: CreateAccountInput): Promise<StartedSession> {
  const { account, device } = await createAccount(q, clock, input);
  return startSession(q, clock, account, device);
}

/** Passwordless sign-in (sandbox): the email of an existing account is enough. Starts on its first device. */
export async function signIn(q: Queryable, clock: Clock, input: SignInInput): Promise<StartedSession> {
  const { email } = parseInput(signInInput, input);
  const account = await store.findAccountByEmail(q, email);
  if (!account) {
    throw new PlatformError('NOT_FOUND', 'no wallet account has this email: sign up first', {
      details: [{ field: 'email', reason: 'no account' }],
    });
  }
  const [device] = await store.listDevices(q, account.userId);
  if (!device) throw new PlatformError('INTERNAL', 'wallet account has no device');
  return startSession(q, clock, account, device);
}

/**
 * The session of a token. Throws UNAUTHORIZED when the token is unknown, signed out or expired
 * (an expired session is removed).
 */
export async function authenticate(q: Queryable, clock: Clock, token: string): Promise<WalletSession> {
  const tokenHash = hashToken(token);
  const row = await store.getSession(q, tokenHash);
  if (!row) throw new PlatformError('UNAUTHORIZED', 'not signed in to the wallet (unknown or ended session)');
  if (row.expiresAt <= clock.now()) {
    await store.endSession(q, tokenHash);
    throw new PlatformError('UNAUTHORIZED', 'wallet session expired: sign in again');
  }
  const [account, device] = await Promise.all([
    store.getAccount(q, row.userId),
    store.getDevice(q, row.deviceId),
  ]);
  if (!account || !device)
    throw new PlatformError('UNAUTHORIZED', 'wallet session no longer valid: sign in again');
  return { id: tokenHash, account, device, expiresAt: row.expiresAt };
}

/** Makes one of the account's devices the session's current device. */
export async function selectDevice(
  q: Queryable,
  session: WalletSession,
  deviceId: string,
): Promise<WalletDevice> {
  const device = await store.getDevice(q, deviceId);
  // Another account's device is as unknown as a missing one.
  if (!device || device.userId !== session.account.userId) throw notFound('device');
  await store.selectDevice(q, session.id, device.deviceId);
  return device;
}

/** Signs out: the token stops working. */
export async function endSession(q: Queryable, session: Pick<WalletSession, 'id'>): Promise<void> {
  await store.endSession(q, session.id);
}
