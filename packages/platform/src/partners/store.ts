// SQL of partner onboarding. Every function takes the db handle (the database or a transaction).
import type { Queryable } from '../core/db.ts';
import { col, table } from '../core/rows.ts';

export type PartnerStatus = 'active' | 'revoked';

/** Per-partner switches; stored as JSON and read with defaults for keys added later. */
export interface PartnerOptions {
  /** S2P welcome URL lifetime (PROTOCOLS.md 1.3: 24 h by default, configurable per partner). */
  welcomeUrlLifetimeMs: number;
  /** Accept issuer blobs the token service cannot parse (opaque to the sandbox). */
  acceptOpaqueIssuerBlobs: boolean;
}

export const defaultPartnerOptions: PartnerOptions = {
  welcomeUrlLifetimeMs: 24 * 3_600_000,
  acceptOpaqueIssuerBlobs: false,
};

export interface Partner {
  partnerId: string;
  name: string;
  notifyUrl: string | null;
  allowIps: string[];
  status: PartnerStatus;
  options: PartnerOptions;
  /** CAs trusted for the partner's server certificate (outbound calls). */
  serverCaPems: string[];
  serverCaSource: 'given' | 'outbound-ca' | null;
  /** Strict mode (docs/compatibility.md): accepted deviations are refused instead of warned about. */
  strict: boolean;
  createdAt: number;
  revokedAt: number | null;
}

export interface PartnerCertificate {
  certificateId: string;
  partnerId: string;
  fingerprint256: string;
  serialNumber: string;
  subject: string;
  certificatePem: string;
  notAfter: number;
  createdAt: number;
  revokedAt: number | null;
}

export interface OutboundIdentityRow {
  partnerId: string;
  privateKeySealed: string;
  csrPem: string;
  certificatePem: string | null;
  partnerCaPems: string[];
  createdAt: number;
  updatedAt: number;
}

export interface Card {
  cardId: string;
  partnerId: string;
  type: string;
  subType: string;
  partnerUrl: string;
  createdAt: number;
}

export interface CheckoutService {
  serviceId: string;
  partnerId: string;
  name: string;
  merchantPublicKeyPem: string;
  /** PROTOCOLS.md 4.2: standard base64 of SHA-256 over the DER SubjectPublicKeyInfo. */
  merchantKeyId: string;
  domains: string[];
  healthUrl: string | null;
  createdAt: number;
}

/** What the mTLS guard needs about one client certificate, in one query. */
export interface CertificateBinding {
  certificateId: string;
  partnerId: string;
  certificateRevokedAt: number | null;
  /** Epoch ms; compared with real time, never the sandbox clock. */
  certificateNotAfter: number;
  partnerStatus: PartnerStatus;
  allowIps: string[];
  /** The partner's strict mode (docs/compatibility.md). */
  strict: boolean;
}

// Each table is declared once (core/rows.ts); plain SQL stays for the join of the mTLS binding,
// the COALESCE of first revocation times and the row lock.
const partners = table('partners', {
  partnerId: col.text('partner_id'),
  name: col.text('name'),
  notifyUrl: col.nullable(col.text('notify_url')),
  allowIps: col.json<string[]>('allow_ips'),
  status: col.oneOf('status', ['active', 'revoked']),
  options: col.json<Partial<PartnerOptions>>('options'),
  serverCaPems: col.json<string[]>('server_ca_pems'),
  serverCaSource: col.nullable(col.oneOf('server_ca_source', ['given', 'outbound-ca'])),
  strict: col.bool('strict'),
  createdAt: col.number('created_at'),
  revokedAt: col.nullable(col.number('revoked_at')),
});

const certificates = table('partner_certificates', {
  certificateId: col.text('certificate_id'),
  partnerId: col.text('partner_id'),
  fingerprint256: col.text('fingerprint256'),
  serialNumber: col.text('serial_number'),
  subject: col.text('subject'),
  certificatePem: col.text('certificate_pem'),
  notAfter: col.number('not_after'),
  createdAt: col.number('created_at'),
  revokedAt: col.nullable(col.number('revoked_at')),
});

const platformKeys = table('partner_platform_keys', {
  partnerId: col.text('partner_id'),
  certificatePem: col.text('certificate_pem'),
  privateKeySealed: col.text('private_key_sealed'),
  createdAt: col.number('created_at'),
});

const outboundIdentities = table('partner_outbound_identities', {
  partnerId: col.text('partner_id'),
  privateKeySealed: col.text('private_key_sealed'),
  csrPem: col.text('csr_pem'),
  certificatePem: col.nullable(col.text('certificate_pem')),
  partnerCaPems: col.json<string[]>('partner_ca_pems'),
  createdAt: col.number('created_at'),
  updatedAt: col.number('updated_at'),
});

