// SQL of the virtual wallet. Every function takes the db handle (the database or a transaction).
// Each table is declared once (core/rows.ts); plain SQL remains for the joins, counts and the
// account-with-first-device statement.
import type { Queryable } from '../core/db.ts';
import { col, table } from '../core/rows.ts';
import { type WalletAccount, type WalletDevice, type WalletItem, walletItemKinds } from './schemas.ts';

const accounts = table('wallet_accounts', {
  userId: col.text('user_id'),
  email: col.text('email'),
  phone: col.nullable(col.text('phone')),
  country: col.text('country'),
  createdAt: col.number('created_at'),
});

const devices = table('wallet_devices', {
  deviceId: col.text('device_id'),
  userId: col.text('user_id'),
  name: col.text('name'),
  model: col.text('model'),
  imeiLast4: col.text('imei_last4'),
  serialLast4: col.text('serial_last4'),
  localeCountry: col.text('locale_country'),
  walletId: col.text('wallet_id'),
  createdAt: col.number('created_at'),
});

const items = table('wallet_items', {
  itemId: col.text('item_id'),
  userId: col.text('user_id'),
  deviceId: col.nullable(col.text('device_id')),
  kind: col.oneOf('kind', walletItemKinds),
  source: col.text('source'),
  ref: col.nullable(col.text('ref')),
  title: col.text('title'),
  subtitle: col.nullable(col.text('subtitle')),
  state: col.text('state'),
  imageUrl: col.nullable(col.text('image_url')),
  data: col.json<Record<string, unknown>>('data'),
  createdAt: col.number('created_at'),
  updatedAt: col.number('updated_at'),
});

const sessions = table('wallet_sessions', {
  tokenHash: col.text('token_hash'),
  userId: col.text('user_id'),
  deviceId: col.text('device_id'),
  createdAt: col.number('created_at'),
  expiresAt: col.number('expires_at'),
});

/** The device row's one nested field (`locale`), flattened to its column and back. */
function toDevice(r: Record<string, unknown>): WalletDevice {
  const { localeCountry, ...rest } = devices.fromDb(r);
  return { ...rest, locale: { country: localeCountry } };
}

function deviceRow(d: WalletDevice) {
  const { locale, ...rest } = d;
  return { ...rest, localeCountry: locale.country };
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
  const rows = await q.query(
    `SELECT ${accounts.selectList} FROM wallet_accounts WHERE lower(email) = lower($1)`,
    [email],
  );
  return rows[0] && accounts.fromDb(rows[0]);
}

export async function getAccount(q: Queryable, userId: string): Promise<WalletAccount | undefined> {
  const rows = await q.query(`SELECT ${accounts.selectList} FROM wallet_accounts WHERE user_id = $1`, [
    userId,
  ]);
  return rows[0] && accounts.fromDb(rows[0]);
}

/** Several accounts by user id (the timeline's names); unknown ids are left out. */
export async function getAccounts(q: Queryable, userIds: readonly string[]): Promise<WalletAccount[]> {
  if (userIds.length === 0) return [];
  const rows = await q.query(`SELECT ${accounts.selectList} FROM wallet_accounts WHERE user_id = ANY($1)`, [
    [...userIds],
  ]);
  return rows.map(accounts.fromDb);
}

/** Accounts, newest first. */
export async function listAccounts(q: Queryable, limit: number): Promise<WalletAccount[]> {
  const rows = await q.query(
    `SELECT ${accounts.selectList} FROM wallet_accounts ORDER BY seq DESC LIMIT $1`,
    [limit],
  );
  return rows.map(accounts.fromDb);
}

export async function addDevice(q: Queryable, device: WalletDevice): Promise<void> {
  await devices.insert(q, deviceRow(device));
}

export async function getDevice(q: Queryable, deviceId: string): Promise<WalletDevice | undefined> {
  const rows = await q.query(`SELECT ${devices.selectList} FROM wallet_devices WHERE device_id = $1`, [
    deviceId,
  ]);
  return rows[0] && toDevice(rows[0]);
}

