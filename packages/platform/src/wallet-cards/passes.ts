// Passes on the phone: added from a checked link, listed, deleted by the user, and changed by the
// partner's notifications (server-api.ts). Every change writes the pass, its wallet item, its
// history, the wallet's action (issue 11) and the Send Card State it causes in one transaction.
import type { Queryable } from '../core/db.ts';
import { isPlatformError, notFound, PlatformError } from '../core/errors.ts';
import { newOpaqueToken } from '../core/ids.ts';
import { findCard } from '../partners/service.ts';
import { partnerIsActive } from '../partners/standing.ts';
import { recordWalletAction, type WalletActionKind } from '../wallet/actions.ts';
import * as wallet from '../wallet/service.ts';
import { barcodeImagesKey } from './barcode.ts';
import { checkLink } from './check-link.ts';
import { LinkError } from './errors.ts';
import {
  type CardDataObject,
  type CheckedCard,
  type PassState,
  WALLET_ITEM_SOURCE,
  type WalletCardsDeps,
} from './model.ts';
import { enqueueCardState } from './partner-calls.ts';
import { eventKeys, itemFields, passSummary, type WalletCardView, walletCardView } from './pass-view.ts';
import * as store from './store.ts';

/**
 * Records what happened to a pass on the phone in the wallet's actions (issue 11), keyed by the
 * pass's refId: the id the partner's calls carry, so the object's timeline joins them.
 */
function recordPassAction(
  tx: Queryable,
  c: store.WalletCard,
  action: Extract<WalletActionKind, 'PASS_ADDED' | 'PASS_UPDATED' | 'PASS_REMOVED'>,
  cause: string,
  at: number,
): Promise<void> {
  const { title } = passSummary(c.type, c.data.attributes as Record<string, unknown>);
  return recordWalletAction(tx, {
    accountId: c.userId,
    action,
    objectId: c.refId,
    detail: { title, type: c.type, subType: c.subType, cardId: c.cardId, status: c.state, cause },
    at,
  });
}

/** A pass changes state (and, for UPDATED, data) in the caller's transaction. */
export async function changePassState(
  deps: Pick<WalletCardsDeps, 'clock' | 'state'>,
  tx: Queryable,
  c: store.WalletCard,
  change: { state: PassState; cause: string; data?: CardDataObject },
): Promise<store.WalletCard> {
  const now = deps.clock.now();
  const changes: Partial<store.WalletCard> = {
    state: change.state,
    updatedAt: now,
    ...(change.data ? { data: change.data, ...eventKeys(c.type, change.data.attributes) } : {}),
  };
  const next: store.WalletCard = { ...c, ...changes };
  if (next.itemId) {
    const fields = await itemFields(deps.state.get(barcodeImagesKey), next);
    await wallet.updateWalletItem(tx, deps.clock, next.itemId, fields, { action: false });
  }
  await store.patchWalletCard(tx, c.walletCardId, changes);
  await store.insertHistory(tx, c.walletCardId, { state: change.state, cause: change.cause, at: now });
  await recordPassAction(tx, next, 'PASS_UPDATED', change.cause, now);
  return next;
}

/** A pass leaves the wallet (state DELETED) in the caller's transaction. */
export async function removePass(
  deps: Pick<WalletCardsDeps, 'clock'>,
  tx: Queryable,
  c: store.WalletCard,
  cause: string,
): Promise<store.WalletCard> {
  const now = deps.clock.now();
  if (c.itemId) await wallet.removeWalletItem(tx, deps.clock, c.itemId, { action: false });
  const changes = { itemId: null, state: 'DELETED', updatedAt: now, removedAt: now };
  const next: store.WalletCard = { ...c, ...changes };
  await store.patchWalletCard(tx, c.walletCardId, changes);
  await store.insertHistory(tx, c.walletCardId, { state: 'DELETED', cause, at: now });
  await recordPassAction(tx, next, 'PASS_REMOVED', cause, now);
  return next;
}

function alreadyInWallet(refId: string): LinkError {
  return new LinkError('ALREADY_IN_WALLET', `this wallet already holds ${refId}`, {
    field: 'refId',
    reason: 'already in this wallet',
  });
}

/**
 * Adds a checked link's passes to a device's wallet: one pass per data object, history ADDED,
 * and Send Card State ADDED queued for each, all in one transaction (all or nothing).
 */
