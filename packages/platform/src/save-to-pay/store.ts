// SQL of Save to Pay. Every function takes the db handle (the database or a transaction). The
// tables are declared once (core/rows.ts); state changes are patches of the columns they change.
import { type CreateRegistrationRequest, registrationStatuses } from '@cardport/protocol';
import type { Queryable } from '../core/db.ts';
import { col, type RowOf, table } from '../core/rows.ts';

export const provisioningStatuses = ['NONE', 'IN_PROGRESS', 'PROVISIONED', 'FAILED'] as const;
export type ProvisioningStatus = (typeof provisioningStatuses)[number];

const registrationColumns = {
  regId: col.text('reg_id'),
  partnerId: col.text('partner_id'),
  requestId: col.text('request_id'),
  request: col.json<CreateRegistrationRequest>('request'),
  status: col.oneOf('status', registrationStatuses),
  provisioning: col.oneOf('provisioning', provisioningStatuses),
  failureError: col.nullable(col.text('failure_error')),
  failureReason: col.nullable(col.text('failure_reason')),
  welcomeTokenId: col.text('welcome_token_id'),
  welcomeExpiresAt: col.number('welcome_expires_at'),
  userId: col.nullable(col.text('user_id')),
  deviceId: col.nullable(col.text('device_id')),
  walletId: col.nullable(col.text('wallet_id')),
  emailMatches: col.nullable(col.bool('email_matches')),
  phoneMatches: col.nullable(col.bool('phone_matches')),
  tokenRef: col.nullable(col.text('token_ref')),
  itemId: col.nullable(col.text('item_id')),
  /** The last scan refused while the registration kept waiting (refused-scans.ts). */
  refusedScan: col.nullable(col.oneOf('refused_scan', ['email', 'phone'] as const)),
  createdAt: col.number('created_at'),
  linkedAt: col.nullable(col.number('linked_at')),
  completedAt: col.nullable(col.number('completed_at')),
  updatedAt: col.number('updated_at'),
};

export const registrations = table('s2p_registrations', registrationColumns);
export type RegistrationRow = RowOf<typeof registrationColumns>;

/** What a partner's POST creates; everything else starts empty. */
export type NewRegistration = Pick<
  RegistrationRow,
  'regId' | 'partnerId' | 'requestId' | 'request' | 'welcomeTokenId' | 'welcomeExpiresAt' | 'createdAt'
>;

function newRow(r: NewRegistration): RegistrationRow {
  return {
    ...r,
    status: 'PENDING',
    provisioning: 'NONE',
    failureError: null,
    failureReason: null,
    userId: null,
    deviceId: null,
    walletId: null,
    emailMatches: null,
    phoneMatches: null,
    tokenRef: null,
    itemId: null,
    refusedScan: null,
    linkedAt: null,
    completedAt: null,
    updatedAt: r.createdAt,
  };
}

/** The registration a partner created with this Request-Id, if any. */
export async function findRegistrationByRequest(
  q: Queryable,
  partnerId: string,
  requestId: string,
): Promise<RegistrationRow | undefined> {
  const rows = await q.query(
    `SELECT ${registrations.selectList} FROM s2p_registrations WHERE partner_id = $1 AND request_id = $2`,
    [partnerId, requestId],
  );
  return rows[0] ? registrations.fromDb(rows[0]) : undefined;
}

export interface InsertOutcome {
  row: RegistrationRow;
  created: boolean;
}

/**
 * Inserts a registration unless the partner already used this Request-Id; either way returns the
 * registration of that Request-Id (and whether it was created now).
 */
export async function insertRegistration(q: Queryable, r: NewRegistration): Promise<InsertOutcome> {
  const inserted = await registrations.insert(
    q,
    newRow(r),
    `ON CONFLICT (partner_id, request_id) DO NOTHING RETURNING ${registrations.selectList}`,
  );
  const first = inserted[0];
  if (first) return { row: registrations.fromDb(first), created: true };
  const row = await findRegistrationByRequest(q, r.partnerId, r.requestId);
  if (!row) throw new Error('registration vanished after a Request-Id conflict');
  return { row, created: false };
}

