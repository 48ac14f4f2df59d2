// SQL of Add to Wallet passes. Every function takes the db handle (the database or a transaction).
import type { Queryable } from '../core/db.ts';

/** A checked link waiting for the user to press "Add". */
export interface Offer {
  offerId: string;
  cardId: string;
  partnerId: string;
  via: 'cdata' | 'pdata';
  /** The verified card object `{type, subType, data[]}`. */
  card: Record<string, unknown>;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
}

/** One pass in one device's wallet. */
export interface WalletCard {
  walletCardId: string;
  userId: string;
  deviceId: string;
  itemId: string | null;
  cardId: string;
  partnerId: string;
  refId: string;
  type: string;
  subType: string;
  cc2: string;
  state: string;
  /** The card.data[] object as the partner last sent it. */
  data: Record<string, unknown>;
  eventId: string | null;
  vehicleNumber: string | null;
  startDate: number | null;
  createdAt: number;
  updatedAt: number;
  removedAt: number | null;
}

export interface HistoryEntry {
  state: string;
  cause: string;
  at: number;
}

const json = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

function toOffer(r: Record<string, unknown>): Offer {
  return {
    offerId: r['offer_id'] as string,
    cardId: r['card_id'] as string,
    partnerId: r['partner_id'] as string,
    via: r['via'] as Offer['via'],
    card: json(r['card']),
    createdAt: Number(r['created_at']),
    expiresAt: Number(r['expires_at']),
    usedAt: numOrNull(r['used_at']),
  };
}

function toWalletCard(r: Record<string, unknown>): WalletCard {
  return {
    walletCardId: r['wallet_card_id'] as string,
    userId: r['user_id'] as string,
    deviceId: r['device_id'] as string,
    itemId: (r['item_id'] as string | null) ?? null,
    cardId: r['card_id'] as string,
    partnerId: r['partner_id'] as string,
    refId: r['ref_id'] as string,
    type: r['type'] as string,
    subType: r['sub_type'] as string,
    cc2: r['cc2'] as string,
    state: r['state'] as string,
    data: json(r['data']),
    eventId: (r['event_id'] as string | null) ?? null,
    vehicleNumber: (r['vehicle_number'] as string | null) ?? null,
    startDate: numOrNull(r['start_date']),
    createdAt: Number(r['created_at']),
    updatedAt: Number(r['updated_at']),
    removedAt: numOrNull(r['removed_at']),
  };
}

export async function insertOffer(q: Queryable, o: Offer): Promise<void> {
  await q.query(
    `INSERT INTO wallet_card_offers (offer_id, card_id, partner_id, via, card, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7)`,
    [o.offerId, o.cardId, o.partnerId, o.via, JSON.stringify(o.card), o.createdAt, o.expiresAt],
  );
}

/** The offer, locked for the transaction that uses it. */
export async function findOffer(q: Queryable, offerId: string, lock = false): Promise<Offer | undefined> {
  const rows = await q.query(
    `SELECT * FROM wallet_card_offers WHERE offer_id = $1${lock ? ' FOR UPDATE' : ''}`,
    [offerId],
  );
  return rows[0] ? toOffer(rows[0]) : undefined;
}

export async function markOfferUsed(q: Queryable, offerId: string, at: number): Promise<void> {
  await q.query('UPDATE wallet_card_offers SET used_at = $2 WHERE offer_id = $1', [offerId, at]);
}

/** Removes offers that expired before `before` (the periodic sweep; index wallet_card_offers_expiry). */
export async function deleteExpiredOffers(q: Queryable, before: number): Promise<void> {
  await q.query('DELETE FROM wallet_card_offers WHERE expires_at < $1', [before]);
}

export async function insertWalletCard(q: Queryable, c: WalletCard): Promise<boolean> {
  const rows = await q.query(
    `INSERT INTO wallet_cards (wallet_card_id, user_id, device_id, item_id, card_id, partner_id, ref_id,
       type, sub_type, cc2, state, data, event_id, vehicle_number, start_date, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb, $13, $14, $15, $16, $17)
     ON CONFLICT DO NOTHING RETURNING wallet_card_id`,
    [
      c.walletCardId,
      c.userId,
      c.deviceId,
      c.itemId,
      c.cardId,
      c.partnerId,
      c.refId,
      c.type,
      c.subType,
      c.cc2,
      c.state,
      JSON.stringify(c.data),
      c.eventId,
      c.vehicleNumber,
      c.startDate,
      c.createdAt,
      c.updatedAt,
    ],
  );
  return rows.length === 1;
}

