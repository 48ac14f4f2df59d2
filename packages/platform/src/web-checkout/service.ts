// Web Checkout logic (PROTOCOLS.md 4): transactions with rotating encInfo keys, the checkout
// page's session (form POST of the real JS SDK, account entry, status, cancel), approval in the
// wallet through the simulated TSP, the encrypted payment credential, notifications and health
// probes. No HTTP here: routes.ts maps results and WebCheckoutError to the wire.
import { createHash, createPublicKey } from 'node:crypto';
import { encryptCredential } from '@cardport/jose';
import {
  type AcceptedCreateTransaction,
  type CheckoutForm,
  isHttpUrl,
  normalizePaymentStatus,
  type PaymentNotification,
  toMinorUnits,
  type WireWarning,
} from '@cardport/protocol';
import type { AppContext } from '../core/context.ts';
import type { Queryable } from '../core/db.ts';
import { invalidInput, notFound, PlatformError } from '../core/errors.ts';
import { newHexId, newOpaqueToken, newUuidId } from '../core/ids.ts';
import { IpAllowList } from '../partners/ip-allow-list.ts';
import { type CheckoutService, findPartner, findService, listServices } from '../partners/service.ts';
import { partnerIsActive } from '../partners/standing.ts';
import { brandNames } from '../tsp/card-numbers.ts';
import { addTestCard, getToken, listTokens, mintCryptogram, type TspToken } from '../tsp/service.ts';
import type { WalletAccount, WalletDevice } from '../wallet/service.ts';
import * as wallet from '../wallet/service.ts';
import { refuseIfStrict } from './compat.ts';
import { WebCheckoutError } from './errors.ts';
import { currentTransactionKey, decryptPkcs1Hex, findTransactionKey, keyRotationMs } from './keys.ts';
import * as store from './store.ts';

export type { TransactionRow, TransactionStatus } from './store.ts';

export type WebCheckoutDeps = Pick<AppContext, 'db' | 'clock' | 'keys' | 'config' | 'delivery' | 'log'>;

/** What the routes need on top (the admin guard). */
export type WebCheckoutRouteDeps = WebCheckoutDeps & Pick<AppContext, 'requireAdmin' | 'state'>;

/** A transaction must reach the checkout page and be answered within this time of its creation. */
export const transactionLifetimeMs = 30 * 60_000;
/** Credentials can be retrieved for this long after approval, then they are deleted. */
export const credentialLifetimeMs = 10 * 60_000;
/** Health probes of every service with a health URL, while `cardport up` runs. */
export const healthProbeIntervalMs = 15 * 60_000;
/** How often expired credentials are deleted while `cardport up` runs. */
export const credentialPurgeIntervalMs = 60_000;
export { keyRotationMs };

/** The source of the wallet items (test cards) this domain adds. */
export const walletItemSource = 'web-checkout';

/** The checkout UI base (`href`): `{href}pc_gsmpi/index.do` and `{href}m_gsmpi/mobileIndex.do`. */
export function checkoutHref(publicUrl: string): string {
  return `${publicUrl}/gsmpi/`;
}

function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

function isExpired(t: store.TransactionRow, now: number): boolean {
  return now >= t.expiresAt;
}

// --- Server API ---------------------------------------------------------------------------------

/** The create-transaction answer (PROTOCOLS.md 4.1). */
export interface CreatedTransaction {
  resultCode: '0';
  resultMessage: 'SUCCESS';
  id: string;
  href: string;
  encInfo: { mod: string; exp: string; keyId: string };
}

async function requireService(q: Queryable, serviceId: string, sourceIp?: string): Promise<CheckoutService> {
  const service = await findService(q, serviceId);
  if (!service) throw new WebCheckoutError('OPM1N1035', 'serviceId');
  const partner = await findPartner(q, service.partnerId);
  if (partner?.status !== 'active') throw new WebCheckoutError('OPM1N1033');
  // PROTOCOLS.md 4.1 [impl]: access is by the partner's IP allow-list plus the serviceId.
  if (sourceIp !== undefined && !new IpAllowList(partner.allowIps).allows(sourceIp)) {
    throw new PlatformError('FORBIDDEN', 'this address is not on the partner allow-list');
  }
  return service;
}

