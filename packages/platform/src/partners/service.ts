// Partner onboarding (seed 001 §3.4.3-3.4.5, PROTOCOLS.md 2.2, 3.1, 4.2): partners and their
// certificates, the platform's keys per partner, outbound mTLS identities, ATW card registrations
// and Web Checkout services. No HTTP here; the admin routes and other domains call these.
import { createHash, createPrivateKey, createPublicKey, type KeyObject, randomInt } from 'node:crypto';
import type { AppContext } from '../core/context.ts';
import type { Queryable } from '../core/db.ts';
import { type FieldIssue, isPlatformError, notFound, PlatformError } from '../core/errors.ts';
import { newAlphanumericId, newHexId } from '../core/ids.ts';
import type { KeyStore } from '../core/keystore.ts';
import {
  createCsr,
  generateRsaKeyPair,
  isIssuedBy,
  MIN_RSA_BITS,
  PLATFORM_AUTH_KEY_NAME,
  parseCsr,
  readCertificate,
  splitCertificates,
} from '../core/pki.ts';
import { invalidateBindings } from './binding-cache.ts';
import { cachedLookup } from './lookup-cache.ts';
import {
  type CreateCardInput,
  type CreateCertificateInput,
  type CreatePartnerInput,
  type CreateServiceInput,
  createCardSchema,
  createCertificateSchema,
  createPartnerSchema,
  createServiceSchema,
  parseInput,
  type RegisterOutboundCertificateInput,
  registerOutboundCertificateSchema,
  type UpdatePartnerInput,
  updatePartnerSchema,
} from './schemas.ts';
import { certificateExpired, endPendingWork } from './standing.ts';
import type { Card, CheckoutService, Partner, PartnerCertificate } from './store.ts';
import * as store from './store.ts';

export type { Card, CheckoutService, Partner, PartnerCertificate, PartnerOptions } from './store.ts';
export { defaultPartnerOptions } from './store.ts';

/** What onboarding needs from the app context. */
export type PartnerDeps = Pick<AppContext, 'db' | 'keys' | 'pki' | 'clock'>;

// --- ids [ours] ---------------------------------------------------------------------------------

/** 32 decimal digits, first non-zero: a seed UUID, an ATW numeric partnerId and a String(32). */
export function newPartnerId(): string {
  let id = String(randomInt(1, 10));
  for (let i = 0; i < 31; i++) id += String(randomInt(0, 10));
  return id;
}

const lowerAlphanumerics = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** An ATW cardId: 13 lowercase alphanumerics. */
export function newCardId(): string {
  let id = '';
  for (let i = 0; i < 13; i++) id += lowerAlphanumerics[randomInt(lowerAlphanumerics.length)];
  return id;
}

/** A Web Checkout serviceId: 32 lowercase hex. */
export function newServiceId(): string {
  return newHexId(16);
}

/** PROTOCOLS.md 4.2: kid = standard base64 (padded) of SHA-256 over the DER SubjectPublicKeyInfo. */
export function merchantKeyId(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('base64');
}

// --- helpers ------------------------------------------------------------------------------------

const platformKeyContext = (partnerId: string) => `partner_platform_keys:${partnerId}`;
const outboundKeyContext = (partnerId: string) => `partner_outbound_identities:${partnerId}`;

/** Runs a check whose INVALID_INPUT errors are about one field, and names that field. */
async function inField<T>(field: string, run: () => Promise<T> | T): Promise<T> {
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
async function withFreshIds<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (err) {
      if (!isUniqueViolation(err) || attempt >= 5) throw err;
    }
  }
}

async function newCertificateId(q: Queryable): Promise<string> {
  for (let i = 0; i < 20; i++) {
    const id = newAlphanumericId(4);
    if (!(await store.certificateIdExists(q, id))) return id;
  }
  throw new PlatformError('CONFLICT', 'could not allocate a certificate id; retry');
}

