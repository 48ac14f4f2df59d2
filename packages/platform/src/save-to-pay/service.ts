// Save to Pay logic (PROTOCOLS.md §1, seed 001 §3.4): registrations, the welcome token, the
// wallet's initiate (link + synchronous WA_READY), provisioning through the token service, and
// the durable WA_PROVISIONED / WA_PROVISION_FAILURE notifications. No HTTP here.
import { createHmac, randomUUID } from 'node:crypto';
import {
  type CreateRegistrationRequest,
  createRegistrationRequestSchema,
  type Notification,
  type NotificationEventType,
  parseWire,
  type RegistrationStatus,
  waReadyResponseSchema,
} from '@cardport/protocol';
import type { AppContext } from '../core/context.ts';
import type { Queryable } from '../core/db.ts';
import { invalidInput, notFound, PlatformError } from '../core/errors.ts';
import { newHexId, newUuidId } from '../core/ids.ts';
import { findPartner } from '../partners/service.ts';
import { partnerIsActive } from '../partners/standing.ts';
import { brandNames, tokenizeIssuerBlob } from '../tsp/index.ts';
import type { WalletSession } from '../wallet/service.ts';
import { addWalletItem, getDevice } from '../wallet/service.ts';
import { noteRefusedScan } from './refused-scans.ts';
import * as store from './store.ts';
import {
  openWelcomeToken,
  sealWelcomeToken,
  type WelcomeTokenPayload,
  welcomeTokenKey,
} from './welcome-token.ts';

export type { MailboxMessage, ProvisioningStatus, RegistrationRow, S2pSwitches } from './store.ts';

export type S2pDeps = Pick<AppContext, 'db' | 'clock' | 'keys' | 'config' | 'delivery' | 'log'>;

/** Kind of the durable notification jobs (WA_PROVISIONED, WA_PROVISION_FAILURE). */
export const NOTIFICATION_KIND = 's2p.notification';
/** Kind recorded for the synchronous WA_READY call. */
export const WA_READY_KIND = 's2p.wa_ready';

/**
 * The registration as the API answers it. `status` keeps the seed's enum (PENDING | LINKED) so
 * old clients keep working; `provisioningStatus` (and `provisioningError`) report what happened
 * after LINKED [ours, docs/save-to-pay.md].
 */
export interface RegistrationView {
  id: string;
  welcomeUrl: string;
  status: RegistrationStatus;
  welcomeUrlExpiration: number;
  provisioningStatus: store.ProvisioningStatus;
  provisioningError?: string;
}

// --- welcome token ------------------------------------------------------------------------------

/** The token for (regId, jti, exp): deterministic, so GET returns the same URL while it is valid. */
async function welcomeToken(deps: S2pDeps, q: Queryable, payload: WelcomeTokenPayload): Promise<string> {
  const key = await welcomeTokenKey(q, deps.keys);
  // The IV is derived from the token id, which is random and used once: one id, one plaintext.
  const iv = createHmac('sha256', key).update(`iv:${payload.jti}`).digest().subarray(0, 12);
  return sealWelcomeToken(key, payload, iv);
}

export function welcomeUrlFor(deps: Pick<S2pDeps, 'config'>, token: string): string {
  return `${deps.config.publicUrl}/s2p/v1/welcome/${token}`;
}

/** What the welcome QR encodes: the initiate URL of the platform (PROTOCOLS.md 1.5). */
export function initiateUrlFor(deps: Pick<S2pDeps, 'config'>, token: string): string {
  return `${deps.config.publicUrl}/s2p/v1/initiate/${token}`;
}

async function view(deps: S2pDeps, q: Queryable, row: store.RegistrationRow): Promise<RegistrationView> {
  const token = await welcomeToken(deps, q, {
    rid: row.regId,
    jti: row.welcomeTokenId,
    exp: row.welcomeExpiresAt,
  });
  return {
    id: row.regId,
    welcomeUrl: welcomeUrlFor(deps, token),
    status: row.status,
    welcomeUrlExpiration: row.welcomeExpiresAt,
    provisioningStatus: row.provisioning,
    ...(row.provisioning === 'FAILED' ? { provisioningError: row.failureError ?? 'UNKNOWN' } : {}),
  };
}

