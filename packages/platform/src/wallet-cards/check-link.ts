// Checking a link (PROTOCOLS.md 2.1–2.3): the landing page posts the link, the platform verifies
// cdata or fetches pdata, and keeps the checked card as an offer the user can add for ten minutes.
import {
  type CardportWarning,
  missingCardAttributes,
  toCardportWarning,
  type WireWarning,
} from '@cardport/protocol';
import { type FieldIssue, notFound } from '../core/errors.ts';
import { newOpaqueToken } from '../core/ids.ts';
import { runSweep } from '../core/sweep.ts';
import { findCard, findPartner, findPartnerCertificate } from '../partners/service.ts';
import { certificateRefusal } from '../partners/standing.ts';
import { type BarcodeImage, type BarcodeImages, barcodeImagesKey, renderBarcode } from './barcode.ts';
import { checkCardObject, verifyCardToken } from './card-object.ts';
import { strictCardError } from './compat.ts';
import { LinkError } from './errors.ts';
import { type ParsedLink, parseLink } from './links.ts';
import { type CheckedCard, OFFER_LIFETIME_MS, type WalletCardsDeps } from './model.ts';
import { getCardData } from './partner-calls.ts';
import * as store from './store.ts';

/** What the landing page shows for a checked link. */
export interface OfferView {
  offerId: string;
  cardId: string;
  partner: { partnerId: string; name: string };
  via: 'cdata' | 'pdata';
  card: CheckedCard;
  /** Per data object: a rendered barcode image (data: URL) when it has `barcode.value`. */
  barcodes: (BarcodeImage | null)[];
  /** Attributes the card type requires that are missing: shown, not refused (seed examples omit them). */
  warnings: FieldIssue[];
  /** Accepted deviations from the documented card object (docs/compatibility.md); on the check only. */
  deviations: CardportWarning[];
  expiresAt: number;
}

/**
 * Checks a link (PROTOCOLS.md 2.1–2.3): the card id is registered; cdata is verified and
 * decrypted, or pdata fetched with Get Card Data; the card object matches the registration.
 * Keeps the result as an offer the user can add for {@link OFFER_LIFETIME_MS}.
 */
export async function checkLink(deps: WalletCardsDeps, link: string | ParsedLink): Promise<OfferView> {
  const parsed = typeof link === 'string' ? parseLink(link) : link;
  const registration = await findCard(deps.db, parsed.cardId);
  if (!registration) {
    throw new LinkError('UNKNOWN_CARD', `no card is registered with id ${parsed.cardId}`, {
      field: 'cardId',
      reason: 'unknown card id',
    });
  }
  const partner = await findPartner(deps.db, registration.partnerId);
  if (!partner) throw notFound('partner');
  // Before any cdata check or Get Card Data call: a revoked partner's links go no further.
  if (partner.status !== 'active') {
    throw new LinkError('PARTNER_REVOKED', `the partner of card ${registration.cardId} is revoked`, {
      field: 'cardId',
      reason: 'partner revoked',
    });
  }
  if (parsed.certificateId !== undefined) {
    const cert = await findPartnerCertificate(deps.db, parsed.certificateId);
    if (!cert) {
      throw new LinkError('WRONG_CERTIFICATE_ID', `no certificate has id ${parsed.certificateId}`, {
        field: 'certificateId',
        reason: 'unknown certificate',
      });
    }
    if (cert.partnerId !== registration.partnerId) {
      throw new LinkError(
        'CARD_OF_ANOTHER_PARTNER',
        `card ${registration.cardId} does not belong to the partner of certificate ${parsed.certificateId}`,
        { field: 'cardId', reason: 'card of another partner' },
      );
    }
    const refused = certificateRefusal(cert);
    if (refused !== null) {
      throw new LinkError('WRONG_CERTIFICATE_ID', `certificate ${parsed.certificateId} is ${refused}`, {
        field: 'certificateId',
        reason: refused,
      });
    }
  }
  let card: CheckedCard;
  let warnings: FieldIssue[] = [];
  let deviations: WireWarning[] = [];
  if (parsed.cdata !== undefined) {
    const payload = await verifyCardToken(deps, registration, parsed.cdata);
    ({ card, warnings, deviations } = checkCardObject(registration, payload));
  } else {
    const answer = await getCardData(deps, registration, parsed.pdata as string);
    if (answer.kind === 'gone') {
      throw new LinkError(
        'CARD_NOT_AT_PARTNER',
        'the partner answered Get Card Data with 204: this card does not exist (any more)',
        { field: 'pdata', reason: 'unknown refId at the partner' },
      );
    }
    card = answer.card;
    deviations = answer.deviations;
    warnings = missingCardAttributes(card);
  }
  if (partner.strict && deviations.length > 0) throw strictCardError(deviations);
  const now = deps.clock.now();
  const offer: store.Offer = {
    offerId: newOpaqueToken(18),
    cardId: registration.cardId,
    partnerId: registration.partnerId,
    via: parsed.cdata !== undefined ? 'cdata' : 'pdata',
    card: card as unknown as Record<string, unknown>,
    createdAt: now,
    expiresAt: now + OFFER_LIFETIME_MS,
    usedAt: null,
  };
  // One autocommit statement, shared with the checks of the moment; expired offers are removed by
  // sweepExpiredOffers, not here.
  await deps.state.get(store.offerInserts).insert(deps, offer);
  return {
    ...(await offerView(deps.state.get(barcodeImagesKey), offer, partner.name, card, warnings)),
    deviations: deviations.map(toCardportWarning),
  };
}

/** How often `cardport up` sweeps expired checked links (wallet-cards/module.ts). */
export const OFFER_SWEEP_MS = 60_000;

/**
 * Removes the checked links that expired more than {@link OFFER_LIFETIME_MS} ago, under the
 * sweep's advisory lock (one process at a time). False when another process was sweeping.
 */
export function sweepExpiredOffers(deps: Pick<WalletCardsDeps, 'db' | 'clock'>): Promise<boolean> {
  return runSweep(deps.db, 'wallet-cards.offers', (tx) =>
    store.deleteExpiredOffers(tx, deps.clock.now() - OFFER_LIFETIME_MS),
  );
}

async function offerView(
  images: BarcodeImages,
  offer: store.Offer,
  partnerName: string,
  card: CheckedCard,
  warnings: FieldIssue[],
): Promise<OfferView> {
  return {
    offerId: offer.offerId,
    cardId: offer.cardId,
    partner: { partnerId: offer.partnerId, name: partnerName },
    via: offer.via,
    card,
    barcodes: await Promise.all(card.data.map((d) => renderBarcode(d.attributes, images))),
    warnings,
    deviations: [],
    expiresAt: offer.expiresAt,
  };
}

/** An offer by id, as the landing page and the add page show it; GONE once expired. */
export async function getOffer(deps: WalletCardsDeps, offerId: string): Promise<OfferView> {
  const offer = await store.findOffer(deps.db, offerId);
  if (!offer) throw notFound('checked link');
  if (offer.expiresAt <= deps.clock.now()) {
    throw new LinkError('OFFER_EXPIRED', 'this link was checked too long ago: open the link again');
  }
  const partner = await findPartner(deps.db, offer.partnerId);
  const card = offer.card as unknown as CheckedCard;
  const images = deps.state.get(barcodeImagesKey);
  return offerView(images, offer, partner?.name ?? offer.partnerId, card, missingCardAttributes(card));
}
