import type { Queryable } from '../core/db.ts';
import { PlatformError } from '../core/errors.ts';
import { createCsr, generateRsaKeyPair, PLATFORM_AUTH_KEY_NAME, splitCertificates } from '../core/pki.ts';
import { invalidateBindings } from './binding-cache.ts';
import { newPartnerId } from './ids.ts';
import type { PartnerDeps } from './onboarding-support.ts';
import {
  certificateView,
  fingerprints,
  inField,
  insertClientCertificate,
  issueClientCertificate,
  newCertificateId,
  outboundKeyContext,
  type PartnerDetails,
  type PartnerSummary,
  platformKeyContext,
  requirePartner,
  summary,
  withFreshIds,
} from './onboarding-support.ts';
import {
  type CreatePartnerInput,
  createPartnerSchema,
  parseInput,
  type UpdatePartnerInput,
  updatePartnerSchema,
} from './schemas.ts';
import { endPendingWork } from './standing.ts';
import * as store from './store.ts';

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
      await insertClientCertificate(tx, { partnerId, certificateId }, client, now);
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
  deps: Pick<PartnerDeps, 'db' | 'clock' | 'state'>,
  partnerId: string,
): Promise<PartnerSummary> {
  const revoked = await deps.db.transaction(async (tx) => {
    await requirePartner(tx, partnerId, { lock: true });
    await store.revokePartner(tx, partnerId, deps.clock.now());
    await endPendingWork(deps, tx, partnerId, deps.clock.now());
    return summary(await requirePartner(tx, partnerId));
  });
  invalidateBindings(deps.db);
  return revoked;
}