/**
 * Inserts many registrations in one autocommit statement (group commit): one answer per input, in
 * order. A Request-Id already used (before, or earlier in the same batch) answers the existing
 * registration with `created: false`. The statement text does not depend on the batch size.
 */
export async function insertRegistrations(
  q: Queryable,
  rs: readonly NewRegistration[],
): Promise<InsertOutcome[]> {
  if (rs.length === 0) return [];
  const returned = await q.query(
    `INSERT INTO s2p_registrations (reg_id, partner_id, request_id, request, status, provisioning,
       welcome_token_id, welcome_expires_at, created_at, updated_at)
     SELECT reg_id, partner_id, request_id, request, 'PENDING', 'NONE', welcome_token_id,
       welcome_expires_at, created_at, created_at
     FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[], $5::text[], $6::bigint[], $7::bigint[])
       AS t (reg_id, partner_id, request_id, request, welcome_token_id, welcome_expires_at, created_at)
     ON CONFLICT (partner_id, request_id) DO NOTHING
     RETURNING ${registrations.selectList}`,
    [
      rs.map((r) => r.regId),
      rs.map((r) => r.partnerId),
      rs.map((r) => r.requestId),
      rs.map((r) => JSON.stringify(r.request)),
      rs.map((r) => r.welcomeTokenId),
      rs.map((r) => r.welcomeExpiresAt),
      rs.map((r) => r.createdAt),
    ],
  );
  const byRegId = new Map<string, RegistrationRow>();
  const byRequest = new Map<string, RegistrationRow>();
  const key = (partnerId: string, requestId: string) => `${partnerId}\n${requestId}`;
  for (const raw of returned) {
    const row = registrations.fromDb(raw);
    byRegId.set(row.regId, row);
    byRequest.set(key(row.partnerId, row.requestId), row);
  }
  const out: InsertOutcome[] = [];
  for (const r of rs) {
    const mine = byRegId.get(r.regId);
    if (mine) {
      out.push({ row: mine, created: true });
      continue;
    }
    const existing =
      byRequest.get(key(r.partnerId, r.requestId)) ??
      (await findRegistrationByRequest(q, r.partnerId, r.requestId));
    if (!existing) throw new Error('registration vanished after a Request-Id conflict');
    out.push({ row: existing, created: false });
  }
  return out;
}

export async function findRegistration(
  q: Queryable,
  regId: string,
  options: { lock?: boolean } = {},
): Promise<RegistrationRow | undefined> {
  const rows = await q.query(
    `SELECT ${registrations.selectList} FROM s2p_registrations WHERE reg_id = $1${options.lock ? ' FOR UPDATE' : ''}`,
    [regId],
  );
  return rows[0] ? registrations.fromDb(rows[0]) : undefined;
}

export async function listRegistrationsByWallet(q: Queryable, walletId: string): Promise<RegistrationRow[]> {
  const rows = await q.query(
    `SELECT ${registrations.selectList} FROM s2p_registrations WHERE wallet_id = $1 ORDER BY linked_at DESC`,
    [walletId],
  );
  return rows.map(registrations.fromDb);
}

/** Registrations still IN_PROGRESS that were linked before `linkedBefore`. */
export async function listStalledRegistrations(
  q: Queryable,
  linkedBefore: number,
): Promise<RegistrationRow[]> {
  const rows = await q.query(
    `SELECT ${registrations.selectList} FROM s2p_registrations
     WHERE provisioning = 'IN_PROGRESS' AND linked_at < $1 ORDER BY linked_at LIMIT 100`,
    [linkedBefore],
  );
  return rows.map(registrations.fromDb);
}

