// Outbound mTLS identities (PROTOCOLS.md 3.1): the certificate a partner's server presents when
// the platform calls it, registered by the partner and resolved for each delivery.
import { createPrivateKey, createPublicKey } from 'node:crypto';
import type { Queryable } from '../core/db.ts';
import { type FieldIssue, PlatformError } from '../core/errors.ts';
import type { KeyStore } from '../core/keystore.ts';
import { isIssuedBy, readCertificate, splitCertificates } from '../core/pki.ts';
import { invalidateBindings } from './binding-cache.ts';
import type { PartnerDeps } from './onboarding-support.ts';
import {
  inField,
  outboundKeyContext,
  type PartnerDetails,
  requireActive,
  requirePartner,
} from './onboarding-support.ts';
import { showPartner } from './partners.ts';
import {
  parseInput,
  type RegisterOutboundCertificateInput,
  registerOutboundCertificateSchema,
} from './schemas.ts';
import { certificateExpired } from './standing.ts';
import * as store from './store.ts';

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
