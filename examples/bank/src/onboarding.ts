// One-time onboarding through the platform's admin API (what a bank does in the Partner Portal):
// a key and CSR, the partner, then outbound mutual TLS the real way: a partner CA made locally
// signs the platform's outbound CSR (uploaded with that CA, which the platform then trusts for the
// bank's server certificate) and issues the bank's HTTPS server certificate. Kept under
// $CARDPORT_HOME/demos/bank/identity.json so restarts reuse it; every start checks it against the
// platform and repairs what is missing (a reset platform, a revoked partner, an identity saved by
// the older plain-HTTP demo, certificates close to expiry). At runtime the demo uses only the SDK.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createCsr,
  createPartnerCa,
  fingerprint256,
  issuedBy,
  issueServerCertificate,
  type KeyAndCertificate,
  type PartnerCa,
  rsaKeyPair,
  signClientCsr,
  validFor,
} from './partner-ca.ts';

const BANK_NAME = 'Cardport Demo Bank';
/** Names in the bank's server certificate: the notify URL is https://127.0.0.1:<port>. */
export const SERVER_HOSTNAMES = ['localhost', '127.0.0.1', '::1'];
/** Certificates are renewed when they have less than this left. */
const RENEW_MARGIN_MS = 30 * 86_400_000;

export interface BankIdentity {
  /** 2: with the outbound mTLS material. Files without it were written by the plain-HTTP demo. */
  version: 2;
  partnerId: string;
  /** Inbound mTLS (bank → platform): the bank's client key and the certificate the sandbox CA issued. */
  keyPem: string;
  certificatePem: string;
  /** The sandbox CA: verifies the platform's mTLS listener. */
  caCertificatePem: string;
  /** Outbound mTLS (platform → bank): the bank's own CA; it signed the platform's client certificate. */
  partnerCa: PartnerCa;
  /** The notification server's certificate (localhost, 127.0.0.1, ::1), issued by `partnerCa`. */
  server: KeyAndCertificate;
  /** The notify URL the platform has for this partner (null when none). */
  notifyUrl: string | null;
}

/** The saved file: the current shape, or the plain-HTTP demo's (no partnerCa, no server). */
type SavedIdentity = Partial<BankIdentity> & { partnerId?: string };

interface PartnerDetails {
  partnerId: string;
  status: 'active' | 'revoked';
  notifyUrl: string | null;
  outbound: {
    csrPem: string | null;
    certificatePem: string | null;
    configured: boolean;
    partnerCaFingerprints: string[];
  };
  serverTrust: { source: 'given' | 'outbound-ca' | null; caFingerprints: string[] };
}

export interface OnboardingOptions {
  /** The platform's main URL (admin API). */
  platformUrl: string;
  /** $CARDPORT_HOME: the identity lives in demos/bank/ under it. */
  home: string;
  /** The admin token; read from $CARDPORT_HOME/admin-token when not given. */
  adminToken?: string;
}

type Admin = <T>(method: string, path: string, body?: unknown) => Promise<T>;

function adminClient(options: OnboardingOptions): Admin {
  const token = options.adminToken ?? readFileSync(join(options.home, 'admin-token'), 'utf8').trim();
  return async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${options.platformUrl}/admin/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok) {
      throw Object.assign(new Error(`${method} /admin/v1${path}: HTTP ${res.status} ${text.slice(0, 300)}`), {
        status: res.status,
      });
    }
    return (text ? JSON.parse(text) : {}) as T;
  };
}

const identityFile = (home: string) => join(home, 'demos', 'bank', 'identity.json');