/** POST /ops/v1/transactions: stores the transaction and answers with its id, href and encInfo. */
export async function createTransaction(
  deps: WebCheckoutDeps,
  body: AcceptedCreateTransaction,
  opts: { sourceIp?: string; warnings?: WireWarning[] } = {},
): Promise<CreatedTransaction> {
  const details = body.paymentDetails;
  const service = await requireService(deps.db, details.service.id, opts.sourceIp);
  await refuseIfStrict(deps.db, service.partnerId, opts.warnings);
  const amountMinor = toMinorUnits(details.amount.total, details.amount.currency);
  if (amountMinor === undefined) throw new WebCheckoutError('OPM1N1002', 'paymentDetails.amount.total');
  const now = deps.clock.now();
  const key = await currentTransactionKey(deps.db, deps.keys, now, transactionLifetimeMs);
  const transactionId = newHexId(11);
  await store.insertTransaction(deps.db, {
    transactionId,
    serviceId: service.serviceId,
    keyId: key.keyId,
    callbackUrl: body.callback,
    orderNumber: details.orderNumber,
    recurring: details.recurring ?? false,
    amountOption: details.amount.option,
    currency: details.amount.currency,
    amountTotal: String(details.amount.total),
    amountMinor,
    merchantName: details.merchant.name,
    merchantUrl: details.merchant.url ?? null,
    merchantReference: details.merchant.reference ?? null,
    allowedBrands: [...new Set(details.allowedBrands)],
    status: 'CREATED',
    checkoutTokenHash: null,
    countryCode: null,
    cancelUrl: null,
    pageOrigin: null,
    checkoutKind: null,
    userId: null,
    deviceId: null,
    referenceId: null,
    tokenRef: null,
    cardBrand: null,
    cardLast4: null,
    credentialJwe: null,
    credentialsExpireAt: null,
    answeredAt: null,
    paymentStatus: null,
    paymentProvider: null,
    paymentNotifiedAt: null,
    createdAt: now,
    expiresAt: now + transactionLifetimeMs,
    updatedAt: now,
  });
  return {
    resultCode: '0',
    resultMessage: 'SUCCESS',
    id: transactionId,
    href: checkoutHref(deps.config.publicUrl),
    encInfo: { mod: key.mod, exp: key.exp, keyId: key.keyId },
  };
}

/** The credentials answer (PROTOCOLS.md 4.1). */
export interface PaymentCredentials {
  resultCode: '0';
  resultMessage: 'SUCCESS';
  method: '3DS';
  card_brand: string;
  card_last4digits: string;
  '3DS': { type: 'S'; version: '100'; data: string };
  wallet_dm_id: string;
}

/**
 * GET /ops/v1/transactions/paymentCredentials/{referenceId}?serviceId=: the approved payment's
 * JWE while it lasts. Unknown reference → OPM1N1002; another service's reference → OPM1N1026;
 * expired (older than {@link credentialLifetimeMs}) → OPM1N1002 with "expired".
 */
export async function getPaymentCredentials(
  deps: WebCheckoutDeps,
  referenceId: string,
  serviceId: string,
  opts: { sourceIp?: string } = {},
): Promise<PaymentCredentials> {
  await requireService(deps.db, serviceId, opts.sourceIp);
  const t = await store.getTransactionByReference(deps.db, referenceId);
  if (!t) throw new WebCheckoutError('OPM1N1002', 'referenceId unknown');
  if (t.serviceId !== serviceId) throw new WebCheckoutError('OPM1N1026', 'serviceId');
  const now = deps.clock.now();
  if (t.credentialJwe === null || t.credentialsExpireAt === null || now >= t.credentialsExpireAt) {
    await store.clearExpiredCredentials(deps.db, now);
    throw new WebCheckoutError('OPM1N1002', 'referenceId expired');
  }
  return {
    resultCode: '0',
    resultMessage: 'SUCCESS',
    method: '3DS',
    card_brand: t.cardBrand ?? '',
    card_last4digits: t.cardLast4 ?? '',
    '3DS': { type: 'S', version: '100', data: t.credentialJwe },
    wallet_dm_id: Buffer.from(t.deviceId ?? '', 'utf8').toString('base64'),
  };
}

/** Deletes every credential past its lifetime (also run every minute while `cardport up` runs). */
export function purgeExpiredCredentials(deps: Pick<WebCheckoutDeps, 'db' | 'clock'>): Promise<number> {
  return store.clearExpiredCredentials(deps.db, deps.clock.now());
}

