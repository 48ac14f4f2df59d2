// What automates a test outcome (the admin API, `cardport wallet add-test-card` and
// `cardport wallet approve`, the conformance kit): sandbox test cards in a wallet, the wallet's
// answer given on the person's behalf, and the transactions list of the admin API and dashboard.
import type { Queryable } from '../core/db.ts';
import { invalidInput, notFound, PlatformError } from '../core/errors.ts';
import { addTestCard, brandNames, type CardBrand } from '../tsp/index.ts';
import type { WalletAccount, WalletDevice } from '../wallet/service.ts';
import * as wallet from '../wallet/service.ts';
import {
  approvePayment,
  declinePayment,
  eligibleCards,
  type PaymentRequest,
  toPaymentRequest,
} from './approval.ts';
import { bindAccount } from './checkout-session.ts';
import { type WebCheckoutDeps, walletItemSource } from './deps.ts';
import * as store from './store.ts';
import { canMove } from './transaction-state.ts';

export interface AddedTestCard {
  tokenRef: string;
  brand: string;
  fundingLast4: string | null;
  tokenPanLast4: string;
  walletId: string;
  deviceId: string;
  itemId: string;
}

/** Adds a sandbox test card to a device's wallet (TSP token + a card in the wallet's list). */
export async function addTestCardToWallet(
  deps: WebCheckoutDeps,
  input: { userId: string; device: WalletDevice; brand: CardBrand; pan?: string | undefined },
): Promise<AddedTestCard> {
  return deps.db.transaction(async (tx) => {
    const result = await addTestCard(tx, deps, {
      walletId: input.device.walletId,
      deviceId: input.device.deviceId,
      brand: input.brand,
      ...(input.pan ? { pan: input.pan } : {}),
    });
    if (!result.ok) {
      throw new PlatformError('CONFLICT', result.message, {
        details: [{ field: 'pan', reason: result.reason }],
      });
    }
    const token = result.token;
    const name = brandNames[token.brand];
    const item = await wallet.addWalletItem(tx, deps.clock, {
      userId: input.userId,
      deviceId: input.device.deviceId,
      kind: 'payment_card',
      source: walletItemSource,
      ref: token.tokenRef,
      title: `${name} •••• ${token.fundingLast4 ?? token.tokenPanLast4}`,
      subtitle: `Sandbox test card · token •••• ${token.tokenPanLast4}`,
      state: token.status,
      data: { tokenRef: token.tokenRef, brand: token.brand },
    });
    return {
      tokenRef: token.tokenRef,
      brand: token.brand,
      fundingLast4: token.fundingLast4,
      tokenPanLast4: token.tokenPanLast4,
      walletId: input.device.walletId,
      deviceId: input.device.deviceId,
      itemId: item.itemId,
    };
  });
}

async function accountByEmail(
  q: Queryable,
  email: string,
): Promise<{ account: WalletAccount; devices: WalletDevice[] }> {
  const account = await wallet.findAccountByEmail(q, email);
  if (!account) {
    throw new PlatformError('NOT_FOUND', 'no wallet account has this email', {
      details: [{ field: 'account', reason: 'no account' }],
    });
  }
  return { account, devices: await wallet.listDevices(q, account.userId) };
}

/** `cardport wallet add-test-card`: on the account's first device (or the given one). */
export async function addTestCardByEmail(
  deps: WebCheckoutDeps,
  input: { account: string; brand: CardBrand; pan?: string | undefined; deviceId?: string | undefined },
): Promise<AddedTestCard> {
  const { account, devices } = await accountByEmail(deps.db, input.account);
  const device = input.deviceId ? devices.find((d) => d.deviceId === input.deviceId) : devices[0];
  if (!device)
    throw invalidInput('no such device on this account', [
      { field: 'deviceId', reason: 'not a device of the account' },
    ]);
  return addTestCardToWallet(deps, { userId: account.userId, device, brand: input.brand, pan: input.pan });
}

export interface AutomatedAnswer {
  transactionId: string;
  status: 'APPROVED' | 'DECLINED';
  referenceId: string | null;
  redirectUrl: string | null;
  cardBrand: string | null;
  cardLast4: string | null;
}

/**
 * `cardport wallet approve`: what the person does. Enters the account for the transaction (as on
 * the checkout page) and answers on the phone: approves with the card ending in `cardLast4`
 * (funding or token last 4; else the first eligible card of any device) or declines.
 */
export async function answerAsWallet(
  deps: WebCheckoutDeps,
  input: {
    account: string;
    transactionId: string;
    cardLast4?: string | undefined;
    decline?: boolean | undefined;
  },
): Promise<AutomatedAnswer> {
  const { account, devices } = await accountByEmail(deps.db, input.account);
  await deps.db.transaction(async (tx) => {
    const t = await store.getTransaction(tx, input.transactionId, { lock: true });
    if (!t) throw notFound('transaction');
    if (t.status === 'PENDING' && t.userId === account.userId) return;
    if (!canMove(t.status, 'PENDING')) {
      throw new PlatformError('CONFLICT', `this transaction is already ${t.status.toLowerCase()}`);
    }
    await bindAccount(tx, deps, t, account);
  });
  const t = await store.getTransaction(deps.db, input.transactionId);
  if (!t) throw notFound('transaction');
  const [first] = devices;
  if (!first) throw new PlatformError('INTERNAL', 'wallet account has no device');
  if (input.decline) {
    const { redirectUrl } = await declinePayment(deps, {
      userId: account.userId,
      device: first,
      transactionId: t.transactionId,
    });
    return {
      transactionId: t.transactionId,
      status: 'DECLINED',
      referenceId: null,
      redirectUrl,
      cardBrand: null,
      cardLast4: null,
    };
  }
  for (const device of devices) {
    const cards = await eligibleCards(deps.db, device, t.allowedBrands);
    const card = input.cardLast4
      ? cards.find((c) => c.fundingLast4 === input.cardLast4 || c.tokenPanLast4 === input.cardLast4)
      : cards[0];
    if (card) {
      const approved = await approvePayment(deps, {
        userId: account.userId,
        device,
        transactionId: t.transactionId,
        tokenRef: card.tokenRef,
      });
      return { transactionId: t.transactionId, status: 'APPROVED', ...approved };
    }
  }
  throw new PlatformError(
    'CONFLICT',
    input.cardLast4
      ? `no card ending in ${input.cardLast4} in this wallet can pay (brands ${t.allowedBrands.join(', ')})`
      : `no card in this wallet can pay (brands ${t.allowedBrands.join(', ')}): add one with cardport wallet add-test-card`,
    {
      details: [{ field: 'card', reason: 'no eligible card' }],
    },
  );
}

/** Transactions for the admin API and dashboard, newest first. */
export async function listTransactionsForAdmin(
  deps: Pick<WebCheckoutDeps, 'db' | 'clock'>,
  filter: { serviceId?: string } = {},
): Promise<(PaymentRequest & { serviceId: string; referenceId: string | null })[]> {
  const now = deps.clock.now();
  return (await store.listTransactions(deps.db, filter)).map((t) => ({
    ...toPaymentRequest(t, now),
    serviceId: t.serviceId,
    referenceId: t.referenceId,
  }));
}
