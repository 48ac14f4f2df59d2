// A partner's client certificates: issue from a CSR, revoke, and find one by its ATW certificateId
// (with its public key, parsed once per stored text).
import type { KeyObject } from 'node:crypto';
import type { Queryable } from '../core/db.ts';
import { notFound } from '../core/errors.ts';
import { readCertificate } from '../core/pki.ts';
import { invalidateBindings } from './binding-cache.ts';
import { cachedLookup, memoParsedKey } from './lookup-cache.ts';
import type { PartnerDeps } from './onboarding-support.ts';
import {
  type CertificateView,
  certificateView,
  insertClientCertificate,
  issueClientCertificate,
  newCertificateId,
  requireActive,
  requirePartner,
  withFreshIds,
} from './onboarding-support.ts';
import { type CreateCertificateInput, createCertificateSchema, parseInput } from './schemas.ts';
import type { PartnerCertificate } from './store.ts';
import * as store from './store.ts';

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
      await insertClientCertificate(tx, { partnerId, certificateId }, client, deps.clock.now());
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
export async function findPartnerCertificate(
  q: Queryable,
  certificateId: string,
): Promise<(PartnerCertificate & { publicKey: KeyObject }) | undefined> {
  return cachedLookup(q, 'certificates', certificateId, async () => {
    const cert = await store.findCertificate(q, certificateId);
    if (!cert) return undefined;
    return {
      ...cert,
      publicKey: memoParsedKey(q, cert.certificatePem, () => readCertificate(cert.certificatePem).publicKey),
    };
  });
}
