// The checkout page's session (PROTOCOLS.md 4.3): the real JS SDK's form POST opens it, the
// shopper enters an account (the payment request goes to that wallet) or cancels, and the page
// polls its status. The session is a bearer token in the page's URL, stored only as its hash.
import { createHash } from 'node:crypto';
import { type CheckoutForm, isHttpUrl, type WireWarning } from '@cardport/protocol';
import type { Queryable } from '../core/db.ts';
import { notFound, PlatformError } from '../core/errors.ts';
import { newOpaqueToken } from '../core/ids.ts';
import { findService } from '../partners/service.ts';
import { partnerIsActive } from '../partners/standing.ts';
import { recordWalletAction } from '../wallet/actions.ts';
import type { WalletAccount } from '../wallet/service.ts';
import * as wallet from '../wallet/service.ts';
import { refuseIfStrict } from './compat.ts';
import type { WebCheckoutDeps, WebCheckoutKeyDeps } from './deps.ts';
import { WebCheckoutError } from './errors.ts';
import { decryptPkcs1Hex, findTransactionKey } from './keys.ts';
import * as store from './store.ts';
import { isExpired, moveTransaction, transition } from './transaction-state.ts';

function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** What the checkout page shows. */
export interface CheckoutView {
  transactionId: string;
  status: store.TransactionStatus;
  expired: boolean;
  merchantName: string;
  amountTotal: string;
  currency: string;
  allowedBrands: string[];
  countryCode: string | null;
  /** Where the page sends the browser now, when it is done. */
  redirectUrl: string | null;
  /** The masked account the request went to. */
  account: string | null;
}

/**
 * The callback with `ref_id` added (query kept) and `{refId}` replaced (seed 004). A callback that
 * is not a URL (`"0"`, accepted with a warning) gives null: the JS SDK's callbackUrl replaces it
 * when the checkout opens.
 */
export function callbackWithReference(callback: string, referenceId: string): string | null {
  if (!isHttpUrl(callback)) return null;
  const url = new URL(callback.split('{refId}').join(encodeURIComponent(referenceId)));
  url.searchParams.set('ref_id', referenceId);
  return url.toString();
}

/** Where the browser goes once the transaction is answered (null while it is not). */
export function redirectOf(t: store.TransactionRow): string | null {
  if (t.status === 'APPROVED' && t.referenceId) return callbackWithReference(t.callbackUrl, t.referenceId);
  if (t.status === 'DECLINED' || t.status === 'CANCELED') return t.cancelUrl;
  return null;
}

function maskEmail(email: string): string {
  const [name = '', domain = ''] = email.split('@');
  return `${name.slice(0, 2)}${'•'.repeat(Math.max(1, name.length - 2))}@${domain}`;
}

async function viewOf(q: Queryable, t: store.TransactionRow, now: number): Promise<CheckoutView> {
  const account = t.userId ? await wallet.getAccount(q, t.userId) : undefined;
  return {
    transactionId: t.transactionId,
    status: t.status,
    expired: t.status !== 'APPROVED' && isExpired(t, now),
    merchantName: t.merchantName,
    amountTotal: t.amountTotal,
    currency: t.currency,
    allowedBrands: t.allowedBrands,
    countryCode: t.countryCode,
    redirectUrl: redirectOf(t),
    account: account ? maskEmail(account.email) : null,
  };
}

/** The hostname of an origin or URL, lower case; undefined when unreadable. */
function hostOf(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    return new URL(value).hostname.toLowerCase().replace(/^\[|\]$/g, '');
  } catch {
    return undefined;
  }
}

/** A page host is allowed when it is a registered domain or a subdomain of one. */
export function isRegisteredDomain(host: string, domains: readonly string[]): boolean {
  return domains.some((d) => host === d || host.endsWith(`.${d}`));
}

export interface OpenedCheckout {
  /** Bearer of the page's session (in its URL); never logged. */
  token: string;
  /** The service the form named (once decrypted): the request log attributes the call by it. */
  serviceId: string;
  view: CheckoutView;
}