export async function renewWelcomeToken(
  q: Queryable,
  regId: string,
  tokenId: string,
  expiresAt: number,
  now: number,
): Promise<RegistrationRow | undefined> {
  const [row] = await registrations.patch(
    q,
    { regId },
    { welcomeTokenId: tokenId, welcomeExpiresAt: expiresAt, updatedAt: now },
  );
  return row;
}

/**
 * PENDING → LINKED for this account, device and wallet: the linked registration, or undefined when
 * it was no longer PENDING.
 */
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
): Promise<RegistrationRow | undefined> {
  const [row] = await registrations.patch(
    q,
    { regId, status: 'PENDING' },
    {
      status: 'LINKED',
      provisioning: 'IN_PROGRESS',
      userId: link.userId,
      deviceId: link.deviceId,
      walletId: link.walletId,
      emailMatches: link.emailMatches,
      phoneMatches: link.phoneMatches,
      linkedAt: link.now,
      updatedAt: link.now,
    },
  );
  return row;
}

/** IN_PROGRESS → PROVISIONED or FAILED: the updated row, or undefined when it was already over. */
export async function completeProvisioning(
  q: Queryable,
  regId: string,
  outcome:
    | { provisioning: 'PROVISIONED'; tokenRef: string; itemId: string; now: number }
    | { provisioning: 'FAILED'; failureError: string | null; failureReason: string; now: number },
): Promise<RegistrationRow | undefined> {
  const { now, ...changes } = outcome;
  const [row] = await registrations.patch(
    q,
    { regId, provisioning: 'IN_PROGRESS' },
    { ...changes, completedAt: now, updatedAt: now },
  );
  return row;
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
  const rows = await registrations.patch(
    q,
    { partnerId, provisioning: 'IN_PROGRESS' },
    { provisioning: 'FAILED', failureReason: 'PARTNER_REVOKED', completedAt: now, updatedAt: now },
  );
  return rows.length;
}

// --- mailbox ----------------------------------------------------------------------------------

const mailboxColumns = {
  messageId: col.text('message_id'),
  regId: col.text('reg_id'),
  channel: col.oneOf('channel', ['email', 'sms'] as const),
  recipient: col.text('recipient'),
  subject: col.text('subject'),
  body: col.text('body'),
  link: col.nullable(col.text('link')),
  createdAt: col.number('created_at'),
};
const mailbox = table('s2p_mailbox', mailboxColumns);
export type MailboxMessage = RowOf<typeof mailboxColumns>;

export async function insertMailboxMessage(q: Queryable, m: MailboxMessage): Promise<void> {
  await mailbox.insert(q, m);
}

/** Messages to any of `recipients` (lower-cased emails, phone numbers), newest first. */
export async function listMailboxMessages(q: Queryable, recipients: string[]): Promise<MailboxMessage[]> {
  if (recipients.length === 0) return [];
  const rows = await q.query(
    `SELECT ${mailbox.selectList} FROM s2p_mailbox WHERE recipient = ANY($1::text[]) ORDER BY seq DESC LIMIT 100`,
    [recipients],
  );
  return rows.map(mailbox.fromDb);
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
const switches = table('platform_switches', {
  name: col.text('name'),
  value: col.json<Partial<S2pSwitches>>('value'),
  updatedAt: col.number('updated_at'),
});

export async function readSwitches(q: Queryable): Promise<S2pSwitches> {
  const rows = await q.query(`SELECT ${switches.selectList} FROM platform_switches WHERE name = $1`, [
    SWITCH_NAME,
  ]);
  const value = rows[0] ? switches.fromDb(rows[0]).value : undefined;
  return { ...defaultSwitches, ...(value ?? {}) };
}

export async function writeSwitches(q: Queryable, value: S2pSwitches, now: number): Promise<void> {
  await switches.insert(
    q,
    { name: SWITCH_NAME, value, updatedAt: now },
    'ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at',
  );
}
