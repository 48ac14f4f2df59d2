import type { AppContext } from '../core/context.ts';
import type { Queryable } from '../core/db.ts';
import { isPlatformError, notFound, PlatformError } from '../core/errors.ts';
import { newAlphanumericId } from '../core/ids.ts';
import { readCertificate } from '../core/pki.ts';
import type { Partner, PartnerCertificate } from './store.ts';
import * as store from './store.ts';

/** What onboarding needs from the app context. */
export type PartnerDeps = Pick<AppContext, 'db' | 'keys' | 'pki' | 'clock' | 'state'>;

export const platformKeyContext = (partnerId: string) => `partner_platform_keys:${partnerId}`;
export const outboundKeyContext = (partnerId: string) => `partner_outbound_identities:${partnerId}`;

/** Runs a check whose INVALID_INPUT errors are about one field, and names that field. */
export async function inField<T>(field: string, run: () => Promise<T> | T): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (isPlatformError(err) && err.code === 'INVALID_INPUT' && !err.details) {
      throw new PlatformError('INVALID_INPUT', `${field}: ${err.message}`, {
        details: [{ field, reason: err.message }],
      });
    }
    throw err;
  }
}

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === '23505';
}

/** Retries a transaction whose random id collided with an existing one (unique violation). */
export async function withFreshIds<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (err) {
      if (!isUniqueViolation(err) || attempt >= 5) throw err;
    }
  }
}

export async function newCertificateId(q: Queryable): Promise<string> {
  for (let i = 0; i < 20; i++) {
    const id = newAlphanumericId(4);
    if (!(await store.certificateIdExists(q, id))) return id;
  }
  throw new PlatformError('CONFLICT', 'could not allocate a certificate id; retry');
}

export async function requirePartner(
  q: Queryable,
  partnerId: string,
  opts: { lock?: boolean } = {},
): Promise<Partner> {
  const partner = opts.lock ? await store.lockPartner(q, partnerId) : await store.findPartner(q, partnerId);
  if (!partner) throw notFound(`partner ${partnerId}`);
  return partner;
}

export function requireActive(partner: Partner): void {
  if (partner.status !== 'active')
    throw new PlatformError('CONFLICT', `partner ${partner.partnerId} is revoked`);
}

/** A client certificate signed from the partner's CSR (RSA >= 2048: it also signs ATW tokens). */
export async function issueClientCertificate(deps: PartnerDeps, csrPem: string) {
  return inField('csrPem', () => deps.pki.signClientCsr(csrPem));
}

/** Stores a client certificate the sandbox CA issued, under its new certificate id. */
export async function insertClientCertificate(
  tx: Queryable,
  ids: { partnerId: string; certificateId: string },
  client: Awaited<ReturnType<typeof issueClientCertificate>>,
  createdAt: number,
): Promise<void> {
  await store.insertCertificate(tx, {
    ...ids,
    fingerprint256: client.fingerprint256,
    serialNumber: client.serialNumber,
    subject: client.subject,
    certificatePem: client.certificatePem,
    notAfter: client.notAfter,
    createdAt,
  });
}

// --- views --------------------------------------------------------------------------------------

export interface CertificateView {
  certificateId: string;
  status: 'active' | 'revoked';
  fingerprint256: string;
  serialNumber: string;
  subject: string;
  notAfter: number;
  createdAt: number;
  revokedAt: number | null;
}

export interface PartnerSummary {
  partnerId: string;
  name: string;
  status: Partner['status'];
  notifyUrl: string | null;
  allowIps: string[];
  options: Partner['options'];
  /** Strict mode: deviations refused instead of warned about (docs/compatibility.md). */
  strict: boolean;
  createdAt: number;
  revokedAt: number | null;
}

export interface PartnerDetails extends PartnerSummary {
  certificates: CertificateView[];
  platformCertificatePem: string | null;
  outbound: {
    csrPem: string | null;
    certificatePem: string | null;
    /** True once a certificate from the partner's CA is registered for the outbound key. */
    configured: boolean;
    partnerCaFingerprints: string[];
  };
  serverTrust: { source: Partner['serverCaSource']; caFingerprints: string[] };
}

export function certificateView(c: PartnerCertificate): CertificateView {
  return {
    certificateId: c.certificateId,
    status: c.revokedAt === null ? 'active' : 'revoked',
    fingerprint256: c.fingerprint256,
    serialNumber: c.serialNumber,
    subject: c.subject,
    notAfter: c.notAfter,
    createdAt: c.createdAt,
    revokedAt: c.revokedAt,
  };
}

export function summary(p: Partner): PartnerSummary {
  return {
    partnerId: p.partnerId,
    name: p.name,
    status: p.status,
    notifyUrl: p.notifyUrl,
    allowIps: p.allowIps,
    options: p.options,
    strict: p.strict,
    createdAt: p.createdAt,
    revokedAt: p.revokedAt,
  };
}

export const fingerprints = (pems: string[]) => pems.map((p) => readCertificate(p).fingerprint256);
