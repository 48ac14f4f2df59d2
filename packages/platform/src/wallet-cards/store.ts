// SQL of Add to Wallet passes. Each table is declared once (core/rows.ts); every function takes the
// db handle (the database or a transaction). Changes to a pass are patches of the changed columns.
import type { Queryable } from '../core/db.ts';
import { batchedInserts } from '../core/group-commit.ts';
import { col, table } from '../core/rows.ts';

const offers = table('wallet_card_offers', {
  offerId: col.text('offer_id'),
  cardId: col.text('card_id'),
  partnerId: col.text('partner_id'),
  via: col.oneOf('via', ['cdata', 'pdata'] as const),
  /** The verified card object `{type, subType, data[]}`. */
  card: col.json<Record<string, unknown>>('card'),
  createdAt: col.number('created_at'),
  expiresAt: col.number('expires_at'),
  usedAt: col.nullable(col.number('used_at')),
});

/** A checked link waiting for the user to press "Add". */
export type Offer = ReturnType<(typeof offers)['fromDb']>;

const walletCards = table('wallet_cards', {
  walletCardId: col.text('wallet_card_id'),
  userId: col.text('user_id'),
  deviceId: col.text('device_id'),
  /** The wallet_items row showing it; null once the pass left the wallet. */
  itemId: col.nullable(col.text('item_id')),
  cardId: col.text('card_id'),
  partnerId: col.text('partner_id'),
  refId: col.text('ref_id'),
  type: col.text('type'),
  subType: col.text('sub_type'),
  cc2: col.text('cc2'),
  state: col.text('state'),
  /** The card.data[] object as the partner last sent it. */
  data: col.json<Record<string, unknown>>('data'),
  eventId: col.nullable(col.text('event_id')),
  vehicleNumber: col.nullable(col.text('vehicle_number')),
  startDate: col.nullable(col.number('start_date')),
  createdAt: col.number('created_at'),
  updatedAt: col.number('updated_at'),
  removedAt: col.nullable(col.number('removed_at')),
});

/** One pass in one device's wallet. */
export type WalletCard = ReturnType<(typeof walletCards)['fromDb']>;

const history = table('wallet_card_history', {
  walletCardId: col.text('wallet_card_id'),
  state: col.text('state'),
  cause: col.text('cause'),
  at: col.number('at'),
});

export interface HistoryEntry {
  state: string;
  cause: string;
  at: number;
}

const selectCards = `SELECT ${walletCards.selectList} FROM wallet_cards`;

export async function insertOffer(q: Queryable, o: Offer): Promise<void> {
  await offers.insert(q, o);
}

/** The offers of concurrent link checks, written together: one INSERT for the checks of the moment. */
export const offerInserts = batchedInserts('wallet-cards.offerInserts', offers);

/** The offer, locked for the transaction that uses it. */
export async function findOffer(q: Queryable, offerId: string, lock = false): Promise<Offer | undefined> {
  const rows = await q.query(
    `SELECT ${offers.selectList} FROM wallet_card_offers WHERE offer_id = $1${lock ? ' FOR UPDATE' : ''}`,
    [offerId],
  );
  return rows[0] ? offers.fromDb(rows[0]) : undefined;
}

export async function markOfferUsed(q: Queryable, offerId: string, at: number): Promise<void> {
  await offers.patch(q, { offerId }, { usedAt: at });
}

/** Removes offers that expired before `before` (the periodic sweep; index wallet_card_offers_expiry). */
export async function deleteExpiredOffers(q: Queryable, before: number): Promise<void> {
  await q.query('DELETE FROM wallet_card_offers WHERE expires_at < $1', [before]);
}

/** Writes a pass; false when the device's wallet already holds its refId. */
export async function insertWalletCard(q: Queryable, c: WalletCard): Promise<boolean> {
  const rows = await walletCards.insert(q, c, 'ON CONFLICT DO NOTHING RETURNING wallet_card_id');
  return rows.length === 1;
}

/** Updates the changed columns of a pass. */
export async function patchWalletCard(
  q: Queryable,
  walletCardId: string,
  changes: Partial<WalletCard>,
): Promise<void> {
  await walletCards.patch(q, { walletCardId }, changes);
}

export async function findWalletCard(
  q: Queryable,
  walletCardId: string,
  lock = false,
): Promise<WalletCard | undefined> {
  const rows = await q.query(`${selectCards} WHERE wallet_card_id = $1${lock ? ' FOR UPDATE' : ''}`, [
    walletCardId,
  ]);
  return rows[0] ? walletCards.fromDb(rows[0]) : undefined;
}

/** The pass a wallet item shows. */
export async function findWalletCardByItem(q: Queryable, itemId: string): Promise<WalletCard | undefined> {
  const rows = await q.query(`${selectCards} WHERE item_id = $1`, [itemId]);
  return rows[0] ? walletCards.fromDb(rows[0]) : undefined;
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
  const rows = await q.query(`${selectCards} WHERE ${where} ORDER BY seq`, params);
  return rows.map(walletCards.fromDb);
}

/** Every wallet still holding a card's refId, locked for the caller's transaction. */
export async function lockWalletCardsByRef(
  q: Queryable,
  cardId: string,
  refId: string,
): Promise<WalletCard[]> {
  const rows = await q.query(
    `${selectCards} WHERE card_id = $1 AND ref_id = $2 AND removed_at IS NULL ORDER BY seq FOR UPDATE`,
    [cardId, refId],
  );
  return rows.map(walletCards.fromDb);
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
  const rows = await q.query(`${selectCards} WHERE ${where} ORDER BY seq FOR UPDATE`, params);
  return rows.map(walletCards.fromDb);
}

export async function insertHistory(q: Queryable, walletCardId: string, entry: HistoryEntry): Promise<void> {
  await history.insert(q, { walletCardId, ...entry });
}

export async function listHistory(q: Queryable, walletCardId: string): Promise<HistoryEntry[]> {
  const rows = await q.query(
    `SELECT ${history.selectList} FROM wallet_card_history WHERE wallet_card_id = $1 ORDER BY id`,
    [walletCardId],
  );
  return rows.map((r) => {
    const { state, cause, at } = history.fromDb(r);
    return { state, cause, at };
  });
}
