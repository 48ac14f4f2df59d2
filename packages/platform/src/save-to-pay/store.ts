// SQL of Save to Pay. Every function takes the db handle (the database or a transaction).
import type { CreateRegistrationRequest, RegistrationStatus } from '@cardport/protocol';
import type { Queryable } from '../core/db.ts';

export type ProvisioningStatus = 'NONE' | 'IN_PROGRESS' | 'PROVISIONED' | 'FAILED';

export interface RegistrationRow {
  regId: string;
  partnerId: string;
  requestId: string;
  request: CreateRegistrationRequest;
  status: RegistrationStatus;
  provisioning: ProvisioningStatus;
  failureError: string | null;
  failureReason: string | null;
  welcomeTokenId: string;
  welcomeExpiresAt: number;
  userId: string | null;
  deviceId: string | null;
  walletId: string | null;
  emailMatches: boolean | null;
  phoneMatches: boolean | null;
  tokenRef: string | null;
  itemId: string | null;
  createdAt: number;
  linkedAt: number | null;
  completedAt: number | null;
  updatedAt: number;
}

const columns = `reg_id, partner_id, request_id, request, status, provisioning, failure_error,
  failure_reason, welcome_token_id, welcome_expires_at, user_id, device_id, wallet_id,
  email_matches, phone_matches, token_ref, item_id, created_at, linked_at, completed_at, updated_at`;

function toRow(r: Record<string, unknown>): RegistrationRow {
  const request = typeof r['request'] === 'string' ? JSON.parse(r['request']) : r['request'];
  return {
    regId: r['reg_id'] as string,
    partnerId: r['partner_id'] as string,
    requestId: r['request_id'] as string,
    request: request as CreateRegistrationRequest,
    status: r['status'] as RegistrationStatus,
    provisioning: r['provisioning'] as ProvisioningStatus,
    failureError: (r['failure_error'] as string | null) ?? null,
    failureReason: (r['failure_reason'] as string | null) ?? null,
    welcomeTokenId: r['welcome_token_id'] as string,
    welcomeExpiresAt: Number(r['welcome_expires_at']),
    userId: (r['user_id'] as string | null) ?? null,
    deviceId: (r['device_id'] as string | null) ?? null,
    walletId: (r['wallet_id'] as string | null) ?? null,
    emailMatches: (r['email_matches'] as boolean | null) ?? null,
    phoneMatches: (r['phone_matches'] as boolean | null) ?? null,
    tokenRef: (r['token_ref'] as string | null) ?? null,
    itemId: (r['item_id'] as string | null) ?? null,
    createdAt: Number(r['created_at']),
    linkedAt: r['linked_at'] === null || r['linked_at'] === undefined ? null : Number(r['linked_at']),
    completedAt:
      r['completed_at'] === null || r['completed_at'] === undefined ? null : Number(r['completed_at']),
    updatedAt: Number(r['updated_at']),
  };
}

/**
 * Inserts a registration unless the partner already used this Request-Id; either way returns the
 * registration of that Request-Id (and whether it was created now).
 */
export async function insertRegistration(
  q: Queryable,
  r: Pick<
    RegistrationRow,
    'regId' | 'partnerId' | 'requestId' | 'request' | 'welcomeTokenId' | 'welcomeExpiresAt' | 'createdAt'
  >,
): Promise<{ row: RegistrationRow; created: boolean }> {
  const inserted = await q.query(
    `INSERT INTO s2p_registrations (reg_id, partner_id, request_id, request, status, provisioning,
       welcome_token_id, welcome_expires_at, created_at, updated_at)
     VALUES ($1, $2, $3, $4, 'PENDING', 'NONE', $5, $6, $7, $7)
     ON CONFLICT (partner_id, request_id) DO NOTHING
     RETURNING ${columns}`,
    [
      r.regId,
      r.partnerId,
      r.requestId,
      JSON.stringify(r.request),
      r.welcomeTokenId,
      r.welcomeExpiresAt,
      r.createdAt,
    ],
  );
  const first = inserted[0];
  if (first) return { row: toRow(first), created: true };
  const existing = await q.query(
    `SELECT ${columns} FROM s2p_registrations WHERE partner_id = $1 AND request_id = $2`,
    [r.partnerId, r.requestId],
  );
  const row = existing[0];
  if (!row) throw new Error('registration vanished after a Request-Id conflict');
  return { row: toRow(row), created: false };
}

