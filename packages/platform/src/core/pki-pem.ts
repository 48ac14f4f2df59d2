// PEM blocks, certificates and their SHA-256 fingerprints (one of core/pki.ts's jobs).
import 'reflect-metadata';
import { createHash, type KeyObject, X509Certificate as NodeX509Certificate, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { invalidInput } from './errors.ts';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export const MAX_PEM_LENGTH = 64 * 1024;

export const pemBlockRe = /-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\s]*?)-----END \1-----/g;

export function pemBlocks(text: string): { label: string; der: Buffer }[] {
  return [...text.matchAll(pemBlockRe)].map((m) => ({
    label: m[1] ?? '',
    der: Buffer.from((m[2] ?? '').replace(/\s+/g, ''), 'base64'),
  }));
}

export function toPem(label: string, der: Buffer | ArrayBuffer): string {
  const b64 = Buffer.from(der as ArrayBuffer).toString('base64');
  return `-----BEGIN ${label}-----\n${b64.replace(/.{1,64}/g, '$&\n')}-----END ${label}-----\n`;
}

export function describeWrongPem(text: string, expected: string): string {
  if (text.length > MAX_PEM_LENGTH) return `is too long to be a ${expected}`;
  const labels = pemBlocks(text).map((b) => b.label);
  // Never echo the content: it could be a private key pasted by mistake.
  if (labels.some((l) => l.includes('PRIVATE KEY')))
    return `contains a private key, not a ${expected}: never send a private key`;
  if (labels.length) return `is a PEM ${labels[0]}, not a ${expected}`;
  return `is not a PEM ${expected} (expected -----BEGIN ${expected.toUpperCase()}-----)`;
}

/** Lower-case hex SHA-256 over the DER certificate (PEM or DER input). */
export function fingerprint256(certificate: string | Buffer): string {
  const der = typeof certificate === 'string' ? certificateDer(certificate) : certificate;
  return createHash('sha256').update(der).digest('hex');
}

export function certificateDer(pem: string): Buffer {
  const block = pemBlocks(pem).find((b) => b.label === 'CERTIFICATE');
  if (!block) throw invalidInput(`certificate ${describeWrongPem(pem, 'certificate')}`);
  return block.der;
}

/** Every certificate of a PEM bundle, re-encoded as clean PEM; throws INVALID_INPUT when there is none. */
export function splitCertificates(pemBundle: string, what = 'certificate'): string[] {
  if (pemBundle.length > MAX_PEM_LENGTH) throw invalidInput(`${what} is too long`);
  const blocks = pemBlocks(pemBundle).filter((b) => b.label === 'CERTIFICATE');
  if (blocks.length === 0) throw invalidInput(`${what} ${describeWrongPem(pemBundle, 'certificate')}`);
  return blocks.map((b) => {
    try {
      new NodeX509Certificate(b.der);
    } catch {
      throw invalidInput(`${what} is not a readable X.509 certificate`);
    }
    return toPem('CERTIFICATE', b.der);
  });
}

export interface CertificateInfo {
  subject: string;
  issuer: string;
  serialNumber: string;
  fingerprint256: string;
  notBefore: number;
  notAfter: number;
  isCa: boolean;
  /** Extended key usage OIDs; undefined when the certificate has no EKU extension (any usage). */
  extendedKeyUsage: string[] | undefined;
  publicKey: KeyObject;
}

/** Reads the first certificate of a PEM text; throws INVALID_INPUT for anything else. */
export function readCertificate(pem: string, what = 'certificate'): CertificateInfo {
  const first = splitCertificates(pem, what)[0] as string;
  const node = new NodeX509Certificate(first);
  const cert = new x509.X509Certificate(first);
  return {
    subject: node.subject.replace(/\n/g, ', '),
    issuer: node.issuer.replace(/\n/g, ', '),
    serialNumber: node.serialNumber,
    fingerprint256: fingerprint256(first),
    notBefore: cert.notBefore.getTime(),
    notAfter: cert.notAfter.getTime(),
    isCa: node.ca,
    extendedKeyUsage: node.keyUsage,
    publicKey: node.publicKey,
  };
}

/** True when `certPem` was issued (name and signature) by `issuerPem`. */
export function isIssuedBy(certPem: string, issuerPem: string): boolean {
  const cert = new NodeX509Certificate(certPem);
  const issuer = new NodeX509Certificate(issuerPem);
  return cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
}