async function lifetimeMs(q: Queryable, partnerId: string): Promise<number> {
  const partner = await findPartner(q, partnerId);
  if (!partner) throw notFound('partner');
  return partner.options.welcomeUrlLifetimeMs;
}

// --- inbound API ----------------------------------------------------------------------------------

/**
 * POST /registrations. The same Request-Id from the same partner returns the registration it
 * created, never a second one. Throws INVALID_INPUT with field-named details.
 */
export async function createRegistration(
  deps: S2pDeps,
  partnerId: string,
  requestId: string,
  body: unknown,
): Promise<{ registration: RegistrationView; created: boolean }> {
  const parsed = parseWire(createRegistrationRequestSchema, body);
  if (!parsed.ok) {
    const issues = parsed.issues.map(({ field, reason }) => ({ field, reason }));
    // The schema's cross-field rule runs only once every field parsed; name those fields anyway
    // so that one answer lists every mistake.
    const raw = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
    for (const [flag, field] of [
      ['enforceEmailMatching', 'email'],
      ['enforcePhoneMatching', 'phone'],
    ] as const) {
      if (raw[flag] === true && raw[field] === undefined && !issues.some((i) => i.field === field)) {
        issues.push({ field, reason: `required when ${flag} is true` });
      }
    }
    throw invalidInput('Invalid Data', issues);
  }
  const request: CreateRegistrationRequest = parsed.value;
  const lifetime = await lifetimeMs(deps.db, partnerId);
  // Outside the transaction: the key is created (once) in its own commit, then cached.
  await welcomeTokenKey(deps.db, deps.keys);
  // Without offline invitations a registration is one autocommit INSERT … ON CONFLICT DO NOTHING
  // RETURNING; with them, the invitations' deliveries are written in the same transaction.
  const write = <T>(fn: (q: Queryable) => Promise<T>): Promise<T> =>
    request.allowOfflineCommunication === true ? deps.db.transaction(fn) : fn(deps.db);
  return write(async (tx) => {
    const now = deps.clock.now();
    const { row, created } = await store.insertRegistration(tx, {
      regId: newUuidId(),
      partnerId,
      requestId,
      request,
      welcomeTokenId: newHexId(16),
      welcomeExpiresAt: now + lifetime,
      createdAt: now,
    });
    const registration = await view(deps, tx, row);
    if (created && request.allowOfflineCommunication === true) {
      await sendOfflineInvitations(tx, deps, row, registration.welcomeUrl);
    }
    return { registration, created };
  });
}

/** GET /registrations/{regId}: another partner's regId is not found; an expired URL is replaced. */
export async function retrieveRegistration(
  deps: S2pDeps,
  partnerId: string,
  regId: string,
): Promise<RegistrationView> {
  await welcomeTokenKey(deps.db, deps.keys);
  const current = await store.findRegistration(deps.db, regId);
  if (!current || current.partnerId !== partnerId) throw notFound('registration');
  if (current.welcomeExpiresAt > deps.clock.now()) return view(deps, deps.db, current);
  const lifetime = await lifetimeMs(deps.db, partnerId);
  return deps.db.transaction(async (tx) => {
    const row = await store.findRegistration(tx, regId, { lock: true });
    if (!row) throw notFound('registration');
    const now = deps.clock.now();
    if (row.welcomeExpiresAt <= now) {
      row.welcomeTokenId = newHexId(16);
      row.welcomeExpiresAt = now + lifetime;
      await store.renewWelcomeToken(tx, regId, row.welcomeTokenId, row.welcomeExpiresAt, now);
    }
    return view(deps, tx, row);
  });
}

// --- welcome page -------------------------------------------------------------------------------

