// The Server API a merchant or payment gateway calls (PROTOCOLS.md 4.1): create a transaction,
// retrieve the approved payment's credentials, notify the payment result. Input arrives parsed
// (routes.ts runs the lenient parsers and passes their warnings); answers are the wire's bodies.
import type { AcceptedCreateTransaction, PaymentNotification, WireWarning } from '@cardport/protocol';
import { normalizePaymentStatus, toMinorUnits } from '@cardport/protocol';
import type { Queryable } from '../core/db.ts';
import { PlatformError } from '../core/errors.ts';
import { newHexId, newUuidId } from '../core/ids.ts';
import { IpAllowList } from '../partners/ip-allow-list.ts';
import { type CheckoutService, findPartner, findService } from '../partners/service.ts';
import { refuseIfStrict } from './compat.ts';
import { transactionLifetimeMs, type WebCheckoutDeps, type WebCheckoutKeyDeps } from './deps.ts';
import { WebCheckoutError } from './errors.ts';
import { currentTransactionKey } from './keys.ts';
import * as store from './store.ts';

/** The checkout UI base (`href`): `{href}pc_gsmpi/index.do` and `{href}m_gsmpi/mobileIndex.do`. */
export function checkoutHref(publicUrl: string): string {
  return `${publicUrl}/gsmpi/`;
}

/** Who called and what the lenient parser let through (strict partners refuse the warnings). */
export interface ServerApiCaller {
  sourceIp?: string;
  warnings?: WireWarning[];
}

/** The create-transaction answer (PROTOCOLS.md 4.1); a type, so it is a plain JSON object. */
export type CreatedTransaction = {
  resultCode: '0';
  resultMessage: 'SUCCESS';
  id: string;
  href: string;
  encInfo: { mod: string; exp: string; keyId: string };
};

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
  deps: WebCheckoutKeyDeps,
  body: AcceptedCreateTransaction,
  caller: ServerApiCaller = {},
): Promise<CreatedTransaction> {
  const details = body.paymentDetails;
  const service = await requireService(deps.db, details.service.id, caller.sourceIp);
  await refuseIfStrict(deps.db, service.partnerId, caller.warnings);
  const amountMinor = toMinorUnits(details.amount.total, details.amount.currency);
  if (amountMinor === undefined) throw new WebCheckoutError('OPM1N1002', 'paymentDetails.amount.total');
  const now = deps.clock.now();
  const key = await currentTransactionKey(deps, now, transactionLifetimeMs);
  const transactionId = newHexId(11);
  // One autocommit statement, shared with the creates of the moment (group commit).
  await deps.state.get(store.transactionInserts).insert(deps, {
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
    ...store.notCheckedOut,
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
export type PaymentCredentials = {
  resultCode: '0';
  resultMessage: 'SUCCESS';
  method: '3DS';
  card_brand: string;
  card_last4digits: string;
  '3DS': { type: 'S'; version: '100'; data: string };
  wallet_dm_id: string;
};

/**
 * GET /ops/v1/transactions/paymentCredentials/{referenceId}?serviceId=: the approved payment's
 * JWE while it lasts. Unknown reference → OPM1N1002; another service's reference → OPM1N1026;
 * expired (older than credentialLifetimeMs) → OPM1N1002 with "expired".
 */
export async function getPaymentCredentials(
  deps: WebCheckoutDeps,
  input: { referenceId: string; serviceId: string },
  caller: Pick<ServerApiCaller, 'sourceIp'> = {},
): Promise<PaymentCredentials> {
  const { referenceId, serviceId } = input;
  await requireService(deps.db, serviceId, caller.sourceIp);
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
  caller: ServerApiCaller = {},
): Promise<void> {
  const serviceId = body.payment.service.id;
  const service = await requireService(deps.db, serviceId, caller.sourceIp);
  await refuseIfStrict(deps.db, service.partnerId, caller.warnings);
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
    // The payment result is not a status move: the transaction stays APPROVED.
    await store.patchTransaction(
      tx,
      { transactionId: t.transactionId },
      {
        paymentStatus: status,
        paymentProvider: body.payment.provider ?? null,
        paymentNotifiedAt: now,
        updatedAt: now,
      },
    );
  });
}