/** POST /ops/v1/notifications: records the payment result on the transaction. */
export async function notifyPaymentResult(
  deps: WebCheckoutDeps,
  body: PaymentNotification,
  opts: { sourceIp?: string; warnings?: WireWarning[] } = {},
): Promise<void> {
  const serviceId = body.payment.service.id;
  const service = await requireService(deps.db, serviceId, opts.sourceIp);
  await refuseIfStrict(deps.db, service.partnerId, opts.warnings);
  await deps.db.transaction(async (tx) => {
    const t = await store.getTransactionByReference(tx, body.payment.reference, { lock: true });
    if (!t) throw new WebCheckoutError('OPM1N1002', 'payment.reference unknown');
    if (t.serviceId !== serviceId) throw new WebCheckoutError('OPM1N1026', 'payment.service.id');
    const now = deps.clock.now();
    const status = normalizePaymentStatus(body.payment.status);
    await store.insertNotification(tx, {
      notificationId: newUuidId(),
      transactionId: t.transactionId,
      status,
      provider: body.payment.provider ?? null,
      partnerTimestamp: body.timestamp ?? null,
      receivedAt: now,
    });
    await store.updateTransaction(tx, {
      ...t,
      paymentStatus: status,
      paymentProvider: body.payment.provider ?? null,
      paymentNotifiedAt: now,
      updatedAt: now,
    });
  });
}

// --- Checkout page ------------------------------------------------------------------------------

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

function maskEmail(email: string): string {
  const [name = '', domain = ''] = email.split('@');
  return `${name.slice(0, 2)}${'•'.repeat(Math.max(1, name.length - 2))}@${domain}`;
}

async function viewOf(q: Queryable, t: store.TransactionRow, now: number): Promise<CheckoutView> {
  let redirectUrl: string | null = null;
  if (t.status === 'APPROVED' && t.referenceId)
    redirectUrl = callbackWithReference(t.callbackUrl, t.referenceId);
  else if (t.status === 'DECLINED' || t.status === 'CANCELED') redirectUrl = t.cancelUrl;
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
    redirectUrl,
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
  view: CheckoutView;
}

/**
 * The form POST of the real JS SDK (PROTOCOLS.md 4.3), already parsed: decrypts transactionId and
 * serviceId with the transaction key named by keyId, checks them and the posted key against the
 * stored transaction, checks the page's domain against the service's registered domains, and
 * starts the page's session. `origin` is the browser's Origin (or Referer) header.
 */
