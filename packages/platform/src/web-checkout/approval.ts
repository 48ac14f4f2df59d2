// The wallet's side of a payment request: the requests an account sees, its cards that can pay,
// and its answer. Approval mints the TSP's cryptogram and encrypts the credential to the
// service's merchant key; approve and decline are recorded as the wallet's actions in the same
// database transaction as the move.
import { createPublicKey } from 'node:crypto';
import { encryptCredential } from '@cardport/jose';
import type { Queryable } from '../core/db.ts';
import { invalidInput, notFound, PlatformError } from '../core/errors.ts';
import { newHexId } from '../core/ids.ts';
import { findService } from '../partners/service.ts';
import { partnerIsActive } from '../partners/standing.ts';
import { getToken, listTokens, mintCryptogram, type TspToken } from '../tsp/index.ts';
import { recordWalletAction } from '../wallet/actions.ts';
import type { WalletDevice } from '../wallet/service.ts';
import { callbackWithReference, paymentDetail, redirectOf } from './checkout-session.ts';
import { credentialLifetimeMs, type WebCheckoutDeps } from './deps.ts';
import { WebCheckoutError } from './errors.ts';
import * as store from './store.ts';
import { isExpired, moveTransaction, transition } from './transaction-state.ts';

/** A payment request as the wallet shows it. */
export interface PaymentRequest {
  transactionId: string;
  status: store.TransactionStatus;
  expired: boolean;
  merchantName: string;
  merchantUrl: string | null;
  orderNumber: string;
  amountTotal: string;
  currency: string;
  allowedBrands: string[];
  cardBrand: string | null;
  cardLast4: string | null;
  paymentStatus: string | null;
  /** How the checkout page was opened: 'mobile' means the wallet returns the browser to the shop. */
  checkoutKind: 'pc' | 'mobile' | null;
  /** Where the browser goes after the answer (the callback with ref_id, or the cancel URL). */
  redirectUrl: string | null;
  createdAt: number;
  answeredAt: number | null;
}

export function toPaymentRequest(t: store.TransactionRow, now: number): PaymentRequest {
  return {
    transactionId: t.transactionId,
    status: t.status,
    expired: t.status === 'PENDING' && isExpired(t, now),
    merchantName: t.merchantName,
    merchantUrl: t.merchantUrl,
    orderNumber: t.orderNumber,
    amountTotal: t.amountTotal,
    currency: t.currency,
    allowedBrands: t.allowedBrands,
    cardBrand: t.cardBrand,
    cardLast4: t.cardLast4,
    paymentStatus: t.paymentStatus,
    checkoutKind: t.checkoutKind,
    redirectUrl: redirectOf(t),
    createdAt: t.createdAt,
    answeredAt: t.answeredAt,
  };
}

/** Payment requests and history of an account, newest first. */
export async function listPaymentRequests(deps: WebCheckoutDeps, userId: string): Promise<PaymentRequest[]> {
  const now = deps.clock.now();
  return (await store.listTransactionsByUser(deps.db, userId)).map((t) => toPaymentRequest(t, now));
}

/** One request of this account (NOT_FOUND for another account's). */
export async function getPaymentRequest(
  deps: WebCheckoutDeps,
  input: { userId: string; transactionId: string },
): Promise<PaymentRequest & { notifications: store.NotificationRow[] }> {
  const t = await store.getTransaction(deps.db, input.transactionId);
  if (!t || t.userId !== input.userId) throw notFound('payment request');
  return {
    ...toPaymentRequest(t, deps.clock.now()),
    notifications: await store.listNotifications(deps.db, input.transactionId),
  };
}

/** The device's cards that can pay a request: active tokens of a known, allowed brand. */
export async function eligibleCards(
  q: Queryable,
  device: WalletDevice,
  allowedBrands: readonly string[],
): Promise<TspToken[]> {
  const tokens = await listTokens(q, { walletId: device.walletId });
  return tokens.filter((t) => t.status === 'ACTIVE' && allowedBrands.includes(t.brand));
}

/** Cards of a device in the wallet, for the Payments tab (with why one cannot pay). */
export async function walletCards(q: Queryable, device: WalletDevice): Promise<TspToken[]> {
  return listTokens(q, { walletId: device.walletId });
}

// Real credentials order members by brand (see the vectors): Visa sorts them almost
// alphabetically, Mastercard keeps the API order. Clients must not care; we mimic both.
function credentialPayload(c: Awaited<ReturnType<typeof mintCryptogram>>): Record<string, string> {
  const utc = String(c.utc);
  if (c.brand === 'MC') {
    return {
      amount: c.amountMinor,
      currency_code: c.currency,
      utc,
      eci_indicator: c.eciIndicator,
      tokenPAN: c.tokenPan,
      tokenPanExpiration: c.tokenPanExpiration,
      cryptogram: c.cryptogram,
    };
  }
  return {
    amount: c.amountMinor,
    cryptogram: c.cryptogram,
    currency_code: c.currency,
    eci_indicator: c.eciIndicator,
    tokenPanExpiration: c.tokenPanExpiration,
    utc,
    tokenPAN: c.tokenPan,
  };
}