/** What the welcome page shows live: waiting → linked → provisioned | failed; or expired. */
export type WelcomeState = 'waiting' | 'linked' | 'provisioned' | 'failed' | 'expired';

export interface WelcomeContext {
  registration: store.RegistrationRow;
  state: WelcomeState;
  token: string;
  /** PROVISION_FAILURE, CARD_ALREADY_PRESENT, … for the s2p.js details. */
  errorCode?: string;
}

export function welcomeStateOf(row: store.RegistrationRow, now: number): WelcomeState {
  if (row.provisioning === 'PROVISIONED') return 'provisioned';
  if (row.provisioning === 'FAILED') return 'failed';
  if (row.status === 'LINKED') return 'linked';
  return row.welcomeExpiresAt <= now ? 'expired' : 'waiting';
}

/** s2p.js error code of a failed registration. */
export function uiErrorCode(row: store.RegistrationRow): string {
  if (row.failureError === 'CARD_ALREADY_PRESENT') return 'CARD_ALREADY_PRESENT';
  if (row.failureReason === 'CANCELED') return 'CANCELED';
  return 'PROVISION_FAILURE';
}

/**
 * The registration behind a welcome or initiate token. Undefined for a token that is not ours;
 * an expired token (or one replaced by a newer) gives state `expired` unless the registration
 * already moved on (a linked session keeps its live status).
 */
export async function openWelcome(deps: S2pDeps, token: string): Promise<WelcomeContext | undefined> {
  const key = await welcomeTokenKey(deps.db, deps.keys);
  const payload = openWelcomeToken(key, token);
  if (!payload) return undefined;
  const row = await store.findRegistration(deps.db, payload.rid);
  if (!row) return undefined;
  if (!(await partnerIsActive(deps.db, row.partnerId))) throw partnerRevokedError();
  const now = deps.clock.now();
  let state = welcomeStateOf(row, now);
  const stale = payload.jti !== row.welcomeTokenId || payload.exp <= now;
  if (state === 'waiting' && stale) state = 'expired';
  return {
    registration: row,
    state,
    token,
    ...(state === 'failed' ? { errorCode: uiErrorCode(row) } : {}),
  };
}

/** A welcome, status or initiate token of a revoked partner (FORBIDDEN, `token`: partner revoked). */
export function partnerRevokedError(): PlatformError {
  return new PlatformError('FORBIDDEN', 'the bank of this link can no longer add cards to Samsung Wallet', {
    details: [{ field: 'token', reason: 'partner revoked' }],
  });
}

export function isPartnerRevokedError(err: unknown): boolean {
  return err instanceof PlatformError && err.details?.[0]?.reason === 'partner revoked';
}

// --- the wallet: initiate -----------------------------------------------------------------------

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

/** The token of an initiate URL (what the QR encodes), a welcome URL, or a bare token. */
export function tokenFromScan(text: string): string | undefined {
  const trimmed = text.trim();
  const m = /\/s2p\/v1\/(?:initiate|welcome)\/([A-Za-z0-9_.-]+)/.exec(trimmed);
  if (m) return m[1];
  if (/^[A-Za-z0-9_-]+\.\.[A-Za-z0-9_.-]+$/.test(trimmed)) return trimmed;
  return undefined;
}

const digits = (s: string) => s.replace(/[^0-9]/g, '');

function deviceOf(session: Pick<WalletSession, 'device'>) {
  const d = session.device;
  return {
    id: d.deviceId,
    imeiLast4: d.imeiLast4,
    serialLast4: d.serialLast4,
    locale: { country: d.locale.country },
  };
}