export async function openCheckout(
  deps: WebCheckoutDeps,
  form: CheckoutForm,
  opts: { origin: string | undefined; kind: 'pc' | 'mobile'; warnings?: WireWarning[] },
): Promise<OpenedCheckout> {
  const key = await findTransactionKey(deps.db, deps.keys, form.keyId);
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
  const token = newOpaqueToken();
  return deps.db.transaction(async (tx) => {
    const t = /^[0-9a-f]{22}$/.test(transactionId)
      ? await store.getTransaction(tx, transactionId, { lock: true })
      : undefined;
    if (!t || t.keyId !== key.keyId) throw new WebCheckoutError('OPM1N1002', 'transactionId');
    if (t.serviceId !== serviceId) throw new WebCheckoutError('OPM1N1026', 'serviceId');
    const service = await findService(tx, serviceId);
    if (!service) throw new WebCheckoutError('OPM1N1035', 'serviceId');
    await refuseIfStrict(tx, service.partnerId, opts.warnings);
    // Only the browser's Origin vouches for the page: the form's own myOrigin is the page's word.
    const pageHost = hostOf(opts.origin);
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
    if (isExpired(t, now)) throw new PlatformError('GONE', 'this checkout has expired');
    if (t.status !== 'CREATED' && t.status !== 'PENDING') {
      throw new WebCheckoutError('OPM2N1103', 'transaction already answered');
    }
    if (!(await partnerIsActive(tx, service.partnerId))) throw new WebCheckoutError('OPM1N1033');
    const next: store.TransactionRow = {
      ...t,
      checkoutTokenHash: hashToken(token),
      // A create-transaction callback that is not a URL ("0") is the JS SDK's to give [impl].
      callbackUrl: isHttpUrl(t.callbackUrl) ? t.callbackUrl : form.callbackUrl,
      countryCode: form.countryCode,
      cancelUrl: form.cancelUrl,
      pageOrigin: opts.origin ?? null,
      checkoutKind: opts.kind,
      updatedAt: now,
    };
    await store.updateTransaction(tx, next);
    return { token, view: await viewOf(tx, next, now) };
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

/** The shopper entered an account: the payment request goes to that wallet. */
export async function requestPaymentFromAccount(
  deps: WebCheckoutDeps,
  token: string,
  email: string,
): Promise<CheckoutView> {
  const trimmed = typeof email === 'string' ? email.trim() : '';
  if (!trimmed || trimmed.length > 254 || !trimmed.includes('@')) {
    throw invalidInput('enter the email of a Samsung account', [
      { field: 'email', reason: 'an email address' },
    ]);
  }
  return deps.db.transaction(async (tx) => {
    const t = await sessionTransaction(tx, token, true);
    const account = await wallet.findAccountByEmail(tx, trimmed);
    if (!account) {
      throw new PlatformError('NOT_FOUND', 'no wallet account has this email', {
        details: [{ field: 'email', reason: 'no account' }],
      });
    }
    return viewOf(tx, await bindAccount(tx, deps, t, account), deps.clock.now());
  });
}

async function bindAccount(
  q: Queryable,
  deps: WebCheckoutDeps,
  t: store.TransactionRow,
  account: WalletAccount,
): Promise<store.TransactionRow> {
  const now = deps.clock.now();
  if (isExpired(t, now)) throw new PlatformError('GONE', 'this checkout has expired');
  if (t.status !== 'CREATED' && t.status !== 'PENDING') {
    throw new WebCheckoutError('OPM2N1103', 'transaction already answered');
  }
  const next = { ...t, status: 'PENDING' as const, userId: account.userId, updatedAt: now };
  await store.updateTransaction(q, next);
  return next;
}

/** The shopper canceled on the checkout page; returns where to go (the cancel URL). */
export async function cancelCheckout(deps: WebCheckoutDeps, token: string): Promise<CheckoutView> {
  return deps.db.transaction(async (tx) => {
    const t = await sessionTransaction(tx, token, true);
    const now = deps.clock.now();
    if (t.status === 'APPROVED') throw new WebCheckoutError('OPM2N1103', 'transaction already approved');
    const next =
      t.status === 'CANCELED' || t.status === 'DECLINED'
        ? t
        : { ...t, status: 'CANCELED' as const, answeredAt: now, updatedAt: now };
    if (next !== t) await store.updateTransaction(tx, next);
    return viewOf(tx, next, now);
  });
}

// --- Wallet side --------------------------------------------------------------------------------

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

function toPaymentRequest(t: store.TransactionRow, now: number): PaymentRequest {
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
    redirectUrl:
      t.status === 'APPROVED' && t.referenceId
        ? callbackWithReference(t.callbackUrl, t.referenceId)
        : t.status === 'DECLINED' || t.status === 'CANCELED'
          ? t.cancelUrl
          : null,
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
  userId: string,
  transactionId: string,
): Promise<PaymentRequest & { notifications: store.NotificationRow[] }> {
  const t = await store.getTransaction(deps.db, transactionId);
  if (!t || t.userId !== userId) throw notFound('payment request');
  return {
    ...toPaymentRequest(t, deps.clock.now()),
    notifications: await store.listNotifications(deps.db, transactionId),
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
    const t = await store.getTransaction(tx, input.transactionId, { lock: true });
    if (!t || t.userId !== input.userId) throw notFound('payment request');
    const now = deps.clock.now();
    if (t.status !== 'PENDING')
      throw new PlatformError('CONFLICT', `this payment request is already ${t.status.toLowerCase()}`);
    if (isExpired(t, now)) throw new PlatformError('GONE', 'this payment request has expired');
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
    await store.updateTransaction(tx, {
      ...t,
      status: 'APPROVED',
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
    return {
      referenceId,
      redirectUrl: callbackWithReference(t.callbackUrl, referenceId),
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
    const t = await store.getTransaction(tx, input.transactionId, { lock: true });
    if (!t || t.userId !== input.userId) throw notFound('payment request');
    if (t.status !== 'PENDING')
      throw new PlatformError('CONFLICT', `this payment request is already ${t.status.toLowerCase()}`);
    const now = deps.clock.now();
    await store.updateTransaction(tx, {
      ...t,
      status: 'DECLINED',
      deviceId: input.device.deviceId,
      answeredAt: now,
      updatedAt: now,
    });
    return { redirectUrl: t.cancelUrl };
  });
}

/**
 * The mobile flow (and the QR of the PC page): the wallet opens the checkout session directly,
 * which sends the payment request to the signed-in account.
 */
export async function claimCheckout(
  deps: WebCheckoutDeps,
  token: string,
  account: WalletAccount,
): Promise<string> {
  return deps.db.transaction(async (tx) => {
    const t = await sessionTransaction(tx, token, true);
    if (t.userId === account.userId && t.status !== 'CREATED') return t.transactionId;
    await bindAccount(tx, deps, t, account);
    return t.transactionId;
  });
}

/** The checkout session token's transaction id, when the signed-in account owns it. */
export async function transactionOfCheckout(
  deps: WebCheckoutDeps,
  token: string,
): Promise<store.TransactionRow> {
  return sessionTransaction(deps.db, token);
}

// --- Test cards and automation (admin API / CLI) ------------------------------------------------

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
  input: { userId: string; device: WalletDevice; brand: string; pan?: string | undefined },
): Promise<AddedTestCard> {
  return deps.db.transaction(async (tx) => {
    const result = await addTestCard(tx, deps, {
      walletId: input.device.walletId,
      deviceId: input.device.deviceId,
      brand: input.brand as 'VI',
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
  input: { account: string; brand: string; pan?: string | undefined; deviceId?: string | undefined },
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
    if (t.status === 'CREATED' || (t.status === 'PENDING' && t.userId !== account.userId)) {
      await bindAccount(tx, deps, t, account);
    } else if (t.status !== 'PENDING') {
      throw new PlatformError('CONFLICT', `this transaction is already ${t.status.toLowerCase()}`);
    }
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
  deps: WebCheckoutDeps,
  filter: { serviceId?: string } = {},
): Promise<(PaymentRequest & { serviceId: string; referenceId: string | null })[]> {
  const now = deps.clock.now();
  return (await store.listTransactions(deps.db, filter)).map((t) => ({
    ...toPaymentRequest(t, now),
    serviceId: t.serviceId,
    referenceId: t.referenceId,
  }));
}

// --- Health -------------------------------------------------------------------------------------

let healthCallbacks = 0;

/** Counts HEAD /ops/v1/internal/health calls (the partner's half of the bidirectional check). */
export function recordHealthCallback(): void {
  healthCallbacks++;
}

export interface HealthProbe extends store.HealthProbeRow {}

/**
 * Probes a service's registered health URL (HEAD). Healthy is a 2xx answer; the partner's handler
 * (seed 004 Appendix B) calls our HEAD /ops/v1/internal/health on the way, seen as callbackSeen.
 */
export async function probeServiceHealth(
  deps: WebCheckoutDeps,
  serviceId: string,
  trigger: 'manual' | 'scheduled' = 'manual',
): Promise<HealthProbe> {
  const service = await findService(deps.db, serviceId);
  if (!service) throw notFound('service');
  if (!service.healthUrl) {
    throw invalidInput('the service has no health URL: register one with the service', [
      { field: 'healthUrl', reason: 'not registered' },
    ]);
  }
  const before = healthCallbacks;
  let probe: HealthProbe;
  const base = {
    probeId: newUuidId(),
    serviceId,
    url: service.healthUrl,
    trigger,
    probedAt: deps.clock.now(),
  };
  try {
    const res = await deps.delivery.call(
      { partnerId: service.partnerId, method: 'HEAD', url: service.healthUrl },
      { kind: 'web-checkout.health', retries: 0 },
    );
    const ok = res.status >= 200 && res.status < 300;
    probe = {
      ...base,
      ok,
      httpStatus: res.status,
      detail: ok ? 'healthy' : `answered ${res.status}`,
      latencyMs: Math.round(res.latencyMs),
      callbackSeen: healthCallbacks > before,
    };
  } catch (err) {
    probe = {
      ...base,
      ok: false,
      httpStatus: null,
      detail: err instanceof PlatformError ? err.message : 'unreachable',
      latencyMs: null,
      callbackSeen: healthCallbacks > before,
    };
  }
  await store.insertHealthProbe(deps.db, probe);
  return probe;
}

/** Services of active partners with a registered health URL (the periodic probe's targets). */
export async function listHealthProbeTargets(q: Queryable): Promise<string[]> {
  const targets: string[] = [];
  for (const s of await listServices(q)) {
    if (s.healthUrl && (await partnerIsActive(q, s.partnerId))) targets.push(s.serviceId);
  }
  return targets;
}

export async function listHealthProbes(deps: WebCheckoutDeps, serviceId: string): Promise<HealthProbe[]> {
  if (!(await findService(deps.db, serviceId))) throw notFound('service');
  return store.listHealthProbes(deps.db, serviceId);
}
