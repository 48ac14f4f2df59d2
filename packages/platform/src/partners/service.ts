// Partner onboarding (seed 001 §3.4.3-3.4.5, PROTOCOLS.md 2.2, 3.1, 4.2): partners and their
// certificates, the platform's keys per partner, outbound mTLS identities, ATW card registrations
// and Web Checkout services. No HTTP here; the admin routes and other domains call these.
//
// This file is the domain's public face to the admin routes and the flows; the operations live by
// job: partners.ts, certificates.ts, outbound-identity.ts, platform-keys.ts, cards-services.ts.

export {
  createCard,
  createService,
  findCard,
  findPartner,
  findService,
  listCards,
  listServices,
} from './cards-services.ts';
export {
  type CreatedCertificate,
  createCertificate,
  findPartnerCertificate,
  revokeCertificate,
} from './certificates.ts';
export { merchantKeyId, newCardId, newPartnerId, newServiceId } from './ids.ts';
export type { CertificateView, PartnerDeps, PartnerDetails, PartnerSummary } from './onboarding-support.ts';
export { registerOutboundCertificate, resolveOutboundIdentity } from './outbound-identity.ts';
export {
  type CreatedPartner,
  createPartner,
  listPartners,
  revokePartner,
  showPartner,
  updatePartner,
} from './partners.ts';
export {
  certificateIdFromFingerprint,
  getPartnerPlatformKey,
  getPlatformAuthKey,
  type PlatformKey,
} from './platform-keys.ts';
export type { Card, CheckoutService, Partner, PartnerCertificate, PartnerOptions } from './store.ts';
export { defaultPartnerOptions } from './store.ts';
