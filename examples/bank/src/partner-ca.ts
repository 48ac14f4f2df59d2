// The bank's own small CA for outbound mutual TLS (platform → bank), made locally with
// @peculiar/x509: it signs the platform's outbound client CSR and issues the bank's HTTPS server
// certificate for the notification endpoint. Its key never leaves $CARDPORT_HOME/demos/bank/.
import { createHash, generateKeyPair, randomBytes, webcrypto, X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { promisify } from 'node:util';
import type * as X509 from '@peculiar/x509';

export interface PartnerCa {
  certificatePem: string;
  privateKeyPem: string;
}

export interface KeyAndCertificate {
  certificatePem: string;
  keyPem: string;
}

const alg = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
const DAY_MS = 86_400_000;
// Certificates start a little in the past so that a peer's clock skew does not refuse them.
const SKEW_MS = 5 * 60_000;

/**
 * @peculiar/x509 (with reflect-metadata, which it needs) is loaded when a certificate is first
 * made: a restart with a saved identity makes none, and the demo stays about 17 MB smaller.
 */
async function x509Library(): Promise<typeof X509> {
  await import('reflect-metadata');
  const x509 = await import('@peculiar/x509');
  x509.cryptoProvider.set(webcrypto as unknown as Crypto);
  return x509;
}

const der = (pem: string) => Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');

export async function rsaKeyPair(): Promise<{ privateKeyPem: string; publicKeyPem: string }> {
  const { privateKey, publicKey } = await promisify(generateKeyPair)('rsa', { modulusLength: 2048 });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

async function importKeys(privateKeyPem: string, publicKeyPem: string): Promise<CryptoKeyPair> {
  return {
    privateKey: (await webcrypto.subtle.importKey('pkcs8', der(privateKeyPem), alg, true, [
      'sign',
    ])) as unknown as CryptoKey,
    publicKey: (await webcrypto.subtle.importKey('spki', der(publicKeyPem), alg, true, [
      'verify',
    ])) as unknown as CryptoKey,
  };
}

function serial(): string {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] ?? 1) & 0x7f) | 0x40;
  return bytes.toString('hex');
}

function validity(days: number): { notBefore: Date; notAfter: Date } {
  const now = Date.now();
  return { notBefore: new Date(now - SKEW_MS), notAfter: new Date(now + days * DAY_MS) };
}

/** A CSR for `keyPem` (the bank's client certificate request to the platform). */
export async function createCsr(keyPem: string, publicKeyPem: string, commonName: string): Promise<string> {
  const x509 = await x509Library();
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: `CN=${commonName}`,
    keys: await importKeys(keyPem, publicKeyPem),
    signingAlgorithm: alg,
  });
  return csr.toString('pem');
}

/** A self-signed RSA-2048 CA, valid ten years. */
export async function createPartnerCa(commonName: string): Promise<PartnerCa> {
  const x509 = await x509Library();
  const pair = await rsaKeyPair();
  const keys = await importKeys(pair.privateKeyPem, pair.publicKeyPem);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${commonName}`,
    ...validity(3650),
    keys,
    signingAlgorithm: alg,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certificatePem: cert.toString('pem'), privateKeyPem: pair.privateKeyPem };
}

async function issue(
  ca: PartnerCa,
  subject: X509.Name | string,
  publicKey: X509.PublicKey,
  usage: 'client' | 'server',
  hostnames: string[] = [],
): Promise<string> {
  const x509 = await x509Library();
  const caCert = new x509.X509Certificate(ca.certificatePem);
  const signingKey = (await webcrypto.subtle.importKey('pkcs8', der(ca.privateKeyPem), alg, false, [
    'sign',
  ])) as unknown as CryptoKey;
  const flags = x509.KeyUsageFlags;
  const caKeyId = caCert.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject,
    issuer: caCert.subjectName,
    ...validity(825),
    publicKey,
    signingKey,
    signingAlgorithm: alg,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(flags.digitalSignature | flags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([
        usage === 'client' ? x509.ExtendedKeyUsage.clientAuth : x509.ExtendedKeyUsage.serverAuth,
      ]),
      ...(usage === 'server'
        ? [
            new x509.SubjectAlternativeNameExtension(
              hostnames.map((h) => ({ type: isIP(h) ? ('ip' as const) : ('dns' as const), value: h })),
            ),
          ]
        : []),
      await x509.SubjectKeyIdentifierExtension.create(publicKey),
      ...(caKeyId ? [new x509.AuthorityKeyIdentifierExtension(caKeyId)] : []),
    ],
  });
  return cert.toString('pem');
}

/**
 * Signs the platform's outbound CSR (signature checked) as a clientAuth certificate keeping its
 * subject: the platform presents it when it calls the bank.
 */
export async function signClientCsr(ca: PartnerCa, csrPem: string): Promise<string> {
  const x509 = await x509Library();
  const csr = new x509.Pkcs10CertificateRequest(csrPem);
  if (!(await csr.verify())) throw new Error('the outbound CSR signature does not verify');
  return issue(ca, csr.subjectName, csr.publicKey, 'client');
}

/** A fresh key and a serverAuth certificate for `hostnames`, issued by the partner CA. */
export async function issueServerCertificate(
  ca: PartnerCa,
  commonName: string,
  hostnames: string[],
): Promise<KeyAndCertificate> {
  const x509 = await x509Library();
  const pair = await rsaKeyPair();
  const publicKey = new x509.PublicKey(der(pair.publicKeyPem));
  const certificatePem = await issue(ca, `CN=${commonName}`, publicKey, 'server', hostnames);
  return { certificatePem, keyPem: pair.privateKeyPem };
}

/** Lower-case hex SHA-256 of the DER certificate (the platform's fingerprint format). */
export function fingerprint256(certificatePem: string): string {
  return createHash('sha256').update(new X509Certificate(certificatePem).raw).digest('hex');
}

/** True while the certificate is valid for at least `marginMs` more. */
export function validFor(certificatePem: string, marginMs: number): boolean {
  try {
    const cert = new X509Certificate(certificatePem);
    return new Date(cert.validTo).getTime() - Date.now() > marginMs;
  } catch {
    return false;
  }
}

/** True when `certificatePem` was signed by the CA certificate `caPem`. */
export function issuedBy(certificatePem: string, caPem: string): boolean {
  try {
    const cert = new X509Certificate(certificatePem);
    const ca = new X509Certificate(caPem);
    return cert.checkIssued(ca) && cert.verify(ca.publicKey);
  } catch {
    return false;
  }
}
