// The wallet's items: the cards and passes flows put into a wallet. Each change is also recorded
// as a wallet action about the item's flow object (its `ref`), in the caller's transaction, so the
// console's object timeline shows what the wallet did (actions.ts).
import type { Clock } from '../core/clock.ts';
import type { Queryable } from '../core/db.ts';
import { notFound, PlatformError } from '../core/errors.ts';
import { recordWalletAction, type WalletActionKind } from './actions.ts';
import { newWalletScopedId } from './ids.ts';
import {
  type AddWalletItemInput,
  addWalletItemInput,
  parseInput,
  type UpdateWalletItemInput,
  updateWalletItemInput,
  type WalletItem,
} from './schemas.ts';
import * as store from './store.ts';

/** Display fields of a wallet action: names, statuses, last four digits; never a secret. */
export type WalletActionDetail = Record<string, string | number | boolean | null>;

/** How an item operation shows on its object's timeline. */
export interface WalletItemActionOptions {
  /**
   * By default the generic ITEM_ADDED / ITEM_UPDATED / ITEM_REMOVED. A flow names its own action
   * (CARD_LINKED, PASS_ADDED…) to record that one instead, so the timeline says it once; `false`
   * records nothing, for a caller that records its own action itself.
   */
  action?: WalletActionKind | false;
  /**
   * The flow object the timeline files it under, when that is not the item's `ref` (e.g. a pass's
   * refId, where the ref is `cardId/refId`).
   */
  objectId?: string;
  /** Display fields added to the item's title, kind, source and state. */
  detail?: WalletActionDetail;
}

async function recordItemAction(
  q: Queryable,
  item: WalletItem,
  generic: WalletActionKind,
  at: number,
  options: WalletItemActionOptions,
): Promise<void> {
  if (options.action === false) return;
  await recordWalletAction(q, {
    accountId: item.userId,
    action: options.action ?? generic,
    objectId: options.objectId ?? item.ref ?? item.itemId,
    detail: { title: item.title, kind: item.kind, source: item.source, state: item.state, ...options.detail },
    at,
  });
}

/**
 * Puts an item into a wallet (flow domains call this: a provisioned payment card, an added pass).
 * With `ref`, a second item of the same source and ref in the same wallet is a CONFLICT.
 *
 * @example
 *   await addWalletItem(tx, ctx.clock, { userId, deviceId, kind: 'pass', source: 'wallet-cards',
 *     ref: `${cardId}/${refId}`, title: 'Flight KE 123', state: 'ACTIVE', data: { cardId, refId } },
 *     { action: 'PASS_ADDED' });
 */
export async function addWalletItem(
  q: Queryable,
  clock: Clock,
  input: AddWalletItemInput,
  options: WalletItemActionOptions = {},
): Promise<WalletItem> {
  const parsed = parseInput(addWalletItemInput, input, 'wallet item');
  const account = await store.getAccount(q, parsed.userId);
  if (!account) throw notFound('wallet account');
  if (parsed.deviceId) {
    const device = await store.getDevice(q, parsed.deviceId);
    if (!device || device.userId !== parsed.userId) throw notFound('device');
  }
  const now = clock.now();
  const item: WalletItem = {
    itemId: newWalletScopedId(),
    userId: parsed.userId,
    deviceId: parsed.deviceId ?? null,
    kind: parsed.kind,
    source: parsed.source,
    ref: parsed.ref ?? null,
    title: parsed.title,
    subtitle: parsed.subtitle ?? null,
    state: parsed.state,
    imageUrl: parsed.imageUrl ?? null,
    data: parsed.data,
    createdAt: now,
    updatedAt: now,
  };
  if (!(await store.addWalletItem(q, item))) {
    throw new PlatformError('CONFLICT', 'this wallet already holds that item', {
      details: [{ field: 'ref', reason: 'already in this wallet' }],
    });
  }
  await recordItemAction(q, item, 'ITEM_ADDED', now, options);
  return item;
}

/** One item by id; undefined when there is none. */
export async function getWalletItem(q: Queryable, itemId: string): Promise<WalletItem | undefined> {
  return store.getWalletItem(q, itemId);
}

/**
 * Items of an account, newest first. With `deviceId`, what that phone's wallet shows: the device's
 * items and the account-wide ones.
 */
export async function listWalletItems(
  q: Queryable,
  userId: string,
  options: { deviceId?: string } = {},
): Promise<WalletItem[]> {
  return store.listWalletItems(q, userId, options.deviceId);
}

/** Every item of one source ref, across all wallets (e.g. a pass to refresh wherever it was added). */
export async function listWalletItemsByRef(q: Queryable, source: string, ref: string): Promise<WalletItem[]> {
  return store.listWalletItemsByRef(q, source, ref);
}

/** Changes an item's title, subtitle, state, image or data; returns the updated item. */
export async function updateWalletItem(
  q: Queryable,
  clock: Clock,
  itemId: string,
  patch: UpdateWalletItemInput,
  options: WalletItemActionOptions = {},
): Promise<WalletItem> {
  const parsed = parseInput(updateWalletItemInput, patch, 'wallet item update');
  const now = clock.now();
  const next = await store.patchWalletItem(q, itemId, {
    ...(parsed.title !== undefined ? { title: parsed.title } : {}),
    ...(parsed.subtitle !== undefined ? { subtitle: parsed.subtitle } : {}),
    ...(parsed.state !== undefined ? { state: parsed.state } : {}),
    ...(parsed.imageUrl !== undefined ? { imageUrl: parsed.imageUrl } : {}),
    ...(parsed.data !== undefined ? { data: parsed.data } : {}),
    updatedAt: now,
  });
  if (!next) throw notFound('wallet item');
  await recordItemAction(q, next, 'ITEM_UPDATED', now, options);
  return next;
}

/** Removes an item from its wallet; NOT_FOUND when it is not there. */
export async function removeWalletItem(
  q: Queryable,
  clock: Clock,
  itemId: string,
  options: WalletItemActionOptions = {},
): Promise<void> {
  const removed = await store.removeWalletItem(q, itemId);
  if (!removed) throw notFound('wallet item');
  await recordItemAction(q, removed, 'ITEM_REMOVED', clock.now(), options);
}
