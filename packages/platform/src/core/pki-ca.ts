// Certificate authorities: created, and issuing client, server, signing and encryption
// certificates from CSRs or public keys, with validity windows that cover the sandbox clock.
import 'reflect-metadata';
import {
  createPublicKey,
  type KeyObject,
  X509Certificate as NodeX509Certificate,
  randomBytes,
  webcrypto,
} from 'node:crypto';
import { isIP } from 'node:net';
import * as x509 from '@peculiar/x509';
import type { Clock } from './clock.ts';
import { invalidInput } from './errors.ts';
import { jsonName, parseCsr } from './pki-csr.ts';
import {
  generateEcKeyPair,
  generateRsaKeyPair,
  importKeyPair,
  MIN_RSA_BITS,
  readPrivateKey,
  type SigningAlgorithm,
} from './pki-keys.ts';
import { fingerprint256, readCertificate, splitCertificates, toPem } from './pki-pem.ts';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const DAY_MS = 86_400_000;
// X.509 validity is checked by TLS stacks against the machine's real clock, not the sandbox clock;
// windows therefore cover both (the sandbox clock may have been moved forward) with an hour of skew.
const SKEW_MS = 3_600_000;

export interface IssuedCertificate {
  certificatePem: string;
  /** Upper-case hex, as Node's X509Certificate prints it. */
  serialNumber: string;
  /** Lower-case hex SHA-256 of the DER certificate (see {@link fingerprint256}). */
  fingerprint256: string;
  /** Epoch ms. */
  notAfter: number;
  subject: string;
}

/** What a certificate may be used for; decides its extensions. */
export type CertificateUsage = 'client' | 'server' | 'signing' | 'encryption';

export interface IssueOptions {
  publicKeyPem: string;
  commonName: string;
  usage: CertificateUsage;
  /** DNS names and IP addresses (server certificates). */
  hostnames?: string[];
  days?: number;
  clock?: Clock;
}

/** A certificate authority as files hold it: the certificate and its private key (PEM). */
export interface CaMaterial {
  certificatePem: string;
  privateKeyPem: string;
}

export function randomSerial(): string {
  const bytes = randomBytes(16);
  // Positive and without a leading zero byte, so every tool prints the same serial.
  bytes[0] = ((bytes[0] ?? 1) & 0x7f) | 0x40;
  return bytes.toString('hex');
}

export function validity(days: number, clock?: Clock): { notBefore: Date; notAfter: Date } {
  const real = Date.now();
  const sandbox = clock?.now() ?? real;
  return {
    notBefore: new Date(Math.min(real, sandbox) - SKEW_MS),
    notAfter: new Date(Math.max(real, sandbox) + days * DAY_MS),
  };
}

export function subjectAltNames(hostnames: string[]): x509.JsonGeneralNames {
  return [...new Set(hostnames)].map((h) => (isIP(h) ? { type: 'ip', value: h } : { type: 'dns', value: h }));
}

export function toIssued(cert: x509.X509Certificate): IssuedCertificate {
  const pem = toPem('CERTIFICATE', cert.rawData);
  const node = new NodeX509Certificate(pem);
  return {
    certificatePem: pem,
    serialNumber: node.serialNumber,
    fingerprint256: fingerprint256(pem),
    notAfter: cert.notAfter.getTime(),
    subject: node.subject.replace(/\n/g, ', '),
  };
}

/** A CA loaded for signing: its certificate and a non-extractable signing key. */
export class CertificateAuthority {
  private constructor(
    readonly certificatePem: string,
    private readonly cert: x509.X509Certificate,
    private readonly signingKey: CryptoKey,
    private readonly alg: SigningAlgorithm,
  ) {}

  /** Loads a CA after checking that the certificate is a CA and that the key belongs to it. */
  static async load(ca: CaMaterial): Promise<CertificateAuthority> {
    const [first] = splitCertificates(ca.certificatePem, 'CA certificate');
    const info = readCertificate(first as string, 'CA certificate');
    if (!info.isCa) throw invalidInput('CA certificate is not a CA (basicConstraints CA:TRUE is missing)');
    const key = readPrivateKey(ca.privateKeyPem, 'CA key');
    const bits = key.asymmetricKeyType === 'rsa' ? (key.asymmetricKeyDetails?.modulusLength ?? 0) : undefined;
    if (bits !== undefined && bits < MIN_RSA_BITS)
      throw invalidInput(`CA key is RSA-${bits}: at least ${MIN_RSA_BITS} bits are required`);
    if (!createPublicKey(key).equals(info.publicKey))
      throw invalidInput('CA key does not belong to the CA certificate');
    const { keys, alg } = await importKeyPair(ca.privateKeyPem);
    return new CertificateAuthority(
      first as string,
      new x509.X509Certificate(first as string),
      keys.privateKey,
      alg,
    );
  }