export async function getDeviceByWalletId(q: Queryable, walletId: string): Promise<WalletDevice | undefined> {
  const rows = await q.query(`SELECT ${devices.selectList} FROM wallet_devices WHERE wallet_id = $1`, [
    walletId,
  ]);
  return rows[0] && toDevice(rows[0]);
}

/** Devices of an account, oldest first (the first device leads). */
export async function listDevices(q: Queryable, userId: string): Promise<WalletDevice[]> {
  const rows = await q.query(
    `SELECT ${devices.selectList} FROM wallet_devices WHERE user_id = $1 ORDER BY seq`,
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

export type SessionRow = ReturnType<(typeof sessions)['fromDb']>;

export async function createSession(q: Queryable, s: SessionRow): Promise<void> {
  await sessions.insert(q, s);
}

export async function getSession(q: Queryable, tokenHash: string): Promise<SessionRow | undefined> {
  const rows = await q.query(`SELECT ${sessions.selectList} FROM wallet_sessions WHERE token_hash = $1`, [
    tokenHash,
  ]);
  return rows[0] && sessions.fromDb(rows[0]);
}

export async function selectDevice(q: Queryable, tokenHash: string, deviceId: string): Promise<void> {
  await sessions.patch(q, { tokenHash }, { deviceId });
}

export async function endSession(q: Queryable, tokenHash: string): Promise<void> {
  await q.query('DELETE FROM wallet_sessions WHERE token_hash = $1', [tokenHash]);
}

export async function deleteExpiredSessions(q: Queryable, userId: string, now: number): Promise<void> {
  await q.query('DELETE FROM wallet_sessions WHERE user_id = $1 AND expires_at <= $2', [userId, now]);
}

/** Inserts an item; returns false when the wallet already holds an item with that source ref. */
export async function addWalletItem(q: Queryable, item: WalletItem): Promise<boolean> {
  const rows = await items.insert(q, item, 'ON CONFLICT DO NOTHING RETURNING item_id');
  return rows.length === 1;
}

export async function getWalletItem(q: Queryable, itemId: string): Promise<WalletItem | undefined> {
  const rows = await q.query(`SELECT ${items.selectList} FROM wallet_items WHERE item_id = $1`, [itemId]);
  return rows[0] && items.fromDb(rows[0]);
}

/** Items of an account, newest first; with a device, that device's items and the account-wide ones. */
export async function listWalletItems(
  q: Queryable,
  userId: string,
  deviceId?: string,
): Promise<WalletItem[]> {
  const rows = deviceId
    ? await q.query(
        `SELECT ${items.selectList} FROM wallet_items
         WHERE user_id = $1 AND (device_id = $2 OR device_id IS NULL)
         ORDER BY seq DESC`,
        [userId, deviceId],
      )
    : await q.query(`SELECT ${items.selectList} FROM wallet_items WHERE user_id = $1 ORDER BY seq DESC`, [
        userId,
      ]);
  return rows.map(items.fromDb);
}

/** Every item a source holds under one ref, across wallets (e.g. refresh a card everywhere). */
export async function listWalletItemsByRef(q: Queryable, source: string, ref: string): Promise<WalletItem[]> {
  const rows = await q.query(
    `SELECT ${items.selectList} FROM wallet_items WHERE source = $1 AND ref = $2 ORDER BY seq`,
    [source, ref],
  );
  return rows.map(items.fromDb);
}

/** Writes only the changed fields of an item; answers the updated item (undefined when gone). */
export async function patchWalletItem(
  q: Queryable,
  itemId: string,
  changes: Partial<Pick<WalletItem, 'title' | 'subtitle' | 'state' | 'imageUrl' | 'data' | 'updatedAt'>>,
): Promise<WalletItem | undefined> {
  const [row] = await items.patch(q, { itemId }, changes);
  return row;
}

/** Deletes an item; answers the deleted item (undefined when there was none). */
export async function removeWalletItem(q: Queryable, itemId: string): Promise<WalletItem | undefined> {
  const rows = await q.query(`DELETE FROM wallet_items WHERE item_id = $1 RETURNING ${items.selectList}`, [
    itemId,
  ]);
  return rows[0] && items.fromDb(rows[0]);
}
