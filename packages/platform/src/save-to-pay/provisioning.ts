// The wallet's side of Save to Pay (PROTOCOLS.md 1.6): the scan that links a registration to an
// account, device and wallet (initiate), the provisioning through the token service that adds the
// card, the user's cancel, and the sweep of registrations whose phone never reported back.
import { invalidInput, notFound, PlatformError } from '../core/errors.ts';
import { runSweep } from '../core/sweep.ts';
import { findPartner } from '../partners/service.ts';
import { brandNames, tokenizeIssuerBlob } from '../tsp/index.ts';
import { recordWalletAction } from '../wallet/actions.ts';
import type { WalletSession } from '../wallet/service.ts';
import { addWalletItem, getDevice } from '../wallet/service.ts';
import type { S2pDeps } from './deps.ts';
import {
  callWaReady,
  deviceOf,
  enqueueNotification,
  failProvisioning,
  notificationBody,
} from './notifications.ts';
import { noteRefusedScan } from './refused-scans.ts';
import {
  completeProvisioning,
  findRegistration,
  linkRegistration,
  listStalledRegistrations,
} from './store.ts';
import { openWelcome, tokenFromScan } from './welcome.ts';

export interface InitiateResult {
  regId: string;
  status: 'LINKED';
  /** The partner's `card.data.encryptedData`: the device hands it to the token service. */
  issuerBlob: string;
  /** `registration.data`, passed to the device as given [seed]. */
  data: Record<string, unknown>;
  card: {
    cardName: string;
    cardArtUrl: string;
    partnerName: string;
    partnerLogoUrl: string;
    partnerTncUrl?: string;
  };
  emailMatches?: boolean;
  phoneMatches?: boolean;
}

const digits = (s: string) => s.replace(/[^0-9]/g, '');

const alreadyLinked = () =>
  new PlatformError('CONFLICT', 'this card was already added with another scan of this code', {
    details: [{ field: 'url', reason: 'already linked' }],
  });

/**
 * The wallet scanned the QR (PROTOCOLS.md 1.6 steps 1–4): checks the token and its expiry,
 * enforces email/phone matching, links account + device + wallet (LINKED), calls the partner
 * synchronously with WA_READY and returns the issuerBlob and `registration.data` to the device.
 * When the partner is down or answers badly, the registration fails, WA_PROVISION_FAILURE is
 * queued, and the device gets PARTNER_UNREACHABLE.
 */
export async function initiateRegistration(
  deps: S2pDeps,
  input: { session: WalletSession; url: string },
): Promise<InitiateResult> {
  const { session } = input;
  const token = tokenFromScan(input.url);
  if (!token) {
    throw invalidInput('this is not a Save to Pay code', [
      { field: 'url', reason: 'not a Save to Pay initiate URL' },
    ]);
  }
  const welcome = await openWelcome(deps, token);
  if (!welcome) {
    throw new PlatformError('NOT_FOUND', 'this Save to Pay code is not valid', {
      details: [{ field: 'url', reason: 'unknown or damaged code' }],
    });
  }
  if (welcome.state === 'expired') {
    throw new PlatformError('GONE', 'this Save to Pay code has expired: ask the bank for a new one', {
      details: [{ field: 'url', reason: 'expired' }],
    });
  }
  if (welcome.state !== 'waiting') throw alreadyLinked();
  const reg = welcome.registration;
  const { request } = reg;
  const account = session.account;
  const emailMatches =
    request.email === undefined ? null : request.email.toLowerCase() === account.email.toLowerCase();
  const phoneMatches =
    request.phone === undefined
      ? null
      : account.phone !== null && digits(request.phone) === digits(account.phone);
  for (const [field, enforced, matches, what] of [
    ['email', request.enforceEmailMatching, emailMatches, 'email address'],
    ['phone', request.enforcePhoneMatching, phoneMatches, 'phone number'],
  ] as const) {
    if (enforced === true && matches !== true) {
      await noteRefusedScan(deps.db, reg.regId, field, deps.clock.now());
      throw new PlatformError(
        'FORBIDDEN',
        `the ${what} of this Samsung account does not match the one the bank registered`,
        { details: [{ field, reason: 'does not match the registration' }] },
      );
    }
  }
  const device = deviceOf(session);
  const linked = await linkRegistration(deps.db, reg.regId, {
    userId: account.userId,
    deviceId: session.device.deviceId,
    walletId: session.device.walletId,
    emailMatches,
    phoneMatches,
    now: deps.clock.now(),
  });
  if (!linked) throw alreadyLinked();
  const answer = await callWaReady(deps, linked, device);
  if (!answer.ok) {
    await failProvisioning(deps, linked.regId, {
      failureError: null,
      failureReason: answer.reason,
      desc: answer.problem,
      device,
    });
    throw new PlatformError('PARTNER_UNREACHABLE', `${answer.problem}: the card cannot be added now`);
  }
  const { custom } = request;
  return {
    regId: linked.regId,
    status: 'LINKED',
    issuerBlob: answer.issuerBlob,
    data: request.data ?? {},
    card: {
      cardName: custom.cardName,
      cardArtUrl: custom.cardArtUrl,
      partnerName: custom.partnerName,
      partnerLogoUrl: custom.partnerLogoUrl,
      ...(custom.partnerTncUrl ? { partnerTncUrl: custom.partnerTncUrl } : {}),
    },
    ...(emailMatches !== null ? { emailMatches } : {}),
    ...(phoneMatches !== null ? { phoneMatches } : {}),
  };
}