const cards = table('cards', {
  cardId: col.text('card_id'),
  partnerId: col.text('partner_id'),
  type: col.text('type'),
  subType: col.text('sub_type'),
  partnerUrl: col.text('partner_url'),
  createdAt: col.number('created_at'),
});

const services = table('checkout_services', {
  serviceId: col.text('service_id'),
  partnerId: col.text('partner_id'),
  name: col.text('name'),
  merchantPublicKeyPem: col.text('merchant_public_key_pem'),
  merchantKeyId: col.text('merchant_key_id'),
  domains: col.json<string[]>('domains'),
  healthUrl: col.nullable(col.text('health_url')),
  createdAt: col.number('created_at'),
});

/** Options stored before a switch existed read with that switch's default. */
function toPartner(r: Record<string, unknown>): Partner {
  const row = partners.fromDb(r);
  return { ...row, options: { ...defaultPartnerOptions, ...row.options } };
}

// --- partners ---------------------------------------------------------------------------------

export async function createPartner(
  q: Queryable,
  p: Omit<Partner, 'revokedAt' | 'status' | 'strict'>,
): Promise<void> {
  await partners.insert(q, { ...p, status: 'active', strict: false, revokedAt: null });
}

export async function findPartner(q: Queryable, partnerId: string): Promise<Partner | undefined> {
  const rows = await q.query(`SELECT ${partners.selectList} FROM partners WHERE partner_id = $1`, [
    partnerId,
  ]);
  return rows[0] ? toPartner(rows[0]) : undefined;
}

/** Locks the partner's row until the transaction ends (serializes changes to one partner). */
export async function lockPartner(q: Queryable, partnerId: string): Promise<Partner | undefined> {
  const rows = await q.query(`SELECT ${partners.selectList} FROM partners WHERE partner_id = $1 FOR UPDATE`, [
    partnerId,
  ]);
  return rows[0] ? toPartner(rows[0]) : undefined;
}

export async function listPartners(q: Queryable): Promise<Partner[]> {
  return (await q.query(`SELECT ${partners.selectList} FROM partners ORDER BY created_at, partner_id`)).map(
    toPartner,
  );
}

/** Writes only the given fields (a null notifyUrl clears it). */
export async function updatePartner(
  q: Queryable,
  partnerId: string,
  fields: Partial<Pick<Partner, 'name' | 'notifyUrl' | 'allowIps' | 'options' | 'strict'>>,
): Promise<void> {
  if (Object.values(fields).every((v) => v === undefined)) return;
  await partners.patch(q, { partnerId }, fields);
}

export async function setPartnerServerCas(
  q: Queryable,
  partnerId: string,
  pems: string[],
  source: 'given' | 'outbound-ca',
): Promise<void> {
  await partners.patch(q, { partnerId }, { serverCaPems: pems, serverCaSource: source });
}

/** Marks the partner revoked; a partner already revoked keeps its first revocation time. */
export async function revokePartner(q: Queryable, partnerId: string, at: number): Promise<void> {
  await q.query(
    `UPDATE partners SET status = 'revoked', revoked_at = COALESCE(revoked_at, $2) WHERE partner_id = $1`,
    [partnerId, at],
  );
}

// --- certificates -----------------------------------------------------------------------------

export async function insertCertificate(
  q: Queryable,
  c: Omit<PartnerCertificate, 'revokedAt'>,
): Promise<void> {
  await certificates.insert(q, { ...c, revokedAt: null });
}

export async function certificateIdExists(q: Queryable, certificateId: string): Promise<boolean> {
  const rows = await q.query('SELECT 1 FROM partner_certificates WHERE certificate_id = $1', [certificateId]);
  return rows.length > 0;
}

export async function findCertificate(
  q: Queryable,
  certificateId: string,
): Promise<PartnerCertificate | undefined> {
  const rows = await q.query(
    `SELECT ${certificates.selectList} FROM partner_certificates WHERE certificate_id = $1`,
    [certificateId],
  );
  return rows[0] ? certificates.fromDb(rows[0]) : undefined;
}

export async function listCertificates(q: Queryable, partnerId: string): Promise<PartnerCertificate[]> {
  const rows = await q.query(
    `SELECT ${certificates.selectList} FROM partner_certificates WHERE partner_id = $1 ORDER BY created_at`,
    [partnerId],
  );
  return rows.map(certificates.fromDb);
}

/** Revokes one certificate of a partner; false when the partner has no such certificate. */
export async function revokeCertificate(
  q: Queryable,
  partnerId: string,
  certificateId: string,
  at: number,
): Promise<boolean> {
  const rows = await q.query(
    `UPDATE partner_certificates SET revoked_at = COALESCE(revoked_at, $3)
     WHERE partner_id = $1 AND certificate_id = $2 RETURNING certificate_id`,
    [partnerId, certificateId, at],
  );
  return rows.length > 0;
}