/** The form POST's input: the parsed form, the browser's Origin, and the parser's warnings. */
export interface OpenCheckoutInput {
  form: CheckoutForm;
  /** The browser's Origin header (never Referer or the form's myOrigin); undefined when absent. */
  origin: string | undefined;
  kind: 'pc' | 'mobile';
  warnings?: WireWarning[];
}

/**
 * The form POST of the real JS SDK (PROTOCOLS.md 4.3), already parsed: decrypts transactionId and
 * serviceId with the transaction key named by keyId, checks them and the posted key against the
 * stored transaction, checks the page's domain against the service's registered domains, and
 * starts the page's session. `onServiceKnown` hears the decrypted serviceId as soon as it is
 * known (also when a later check refuses the form).
 */
export async function openCheckout(
  deps: WebCheckoutKeyDeps,
  input: OpenCheckoutInput,
  onServiceKnown?: (serviceId: string) => void,
): Promise<OpenedCheckout> {
  const { form } = input;
  const key = await findTransactionKey(deps, form.keyId);
  if (!key) throw new WebCheckoutError('OPM1N1002', 'keyId unknown or expired');
  if (
    form.mod.toLowerCase().replace(/^0+/, '') !== key.mod.replace(/^0+/, '') ||
    form.exp.replace(/^0+/, '') !== key.exp
  ) {
    throw new WebCheckoutError('OPM1N1026', 'mod/exp do not match keyId');
  }
  const transactionId = decryptPkcs1Hex(form.transactionId, key);
  const serviceId = decryptPkcs1Hex(form.serviceId, key);
  if (transactionId === undefined || serviceId === undefined) {
    // Bad input, not our failure: a 400 (OPM3N1002 would be a 500).
    throw new WebCheckoutError('OPM1N1002', 'transactionId/serviceId do not decrypt with keyId');
  }
  if (/^[0-9a-f]{32}$/.test(serviceId)) onServiceKnown?.(serviceId);
  const token = newOpaqueToken();
  return deps.db.transaction(async (tx) => {
    const t = /^[0-9a-f]{22}$/.test(transactionId)
      ? await store.getTransaction(tx, transactionId, { lock: true })
      : undefined;
    if (!t || t.keyId !== key.keyId) throw new WebCheckoutError('OPM1N1002', 'transactionId');
    if (t.serviceId !== serviceId) throw new WebCheckoutError('OPM1N1026', 'serviceId');
    const service = await findService(tx, serviceId);
    if (!service) throw new WebCheckoutError('OPM1N1035', 'serviceId');
    await refuseIfStrict(tx, service.partnerId, input.warnings);
    // Only the browser's Origin vouches for the page: the form's own myOrigin is the page's word.
    const pageHost = hostOf(input.origin);
    if (!pageHost) {
      throw new PlatformError(
        'FORBIDDEN',
        'the checkout form must come from the merchant page (no Origin header)',
      );
    }
    if (!isRegisteredDomain(pageHost, service.domains)) {
      throw new PlatformError('FORBIDDEN', 'this page is not on a domain registered for the service');
    }
    // The cancel redirect goes only where the service or the transaction allows.
    const cancelHost = hostOf(form.cancelUrl);
    if (
      !cancelHost ||
      (!isRegisteredDomain(cancelHost, service.domains) && cancelHost !== hostOf(t.callbackUrl))
    ) {
      throw new WebCheckoutError('OPM1N1002', 'cancelUrl is not on a domain of the service or the callback');
    }
    const now = deps.clock.now();
    // Opening (or reopening) the page needs a transaction that can still go to an account.
    transition(t, 'PENDING', now);
    if (!(await partnerIsActive(tx, service.partnerId))) throw new WebCheckoutError('OPM1N1033');
    const next = await moveTransaction(tx, t, t.status, {
      checkoutTokenHash: hashToken(token),
      // A create-transaction callback that is not a URL ("0") is the JS SDK's to give [impl].
      callbackUrl: isHttpUrl(t.callbackUrl) ? t.callbackUrl : form.callbackUrl,
      countryCode: form.countryCode,
      cancelUrl: form.cancelUrl,
      pageOrigin: input.origin ?? null,
      checkoutKind: input.kind,
      updatedAt: now,
    });
    return { token, serviceId, view: await viewOf(tx, next, now) };
  });
}