export type ProvisionResult =
  | {
      regId: string;
      outcome: 'PROVISIONED';
      itemId: string;
      tokenRef: string;
      brand: string;
      fundingLast4: string | null;
      tokenPanLast4: string;
    }
  | {
      regId: string;
      outcome: 'FAILED';
      error: 'CARD_ALREADY_PRESENT' | null;
      reason: string;
      message: string;
    };

/**
 * The wallet hands the issuerBlob to the token service and reports the outcome (steps 11–18), in
 * one transaction: the token, the wallet item, the wallet's CARD_LINKED action, the registration's
 * outcome and the durable WA_PROVISIONED / WA_PROVISION_FAILURE job commit together or not at all.
 */
export async function provisionRegistration(
  deps: S2pDeps,
  input: { session: WalletSession; regId: string; issuerBlob: string },
): Promise<ProvisionResult> {
  const { session, regId, issuerBlob } = input;
  const device = deviceOf(session);
  return deps.db.transaction(async (tx) => {
    const row = await findRegistration(tx, regId, { lock: true });
    if (!row || row.walletId !== session.device.walletId) throw notFound('registration');
    if (row.provisioning !== 'IN_PROGRESS') {
      throw new PlatformError('CONFLICT', `this registration is already ${row.provisioning.toLowerCase()}`, {
        details: [{ field: 'regId', reason: `provisioning ${row.provisioning}` }],
      });
    }
    const partner = await findPartner(tx, row.partnerId);
    if (partner?.status !== 'active') {
      // Normally failed already by the revocation; nothing is sent to a revoked partner.
      const reason = 'PARTNER_REVOKED';
      await completeProvisioning(tx, regId, {
        provisioning: 'FAILED',
        failureError: null,
        failureReason: reason,
        now: deps.clock.now(),
      });
      return { regId, outcome: 'FAILED', error: null, reason, message: 'the bank can no longer add cards' };
    }
    const result = await tokenizeIssuerBlob(tx, deps, {
      issuerBlob,
      deviceId: session.device.deviceId,
      walletId: session.device.walletId,
      acceptOpaqueBlobs: partner.options.acceptOpaqueIssuerBlobs,
    });
    if (!result.ok) {
      const failureError = result.reason === 'CARD_ALREADY_PRESENT' ? 'CARD_ALREADY_PRESENT' : null;
      await failProvisioning(
        deps,
        regId,
        { failureError, failureReason: result.reason, desc: result.message, device },
        tx,
      );
      return {
        regId,
        outcome: 'FAILED',
        error: failureError,
        reason: result.reason,
        message: result.message,
      };
    }
    const token = result.token;
    const { custom } = row.request;
    const last4 = token.fundingLast4 ?? token.tokenPanLast4;
    const item = await addWalletItem(
      tx,
      deps.clock,
      {
        userId: session.account.userId,
        deviceId: session.device.deviceId,
        kind: 'payment_card',
        source: 'save-to-pay',
        ref: regId,
        title: custom.cardName.slice(0, 120),
        subtitle: `${brandNames[token.brand]} •••• ${last4}`,
        state: 'ACTIVE',
        imageUrl: custom.cardArtUrl,
        data: {
          regId,
          tokenRef: token.tokenRef,
          brand: token.brand,
          fundingLast4: token.fundingLast4,
          tokenPanLast4: token.tokenPanLast4,
          partnerName: custom.partnerName,
        },
      },
      { action: false },
    ); // CARD_LINKED is recorded below, with the card's details
    const now = deps.clock.now();
    await recordWalletAction(tx, {
      accountId: session.account.userId,
      action: 'CARD_LINKED',
      objectId: regId,
      detail: { cardName: custom.cardName, partnerName: custom.partnerName, last4 },
      at: now,
    });
    const done = await completeProvisioning(tx, regId, {
      provisioning: 'PROVISIONED',
      tokenRef: token.tokenRef,
      itemId: item.itemId,
      now,
    });
    // The row is locked: nothing else completed it since it was read IN_PROGRESS.
    if (!done) throw new Error('registration left IN_PROGRESS under its lock');
    await enqueueNotification(tx, deps, done, notificationBody(done, 'WA_PROVISIONED', device));
    return {
      regId,
      outcome: 'PROVISIONED',
      itemId: item.itemId,
      tokenRef: token.tokenRef,
      brand: token.brand,
      fundingLast4: token.fundingLast4,
      tokenPanLast4: token.tokenPanLast4,
    };
  });
}

