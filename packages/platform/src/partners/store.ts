// SQL of partner onboarding. Every function takes the db handle (the database or a transaction).
import type { Queryable } from '../core/db.ts';

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

// JSONB comes back parsed from both drivers; a text fallback keeps odd drivers honest.
function json<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

function num(value: unknown): number {
  return Number(value);
}

function numOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

type Row = Record<string, unknown>;

function toPartner(r: Row): Partner {
  return {
    partnerId: String(r['partner_id']),
    name: String(r['name']),
    notifyUrl: (r['notify_url'] as string | null) ?? null,
    allowIps: json<string[]>(r['allow_ips']),
    status: r['status'] as PartnerStatus,
    options: { ...defaultPartnerOptions, ...json<Partial<PartnerOptions>>(r['options']) },
    serverCaPems: json<string[]>(r['server_ca_pems']),
    serverCaSource: (r['server_ca_source'] as Partner['serverCaSource']) ?? null,
    strict: r['strict'] === true,
    createdAt: num(r['created_at']),
    revokedAt: numOrNull(r['revoked_at']),
  };
}

function toCertificate(r: Row): PartnerCertificate {
  return {
    certificateId: String(r['certificate_id']),
    partnerId: String(r['partner_id']),
    fingerprint256: String(r['fingerprint256']),
    serialNumber: String(r['serial_number']),
    subject: String(r['subject']),
    certificatePem: String(r['certificate_pem']),
    notAfter: num(r['not_after']),
    createdAt: num(r['created_at']),
    revokedAt: numOrNull(r['revoked_at']),
  };
}

function toCard(r: Row): Card {
  return {
    cardId: String(r['card_id']),
    partnerId: String(r['partner_id']),
    type: String(r['type']),
    subType: String(r['sub_type']),
    partnerUrl: String(r['partner_url']),
    createdAt: num(r['created_at']),
  };
}

function toService(r: Row): CheckoutService {
  return {
    serviceId: String(r['service_id']),
    partnerId: String(r['partner_id']),
    name: String(r['name']),
    merchantPublicKeyPem: String(r['merchant_public_key_pem']),
    merchantKeyId: String(r['merchant_key_id']),
    domains: json<string[]>(r['domains']),
    healthUrl: (r['health_url'] as string | null) ?? null,
    createdAt: num(r['created_at']),
  };
}

// --- partners ---------------------------------------------------------------------------------

export async function createPartner(
  q: Queryable,
  p: Omit<Partner, 'revokedAt' | 'status' | 'strict'>,
): Promise<void> {
  await q.query(
    `INSERT INTO partners (partner_id, name, notify_url, allow_ips, status, options, server_ca_pems,
       server_ca_source, created_at)
     VALUES ($1, $2, $3, $4::jsonb, 'active', $5::jsonb, $6::jsonb, $7, $8)`,
    [
      p.partnerId,
      p.name,
      p.notifyUrl,
      JSON.stringify(p.allowIps),
      JSON.stringify(p.options),
      JSON.stringify(p.serverCaPems),
      p.serverCaSource,
      p.createdAt,
    ],
  );
}

export async function findPartner(q: Queryable, partnerId: string): Promise<Partner | undefined> {
  const rows = await q.query('SELECT * FROM partners WHERE partner_id = $1', [partnerId]);
  return rows[0] ? toPartner(rows[0]) : undefined;
}

/** Locks the partner's row until the transaction ends (serializes changes to one partner). */
export async function lockPartner(q: Queryable, partnerId: string): Promise<Partner | undefined> {
  const rows = await q.query('SELECT * FROM partners WHERE partner_id = $1 FOR UPDATE', [partnerId]);
  return rows[0] ? toPartner(rows[0]) : undefined;
}

export async function listPartners(q: Queryable): Promise<Partner[]> {
  return (await q.query('SELECT * FROM partners ORDER BY created_at, partner_id')).map(toPartner);
}