async function sessionTransaction(q: Queryable, token: string, lock = false): Promise<store.TransactionRow> {
  const t = await store.getTransactionByCheckoutToken(q, hashToken(token));
  if (!t) throw notFound('checkout');
  return lock ? ((await store.getTransaction(q, t.transactionId, { lock: true })) ?? t) : t;
}

/** The checkout page's state (it polls this while the wallet answers). */
export async function getCheckoutStatus(deps: WebCheckoutDeps, token: string): Promise<CheckoutView> {
  const t = await sessionTransaction(deps.db, token);
  return viewOf(deps.db, t, deps.clock.now());
}

/**
 * The shopper entered an account: the payment request goes to that wallet. `email` is trimmed
 * and shaped like an address (the route checks it).
 */
export async function requestPaymentFromAccount(
  deps: WebCheckoutDeps,
  input: { token: string; email: string },
): Promise<CheckoutView> {
  return deps.db.transaction(async (tx) => {
    const t = await sessionTransaction(tx, input.token, true);
    const account = await wallet.findAccountByEmail(tx, input.email);
    if (!account) {
      throw new PlatformError('NOT_FOUND', 'no wallet account has this email', {
        details: [{ field: 'email', reason: 'no account' }],
      });
    }
    return viewOf(tx, await bindAccount(tx, deps, t, account), deps.clock.now());
  });
}

/** Sends the payment request to `account` (CREATED or PENDING → PENDING). */
export async function bindAccount(
  q: Queryable,
  deps: Pick<WebCheckoutDeps, 'clock'>,
  t: store.TransactionRow,
  account: WalletAccount,
): Promise<store.TransactionRow> {
  const now = deps.clock.now();
  transition(t, 'PENDING', now);
  return moveTransaction(q, t, 'PENDING', { userId: account.userId, updatedAt: now });
}

/**
 * The shopper canceled on the checkout page; returns where to go (the cancel URL). A request
 * already sent to a wallet is recorded as that wallet's PAYMENT_CANCELLED action.
 */
export async function cancelCheckout(deps: WebCheckoutDeps, token: string): Promise<CheckoutView> {
  return deps.db.transaction(async (tx) => {
    const t = await sessionTransaction(tx, token, true);
    const now = deps.clock.now();
    if (transition(t, 'CANCELED', now) === 'unchanged') return viewOf(tx, t, now);
    const next = await moveTransaction(tx, t, 'CANCELED', { answeredAt: now, updatedAt: now });
    if (next.userId) {
      await recordWalletAction(tx, {
        accountId: next.userId,
        action: 'PAYMENT_CANCELLED',
        objectId: next.transactionId,
        detail: paymentDetail(next),
        at: now,
      });
    }
    return viewOf(tx, next, now);
  });
}

/** The display fields of a payment for the wallet's actions: never a token or a credential. */
export function paymentDetail(t: store.TransactionRow): Record<string, string | null> {
  return {
    merchantName: t.merchantName,
    amount: t.amountTotal,
    currency: t.currency,
    cardBrand: t.cardBrand,
    cardLast4: t.cardLast4,
  };
}

/**
 * The mobile flow (and the QR of the PC page): the wallet opens the checkout session directly,
 * which sends the payment request to the signed-in account.
 */
export async function claimCheckout(
  deps: WebCheckoutDeps,
  input: { token: string; account: WalletAccount },
): Promise<string> {
  return deps.db.transaction(async (tx) => {
    const t = await sessionTransaction(tx, input.token, true);
    if (t.userId === input.account.userId && t.status !== 'CREATED') return t.transactionId;
    await bindAccount(tx, deps, t, input.account);
    return t.transactionId;
  });
}
