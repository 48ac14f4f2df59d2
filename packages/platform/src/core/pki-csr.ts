// PKCS#10 certificate signing requests: parsed and checked (signature, RSA >= 2048), created.
import 'reflect-metadata';
import { createPublicKey, type KeyObject, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { invalidInput } from './errors.ts';
import { generateRsaKeyPair, importKeyPair, MIN_RSA_BITS } from './pki-keys.ts';
import { describeWrongPem, MAX_PEM_LENGTH, pemBlocks } from './pki-pem.ts';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export interface ParsedCsr {
  subject: string;
  /** The subject exactly as encoded in the CSR (kept byte for byte in the certificate). */
  subjectName: x509.Name;
  publicKeyPem: string;
  publicKey: KeyObject;
  /** Bits of the RSA modulus; undefined for other key types. */
  rsaBits: number | undefined;
}

/**
 * Parses a PEM PKCS#10 CSR, verifies its self-signature and, unless `anyKey`, requires an RSA key
 * of at least `minRsaBits`. Throws INVALID_INPUT with a message naming what is wrong.
 */
export async function parseCsr(
  csrPem: string,
  options: { minRsaBits?: number; anyKey?: boolean } = {},
): Promise<ParsedCsr> {
  const block =
    csrPem.length <= MAX_PEM_LENGTH
      ? pemBlocks(csrPem).find(
          (b) => b.label === 'CERTIFICATE REQUEST' || b.label === 'NEW CERTIFICATE REQUEST',
        )
      : undefined;
  if (!block) throw invalidInput(`CSR ${describeWrongPem(csrPem, 'certificate request')}`);
  let csr: x509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(new Uint8Array(block.der));
  } catch {
    throw invalidInput('CSR is not a readable PKCS#10 certificate request');
  }
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey({ key: Buffer.from(csr.publicKey.rawData), format: 'der', type: 'spki' });
  } catch {
    throw invalidInput('CSR holds a public key this platform cannot read');
  }
  const rsaBits =
    publicKey.asymmetricKeyType === 'rsa' ? publicKey.asymmetricKeyDetails?.modulusLength : undefined;
  if (!options.anyKey) {
    const min = options.minRsaBits ?? MIN_RSA_BITS;
    if (rsaBits === undefined)
      throw invalidInput(`CSR key must be RSA (at least ${min} bits), not ${publicKey.asymmetricKeyType}`);
    if (rsaBits < min) throw invalidInput(`CSR key is RSA-${rsaBits}: at least ${min} bits are required`);
  }
  let signatureOk = false;
  try {
    signatureOk = await csr.verify();
  } catch {
    signatureOk = false;
  }
  if (!signatureOk) throw invalidInput('CSR signature does not verify (corrupted or tampered request)');
  return {
    subject: csr.subject,
    subjectName: csr.subjectName,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    publicKey,
    rsaBits,
  };
}

/** A PEM CSR for `privateKeyPem`, subject `CN=commonName[, O=organization]`. */
export async function createCsr(options: {
  privateKeyPem: string;
  commonName: string;
  organization?: string;
}): Promise<string> {
  const { keys, alg } = await importKeyPair(options.privateKeyPem);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: jsonName(options.commonName, options.organization),
    keys,
    signingAlgorithm: alg,
  });
  return csr.toString('pem').replace(/\r\n/g, '\n').trimEnd().concat('\n');
}

/** Generates an RSA key and a CSR for it (what a partner does before onboarding). */
export async function generateKeyAndCsr(options: {
  commonName: string;
  organization?: string;
  bits?: number;
}): Promise<{ privateKeyPem: string; publicKeyPem: string; csrPem: string }> {
  const pair = await generateRsaKeyPair(options.bits);
  const csrPem = await createCsr({ ...options, privateKeyPem: pair.privateKeyPem });
  return { ...pair, csrPem };
}

// @peculiar/x509 re-parses JSON names as strings, so DN metacharacters would split a value:
// names are reduced to a safe alphabet (they are labels, never identifiers).
export function dnValue(text: string): string {
  const cleaned = text
    .replace(/[^A-Za-z0-9 ._@()'/:-]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 64);
  return cleaned || 'unnamed';
}

export function jsonName(commonName: string, organization?: string): x509.JsonName {
  return [{ CN: [dnValue(commonName)] }, ...(organization ? [{ O: [dnValue(organization)] }] : [])];
}