async function requirePartner(
  q: Queryable,
  partnerId: string,
  opts: { lock?: boolean } = {},
): Promise<Partner> {
  const partner = opts.lock ? await store.lockPartner(q, partnerId) : await store.findPartner(q, partnerId);
  if (!partner) throw notFound(`partner ${partnerId}`);
  return partner;
}

function requireActive(partner: Partner): void {
  if (partner.status !== 'active')
    throw new PlatformError('CONFLICT', `partner ${partner.partnerId} is revoked`);
}

/** A client certificate signed from the partner's CSR (RSA >= 2048: it also signs ATW tokens). */
async function issueClientCertificate(deps: PartnerDeps, csrPem: string) {
  return inField('csrPem', () => deps.pki.signClientCsr(csrPem));
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

function certificateView(c: PartnerCertificate): CertificateView {
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

function summary(p: Partner): PartnerSummary {
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

const fingerprints = (pems: string[]) => pems.map((p) => readCertificate(p).fingerprint256);

// --- partners -----------------------------------------------------------------------------------

export interface CreatedPartner {
  partnerId: string;
  certificateId: string;
  name: string;
  /** The partner's client certificate (mTLS and ATW signing), issued by the sandbox CA. */
  clientCertificatePem: string;
  /** The sandbox root CA: trust it for the mTLS listener; it issued the client certificate. */
  caCertificatePem: string;
  /** PROTOCOLS.md 2.2: the platform's certificate for this partner; encrypt cdata to its key. */
  platformCertificatePem: string;
  /** PROTOCOLS.md 3.1: verifies the AUTH tokens the platform sends. */
  authCertificatePem: string;
  /** The platform's outbound client CSR: the partner's CA signs it (registerOutboundCertificate). */
  outboundCsrPem: string;
}

/** Registers a partner: signs its CSR and creates the platform's keys for it, all or nothing. */
export async function createPartner(deps: PartnerDeps, input: CreatePartnerInput): Promise<CreatedPartner> {
  const body = parseInput(createPartnerSchema, input);
  const client = await issueClientCertificate(deps, body.csrPem);
  const serverCaPems = body.partnerServerCaPem
    ? await inField('partnerServerCaPem', () => splitCertificates(body.partnerServerCaPem as string))
    : [];
  const auth = await deps.keys.get(deps.db, PLATFORM_AUTH_KEY_NAME);
  if (!auth?.certificatePem) throw new PlatformError('BAD_CONFIG', 'the platform AUTH key is missing');
  // Key generation happens before the transaction, which then only writes.
  const [platformKey, outboundKey] = await Promise.all([generateRsaKeyPair(), generateRsaKeyPair()]);
  return withFreshIds(async () => {
    const partnerId = newPartnerId();
    const platformCert = await deps.pki.issueCertificate({
      publicKeyPem: platformKey.publicKeyPem,
      commonName: `Cardport platform for partner ${partnerId}`,
      usage: 'encryption',
    });
    const outboundCsrPem = await createCsr({
      privateKeyPem: outboundKey.privateKeyPem,
      commonName: `Cardport platform outbound ${partnerId}`,
      organization: 'Cardport sandbox',
    });
    return deps.db.transaction(async (tx) => {
      const now = deps.clock.now();
      const certificateId = await newCertificateId(tx);
      await store.createPartner(tx, {
        partnerId,
        name: body.name,
        notifyUrl: body.notifyUrl ?? null,
        allowIps: body.allowIps ?? [],
        options: { ...store.defaultPartnerOptions, ...body.options },
        serverCaPems,
        serverCaSource: serverCaPems.length ? 'given' : null,
        createdAt: now,
      });
      await store.insertCertificate(tx, {
        certificateId,
        partnerId,
        fingerprint256: client.fingerprint256,
        serialNumber: client.serialNumber,
        subject: client.subject,
        certificatePem: client.certificatePem,
        notAfter: client.notAfter,
        createdAt: now,
      });
      await store.insertPlatformKey(tx, {
        partnerId,
        certificatePem: platformCert.certificatePem,
        privateKeySealed: deps.keys.seal(platformKey.privateKeyPem, platformKeyContext(partnerId)),
        createdAt: now,
      });
      await store.insertOutboundIdentity(tx, {
        partnerId,
        privateKeySealed: deps.keys.seal(outboundKey.privateKeyPem, outboundKeyContext(partnerId)),
        csrPem: outboundCsrPem,
        createdAt: now,
      });
      return {
        partnerId,
        certificateId,
        name: body.name,
        clientCertificatePem: client.certificatePem,
        caCertificatePem: deps.pki.rootCaCertPem,
        platformCertificatePem: platformCert.certificatePem,
        authCertificatePem: auth.certificatePem as string,
        outboundCsrPem,
      };
    });
  });
}

export async function listPartners(q: Queryable): Promise<PartnerSummary[]> {
  return (await store.listPartners(q)).map(summary);
}

/** Everything about one partner except private keys. */
export async function showPartner(q: Queryable, partnerId: string): Promise<PartnerDetails> {
  const partner = await requirePartner(q, partnerId);
  const [certificates, platformKey, outbound] = await Promise.all([
    store.listCertificates(q, partnerId),
    store.findPlatformKey(q, partnerId),
    store.findOutboundIdentity(q, partnerId),
  ]);
  return {
    ...summary(partner),
    certificates: certificates.map(certificateView),
    platformCertificatePem: platformKey?.certificatePem ?? null,
    outbound: {
      csrPem: outbound?.csrPem ?? null,
      certificatePem: outbound?.certificatePem ?? null,
      configured: Boolean(outbound?.certificatePem),
      partnerCaFingerprints: fingerprints(outbound?.partnerCaPems ?? []),
    },
    serverTrust: { source: partner.serverCaSource, caFingerprints: fingerprints(partner.serverCaPems) },
  };
}

/** Changes a partner's name, notify URL, allow-list, options or strict mode. */
export async function updatePartner(
  deps: Pick<PartnerDeps, 'db'>,
  partnerId: string,
  input: UpdatePartnerInput,
): Promise<PartnerSummary> {
  const body = parseInput(updatePartnerSchema, input);
  const updated = await deps.db.transaction(async (tx) => {
    const partner = await requirePartner(tx, partnerId, { lock: true });
    await store.updatePartner(tx, partnerId, {
      ...(body.name === undefined ? {} : { name: body.name }),
      ...(body.notifyUrl === undefined ? {} : { notifyUrl: body.notifyUrl }),
      ...(body.allowIps === undefined ? {} : { allowIps: body.allowIps }),
      ...(body.options === undefined ? {} : { options: { ...partner.options, ...body.options } }),
      ...(body.strict === undefined ? {} : { strict: body.strict }),
    });
    return summary(await requirePartner(tx, partnerId));
  });
  invalidateBindings(deps.db);
  return updated;
}

/** Revokes the whole partner: every request on its certificates is refused from now on. */
export async function revokePartner(
  deps: Pick<PartnerDeps, 'db' | 'clock'>,
  partnerId: string,
): Promise<PartnerSummary> {
  const revoked = await deps.db.transaction(async (tx) => {
    await requirePartner(tx, partnerId, { lock: true });
    await store.revokePartner(tx, partnerId, deps.clock.now());
    await endPendingWork(tx, partnerId, deps.clock.now());
    return summary(await requirePartner(tx, partnerId));
  });
  invalidateBindings(deps.db);
  return revoked;
}

// --- certificates -------------------------------------------------------------------------------

export interface CreatedCertificate {
  partnerId: string;
  certificateId: string;
  clientCertificatePem: string;
  caCertificatePem: string;
}

/** Adds a client certificate to a partner (rotation): a new certificateId for the same partner. */
export async function createCertificate(
  deps: PartnerDeps,
  partnerId: string,
  input: CreateCertificateInput,
): Promise<CreatedCertificate> {
  const body = parseInput(createCertificateSchema, input);
  requireActive(await requirePartner(deps.db, partnerId));
  const client = await issueClientCertificate(deps, body.csrPem);
  return withFreshIds(() =>
    deps.db.transaction(async (tx) => {
      requireActive(await requirePartner(tx, partnerId, { lock: true }));
      const certificateId = await newCertificateId(tx);
      await store.insertCertificate(tx, {
        certificateId,
        partnerId,
        fingerprint256: client.fingerprint256,
        serialNumber: client.serialNumber,
        subject: client.subject,
        certificatePem: client.certificatePem,
        notAfter: client.notAfter,
        createdAt: deps.clock.now(),
      });
      return {
        partnerId,
        certificateId,
        clientCertificatePem: client.certificatePem,
        caCertificatePem: deps.pki.rootCaCertPem,
      };
    }),
  );
}

export async function revokeCertificate(
  deps: Pick<PartnerDeps, 'db' | 'clock'>,
  partnerId: string,
  certificateId: string,
): Promise<CertificateView> {
  const revoked = await deps.db.transaction(async (tx) => {
    await requirePartner(tx, partnerId, { lock: true });
    if (!(await store.revokeCertificate(tx, partnerId, certificateId, deps.clock.now())))
      throw notFound(`certificate ${certificateId} of partner ${partnerId}`);
    const cert = await store.findCertificate(tx, certificateId);
    return certificateView(cert as PartnerCertificate);
  });
  invalidateBindings(deps.db);
  return revoked;
}

/** A partner certificate by its ATW certificateId (case-sensitive), e.g. to verify cdata and AUTH tokens. */
// Parsing a certificate or unsealing a key costs milliseconds; the result depends only on the
// stored text, so it is memoized by that text (status such as revocation is still read each time).
const parsedKeys = new Map<string, KeyObject>();

function memoKey(text: string, parse: () => KeyObject): KeyObject {
  let key = parsedKeys.get(text);
  if (!key) {
    key = parse();
    if (parsedKeys.size >= 2000) parsedKeys.delete(parsedKeys.keys().next().value as string);
    parsedKeys.set(text, key);
  }
  return key;
}

export async function findPartnerCertificate(
  q: Queryable,
  certificateId: string,
): Promise<(PartnerCertificate & { publicKey: KeyObject }) | undefined> {
  return cachedLookup(q, 'certificates', certificateId, async () => {
    const cert = await store.findCertificate(q, certificateId);
    if (!cert) return undefined;
    return {
      ...cert,
      publicKey: memoKey(cert.certificatePem, () => readCertificate(cert.certificatePem).publicKey),
    };
  });
}

// --- outbound identity --------------------------------------------------------------------------

function chainsTo(leafPem: string, intermediates: string[], anchors: string[]): boolean {
  let current = leafPem;
  for (let depth = 0; depth < 6; depth++) {
    if (anchors.some((ca) => isIssuedBy(current, ca))) return true;
    const next = intermediates.find((c) => c !== current && isIssuedBy(current, c));
    if (!next) return false;
    current = next;
  }
  return false;
}

/**
 * Registers the certificate the partner's CA issued for the platform's outbound CSR. It must be
 * for the outbound key, allow clientAuth, be unexpired and chain to `partnerCaPem`; that CA is then
 * trusted for the partner's server certificate unless a server CA was given at creation.
 */
export async function registerOutboundCertificate(
  deps: PartnerDeps,
  partnerId: string,
  input: RegisterOutboundCertificateInput,
): Promise<PartnerDetails> {
  const body = parseInput(registerOutboundCertificateSchema, input);
  const chain = await inField('certificatePem', () => splitCertificates(body.certificatePem));
  const cas = await inField('partnerCaPem', () => splitCertificates(body.partnerCaPem));
  const leaf = chain[0] as string;
  await deps.db.transaction(async (tx) => {
    const partner = await requirePartner(tx, partnerId, { lock: true });
    requireActive(partner);
    const identity = await store.findOutboundIdentity(tx, partnerId);
    if (!identity) throw new PlatformError('CONFLICT', `partner ${partnerId} has no outbound identity`);
    const key = createPrivateKey(deps.keys.unseal(identity.privateKeySealed, outboundKeyContext(partnerId)));
    const info = readCertificate(leaf);
    const problems: FieldIssue[] = [];
    if (!info.publicKey.equals(createPublicKey(key)))
      problems.push({
        field: 'certificatePem',
        reason: "is not issued for the platform's outbound key: sign the outbound CSR of this partner",
      });
    else if (certificateExpired(info.notAfter))
      // real time, never the sandbox clock
      problems.push({ field: 'certificatePem', reason: 'has expired' });
    else if (info.extendedKeyUsage && !info.extendedKeyUsage.includes('1.3.6.1.5.5.7.3.2'))
      problems.push({
        field: 'certificatePem',
        reason: 'does not allow client authentication (EKU clientAuth)',
      });
    else if (!chainsTo(leaf, chain.slice(1), cas))
      problems.push({ field: 'partnerCaPem', reason: 'did not issue the certificate (no chain to this CA)' });
    const first = problems[0];
    if (first)
      throw new PlatformError('INVALID_INPUT', `${first.field} ${first.reason}`, { details: problems });
    const now = deps.clock.now();
    await store.setOutboundCertificate(tx, partnerId, chain.join(''), cas, now);
    if (partner.serverCaSource !== 'given')
      await store.setPartnerServerCas(tx, partnerId, cas, 'outbound-ca');
  });
  invalidateBindings(deps.db);
  return showPartner(deps.db, partnerId);
}

/**
 * The platform's mTLS client identity towards a partner, with the CAs trusted for the partner's
 * server certificate. Undefined while the partner is unknown or no outbound certificate is registered.
 */
export async function resolveOutboundIdentity(
  q: Queryable,
  keys: KeyStore,
  partnerId: string,
): Promise<{ cert: string; key: string; ca: string[] } | undefined> {
  const [partner, identity] = await Promise.all([
    store.findPartner(q, partnerId),
    store.findOutboundIdentity(q, partnerId),
  ]);
  if (!partner || !identity?.certificatePem) return undefined;
  return {
    cert: identity.certificatePem,
    key: keys.unseal(identity.privateKeySealed, outboundKeyContext(partnerId)).toString('utf8'),
    ca: partner.serverCaPems,
  };
}

// --- platform keys ------------------------------------------------------------------------------

export interface PlatformKey {
  certificatePem: string;
  publicKey: KeyObject;
  privateKey: KeyObject;
}

/** PROTOCOLS.md 2.2: the platform's key pair for a partner (decrypts that partner's cdata JWE). */
export async function getPartnerPlatformKey(
  q: Queryable,
  keys: KeyStore,
  partnerId: string,
): Promise<(PlatformKey & { partnerId: string }) | undefined> {
  return cachedLookup(q, 'platformKeys', partnerId, () => loadPartnerPlatformKey(q, keys, partnerId));
}

async function loadPartnerPlatformKey(
  q: Queryable,
  keys: KeyStore,
  partnerId: string,
): Promise<(PlatformKey & { partnerId: string }) | undefined> {
  const row = await store.findPlatformKey(q, partnerId);
  if (!row) return undefined;
  // Memoized by the sealed text and the partner it is bound to (the unseal checks both).
  const privateKey = memoKey(`${partnerId}\n${row.privateKeySealed}`, () =>
    createPrivateKey(keys.unseal(row.privateKeySealed, platformKeyContext(partnerId))),
  );
  return {
    partnerId,
    certificatePem: row.certificatePem,
    privateKey,
    publicKey: memoKey(row.certificatePem, () => createPublicKey(privateKey)),
  };
}

const alphanumerics = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A stable 4-alphanumeric certificateId derived from a certificate fingerprint [ours]. */
export function certificateIdFromFingerprint(fingerprintHex: string): string {
  const bytes = Buffer.from(fingerprintHex, 'hex');
  let id = '';
  for (let i = 0; i < 4; i++) id += alphanumerics[(bytes[i] ?? 0) % alphanumerics.length];
  return id;
}

/**
 * PROTOCOLS.md 3.1: the key that signs the platform's AUTH tokens to partners, with its certificate
 * (handed to every partner at onboarding) and the certificateId the tokens carry [ours: derived
 * from the certificate's fingerprint].
 */
export async function getPlatformAuthKey(
  q: Queryable,
  keys: KeyStore,
): Promise<PlatformKey & { certificateId: string }> {
  const stored = await keys.get(q, PLATFORM_AUTH_KEY_NAME);
  if (!stored?.privateKeyPem || !stored.certificatePem)
    throw new PlatformError('BAD_CONFIG', 'the platform AUTH key is missing (loadSandboxPki creates it)');
  const privateKey = createPrivateKey(stored.privateKeyPem);
  return {
    certificatePem: stored.certificatePem,
    privateKey,
    publicKey: createPublicKey(privateKey),
    certificateId: certificateIdFromFingerprint(readCertificate(stored.certificatePem).fingerprint256),
  };
}

// --- cards --------------------------------------------------------------------------------------

/** Registers an Add to Wallet card (type and subType checked against PROTOCOLS.md 2.3). */
export async function createCard(
  deps: Pick<PartnerDeps, 'db' | 'clock'>,
  input: CreateCardInput,
): Promise<Card> {
  const body = parseInput(createCardSchema, input);
  return withFreshIds(() =>
    deps.db.transaction(async (tx) => {
      requireActive(await requirePartner(tx, body.partnerId));
      const card: Card = {
        cardId: newCardId(),
        partnerId: body.partnerId,
        type: body.type,
        subType: body.subType,
        partnerUrl: body.partnerUrl,
        createdAt: deps.clock.now(),
      };
      await store.createCard(tx, card);
      return card;
    }),
  );
}

export function findCard(q: Queryable, cardId: string): Promise<Card | undefined> {
  return cachedLookup(q, 'cards', cardId, () => store.findCard(q, cardId));
}

export function listCards(q: Queryable, filter: { partnerId?: string } = {}): Promise<Card[]> {
  return store.listCards(q, filter);
}

// --- checkout services --------------------------------------------------------------------------

/** Registers a Web Checkout service; keeps the merchant's public key from its CSR (RSA >= 2048). */
export async function createService(
  deps: Pick<PartnerDeps, 'db' | 'clock'>,
  input: CreateServiceInput,
): Promise<CheckoutService> {
  const body = parseInput(createServiceSchema, input);
  const csr = await inField('csrPem', () => parseCsr(body.csrPem, { minRsaBits: MIN_RSA_BITS }));
  return withFreshIds(() =>
    deps.db.transaction(async (tx) => {
      requireActive(await requirePartner(tx, body.partnerId));
      const service: CheckoutService = {
        serviceId: newServiceId(),
        partnerId: body.partnerId,
        name: body.name,
        merchantPublicKeyPem: csr.publicKeyPem,
        merchantKeyId: merchantKeyId(csr.publicKey),
        domains: body.domains,
        healthUrl: body.healthUrl ?? null,
        createdAt: deps.clock.now(),
      };
      await store.createService(tx, service);
      return service;
    }),
  );
}

export function findService(q: Queryable, serviceId: string): Promise<CheckoutService | undefined> {
  return cachedLookup(q, 'services', serviceId, () => store.findService(q, serviceId));
}

export function listServices(q: Queryable, filter: { partnerId?: string } = {}): Promise<CheckoutService[]> {
  return store.listServices(q, filter);
}

/** A partner by id, or undefined. */
export function findPartner(q: Queryable, partnerId: string): Promise<Partner | undefined> {
  return cachedLookup(q, 'partners', partnerId, () => store.findPartner(q, partnerId));
}
