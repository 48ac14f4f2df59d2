// The partner's notifications (PROTOCOLS.md 1.6): the synchronous WA_READY call that fetches the
// issuerBlob, and the durable WA_PROVISIONED / WA_PROVISION_FAILURE jobs written in the same
// transaction as the outcome they report.
import {
  type Notification,
  type NotificationEventType,
  parseWire,
  waReadyResponseSchema,
} from '@cardport/protocol';
import type { Queryable } from '../core/db.ts';
import { newUuidId } from '../core/ids.ts';
import { findPartner } from '../partners/service.ts';
import type { WalletSession } from '../wallet/service.ts';
import { NOTIFICATION_KIND, type S2pDeps, WA_READY_KIND } from './deps.ts';
import { completeProvisioning, type RegistrationRow } from './store.ts';

/** The device as the notifications describe it (no full IMEI or serial). */
export type NotifiedDevice = ReturnType<typeof deviceOf>;

export function deviceOf(session: Pick<WalletSession, 'device'>) {
  const d = session.device;
  return {
    id: d.deviceId,
    imeiLast4: d.imeiLast4,
    serialLast4: d.serialLast4,
    locale: { country: d.locale.country },
  };
}

export function notificationBody(
  row: RegistrationRow,
  type: NotificationEventType,
  device: NotifiedDevice | undefined,
  extra: { error?: 'CARD_ALREADY_PRESENT'; desc?: string } = {},
): Notification {
  return {
    event: {
      regId: row.regId,
      type,
      ...(extra.error ? { error: extra.error } : {}),
      ...(extra.desc ? { desc: extra.desc } : {}),
    },
    ...(row.userId ? { user: { id: row.userId } } : {}),
    ...(row.emailMatches !== null ? { emailMatches: row.emailMatches } : {}),
    ...(row.phoneMatches !== null ? { phoneMatches: row.phoneMatches } : {}),
    ...(device ? { device } : {}),
    ...(row.walletId ? { wallet: { id: row.walletId } } : {}),
  };
}

async function notificationUrl(q: Queryable, partnerId: string): Promise<string | undefined> {
  const partner = await findPartner(q, partnerId);
  return partner?.notifyUrl ? `${partner.notifyUrl}/notifications` : undefined;
}

export type WaReadyAnswer =
  | { ok: true; issuerBlob: string }
  | { ok: false; reason: 'NO_NOTIFY_URL' | 'PARTNER_FAILURE'; problem: string };

/**
 * Calls the partner with WA_READY for a just-linked registration and reads the issuerBlob from its
 * answer; a partner that is down or answers badly gives the problem to report.
 */
export async function callWaReady(
  deps: S2pDeps,
  row: RegistrationRow,
  device: NotifiedDevice,
): Promise<WaReadyAnswer> {
  const url = await notificationUrl(deps.db, row.partnerId);
  if (!url) return { ok: false, reason: 'NO_NOTIFY_URL', problem: 'the bank has no notification URL' };
  const failed = (problem: string): WaReadyAnswer => ({ ok: false, reason: 'PARTNER_FAILURE', problem });
  try {
    const res = await deps.delivery.call(
      {
        partnerId: row.partnerId,
        method: 'POST',
        url,
        headers: { 'Request-Id': newUuidId(), 'Partner-Id': row.partnerId },
        body: notificationBody(row, 'WA_READY', device),
      },
      { kind: WA_READY_KIND },
    );
    if (res.status < 200 || res.status > 299)
      return failed(`the bank answered WA_READY with HTTP ${res.status}`);
    const answer = parseWire(waReadyResponseSchema, res.json);
    if (!answer.ok) return failed('the bank answered WA_READY without card.data.encryptedData');
    return { ok: true, issuerBlob: answer.value.card.data.encryptedData };
  } catch (err) {
    deps.log.warn({ regId: row.regId, err: (err as Error).message }, 'WA_READY failed');
    return failed('the bank could not be reached');
  }
}

/** Queues a durable notification to the registration's partner, in the caller's transaction. */
export async function enqueueNotification(
  tx: Queryable,
  deps: S2pDeps,
  row: RegistrationRow,
  body: Notification,
): Promise<void> {
  const url = await notificationUrl(tx, row.partnerId);
  if (!url) {
    deps.log.warn({ regId: row.regId }, 'partner has no notification URL: notification not sent');
    return;
  }
  await deps.delivery.enqueue(tx, {
    kind: NOTIFICATION_KIND,
    partnerId: row.partnerId,
    method: 'POST',
    url,
    headers: { 'Request-Id': newUuidId(), 'Partner-Id': row.partnerId },
    body,
  });
}

export interface ProvisioningFailure {
  failureError: 'CARD_ALREADY_PRESENT' | null;
  failureReason: string;
  desc: string;
  device: NotifiedDevice | undefined;
}

/**
 * IN_PROGRESS → FAILED with the WA_PROVISION_FAILURE job, together: in `tx` when given, else in a
 * transaction of its own. Nothing happens when the provisioning was already over.
 */
export async function failProvisioning(
  deps: S2pDeps,
  regId: string,
  failure: ProvisioningFailure,
  tx?: Queryable,
): Promise<void> {
  const run = async (q: Queryable) => {
    const row = await completeProvisioning(q, regId, {
      provisioning: 'FAILED',
      failureError: failure.failureError,
      failureReason: failure.failureReason,
      now: deps.clock.now(),
    });
    if (!row) return;
    await enqueueNotification(
      q,
      deps,
      row,
      notificationBody(row, 'WA_PROVISION_FAILURE', failure.device, {
        ...(failure.failureError ? { error: failure.failureError } : {}),
        desc: failure.desc,
      }),
    );
  };
  if (tx) await run(tx);
  else await deps.db.transaction(run);
}
