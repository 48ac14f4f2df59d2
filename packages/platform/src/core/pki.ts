// The sandbox PKI (seed 001 §3.4.3-3.4.5): a root CA created on first start, the mTLS listener's
// server certificate, client certificates signed from partners' CSRs, and helpers that the CLI and
// tests use locally (keys, CSRs, CAs, fingerprints). Key generation is async (thread pool) and
// only happens at startup or onboarding, never on a request's hot path.
import 'reflect-metadata';
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPair,
  type KeyObject,
  X509Certificate as NodeX509Certificate,
  randomBytes,
  webcrypto,
} from 'node:crypto';
import { isIP } from 'node:net';
import { promisify } from 'node:util';
import * as x509 from '@peculiar/x509';
import type { Clock } from './clock.ts';
import type { Queryable } from './db.ts';
import { invalidInput, PlatformError } from './errors.ts';
import type { KeyStore, NewKey } from './keystore.ts';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

/** KeyStore names of the platform-wide keys. */
export const ROOT_CA_KEY_NAME = 'sandbox-root-ca';
/** PROTOCOLS.md 3.1: the key that signs the platform's AUTH tokens to partners. */
export const PLATFORM_AUTH_KEY_NAME = 'platform-auth';
const SERVER_KEY_PREFIX = 'mtls-server:';

/** RS256 and RSA1_5 need at least 2048-bit keys (RFC 7518 §3.3, §4.2). */
export const MIN_RSA_BITS = 2048;
const MAX_PEM_LENGTH = 64 * 1024;

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

export interface KeyPairPem {
  privateKeyPem: string;
  publicKeyPem: string;
}

// ---------------------------------------------------------------------------------------------
// PEM and fingerprints

const pemBlockRe = /-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\s]*?)-----END \1-----/g;

function pemBlocks(text: string): { label: string; der: Buffer }[] {
  return [...text.matchAll(pemBlockRe)].map((m) => ({
    label: m[1] ?? '',
    der: Buffer.from((m[2] ?? '').replace(/\s+/g, ''), 'base64'),
  }));
}

function toPem(label: string, der: Buffer | ArrayBuffer): string {
  const b64 = Buffer.from(der as ArrayBuffer).toString('base64');
  return `-----BEGIN ${label}-----\n${b64.replace(/.{1,64}/g, '$&\n')}-----END ${label}-----\n`;
}

function describeWrongPem(text: string, expected: string): string {
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

function certificateDer(pem: string): Buffer {
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

// ---------------------------------------------------------------------------------------------
// Keys

const generateKeyPairAsync = promisify(generateKeyPair);

/** A fresh RSA key pair as PEM (PKCS#8 private, SPKI public), generated off the event loop. */
export async function generateRsaKeyPair(bits = MIN_RSA_BITS): Promise<KeyPairPem> {
  const { privateKey, publicKey } = await generateKeyPairAsync('rsa', {
    modulusLength: bits,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}

async function generateEcKeyPair(): Promise<KeyPairPem> {
  const { privateKey, publicKey } = await generateKeyPairAsync('ec', {
    namedCurve: 'prime256v1',
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}

type SigningAlgorithm = RsaHashedImportParams | (EcKeyImportParams & { hash: string });

function signingAlgorithmFor(key: KeyObject): SigningAlgorithm {
  if (key.asymmetricKeyType === 'rsa') return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (curve === 'prime256v1') return { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
    if (curve === 'secp384r1') return { name: 'ECDSA', namedCurve: 'P-384', hash: 'SHA-384' };
  }
  throw invalidInput('unsupported signing key: use RSA, or EC on P-256 or P-384');
}

function readPrivateKey(privateKeyPem: string, what = 'private key'): KeyObject {
  if (privateKeyPem.length > MAX_PEM_LENGTH || !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(privateKeyPem)) {
    throw invalidInput(`${what} is not a PEM private key (an encrypted key must be decrypted first)`);
  }
  try {
    return createPrivateKey(privateKeyPem);
  } catch {
    throw invalidInput(`${what} is not a readable private key (an encrypted key must be decrypted first)`);
  }
}

async function importKeyPair(privateKeyPem: string): Promise<{ keys: CryptoKeyPair; alg: SigningAlgorithm }> {
  const privateKey = readPrivateKey(privateKeyPem);
  const alg = signingAlgorithmFor(privateKey);
  const subtle = webcrypto.subtle as unknown as SubtleCrypto;
  const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'der' });
  const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  return {
    alg,
    keys: {
      privateKey: await subtle.importKey('pkcs8', pkcs8, alg, false, ['sign']),
      publicKey: await subtle.importKey('spki', spki, alg, true, ['verify']),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// CSRs

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
function dnValue(text: string): string {
  const cleaned = text
    .replace(/[^A-Za-z0-9 ._@()'/:-]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 64);
  return cleaned || 'unnamed';
}

function jsonName(commonName: string, organization?: string): x509.JsonName {
  return [{ CN: [dnValue(commonName)] }, ...(organization ? [{ O: [dnValue(organization)] }] : [])];
}

// ---------------------------------------------------------------------------------------------
// Certificate authorities

function randomSerial(): string {
  const bytes = randomBytes(16);
  // Positive and without a leading zero byte, so every tool prints the same serial.
  bytes[0] = ((bytes[0] ?? 1) & 0x7f) | 0x40;
  return bytes.toString('hex');
}

function validity(days: number, clock?: Clock): { notBefore: Date; notAfter: Date } {
  const real = Date.now();
  const sandbox = clock?.now() ?? real;
  return {
    notBefore: new Date(Math.min(real, sandbox) - SKEW_MS),
    notAfter: new Date(Math.max(real, sandbox) + days * DAY_MS),
  };
}

function subjectAltNames(hostnames: string[]): x509.JsonGeneralNames {
  return [...new Set(hostnames)].map((h) => (isIP(h) ? { type: 'ip', value: h } : { type: 'dns', value: h }));
}

function toIssued(cert: x509.X509Certificate): IssuedCertificate {
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

// ---------------------------------------------------------------------------------------------
// The sandbox PKI

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