/**
 * How long a linked registration may stay IN_PROGRESS (the phone never reported back: app killed,
 * network lost) before it fails with WA_PROVISION_FAILURE [ours].
 */
export const PROVISIONING_TIMEOUT_MS = 15 * 60_000;

/**
 * Fails every registration linked more than {@link PROVISIONING_TIMEOUT_MS} ago that is still
 * IN_PROGRESS, with its WA_PROVISION_FAILURE job (the domain's background sweep). Several
 * processes may schedule it: it runs under an advisory lock (core/sweep.ts), and a process that
 * finds the lock taken skips that run. Returns how many failed.
 */
export async function failStalledProvisioning(deps: S2pDeps): Promise<number> {
  let failed = 0;
  await runSweep(deps.db, 'save-to-pay.stalled-provisioning', async (tx) => {
    const stalled = await listStalledRegistrations(tx, deps.clock.now() - PROVISIONING_TIMEOUT_MS);
    for (const row of stalled) {
      const d = row.deviceId ? await getDevice(tx, row.deviceId) : undefined;
      await failProvisioning(
        deps,
        row.regId,
        {
          failureError: null,
          failureReason: 'TIMEOUT',
          desc: 'the wallet did not complete provisioning in time',
          device: d ? deviceOf({ device: d }) : undefined,
        },
        tx,
      );
      failed += 1;
    }
  });
  return failed;
}

/** The user gave up on the phone after linking: the partner hears WA_PROVISION_FAILURE. */
export async function cancelRegistration(
  deps: S2pDeps,
  input: { session: WalletSession; regId: string },
): Promise<void> {
  const { session, regId } = input;
  const row = await findRegistration(deps.db, regId);
  if (!row || row.walletId !== session.device.walletId) throw notFound('registration');
  if (row.provisioning !== 'IN_PROGRESS') {
    throw new PlatformError('CONFLICT', `this registration is already ${row.provisioning.toLowerCase()}`);
  }
  await failProvisioning(deps, regId, {
    failureError: null,
    failureReason: 'CANCELED',
    desc: 'the user canceled on the device',
    device: deviceOf(session),
  });
}