export async function updatePartner(
  q: Queryable,
  partnerId: string,
  fields: Partial<Pick<Partner, 'name' | 'notifyUrl' | 'allowIps' | 'options' | 'strict'>>,
): Promise<void> {
  await q.query(
    `UPDATE partners SET
       name = COALESCE($2, name),
       notify_url = CASE WHEN $3::boolean THEN $4 ELSE notify_url END,
       allow_ips = COALESCE($5::jsonb, allow_ips),
       options = COALESCE($6::jsonb, options),
       strict = COALESCE($7::boolean, strict)
     WHERE partner_id = $1`,
    [
      partnerId,
      fields.name ?? null,
      fields.notifyUrl !== undefined,
      fields.notifyUrl ?? null,
      fields.allowIps ? JSON.stringify(fields.allowIps) : null,
      fields.options ? JSON.stringify(fields.options) : null,
      fields.strict ?? null,
    ],
  );
}

export async function setPartnerServerCas(
  q: Queryable,
  partnerId: string,
  pems: string[],
  source: 'given' | 'outbound-ca',
): Promise<void> {
  await q.query(
    'UPDATE partners SET server_ca_pems = $2::jsonb, server_ca_source = $3 WHERE partner_id = $1',
    [partnerId, JSON.stringify(pems), source],
  );
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
  await q.query(
    `INSERT INTO partner_certificates (certificate_id, partner_id, fingerprint256, serial_number, subject,
       certificate_pem, not_after, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      c.certificateId,
      c.partnerId,
      c.fingerprint256,
      c.serialNumber,
      c.subject,
      c.certificatePem,
      c.notAfter,
      c.createdAt,
    ],
  );
}

export async function certificateIdExists(q: Queryable, certificateId: string): Promise<boolean> {
  const rows = await q.query('SELECT 1 FROM partner_certificates WHERE certificate_id = $1', [certificateId]);
  return rows.length > 0;
}

export async function findCertificate(
  q: Queryable,
  certificateId: string,
): Promise<PartnerCertificate | undefined> {
  const rows = await q.query('SELECT * FROM partner_certificates WHERE certificate_id = $1', [certificateId]);
  return rows[0] ? toCertificate(rows[0]) : undefined;
}

export async function listCertificates(q: Queryable, partnerId: string): Promise<PartnerCertificate[]> {
  const rows = await q.query('SELECT * FROM partner_certificates WHERE partner_id = $1 ORDER BY created_at', [
    partnerId,
  ]);
  return rows.map(toCertificate);
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
  const r = rows[0];
  if (!r) return undefined;
  return {
    certificateId: String(r['certificate_id']),
    partnerId: String(r['partner_id']),
    certificateRevokedAt: numOrNull(r['revoked_at']),
    certificateNotAfter: num(r['not_after']),
    partnerStatus: r['status'] as PartnerStatus,
    allowIps: json<string[]>(r['allow_ips']),
    strict: r['strict'] === true,
  };
}

// --- platform keys and outbound identity --------------------------------------------------------

export async function insertPlatformKey(
  q: Queryable,
  k: { partnerId: string; certificatePem: string; privateKeySealed: string; createdAt: number },
): Promise<void> {
  await q.query(
    `INSERT INTO partner_platform_keys (partner_id, certificate_pem, private_key_sealed, created_at)
     VALUES ($1, $2, $3, $4)`,
    [k.partnerId, k.certificatePem, k.privateKeySealed, k.createdAt],
  );
}

export async function findPlatformKey(
  q: Queryable,
  partnerId: string,
): Promise<{ certificatePem: string; privateKeySealed: string } | undefined> {
  const rows = await q.query<{ certificate_pem: string; private_key_sealed: string }>(
    'SELECT certificate_pem, private_key_sealed FROM partner_platform_keys WHERE partner_id = $1',
    [partnerId],
  );
  const r = rows[0];
  return r ? { certificatePem: r.certificate_pem, privateKeySealed: r.private_key_sealed } : undefined;
}

export async function insertOutboundIdentity(
  q: Queryable,
  o: { partnerId: string; privateKeySealed: string; csrPem: string; createdAt: number },
): Promise<void> {
  await q.query(
    `INSERT INTO partner_outbound_identities (partner_id, private_key_sealed, csr_pem, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $4)`,
    [o.partnerId, o.privateKeySealed, o.csrPem, o.createdAt],
  );
}

export async function findOutboundIdentity(
  q: Queryable,
  partnerId: string,
): Promise<OutboundIdentityRow | undefined> {
  const rows = await q.query('SELECT * FROM partner_outbound_identities WHERE partner_id = $1', [partnerId]);
  const r = rows[0];
  if (!r) return undefined;
  return {
    partnerId: String(r['partner_id']),
    privateKeySealed: String(r['private_key_sealed']),
    csrPem: String(r['csr_pem']),
    certificatePem: (r['certificate_pem'] as string | null) ?? null,
    partnerCaPems: json<string[]>(r['partner_ca_pems']),
    createdAt: num(r['created_at']),
    updatedAt: num(r['updated_at']),
  };
}

export async function setOutboundCertificate(
  q: Queryable,
  partnerId: string,
  certificatePem: string,
  partnerCaPems: string[],
  at: number,
): Promise<void> {
  await q.query(
    `UPDATE partner_outbound_identities SET certificate_pem = $2, partner_ca_pems = $3::jsonb, updated_at = $4
     WHERE partner_id = $1`,
    [partnerId, certificatePem, JSON.stringify(partnerCaPems), at],
  );
}

// --- cards --------------------------------------------------------------------------------------

export async function createCard(q: Queryable, c: Card): Promise<void> {
  await q.query(
    `INSERT INTO cards (card_id, partner_id, type, sub_type, partner_url, created_at)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [c.cardId, c.partnerId, c.type, c.subType, c.partnerUrl, c.createdAt],
  );
}