export async function findRegistration(
  q: Queryable,
  regId: string,
  options: { lock?: boolean } = {},
): Promise<RegistrationRow | undefined> {
  const rows = await q.query(
    `SELECT ${columns} FROM s2p_registrations WHERE reg_id = $1${options.lock ? ' FOR UPDATE' : ''}`,
    [regId],
  );
  return rows[0] ? toRow(rows[0]) : undefined;
}

export async function listRegistrationsByWallet(q: Queryable, walletId: string): Promise<RegistrationRow[]> {
  const rows = await q.query(
    `SELECT ${columns} FROM s2p_registrations WHERE wallet_id = $1 ORDER BY linked_at DESC`,
    [walletId],
  );
  return rows.map(toRow);
}

/** Registrations still IN_PROGRESS that were linked before `linkedBefore`. */
export async function listStalledRegistrations(
  q: Queryable,
  linkedBefore: number,
): Promise<RegistrationRow[]> {
  const rows = await q.query(
    `SELECT ${columns} FROM s2p_registrations
     WHERE provisioning = 'IN_PROGRESS' AND linked_at < $1 ORDER BY linked_at LIMIT 100`,
    [linkedBefore],
  );
  return rows.map(toRow);
}

export async function renewWelcomeToken(
  q: Queryable,
  regId: string,
  tokenId: string,
  expiresAt: number,
  now: number,
): Promise<void> {
  await q.query(
    `UPDATE s2p_registrations SET welcome_token_id = $2, welcome_expires_at = $3, updated_at = $4
     WHERE reg_id = $1`,
    [regId, tokenId, expiresAt, now],
  );
}

/** PENDING → LINKED for this account, device and wallet; false when it was no longer PENDING. */
export async function linkRegistration(
  q: Queryable,
  regId: string,
  link: {
    userId: string;
    deviceId: string;
    walletId: string;
    emailMatches: boolean | null;
    phoneMatches: boolean | null;
    now: number;
  },
): Promise<boolean> {
  const rows = await q.query(
    `UPDATE s2p_registrations SET status = 'LINKED', provisioning = 'IN_PROGRESS', user_id = $2,
       device_id = $3, wallet_id = $4, email_matches = $5, phone_matches = $6, linked_at = $7,
       updated_at = $7
     WHERE reg_id = $1 AND status = 'PENDING'
     RETURNING reg_id`,
    [regId, link.userId, link.deviceId, link.walletId, link.emailMatches, link.phoneMatches, link.now],
  );
  return rows.length === 1;
}

/** IN_PROGRESS → PROVISIONED or FAILED; false when the provisioning was already over. */
export async function completeProvisioning(
  q: Queryable,
  regId: string,
  outcome:
    | { provisioning: 'PROVISIONED'; tokenRef: string; itemId: string; now: number }
    | { provisioning: 'FAILED'; failureError: string | null; failureReason: string; now: number },
): Promise<boolean> {
  const rows =
    outcome.provisioning === 'PROVISIONED'
      ? await q.query(
          `UPDATE s2p_registrations SET provisioning = 'PROVISIONED', token_ref = $2, item_id = $3,
             completed_at = $4, updated_at = $4
           WHERE reg_id = $1 AND provisioning = 'IN_PROGRESS' RETURNING reg_id`,
          [regId, outcome.tokenRef, outcome.itemId, outcome.now],
        )
      : await q.query(
          `UPDATE s2p_registrations SET provisioning = 'FAILED', failure_error = $2, failure_reason = $3,
             completed_at = $4, updated_at = $4
           WHERE reg_id = $1 AND provisioning = 'IN_PROGRESS' RETURNING reg_id`,
          [regId, outcome.failureError, outcome.failureReason, outcome.now],
        );
  return rows.length === 1;
}