const bindings = table('partner_certificates', {
  certificateId: col.text('certificate_id'),
  partnerId: col.text('partner_id'),
  certificateRevokedAt: col.nullable(col.number('revoked_at')),
  certificateNotAfter: col.number('not_after'),
  partnerStatus: col.oneOf('status', ['active', 'revoked']),
  allowIps: col.json<string[]>('allow_ips'),
  strict: col.bool('strict'),
});

export async function findCertificateBinding(
  q: Queryable,
  fingerprint256: string,
): Promise<CertificateBinding | undefined> {
  const rows = await q.query(
    `SELECT c.certificate_id, c.partner_id, c.revoked_at, c.not_after, p.status, p.allow_ips, p.strict
     FROM partner_certificates c JOIN partners p ON p.partner_id = c.partner_id
     WHERE c.fingerprint256 = $1`,
    [fingerprint256],
  );
  return rows[0] ? bindings.fromDb(rows[0]) : undefined;
}

// --- platform keys and outbound identity --------------------------------------------------------

export async function insertPlatformKey(
  q: Queryable,
  k: { partnerId: string; certificatePem: string; privateKeySealed: string; createdAt: number },
): Promise<void> {
  await platformKeys.insert(q, k);
}

export async function findPlatformKey(
  q: Queryable,
  partnerId: string,
): Promise<{ certificatePem: string; privateKeySealed: string } | undefined> {
  const rows = await q.query(
    'SELECT certificate_pem, private_key_sealed FROM partner_platform_keys WHERE partner_id = $1',
    [partnerId],
  );
  return rows[0] ? platformKeys.fromDb(rows[0]) : undefined;
}

export async function insertOutboundIdentity(
  q: Queryable,
  o: { partnerId: string; privateKeySealed: string; csrPem: string; createdAt: number },
): Promise<void> {
  await outboundIdentities.insert(q, {
    ...o,
    certificatePem: null,
    partnerCaPems: [],
    updatedAt: o.createdAt,
  });
}

export async function findOutboundIdentity(
  q: Queryable,
  partnerId: string,
): Promise<OutboundIdentityRow | undefined> {
  const rows = await q.query(
    `SELECT ${outboundIdentities.selectList} FROM partner_outbound_identities WHERE partner_id = $1`,
    [partnerId],
  );
  return rows[0] ? outboundIdentities.fromDb(rows[0]) : undefined;
}

export async function setOutboundCertificate(
  q: Queryable,
  partnerId: string,
  certificatePem: string,
  partnerCaPems: string[],
  at: number,
): Promise<void> {
  await outboundIdentities.patch(q, { partnerId }, { certificatePem, partnerCaPems, updatedAt: at });
}

// --- cards --------------------------------------------------------------------------------------

export async function createCard(q: Queryable, c: Card): Promise<void> {
  await cards.insert(q, c);
}

export async function findCard(q: Queryable, cardId: string): Promise<Card | undefined> {
  const rows = await q.query(`SELECT ${cards.selectList} FROM cards WHERE card_id = $1`, [cardId]);
  return rows[0] ? cards.fromDb(rows[0]) : undefined;
}

export async function listCards(q: Queryable, filter: { partnerId?: string } = {}): Promise<Card[]> {
  const rows = filter.partnerId
    ? await q.query(
        `SELECT ${cards.selectList} FROM cards WHERE partner_id = $1 ORDER BY created_at, card_id`,
        [filter.partnerId],
      )
    : await q.query(`SELECT ${cards.selectList} FROM cards ORDER BY created_at, card_id`);
  return rows.map(cards.fromDb);
}

// --- checkout services --------------------------------------------------------------------------

export async function createService(q: Queryable, s: CheckoutService): Promise<void> {
  await services.insert(q, s);
}

export async function findService(q: Queryable, serviceId: string): Promise<CheckoutService | undefined> {
  const rows = await q.query(`SELECT ${services.selectList} FROM checkout_services WHERE service_id = $1`, [
    serviceId,
  ]);
  return rows[0] ? services.fromDb(rows[0]) : undefined;
}

export async function listServices(
  q: Queryable,
  filter: { partnerId?: string } = {},
): Promise<CheckoutService[]> {
  const rows = filter.partnerId
    ? await q.query(
        `SELECT ${services.selectList} FROM checkout_services WHERE partner_id = $1 ORDER BY created_at, service_id`,
        [filter.partnerId],
      )
    : await q.query(`SELECT ${services.selectList} FROM checkout_services ORDER BY created_at, service_id`);
  return rows.map(services.fromDb);
}