function notificationBody(
  row: store.RegistrationRow,
  type: NotificationEventType,
  device: ReturnType<typeof deviceOf> | undefined,
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

/**
 * The wallet scanned the QR (PROTOCOLS.md 1.6 steps 1–4): checks the token and its expiry,
 * enforces email/phone matching, links account + device + wallet (LINKED), calls the partner
 * synchronously with WA_READY and returns the issuerBlob and `registration.data` to the device.
 * When the partner is down or answers badly, the registration fails, WA_PROVISION_FAILURE is
 * queued, and the device gets PARTNER_UNREACHABLE.
 */
export async function initiateRegistration(
  deps: S2pDeps,
  session: WalletSession,
  scanned: string,
): Promise<InitiateResult> {
  const token = tokenFromScan(scanned);
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
  if (welcome.state !== 'waiting') {
    throw new PlatformError('CONFLICT', 'this card was already added with another scan of this code', {
      details: [{ field: 'url', reason: 'already linked' }],
    });
  }
  const reg = welcome.registration;
  const { request } = reg;
  const account = session.account;
  const emailMatches =
    request.email === undefined ? null : request.email.toLowerCase() === account.email.toLowerCase();
  const phoneMatches =
    request.phone === undefined
      ? null
      : account.phone !== null && digits(request.phone) === digits(account.phone);
  if (request.enforceEmailMatching === true && emailMatches !== true) {
    await noteRefusedScan(deps.db, reg.regId, 'email', deps.clock.now());
    throw new PlatformError(
      'FORBIDDEN',
      'the email address of this Samsung account does not match the one the bank registered',
      { details: [{ field: 'email', reason: 'does not match the registration' }] },
    );
  }
  if (request.enforcePhoneMatching === true && phoneMatches !== true) {
    await noteRefusedScan(deps.db, reg.regId, 'phone', deps.clock.now());
    throw new PlatformError(
      'FORBIDDEN',
      'the phone number of this Samsung account does not match the one the bank registered',
      { details: [{ field: 'phone', reason: 'does not match the registration' }] },
    );
  }
  const device = deviceOf(session);
  const linked = await deps.db.transaction(async (tx) => {
    const ok = await store.linkRegistration(tx, reg.regId, {
      userId: account.userId,
      deviceId: session.device.deviceId,
      walletId: session.device.walletId,
      emailMatches,
      phoneMatches,
      now: deps.clock.now(),
    });
    return ok ? await store.findRegistration(tx, reg.regId) : undefined;
  });
  if (!linked) {
    throw new PlatformError('CONFLICT', 'this card was already added with another scan of this code', {
      details: [{ field: 'url', reason: 'already linked' }],
    });
  }
  const url = await notificationUrl(deps.db, linked.partnerId);
  let issuerBlob: string | undefined;
  let problem = 'the bank has no notification URL';
  if (url) {
    try {
      const res = await deps.delivery.call(
        {
          partnerId: linked.partnerId,
          method: 'POST',
          url,
          headers: { 'Request-Id': newUuidId(), 'Partner-Id': linked.partnerId },
          body: notificationBody(linked, 'WA_READY', device),
        },
        { kind: WA_READY_KIND },
      );
      if (res.status < 200 || res.status > 299)
        problem = `the bank answered WA_READY with HTTP ${res.status}`;
      else {
        const answer = parseWire(waReadyResponseSchema, res.json);
        if (answer.ok) issuerBlob = answer.value.card.data.encryptedData;
        else problem = 'the bank answered WA_READY without card.data.encryptedData';
      }
    } catch (err) {
      deps.log.warn({ regId: linked.regId, err: (err as Error).message }, 'WA_READY failed');
      problem = 'the bank could not be reached';
    }
  }
  if (issuerBlob === undefined) {
    await failProvisioning(deps, linked.regId, {
      failureError: null,
      failureReason: url ? 'PARTNER_FAILURE' : 'NO_NOTIFY_URL',
      desc: problem,
      device,
    });
    throw new PlatformError('PARTNER_UNREACHABLE', `${problem}: the card cannot be added now`);
  }
  return {
    regId: linked.regId,
    status: 'LINKED',
    issuerBlob,
    data: request.data ?? {},
    card: {
      cardName: request.custom.cardName,
      cardArtUrl: request.custom.cardArtUrl,
      partnerName: request.custom.partnerName,
      partnerLogoUrl: request.custom.partnerLogoUrl,
      ...(request.custom.partnerTncUrl ? { partnerTncUrl: request.custom.partnerTncUrl } : {}),
    },
    ...(emailMatches !== null ? { emailMatches } : {}),
    ...(phoneMatches !== null ? { phoneMatches } : {}),
  };
}

async function enqueueNotification(
  tx: Queryable,
  deps: S2pDeps,
  row: store.RegistrationRow,
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

async function failProvisioning(
  deps: S2pDeps,
  regId: string,
  failure: {
    failureError: 'CARD_ALREADY_PRESENT' | null;
    failureReason: string;
    desc: string;
    device: ReturnType<typeof deviceOf> | undefined;
  },
  q?: Queryable,
): Promise<void> {
  const run = async (tx: Queryable) => {
    const changed = await store.completeProvisioning(tx, regId, {
      provisioning: 'FAILED',
      failureError: failure.failureError,
      failureReason: failure.failureReason,
      now: deps.clock.now(),
    });
    if (!changed) return;
    const row = await store.findRegistration(tx, regId);
    if (!row) return;
    await enqueueNotification(
      tx,
      deps,
      row,
      notificationBody(row, 'WA_PROVISION_FAILURE', failure.device, {
        ...(failure.failureError ? { error: failure.failureError } : {}),
        desc: failure.desc,
      }),
    );
  };
  if (q) await run(q);
  else await deps.db.transaction(run);
}

// --- the wallet: provision (steps 11–18) ----------------------------------------------------------

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
 * The wallet hands the issuerBlob to the token service and reports the outcome, in one
 * transaction: the token, the wallet item, the registration's outcome and the durable
 * WA_PROVISIONED / WA_PROVISION_FAILURE job commit together or not at all.
 */
export async function provisionRegistration(
  deps: S2pDeps,
  session: WalletSession,
  regId: string,
  issuerBlob: unknown,
): Promise<ProvisionResult> {
  if (typeof issuerBlob !== 'string') {
    throw invalidInput('issuerBlob is required', [{ field: 'issuerBlob', reason: 'required string' }]);
  }
  const device = deviceOf(session);
  return deps.db.transaction(async (tx) => {
    const row = await store.findRegistration(tx, regId, { lock: true });
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
      await store.completeProvisioning(tx, regId, {
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
      acceptOpaqueBlobs: partner?.options.acceptOpaqueIssuerBlobs ?? false,
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
    const item = await addWalletItem(tx, deps.clock, {
      userId: session.account.userId,
      deviceId: session.device.deviceId,
      kind: 'payment_card',
      source: 'save-to-pay',
      ref: regId,
      title: custom.cardName.slice(0, 120),
      subtitle: `${brandNames[token.brand]} •••• ${token.fundingLast4 ?? token.tokenPanLast4}`,
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
    });
    await store.completeProvisioning(tx, regId, {
      provisioning: 'PROVISIONED',
      tokenRef: token.tokenRef,
      itemId: item.itemId,
      now: deps.clock.now(),
    });
    const done = (await store.findRegistration(tx, regId)) as store.RegistrationRow;
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
 * IN_PROGRESS (the domain's background sweep; safe in several processes: the conditional update
 * lets exactly one of them fail each registration). Returns how many failed.
 */
export async function failStalledProvisioning(deps: S2pDeps): Promise<number> {
  const stalled = await store.listStalledRegistrations(deps.db, deps.clock.now() - PROVISIONING_TIMEOUT_MS);
  let failed = 0;
  for (const row of stalled) {
    const d = row.deviceId ? await getDevice(deps.db, row.deviceId) : undefined;
    await failProvisioning(deps, row.regId, {
      failureError: null,
      failureReason: 'TIMEOUT',
      desc: 'the wallet did not complete provisioning in time',
      device: d ? deviceOf({ device: d }) : undefined,
    });
    failed += 1;
  }
  return failed;
}

/** The user gave up on the phone after linking: the partner hears WA_PROVISION_FAILURE. */
export async function cancelRegistration(
  deps: S2pDeps,
  session: WalletSession,
  regId: string,
): Promise<void> {
  const row = await store.findRegistration(deps.db, regId);
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

// --- mailbox (allowOfflineCommunication) ------------------------------------------------------------

export const emailRecipient = (email: string) => `mailto:${email.toLowerCase()}`;
export const phoneRecipient = (phone: string) => `tel:${digits(phone)}`;

async function sendOfflineInvitations(
  tx: Queryable,
  deps: S2pDeps,
  row: store.RegistrationRow,
  welcomeUrl: string,
): Promise<void> {
  const { custom, email, phone } = row.request;
  const subject = `Add your ${custom.cardName} to Samsung Wallet`;
  const now = deps.clock.now();
  if (email) {
    await store.insertMailboxMessage(tx, {
      messageId: randomUUID(),
      regId: row.regId,
      channel: 'email',
      recipient: emailRecipient(email),
      subject,
      body: `${custom.partnerName} invites you to add your ${custom.cardName} to Samsung Wallet. Open the link and scan the code with your wallet.`,
      link: welcomeUrl,
      createdAt: now,
    });
  }
  if (phone) {
    await store.insertMailboxMessage(tx, {
      messageId: randomUUID(),
      regId: row.regId,
      channel: 'sms',
      recipient: phoneRecipient(phone),
      subject,
      body: `${custom.partnerName}: add your ${custom.cardName} to Samsung Wallet.`,
      link: welcomeUrl,
      createdAt: now,
    });
  }
}

/** Messages to the account's email and phone, newest first. */
export function listMailbox(
  q: Queryable,
  account: WalletSession['account'],
): Promise<store.MailboxMessage[]> {
  const recipients = [emailRecipient(account.email)];
  if (account.phone) recipients.push(phoneRecipient(account.phone));
  return store.listMailboxMessages(q, recipients);
}

// --- switches (503.1 / 503.2) -------------------------------------------------------------------------

let cachedSwitches: { value: store.S2pSwitches; at: number } | undefined;

/** The switches, read at most once a second per process (shared through the database). */
export async function currentSwitches(q: Queryable): Promise<store.S2pSwitches> {
  const now = Date.now(); // real time on purpose: a cache age, not domain time
  if (cachedSwitches && now - cachedSwitches.at < 1000) return cachedSwitches.value;
  const value = await store.readSwitches(q);
  cachedSwitches = { value, at: now };
  return value;
}

export async function setSwitches(
  deps: Pick<S2pDeps, 'db' | 'clock'>,
  patch: unknown,
): Promise<store.S2pSwitches> {
  const p = (patch ?? {}) as Record<string, unknown>;
  const issues: { field: string; reason: string }[] = [];
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch))
    issues.push({ field: 'body', reason: 'must be an object' });
  for (const key of Object.keys(p)) {
    if (!['api', 'load', 'retryAfterSeconds'].includes(key))
      issues.push({ field: key, reason: 'unknown field' });
  }
  if (p['api'] !== undefined && p['api'] !== 'on' && p['api'] !== 'off')
    issues.push({ field: 'api', reason: 'must be on or off' });
  if (p['load'] !== undefined && p['load'] !== 'normal' && p['load'] !== 'shed')
    issues.push({ field: 'load', reason: 'must be normal or shed' });
  const ra = p['retryAfterSeconds'];
  if (ra !== undefined && (typeof ra !== 'number' || !Number.isInteger(ra) || ra < 1 || ra > 86400))
    issues.push({ field: 'retryAfterSeconds', reason: 'must be an integer from 1 to 86400' });
  if (issues.length) throw invalidInput('invalid switches', issues);
  return deps.db.transaction(async (tx) => {
    const next = { ...(await store.readSwitches(tx)), ...(p as Partial<store.S2pSwitches>) };
    await store.writeSwitches(tx, next, deps.clock.now());
    cachedSwitches = undefined;
    return next;
  });
}