export async function updateWalletCard(q: Queryable, c: WalletCard): Promise<void> {
  await q.query(
    `UPDATE wallet_cards SET item_id = $2, state = $3, data = $4::jsonb, event_id = $5, vehicle_number = $6,
       start_date = $7, updated_at = $8, removed_at = $9
     WHERE wallet_card_id = $1`,
    [
      c.walletCardId,
      c.itemId,
      c.state,
      JSON.stringify(c.data),
      c.eventId,
      c.vehicleNumber,
      c.startDate,
      c.updatedAt,
      c.removedAt,
    ],
  );
}

export async function findWalletCard(
  q: Queryable,
  walletCardId: string,
  lock = false,
): Promise<WalletCard | undefined> {
  const rows = await q.query(
    `SELECT * FROM wallet_cards WHERE wallet_card_id = $1${lock ? ' FOR UPDATE' : ''}`,
    [walletCardId],
  );
  return rows[0] ? toWalletCard(rows[0]) : undefined;
}

/** The pass a wallet item shows. */
export async function findWalletCardByItem(q: Queryable, itemId: string): Promise<WalletCard | undefined> {
  const rows = await q.query('SELECT * FROM wallet_cards WHERE item_id = $1', [itemId]);
  return rows[0] ? toWalletCard(rows[0]) : undefined;
}

/** Passes of an account (or one device), oldest first; removed ones only when asked. */
export async function listWalletCards(
  q: Queryable,
  userId: string,
  options: { deviceId?: string; includeRemoved?: boolean } = {},
): Promise<WalletCard[]> {
  const params: unknown[] = [userId];
  let where = 'user_id = $1';
  if (options.deviceId) {
    params.push(options.deviceId);
    where += ` AND device_id = $${params.length}`;
  }
  if (!options.includeRemoved) where += ' AND removed_at IS NULL';
  const rows = await q.query(`SELECT * FROM wallet_cards WHERE ${where} ORDER BY seq`, params);
  return rows.map(toWalletCard);
}

/** Every wallet still holding a card's refId, locked for the caller's transaction. */
export async function lockWalletCardsByRef(
  q: Queryable,
  cardId: string,
  refId: string,
): Promise<WalletCard[]> {
  const rows = await q.query(
    `SELECT * FROM wallet_cards WHERE card_id = $1 AND ref_id = $2 AND removed_at IS NULL
     ORDER BY seq FOR UPDATE`,
    [cardId, refId],
  );
  return rows.map(toWalletCard);
}

/** How many wallets hold a card's refId now. */
export async function countWalletCardsByRef(q: Queryable, cardId: string, refId: string): Promise<number> {
  const rows = await q.query<{ n: unknown }>(
    'SELECT count(*) AS n FROM wallet_cards WHERE card_id = $1 AND ref_id = $2 AND removed_at IS NULL',
    [cardId, refId],
  );
  return Number(rows[0]?.n ?? 0);
}

/**
 * Every pass of an event still in a wallet, locked: a ticket's eventId, or a boarding pass's
 * vehicleNumber (and start date when given).
 */
export async function lockWalletCardsByEvent(
  q: Queryable,
  cardId: string,
  key: { eventId?: string; vehicleNumber?: string; startDate?: number },
): Promise<WalletCard[]> {
  const params: unknown[] = [cardId];
  let where = 'card_id = $1 AND removed_at IS NULL';
  if (key.eventId !== undefined) {
    params.push(key.eventId);
    where += ` AND event_id = $${params.length}`;
  }
  if (key.vehicleNumber !== undefined) {
    params.push(key.vehicleNumber);
    where += ` AND vehicle_number = $${params.length}`;
  }
  if (key.startDate !== undefined) {
    params.push(key.startDate);
    where += ` AND start_date = $${params.length}`;
  }
  if (params.length === 1) return [];
  const rows = await q.query(`SELECT * FROM wallet_cards WHERE ${where} ORDER BY seq FOR UPDATE`, params);
  return rows.map(toWalletCard);
}

export async function insertHistory(q: Queryable, walletCardId: string, entry: HistoryEntry): Promise<void> {
  await q.query(
    'INSERT INTO wallet_card_history (wallet_card_id, state, cause, at) VALUES ($1, $2, $3, $4)',
    [walletCardId, entry.state, entry.cause, entry.at],
  );
}

export async function listHistory(q: Queryable, walletCardId: string): Promise<HistoryEntry[]> {
  const rows = await q.query<{ state: string; cause: string; at: unknown }>(
    'SELECT state, cause, at FROM wallet_card_history WHERE wallet_card_id = $1 ORDER BY id',
    [walletCardId],
  );
  return rows.map((r) => ({ state: r.state, cause: r.cause, at: Number(r.at) }));
}
