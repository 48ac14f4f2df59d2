// PLACEHOLDER: the PKI engineer replaces this file (interface first, implementation to follow).
import type { Clock } from './clock.ts';
import type { Queryable } from './db.ts';
import type { KeyStore } from './keystore.ts';

export interface IssuedCertificate {
  certificatePem: string;
  serialNumber: string;
  fingerprint256: string;
  notAfter: number;
}

export interface SandboxPki {
  /** The sandbox root CA certificate (PEM). */
  readonly rootCaCertPem: string;
  /** TLS identity of the platform's mTLS listener, issued by the root CA. */
  readonly serverCertPem: string;
  readonly serverKeyPem: string;
  /** Signs a PKCS#10 CSR with the root CA into a client certificate. */
  signClientCsr(csrPem: string, options?: { days?: number }): Promise<IssuedCertificate>;
}

export async function loadSandboxPki(
  _q: Queryable,
  _keys: KeyStore,
  _options: { hostnames: string[]; clock: Clock },
): Promise<SandboxPki> {
  throw new Error('loadSandboxPki is not implemented yet');
}