/**
 * Fails every registration of a revoked partner still IN_PROGRESS (failure_reason PARTNER_REVOKED),
 * in the revocation's transaction. No notification: nothing is sent to a revoked partner.
 */
export async function failRegistrationsOfRevokedPartner(
  q: Queryable,
  partnerId: string,
  now: number,
): Promise<number> {
  const rows = await q.query(
    `UPDATE s2p_registrations SET provisioning = 'FAILED', failure_reason = 'PARTNER_REVOKED',
       completed_at = $2, updated_at = $2
     WHERE partner_id = $1 AND provisioning = 'IN_PROGRESS' RETURNING reg_id`,
    [partnerId, now],
  );
  return rows.length;
}

// --- mailbox ----------------------------------------------------------------------------------

export interface MailboxMessage {
  messageId: string;
  regId: string;
  channel: 'email' | 'sms';
  recipient: string;
  subject: string;
  body: string;
  link: string | null;
  createdAt: number;
}

export async function insertMailboxMessage(q: Queryable, m: MailboxMessage): Promise<void> {
  await q.query(
    `INSERT INTO s2p_mailbox (message_id, reg_id, channel, recipient, subject, body, link, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [m.messageId, m.regId, m.channel, m.recipient, m.subject, m.body, m.link, m.createdAt],
  );
}

/** Messages to any of `recipients` (lower-cased emails, phone numbers), newest first. */
export async function listMailboxMessages(q: Queryable, recipients: string[]): Promise<MailboxMessage[]> {
  if (recipients.length === 0) return [];
  const rows = await q.query(
    `SELECT message_id, reg_id, channel, recipient, subject, body, link, created_at
     FROM s2p_mailbox WHERE recipient = ANY($1::text[]) ORDER BY seq DESC LIMIT 100`,
    [recipients],
  );
  return rows.map((r) => ({
    messageId: r['message_id'] as string,
    regId: r['reg_id'] as string,
    channel: r['channel'] as 'email' | 'sms',
    recipient: r['recipient'] as string,
    subject: r['subject'] as string,
    body: r['body'] as string,
    link: (r['link'] as string | null) ?? null,
    createdAt: Number(r['created_at']),
  }));
}

// --- switches (platform_switches, 0001_core.sql) ------------------------------------------------

export interface S2pSwitches {
  /** `off`: every /ext/v1 call answers 503.2 "API Temporarily Unavailable". */
  api: 'on' | 'off';
  /** `shed`: every /ext/v1 call answers 503.1 "Service Temporarily Unavailable". */
  load: 'normal' | 'shed';
  retryAfterSeconds: number;
}

export const defaultSwitches: S2pSwitches = { api: 'on', load: 'normal', retryAfterSeconds: 30 };
const SWITCH_NAME = 'save-to-pay';

export async function readSwitches(q: Queryable): Promise<S2pSwitches> {
  const rows = await q.query<{ value: unknown }>('SELECT value FROM platform_switches WHERE name = $1', [
    SWITCH_NAME,
  ]);
  const raw = rows[0]?.value;
  const value = (typeof raw === 'string' ? JSON.parse(raw) : raw) as Partial<S2pSwitches> | undefined;
  return { ...defaultSwitches, ...(value ?? {}) };
}

export async function writeSwitches(q: Queryable, value: S2pSwitches, now: number): Promise<void> {
  await q.query(
    `INSERT INTO platform_switches (name, value, updated_at) VALUES ($1, $2, $3)
     ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at`,
    [SWITCH_NAME, JSON.stringify(value), now],
  );
}