export async function findCard(q: Queryable, cardId: string): Promise<Card | undefined> {
  const rows = await q.query('SELECT * FROM cards WHERE card_id = $1', [cardId]);
  return rows[0] ? toCard(rows[0]) : undefined;
}

export async function listCards(q: Queryable, filter: { partnerId?: string } = {}): Promise<Card[]> {
  const rows = filter.partnerId
    ? await q.query('SELECT * FROM cards WHERE partner_id = $1 ORDER BY created_at, card_id', [
        filter.partnerId,
      ])
    : await q.query('SELECT * FROM cards ORDER BY created_at, card_id');
  return rows.map(toCard);
}

// --- checkout services --------------------------------------------------------------------------

export async function createService(q: Queryable, s: CheckoutService): Promise<void> {
  await q.query(
    `INSERT INTO checkout_services (service_id, partner_id, name, merchant_public_key_pem, merchant_key_id,
       domains, health_url, created_at)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8)`,
    [
      s.serviceId,
      s.partnerId,
      s.name,
      s.merchantPublicKeyPem,
      s.merchantKeyId,
      JSON.stringify(s.domains),
      s.healthUrl,
      s.createdAt,
    ],
  );
}

export async function findService(q: Queryable, serviceId: string): Promise<CheckoutService | undefined> {
  const rows = await q.query('SELECT * FROM checkout_services WHERE service_id = $1', [serviceId]);
  return rows[0] ? toService(rows[0]) : undefined;
}

export async function listServices(
  q: Queryable,
  filter: { partnerId?: string } = {},
): Promise<CheckoutService[]> {
  const rows = filter.partnerId
    ? await q.query('SELECT * FROM checkout_services WHERE partner_id = $1 ORDER BY created_at, service_id', [
        filter.partnerId,
      ])
    : await q.query('SELECT * FROM checkout_services ORDER BY created_at, service_id');
  return rows.map(toService);
}
