// The sandbox PKI (seed 001 §3.4.3-3.4.5): a root CA created on first start, the mTLS listener's
// server certificate, client certificates signed from partners' CSRs. Key generation is async
// (thread pool) and only happens at startup or onboarding, never on a request's hot path.
//
// This file is also the PKI's public face: the helpers the CLI and tests use locally live by job
// in pki-pem.ts (PEM, fingerprints), pki-keys.ts, pki-csr.ts and pki-ca.ts, re-exported here.
import type { Clock } from './clock.ts';
import type { Queryable } from './db.ts';
import { PlatformError } from './errors.ts';
import type { KeyStore, NewKey } from './keystore.ts';
import { CertificateAuthority, createCa, type IssuedCertificate, type IssueOptions } from './pki-ca.ts';
import { generateRsaKeyPair, MIN_RSA_BITS } from './pki-keys.ts';

/** KeyStore names of the platform-wide keys. */
export const ROOT_CA_KEY_NAME = 'sandbox-root-ca';
/** PROTOCOLS.md 3.1: the key that signs the platform's AUTH tokens to partners. */
export const PLATFORM_AUTH_KEY_NAME = 'platform-auth';
const SERVER_KEY_PREFIX = 'mtls-server:';

export interface SandboxPki {
  /** The sandbox root CA certificate (PEM). */
  readonly rootCaCertPem: string;
  /** TLS identity of the platform's mTLS listener, issued by the root CA. */
  readonly serverCertPem: string;
  readonly serverKeyPem: string;
  /**
   * Signs a PKCS#10 CSR with the root CA into a client certificate (clientAuth). The CSR's
   * signature is verified and its key must be RSA >= 2048: the same certificate is the
   * partner's ATW signing certificate (RS256). Bad input throws INVALID_INPUT.
   */
  signClientCsr(csrPem: string, options?: { days?: number }): Promise<IssuedCertificate>;
  /** Issues a certificate from the root CA for a public key the platform generated itself. */
  issueCertificate(options: IssueOptions): Promise<IssuedCertificate>;
}

export {
  type CaMaterial,
  CertificateAuthority,
  type CertificateUsage,
  createCa,
  type IssuedCertificate,
  type IssueOptions,
  issueCertificate,
  signCsr,
} from './pki-ca.ts';
export { createCsr, generateKeyAndCsr, type ParsedCsr, parseCsr } from './pki-csr.ts';
export { generateRsaKeyPair, type KeyPairPem, MIN_RSA_BITS } from './pki-keys.ts';
export {
  type CertificateInfo,
  fingerprint256,
  isIssuedBy,
  readCertificate,
  splitCertificates,
} from './pki-pem.ts';

/** SANs of the mTLS server certificate: loopback names always, plus the configured host(s). */
export function serverHostnames(hostnames: string[]): string[] {
  const unspecified = new Set(['0.0.0.0', '::', '']);
  const names = ['localhost', '127.0.0.1', '::1', ...hostnames.map((h) => h.trim().toLowerCase())];
  return [...new Set(names.filter((h) => !unspecified.has(h)))].sort();
}

function requireStored(
  key: { certificatePem?: string | undefined; privateKeyPem?: string | undefined },
  name: string,
) {
  if (!key.certificatePem || !key.privateKeyPem)
    throw new PlatformError('BAD_CONFIG', `key store entry ${name} lacks its certificate or private key`);
  return { certificatePem: key.certificatePem, privateKeyPem: key.privateKeyPem };
}

async function issuedKey(
  ca: CertificateAuthority,
  options: Omit<IssueOptions, 'publicKeyPem'>,
): Promise<NewKey> {
  const pair = await generateRsaKeyPair(MIN_RSA_BITS);
  const cert = await ca.issue({ ...options, publicKeyPem: pair.publicKeyPem });
  return {
    privateKeyPem: pair.privateKeyPem,
    publicKeyPem: pair.publicKeyPem,
    certificatePem: cert.certificatePem,
  };
}

/**
 * Loads the sandbox PKI, creating on first start (first writer wins across processes): the root
 * CA, the mTLS server certificate for `hostnames` (plus localhost/127.0.0.1/::1), and the
 * platform AUTH signing key. Private keys are sealed at rest by the KeyStore.
 */
export async function loadSandboxPki(
  q: Queryable,
  keys: KeyStore,
  options: { hostnames: string[]; clock: Clock },
): Promise<SandboxPki> {
  const { clock } = options;
  const root = requireStored(
    await keys.getOrCreate(q, ROOT_CA_KEY_NAME, () =>
      createCa({ commonName: 'Cardport Sandbox Root CA', organization: 'Cardport sandbox', clock }),
    ),
    ROOT_CA_KEY_NAME,
  );
  const ca = await CertificateAuthority.load(root);
  const hostnames = serverHostnames(options.hostnames);
  // One server certificate per set of names: changing CARDPORT_HOST issues a new one.
  const serverName = `${SERVER_KEY_PREFIX}${hostnames.join(',')}`;
  const server = requireStored(
    await keys.getOrCreate(q, serverName, () =>
      issuedKey(ca, { commonName: 'Cardport mTLS listener', usage: 'server', hostnames, clock }),
    ),
    serverName,
  );
  requireStored(
    await keys.getOrCreate(q, PLATFORM_AUTH_KEY_NAME, () =>
      issuedKey(ca, { commonName: 'Cardport platform AUTH', usage: 'signing', clock }),
    ),
    PLATFORM_AUTH_KEY_NAME,
  );
  return {
    rootCaCertPem: root.certificatePem,
    serverCertPem: server.certificatePem,
    serverKeyPem: server.privateKeyPem,
    signClientCsr: (csrPem, signOptions = {}) =>
      ca.signCsr(csrPem, { usage: 'client', clock, ...(signOptions.days ? { days: signOptions.days } : {}) }),
    issueCertificate: (issue) => ca.issue({ clock, ...issue }),
  };
}
