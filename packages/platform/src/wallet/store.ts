// SQL of the virtual wallet. Every function takes the db handle (the database or a transaction).
import type { Queryable } from '../core/db.ts';
import type { WalletAccount, WalletDevice, WalletItem, WalletItemKind } from './schemas.ts';

interface AccountRow {
  user_id: string;
  email: string;
  phone: string | null;
  country: string;
  created_at: number;
}

interface DeviceRow {
  device_id: string;
  user_id: string;
  name: string;
  model: string;
  imei_last4: string;
  serial_last4: string;
  locale_country: string;
  wallet_id: string;
  created_at: number;
}

interface ItemRow {
  item_id: string;
  user_id: string;
  device_id: string | null;
  kind: string;
  source: string;
  ref: string | null;
  title: string;
  subtitle: string | null;
  state: string;
  image_url: string | null;
  data: Record<string, unknown> | string;
  created_at: number;
  updated_at: number;
}

const accountColumns = 'a.user_id, a.email, a.phone, a.country, a.created_at';
const deviceColumns =
  'd.device_id, d.user_id, d.name, d.model, d.imei_last4, d.serial_last4, d.locale_country, d.wallet_id, d.created_at';
const itemColumns =
  'item_id, user_id, device_id, kind, source, ref, title, subtitle, state, image_url, data, created_at, updated_at';

function toAccount(r: AccountRow): WalletAccount {
  return {
    userId: r.user_id,
    email: r.email,
    phone: r.phone,
    country: r.country,
    createdAt: Number(r.created_at),
  };
}

function toDevice(r: DeviceRow): WalletDevice {
  return {
    deviceId: r.device_id,
    userId: r.user_id,
    name: r.name,
    model: r.model,
    imeiLast4: r.imei_last4,
    serialLast4: r.serial_last4,
    locale: { country: r.locale_country },
    walletId: r.wallet_id,
    createdAt: Number(r.created_at),
  };
}