export interface ApprovalResult {
  referenceId: string;
  /** Null only when the transaction's callback is not a URL and no checkout form gave one. */
  redirectUrl: string | null;
  cardBrand: string;
  cardLast4: string;
}

/** The account's request, locked for its answer (NOT_FOUND for another account's). */
async function requestToAnswer(
  q: Queryable,
  input: { userId: string; transactionId: string },
): Promise<store.TransactionRow> {
  const t = await store.getTransaction(q, input.transactionId, { lock: true });
  if (!t || t.userId !== input.userId) throw notFound('payment request');
  return t;
}

/**
 * The wallet approves a request with one of the device's cards: the TSP mints token PAN, expiry,
 * cryptogram (bound to amount, currency, the serviceId as merchant, and time) and ECI; the
 * credential is encrypted to the service's merchant key and kept for {@link credentialLifetimeMs}.
 */
export async function approvePayment(
  deps: WebCheckoutDeps,
  input: { userId: string; device: WalletDevice; transactionId: string; tokenRef: string },
): Promise<ApprovalResult> {
  return deps.db.transaction(async (tx) => {
    const t = await requestToAnswer(tx, input);
    const now = deps.clock.now();
    transition(t, 'APPROVED', now);
    const token = await getToken(tx, input.tokenRef);
    if (!token || token.walletId !== input.device.walletId) {
      throw invalidInput('pick a card of this device', [
        { field: 'tokenRef', reason: 'not a card of this device' },
      ]);
    }
    if (token.status !== 'ACTIVE') {
      throw invalidInput('this card cannot pay', [
        { field: 'tokenRef', reason: `the card is ${token.status.toLowerCase()}` },
      ]);
    }
    if (!t.allowedBrands.includes(token.brand)) {
      throw invalidInput('the merchant does not accept this card brand', [
        { field: 'tokenRef', reason: `brand ${token.brand} not allowed` },
      ]);
    }
    const service = await findService(tx, t.serviceId);
    if (!service) throw new WebCheckoutError('OPM1N1035', 'serviceId');
    if (!(await partnerIsActive(tx, service.partnerId))) {
      throw new PlatformError('FORBIDDEN', 'the merchant of this payment request is no longer approved');
    }
    const c = await mintCryptogram(tx, deps, {
      tokenRef: token.tokenRef,
      amountMinor: t.amountMinor,
      currency: t.currency,
      merchantRef: t.serviceId,
      at: now,
    });
    let jwe: string;
    try {
      jwe = encryptCredential(credentialPayload(c), createPublicKey(service.merchantPublicKeyPem));
    } catch {
      // A merchant key that cannot encrypt (it was checked at onboarding): the documented code.
      throw new WebCheckoutError('OPM3N1002');
    }
    const referenceId = newHexId(16);
    const approved = await moveTransaction(tx, t, 'APPROVED', {
      deviceId: input.device.deviceId,
      referenceId,
      tokenRef: token.tokenRef,
      cardBrand: c.brand,
      cardLast4: c.fundingLast4,
      credentialJwe: jwe,
      credentialsExpireAt: now + credentialLifetimeMs,
      answeredAt: now,
      updatedAt: now,
    });
    await recordWalletAction(tx, {
      accountId: input.userId,
      action: 'PAYMENT_APPROVED',
      objectId: t.transactionId,
      detail: paymentDetail(approved),
      at: now,
    });
    return {
      referenceId,
      redirectUrl: callbackWithReference(approved.callbackUrl, referenceId),
      cardBrand: c.brand,
      cardLast4: c.fundingLast4,
    };
  });
}

/** The wallet declines a request: the checkout page goes to the cancel URL. */
export async function declinePayment(
  deps: WebCheckoutDeps,
  input: { userId: string; device: WalletDevice; transactionId: string },
): Promise<{ redirectUrl: string | null }> {
  return deps.db.transaction(async (tx) => {
    const t = await requestToAnswer(tx, input);
    const now = deps.clock.now();
    transition(t, 'DECLINED', now);
    const declined = await moveTransaction(tx, t, 'DECLINED', {
      deviceId: input.device.deviceId,
      answeredAt: now,
      updatedAt: now,
    });
    await recordWalletAction(tx, {
      accountId: input.userId,
      action: 'PAYMENT_DECLINED',
      objectId: t.transactionId,
      detail: paymentDetail(declined),
      at: now,
    });
    return { redirectUrl: declined.cancelUrl };
  });
}