  /** Issues a certificate for `publicKeyPem` with the extensions of `usage`. */
  async issue(options: IssueOptions): Promise<IssuedCertificate> {
    const publicKey = createPublicKey(options.publicKeyPem);
    return this.#issue(
      publicKey,
      jsonName(options.commonName, 'Cardport sandbox'),
      options.usage,
      options.hostnames,
      options.days,
      options.clock,
    );
  }

  /**
   * Signs a CSR (signature verified; RSA >= `minRsaBits` unless `anyKey`), keeping its subject.
   * Server certificates get the given hostnames as SANs.
   */
  async signCsr(
    csrPem: string,
    options: {
      usage: 'client' | 'server';
      hostnames?: string[];
      days?: number;
      clock?: Clock;
      minRsaBits?: number;
      anyKey?: boolean;
    },
  ): Promise<IssuedCertificate> {
    const parsed = await parseCsr(csrPem, {
      ...(options.minRsaBits === undefined ? {} : { minRsaBits: options.minRsaBits }),
      ...(options.anyKey === undefined ? {} : { anyKey: options.anyKey }),
    });
    return this.#issue(
      parsed.publicKey,
      parsed.subject ? parsed.subjectName : jsonName('partner'),
      options.usage,
      options.hostnames,
      options.days,
      options.clock,
    );
  }

  async #issue(
    publicKey: KeyObject,
    subject: x509.Name | x509.JsonName,
    usage: CertificateUsage,
    hostnames: string[] | undefined,
    days = 825,
    clock?: Clock,
  ): Promise<IssuedCertificate> {
    const spki = publicKey.export({ type: 'spki', format: 'der' });
    const x509Public = new x509.PublicKey(spki);
    const caKeyId = this.cert.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId;
    const flags = x509.KeyUsageFlags;
    const usageExtensions: Record<CertificateUsage, x509.Extension[]> = {
      client: [
        new x509.KeyUsagesExtension(flags.digitalSignature | flags.keyEncipherment, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
      ],
      server: [
        new x509.KeyUsagesExtension(flags.digitalSignature | flags.keyEncipherment, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
        new x509.SubjectAlternativeNameExtension(subjectAltNames(hostnames ?? [])),
      ],
      signing: [new x509.KeyUsagesExtension(flags.digitalSignature | flags.nonRepudiation, true)],
      encryption: [new x509.KeyUsagesExtension(flags.keyEncipherment | flags.dataEncipherment, true)],
    };
    if (usage === 'server' && !hostnames?.length) throw new TypeError('a server certificate needs hostnames');
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: randomSerial(),
      subject,
      issuer: this.cert.subjectName,
      ...validity(days, clock),
      publicKey: x509Public,
      signingKey: this.signingKey,
      signingAlgorithm: this.alg,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        ...usageExtensions[usage],
        await x509.SubjectKeyIdentifierExtension.create(x509Public),
        caKeyId
          ? new x509.AuthorityKeyIdentifierExtension(caKeyId)
          : await x509.AuthorityKeyIdentifierExtension.create(this.cert.publicKey),
      ],
    });
    return toIssued(cert);
  }
}

/** Creates a self-signed CA (certificate + PKCS#8 key, PEM); RSA-2048 unless `keyType` says EC P-256. */
export async function createCa(options: {
  commonName: string;
  organization?: string;
  days?: number;
  clock?: Clock;
  keyType?: 'rsa' | 'ec';
}): Promise<CaMaterial> {
  const pair = options.keyType === 'ec' ? await generateEcKeyPair() : await generateRsaKeyPair(MIN_RSA_BITS);
  const { keys, alg } = await importKeyPair(pair.privateKeyPem);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: jsonName(options.commonName, options.organization),
    ...validity(options.days ?? 3650, options.clock),
    keys,
    signingAlgorithm: alg,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certificatePem: toPem('CERTIFICATE', cert.rawData), privateKeyPem: pair.privateKeyPem };
}

/** Signs a CSR with a given CA (e.g. the partner's CA signing the platform's outbound CSR). */
export async function signCsr(
  ca: CaMaterial,
  csrPem: string,
  options: { usage: 'client' | 'server'; hostnames?: string[]; days?: number; clock?: Clock },
): Promise<IssuedCertificate> {
  return (await CertificateAuthority.load(ca)).signCsr(csrPem, options);
}

/** Issues a certificate from a given CA for a public key (no CSR needed). */
export async function issueCertificate(ca: CaMaterial, options: IssueOptions): Promise<IssuedCertificate> {
  return (await CertificateAuthority.load(ca)).issue(options);
}