function toItem(r: ItemRow): WalletItem {
  return {
    itemId: r.item_id,
    userId: r.user_id,
    deviceId: r.device_id,
    kind: r.kind as WalletItemKind,
    source: r.source,
    ref: r.ref,
    title: r.title,
    subtitle: r.subtitle,
    state: r.state,
    imageUrl: r.image_url,
    data: typeof r.data === 'string' ? (JSON.parse(r.data) as Record<string, unknown>) : r.data,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

/**
 * Inserts an account and its first device in one statement (atomic without a transaction).
 * Returns false when the email (case-insensitively) or an id is already taken.
 */
export async function createAccount(
  q: Queryable,
  account: WalletAccount,
  device: WalletDevice,
): Promise<boolean> {
  const rows = await q.query<{ device_id: string }>(
    `WITH a AS (
       INSERT INTO wallet_accounts (user_id, email, phone, country, created_at)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT DO NOTHING
       RETURNING user_id
     )
     INSERT INTO wallet_devices
       (device_id, user_id, name, model, imei_last4, serial_last4, locale_country, wallet_id, created_at)
     SELECT $6, a.user_id, $7, $8, $9, $10, $11, $12, $5 FROM a
     RETURNING device_id`,
    [
      account.userId,
      account.email,
      account.phone,
      account.country,
      account.createdAt,
      device.deviceId,
      device.name,
      device.model,
      device.imeiLast4,
      device.serialLast4,
      device.locale.country,
      device.walletId,
    ],
  );
  return rows.length === 1;
}

export async function findAccountByEmail(q: Queryable, email: string): Promise<WalletAccount | undefined> {
  const rows = await q.query<AccountRow>(
    `SELECT ${accountColumns} FROM wallet_accounts a WHERE lower(a.email) = lower($1)`,
    [email],
  );
  return rows[0] && toAccount(rows[0]);
}

export async function getAccount(q: Queryable, userId: string): Promise<WalletAccount | undefined> {
  const rows = await q.query<AccountRow>(
    `SELECT ${accountColumns} FROM wallet_accounts a WHERE a.user_id = $1`,
    [userId],
  );
  return rows[0] && toAccount(rows[0]);
}

/** Accounts, newest first. */
export async function listAccounts(q: Queryable, limit: number): Promise<WalletAccount[]> {
  const rows = await q.query<AccountRow>(
    `SELECT ${accountColumns} FROM wallet_accounts a ORDER BY a.seq DESC LIMIT $1`,
    [limit],
  );
  return rows.map(toAccount);
}

export async function addDevice(q: Queryable, device: WalletDevice): Promise<void> {
  await q.query(
    `INSERT INTO wallet_devices
       (device_id, user_id, name, model, imei_last4, serial_last4, locale_country, wallet_id, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      device.deviceId,
      device.userId,
      device.name,
      device.model,
      device.imeiLast4,
      device.serialLast4,
      device.locale.country,
      device.walletId,
      device.createdAt,
    ],
  );
}

export async function getDevice(q: Queryable, deviceId: string): Promise<WalletDevice | undefined> {
  const rows = await q.query<DeviceRow>(
    `SELECT ${deviceColumns} FROM wallet_devices d WHERE d.device_id = $1`,
    [deviceId],
  );
  return rows[0] && toDevice(rows[0]);
}

export async function getDeviceByWalletId(q: Queryable, walletId: string): Promise<WalletDevice | undefined> {
  const rows = await q.query<DeviceRow>(
    `SELECT ${deviceColumns} FROM wallet_devices d WHERE d.wallet_id = $1`,
    [walletId],
  );
  return rows[0] && toDevice(rows[0]);
}

/** Devices of an account, oldest first (the first device leads). */
export async function listDevices(q: Queryable, userId: string): Promise<WalletDevice[]> {
  const rows = await q.query<DeviceRow>(
    `SELECT ${deviceColumns} FROM wallet_devices d WHERE d.user_id = $1 ORDER BY d.seq`,
    [userId],
  );
  return rows.map(toDevice);
}

export async function countDevices(q: Queryable, userId: string): Promise<number> {
  const rows = await q.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM wallet_devices WHERE user_id = $1',
    [userId],
  );
  return Number(rows[0]?.n ?? 0);
}

export interface SessionRow {
  tokenHash: string;
  userId: string;
  deviceId: string;
  createdAt: number;
  expiresAt: number;
}

export async function createSession(q: Queryable, s: SessionRow): Promise<void> {
  await q.query(
    `INSERT INTO wallet_sessions (token_hash, user_id, device_id, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5)`,
    [s.tokenHash, s.userId, s.deviceId, s.createdAt, s.expiresAt],
  );
}

export async function getSession(q: Queryable, tokenHash: string): Promise<SessionRow | undefined> {
  const rows = await q.query<{
    token_hash: string;
    user_id: string;
    device_id: string;
    created_at: number;
    expires_at: number;
  }>(
    'SELECT token_hash, user_id, device_id, created_at, expires_at FROM wallet_sessions WHERE token_hash = $1',
    [tokenHash],
  );
  const r = rows[0];
  return (
    r && {
      tokenHash: r.token_hash,
      userId: r.user_id,
      deviceId: r.device_id,
      createdAt: Number(r.created_at),
      expiresAt: Number(r.expires_at),
    }
  );
}

export async function selectDevice(q: Queryable, tokenHash: string, deviceId: string): Promise<void> {
  await q.query('UPDATE wallet_sessions SET device_id = $2 WHERE token_hash = $1', [tokenHash, deviceId]);
}

export async function endSession(q: Queryable, tokenHash: string): Promise<void> {
  await q.query('DELETE FROM wallet_sessions WHERE token_hash = $1', [tokenHash]);
}

export async function deleteExpiredSessions(q: Queryable, userId: string, now: number): Promise<void> {
  await q.query('DELETE FROM wallet_sessions WHERE user_id = $1 AND expires_at <= $2', [userId, now]);
}

/** Inserts an item; returns false when the wallet already holds an item with that source ref. */
export async function addWalletItem(q: Queryable, item: WalletItem): Promise<boolean> {
  const rows = await q.query<{ item_id: string }>(
    `INSERT INTO wallet_items (${itemColumns})
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12, $13)
     ON CONFLICT DO NOTHING
     RETURNING item_id`,
    [
      item.itemId,
      item.userId,
      item.deviceId,
      item.kind,
      item.source,
      item.ref,
      item.title,
      item.subtitle,
      item.state,
      item.imageUrl,
      JSON.stringify(item.data),
      item.createdAt,
      item.updatedAt,
    ],
  );
  return rows.length === 1;
}

export async function getWalletItem(q: Queryable, itemId: string): Promise<WalletItem | undefined> {
  const rows = await q.query<ItemRow>(`SELECT ${itemColumns} FROM wallet_items WHERE item_id = $1`, [itemId]);
  return rows[0] && toItem(rows[0]);
}

/** Items of an account, newest first; with a device, that device's items and the account-wide ones. */
export async function listWalletItems(
  q: Queryable,
  userId: string,
  deviceId?: string,
): Promise<WalletItem[]> {
  const rows = deviceId
    ? await q.query<ItemRow>(
        `SELECT ${itemColumns} FROM wallet_items
         WHERE user_id = $1 AND (device_id = $2 OR device_id IS NULL)
         ORDER BY seq DESC`,
        [userId, deviceId],
      )
    : await q.query<ItemRow>(`SELECT ${itemColumns} FROM wallet_items WHERE user_id = $1 ORDER BY seq DESC`, [
        userId,
      ]);
  return rows.map(toItem);
}

/** Every item a source holds under one ref, across wallets (e.g. refresh a card everywhere). */
export async function listWalletItemsByRef(q: Queryable, source: string, ref: string): Promise<WalletItem[]> {
  const rows = await q.query<ItemRow>(
    `SELECT ${itemColumns} FROM wallet_items WHERE source = $1 AND ref = $2 ORDER BY seq`,
    [source, ref],
  );
  return rows.map(toItem);
}

export async function updateWalletItem(q: Queryable, item: WalletItem): Promise<void> {
  await q.query(
    `UPDATE wallet_items
     SET title = $2, subtitle = $3, state = $4, image_url = $5, data = $6::jsonb, updated_at = $7
     WHERE item_id = $1`,
    [
      item.itemId,
      item.title,
      item.subtitle,
      item.state,
      item.imageUrl,
      JSON.stringify(item.data),
      item.updatedAt,
    ],
  );
}

export async function removeWalletItem(q: Queryable, itemId: string): Promise<boolean> {
  const rows = await q.query<{ item_id: string }>(
    'DELETE FROM wallet_items WHERE item_id = $1 RETURNING item_id',
    [itemId],
  );
  return rows.length === 1;
}