export async function addCard(
  deps: WalletCardsDeps,
  input: { offerId: string; userId: string; deviceId: string },
): Promise<WalletCardView[]> {
  return deps.db.transaction(async (tx) => {
    const offer = await store.findOffer(tx, input.offerId, true);
    if (!offer) throw notFound('checked link');
    const now = deps.clock.now();
    if (offer.expiresAt <= now) {
      throw new LinkError('OFFER_EXPIRED', 'this link was checked too long ago: open the link again');
    }
    const device = await wallet.getDevice(tx, input.deviceId);
    if (!device || device.userId !== input.userId) throw notFound('device');
    const registration = await findCard(tx, offer.cardId);
    if (!registration) throw notFound('card');
    if (!(await partnerIsActive(tx, registration.partnerId))) {
      throw new LinkError('PARTNER_REVOKED', 'the partner of this card is revoked: it cannot be added');
    }
    const card = offer.card as unknown as CheckedCard;
    const images = deps.state.get(barcodeImagesKey);
    const cause = `link (${offer.via})`;
    const added: WalletCardView[] = [];
    for (const data of card.data) {
      const walletCardId = newOpaqueToken(12);
      const base: store.WalletCard = {
        walletCardId,
        userId: input.userId,
        deviceId: device.deviceId,
        itemId: null,
        cardId: registration.cardId,
        partnerId: registration.partnerId,
        refId: data.refId,
        type: card.type,
        subType: card.subType,
        cc2: device.locale.country,
        state: 'ADDED',
        data,
        ...eventKeys(card.type, data.attributes),
        createdAt: now,
        updatedAt: now,
        removedAt: null,
      };
      let item: wallet.WalletItem;
      try {
        item = await wallet.addWalletItem(
          tx,
          deps.clock,
          {
            userId: input.userId,
            deviceId: device.deviceId,
            kind: 'pass',
            source: WALLET_ITEM_SOURCE,
            ref: `${registration.cardId}/${data.refId}`,
            ...(await itemFields(images, base)),
          },
          { action: false },
        ); // the pass's own PASS_ADDED is recorded with it
      } catch (err) {
        if (isPlatformError(err) && err.code === 'CONFLICT') throw alreadyInWallet(data.refId);
        throw err;
      }
      const c = { ...base, itemId: item.itemId };
      if (!(await store.insertWalletCard(tx, c))) {
        throw new LinkError('ALREADY_IN_WALLET', `this wallet already holds ${data.refId}`);
      }
      await store.insertHistory(tx, walletCardId, { state: 'ADDED', cause, at: now });
      await recordPassAction(tx, c, 'PASS_ADDED', cause, now);
      await enqueueCardState(deps, tx, registration, c, 'ADDED');
      added.push(walletCardView(c));
    }
    await store.markOfferUsed(tx, offer.offerId, now);
    return added;
  });
}

/** Checks a link and adds it to a device (first device of the account unless given): the CLI's path. */
export async function addCardFromLink(
  deps: WalletCardsDeps,
  input: { email: string; link: string; deviceId?: string | undefined },
): Promise<WalletCardView[]> {
  const account = await wallet.findAccountByEmail(deps.db, input.email);
  if (!account) {
    throw new PlatformError('NOT_FOUND', 'no wallet account has this email', {
      details: [{ field: 'email', reason: 'no account' }],
    });
  }
  const devices = await wallet.listDevices(deps.db, account.userId);
  const device = input.deviceId ? devices.find((d) => d.deviceId === input.deviceId) : devices[0];
  if (!device) throw notFound('device');
  const offer = await checkLink(deps, input.link);
  return addCard(deps, { offerId: offer.offerId, userId: account.userId, deviceId: device.deviceId });
}

/** Passes of an account with their history (removed ones included, state DELETED, when asked). */
export async function listWalletCards(
  deps: Pick<WalletCardsDeps, 'db'>,
  input: { userId: string; deviceId?: string; includeRemoved?: boolean },
): Promise<WalletCardView[]> {
  const { userId, ...options } = input;
  const cards = await store.listWalletCards(deps.db, userId, options);
  return Promise.all(
    cards.map(async (c) => walletCardView(c, await store.listHistory(deps.db, c.walletCardId))),
  );
}

/** One pass of an account, with its history; NOT_FOUND for another account's pass. */
export async function getWalletCard(
  deps: Pick<WalletCardsDeps, 'db'>,
  input: { userId: string; walletCardId: string },
): Promise<WalletCardView> {
  const c = await store.findWalletCard(deps.db, input.walletCardId);
  if (!c || c.userId !== input.userId) throw notFound('pass');
  return walletCardView(c, await store.listHistory(deps.db, input.walletCardId));
}

/** The user deletes a pass: it leaves the wallet, history DELETED, Send Card State DELETED queued. */
export async function deleteWalletCard(
  deps: WalletCardsDeps,
  input: { userId: string; walletCardId: string },
): Promise<WalletCardView> {
  return deps.db.transaction(async (tx) => {
    const c = await store.findWalletCard(tx, input.walletCardId, true);
    if (!c || c.userId !== input.userId || c.removedAt !== null) throw notFound('pass');
    const registration = await findCard(tx, c.cardId);
    const next = await removePass(deps, tx, c, 'user');
    if (registration) await enqueueCardState(deps, tx, registration, c, 'DELETED');
    return walletCardView(next);
  });
}