function save(home: string, identity: BankIdentity): void {
  const file = identityFile(home);
  mkdirSync(join(home, 'demos', 'bank'), { recursive: true, mode: 0o700 });
  // Written aside then renamed: a crash never leaves half a file with keys in it.
  writeFileSync(`${file}.tmp`, `${JSON.stringify(identity, null, 2)}\n`, { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}

function load(home: string): SavedIdentity | undefined {
  const file = identityFile(home);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as SavedIdentity;
  } catch {
    return undefined; // unreadable: onboard again
  }
}

/** The partner as the platform knows it; undefined when it is gone (platform reset). */
async function fetchPartner(admin: Admin, partnerId: string): Promise<PartnerDetails | undefined> {
  try {
    return await admin<PartnerDetails>('GET', `/partners/${encodeURIComponent(partnerId)}`);
  } catch (err) {
    if ((err as { status?: number }).status === 404) return undefined;
    throw err;
  }
}

/**
 * Reads the saved identity or onboards, and makes sure outbound mTLS is in place: the platform
 * holds a client certificate from this bank's CA and trusts that CA for the bank's server. Set the
 * notify URL with {@link registerNotifyUrl} once the notification server listens.
 */
export async function ensureOnboarded(options: OnboardingOptions): Promise<BankIdentity> {
  const admin = adminClient(options);
  const saved = load(options.home);
  let partner = saved?.partnerId ? await fetchPartner(admin, saved.partnerId) : undefined;
  // A partner we cannot use is replaced: revoked, without an outbound identity, or pinned to a
  // server CA that is not ours (the admin API cannot change that one).
  const caFp = saved?.partnerCa ? fingerprint256(saved.partnerCa.certificatePem) : undefined;
  if (
    partner &&
    (partner.status !== 'active' ||
      !partner.outbound.csrPem ||
      (partner.serverTrust.source === 'given' &&
        !(caFp && partner.serverTrust.caFingerprints.includes(caFp))))
  ) {
    partner = undefined;
  }

  let inbound: Pick<BankIdentity, 'partnerId' | 'keyPem' | 'certificatePem' | 'caCertificatePem'>;
  if (partner && saved?.keyPem && saved.certificatePem && saved.caCertificatePem) {
    inbound = {
      partnerId: partner.partnerId,
      keyPem: saved.keyPem,
      certificatePem: saved.certificatePem,
      caCertificatePem: saved.caCertificatePem,
    };
  } else {
    const pair = await rsaKeyPair();
    const created = await admin<{
      partnerId: string;
      clientCertificatePem: string;
      caCertificatePem: string;
    }>('POST', '/partners', {
      name: BANK_NAME,
      csrPem: await createCsr(pair.privateKeyPem, pair.publicKeyPem, BANK_NAME),
    });
    inbound = {
      partnerId: created.partnerId,
      keyPem: pair.privateKeyPem,
      certificatePem: created.clientCertificatePem,
      caCertificatePem: created.caCertificatePem,
    };
    partner = await admin<PartnerDetails>('GET', `/partners/${created.partnerId}`);
  }

  // The bank's CA: kept while valid, so the platform's trust in it survives restarts.
  const partnerCa =
    saved?.partnerCa && validFor(saved.partnerCa.certificatePem, RENEW_MARGIN_MS)
      ? saved.partnerCa
      : await createPartnerCa(`${BANK_NAME} partner CA`);
  const partnerCaFp = fingerprint256(partnerCa.certificatePem);

  // The platform's outbound client certificate, signed by that CA (again when it changed or is old).
  const outboundOk =
    partner.outbound.configured &&
    partner.outbound.partnerCaFingerprints.includes(partnerCaFp) &&
    partner.outbound.certificatePem !== null &&
    issuedBy(partner.outbound.certificatePem, partnerCa.certificatePem) &&
    validFor(partner.outbound.certificatePem, RENEW_MARGIN_MS);
  if (!outboundOk) {
    const certificatePem = await signClientCsr(partnerCa, partner.outbound.csrPem as string);
    partner = await admin<PartnerDetails>('POST', `/partners/${inbound.partnerId}/outbound-certificate`, {
      certificatePem,
      partnerCaPem: partnerCa.certificatePem,
    });
  }
  if (!partner.serverTrust.caFingerprints.includes(partnerCaFp)) {
    throw new Error(`partner ${inbound.partnerId} does not trust the bank's CA for its server certificate`);
  }

  // The notification server's certificate, from the same CA.
  const server =
    saved?.server &&
    issuedBy(saved.server.certificatePem, partnerCa.certificatePem) &&
    validFor(saved.server.certificatePem, RENEW_MARGIN_MS)
      ? saved.server
      : await issueServerCertificate(partnerCa, `${BANK_NAME} notifications`, SERVER_HOSTNAMES);

  const identity: BankIdentity = {
    version: 2,
    ...inbound,
    partnerCa,
    server,
    notifyUrl: partner.notifyUrl,
  };
  save(options.home, identity);
  return identity;
}

/** Points the platform's notifications at `notifyUrl` (a base URL: it appends /notifications). */
export async function registerNotifyUrl(
  options: OnboardingOptions,
  identity: BankIdentity,
  notifyUrl: string,
): Promise<BankIdentity> {
  if (identity.notifyUrl === notifyUrl) return identity;
  await adminClient(options)('PATCH', `/partners/${identity.partnerId}`, { notifyUrl });
  const updated = { ...identity, notifyUrl };
  save(options.home, updated);
  return updated;
}
