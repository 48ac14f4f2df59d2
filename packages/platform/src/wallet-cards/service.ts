// Add to Wallet and Server interaction (issue 4; PROTOCOLS.md 2 and 3): checking links (cdata
// verified and decrypted, pdata fetched with Get Card Data), passes in wallets with their state
// history, Send Card State as durable deliveries, and the partner's Update and Cancel
// Notifications. No HTTP here: routes.ts maps requests onto these functions.
import {
  type CdataHeader,
  createAuthToken,
  isJoseError,
  type JoseError,
  verifyAuthToken,
  verifyCdata,
} from '@cardport/jose';
import {
  CARD_DATA_MAX_ITEMS,
  type CancelNotification,
  type CardportWarning,
  getCardDataResponseSchema,
  missingCardAttributes,
  parseCardAnswerLenient,
  parseCardPayloadLenient,
  parseWire,
  toCardportWarning,
  type UpdateNotification,
  type WireWarning,
  walletCardSchema,
} from '@cardport/protocol';
import { authNow } from '../core/clock.ts';
import type { AppContext } from '../core/context.ts';
import type { Queryable } from '../core/db.ts';
import type { DeliveryJob } from '../core/delivery.ts';
import { type FieldIssue, invalidInput, isPlatformError, notFound, PlatformError } from '../core/errors.ts';
import { newOpaqueToken, newUuidId } from '../core/ids.ts';
import { runSweep } from '../core/sweep.ts';
import {
  type Card as CardRegistration,
  findCard,
  findPartner,
  findPartnerCertificate,
  getPartnerPlatformKey,
  getPlatformAuthKey,
  showPartner,
} from '../partners/service.ts';
import { certificateRefusal, partnerIsActive } from '../partners/standing.ts';
import * as wallet from '../wallet/service.ts';
import { type BarcodeImage, renderBarcode } from './barcode.ts';
import { strictCardError } from './compat.ts';
import { LinkError } from './errors.ts';
import { isSafePathSegment, type ParsedLink, parseLink } from './links.ts';
import * as store from './store.ts';

export { type BarcodeImage, renderBarcode } from './barcode.ts';
export { parseLink } from './links.ts';
export type { HistoryEntry, Offer, WalletCard } from './store.ts';

export type WalletCardsDeps = Pick<AppContext, 'db' | 'clock' | 'keys' | 'delivery' | 'config' | 'log'>;

/** The wallet_items source of passes. */
export const WALLET_ITEM_SOURCE = 'wallet-cards';
/** Delivery kinds (docs/reliability.md): Send Card State (durable) and Get Card Data (sync). */
export const CARD_STATE_KIND = 'atw.card_state';
export const GET_CARD_DATA_KIND = 'atw.get_card_data';
/** How long a checked link waits for "Add" [ours]: time to sign in, long after the token's 30 s. */
export const OFFER_LIFETIME_MS = 10 * 60_000;

/** States a pass goes through (issue 4). */
export type PassState = 'ADDED' | 'UPDATED' | 'EXPIRED' | 'REDEEMED' | 'HELD' | 'CANCELED' | 'DELETED';

/** One data object of a card object, as kept for a pass. */
type CardDataObject = Record<string, unknown> & {
  refId: string;
  attributes: Record<string, unknown>;
  language?: string;
  localization?: { language: string; attributes: Record<string, unknown> }[];
};

interface CheckedCard {
  type: string;
  subType: string;
  data: CardDataObject[];
}

// --- AUTH tokens of platform → partner calls (PROTOCOLS.md 3.1) --------------------------------

/** `x-request-id`: 32 hex characters (a UUID without hyphens, PROTOCOLS.md 3.2). */
export function newRequestId(): string {
  return newUuidId();
}

/**
 * The headers a call to the partner carries, minted when it leaves (a kind's `prepare` hook):
 * `Authorization: Bearer <AUTH token>` bound to this method and path, signed by the platform.
 */
export async function partnerCallHeaders(
  deps: Pick<WalletCardsDeps, 'db' | 'keys' | 'clock'>,
  job: Pick<DeliveryJob, 'method' | 'url' | 'partnerId'>,
): Promise<Record<string, string>> {
  const auth = await getPlatformAuthKey(deps.db, deps.keys);
  const url = new URL(job.url);
  const refId = decodeURIComponent(url.pathname.split('/').pop() ?? '');
  const token = createAuthToken({
    method: job.method,
    path: url.pathname,
    partnerId: job.partnerId ?? '',
    certificateId: auth.certificateId,
    privateKey: auth.privateKey,
    ...(refId ? { refId } : {}),
    now: () => authNow(deps.clock),
  });
  return { authorization: `Bearer ${token}` };
}

/** `{partnerUrl}/cards/{cardId}/{refId}` (PROTOCOLS.md 3.3). */
export function partnerCardUrl(partnerUrl: string, cardId: string, refId: string): string {
  // Checked again here, where the path is built: no value reaches a partner call unchecked.
  for (const [field, value] of [
    ['cardId', cardId],
    ['refId', refId],
  ] as const) {
    if (!isSafePathSegment(value)) {
      throw invalidInput(`${field} cannot be placed in the partner's URL`, [
        { field, reason: '1 to 64 of A-Z a-z 0-9 . _ ~ -, not . or ..' },
      ]);
    }
  }
  return `${partnerUrl.replace(/\/+$/, '')}/cards/${encodeURIComponent(cardId)}/${encodeURIComponent(refId)}`;
}

// --- cdata and card objects --------------------------------------------------------------------

function joseToLinkError(err: JoseError): LinkError {
  const member = err.member;
  switch (err.code) {
    case 'ERR_TOKEN_EXPIRED':
      return new LinkError('TOKEN_EXPIRED', 'the cdata token has expired: it is older than 30 s by its utc', {
        field: 'cdata',
        reason: 'utc older than 30 s',
      });
    case 'ERR_TOKEN_FROM_FUTURE':
      return new LinkError('TOKEN_FROM_FUTURE', 'the cdata token’s utc lies in the future', {
        field: 'cdata',
        reason: 'utc ahead of real time',
      });
    case 'ERR_JWS_SIGNATURE_INVALID':
      return new LinkError(
        'BAD_SIGNATURE',
        'the cdata signature does not verify with the partner certificate it names',
        { field: 'cdata', reason: 'bad RS256 signature' },
      );
    case 'ERR_JWS_ALG_NOT_ALLOWED':
    case 'ERR_JWE_ALG_NOT_ALLOWED':
      return new LinkError('ALG_NOT_ALLOWED', err.message, {
        field: `cdata.${member ?? 'alg'}`,
        reason: 'JWS RS256 over JWE RSA1_5/A128GCM only',
      });
    case 'ERR_JWE_DECRYPTION_FAILED':
      return new LinkError(
        'CANNOT_DECRYPT',
        'the cdata cannot be decrypted with the platform key of this partner: encrypt to the platform certificate you got at onboarding',
        { field: 'cdata', reason: 'JWE decryption failed' },
      );
    case 'ERR_HEADER_INVALID':
    case 'ERR_HEADER_MISMATCH': {
      const reasons: Record<string, LinkError['reason']> = {
        cty: 'WRONG_CTY',
        ver: 'WRONG_VER',
        partnerId: 'WRONG_PARTNER_ID',
        certificateId: 'WRONG_CERTIFICATE_ID',
      };
      const reason = (member && reasons[member]) || 'MALFORMED_TOKEN';
      return new LinkError(reason, `cdata header: ${err.message}`, {
        field: `cdata.header.${member ?? ''}`,
        reason: err.message,
      });
    }
    case 'ERR_KEY_NOT_FOUND':
      return new LinkError('WRONG_CERTIFICATE_ID', 'no partner certificate matches the cdata certificateId', {
        field: 'cdata.header.certificateId',
        reason: 'unknown certificate',
      });
    case 'ERR_PAYLOAD_INVALID':
      return new LinkError('INVALID_CARD', 'the decrypted cdata is not a JSON card object', {
        field: 'card',
        reason: 'not JSON',
      });
    default:
      return new LinkError('MALFORMED_TOKEN', `the cdata is not a valid token: ${err.message}`, {
        field: 'cdata',
        reason: 'malformed JWS/JWE',
      });
  }
}

/**
 * Verifies and decrypts a cdata token for a registered card (PROTOCOLS.md 2.2): the partner
 * certificate named by certificateId must be the card owner's, the platform key is the one made
 * for that partner, utc within 30 s of real time (the sandbox clock moves business time only).
 */
export async function verifyCardToken(
  deps: Pick<WalletCardsDeps, 'db' | 'keys' | 'clock'>,
  registration: CardRegistration,
  token: string,
  options: { certificateId?: string } = {},
): Promise<unknown> {
  try {
    const { card } = await verifyCdata(token, {
      now: () => authNow(deps.clock),
      resolvePartnerKey: async (h: CdataHeader) => {
        if (h.partnerId !== registration.partnerId) {
          if (await findPartner(deps.db, h.partnerId)) {
            throw new LinkError(
              'CARD_OF_ANOTHER_PARTNER',
              `card ${registration.cardId} belongs to another partner than the one that signed the cdata`,
              { field: 'cardId', reason: 'not a card of the signing partner' },
            );
          }
          throw new LinkError('WRONG_PARTNER_ID', 'the cdata partnerId is not a known partner', {
            field: 'cdata.header.partnerId',
            reason: 'unknown partner',
          });
        }
        let certificateId = h.certificateId;
        if (certificateId === undefined) {
          // ver "1" predates certificate ids: the partner's first active certificate.
          const partner = await showPartner(deps.db, h.partnerId);
          certificateId = partner.certificates.find((c) => c.status === 'active')?.certificateId;
        }
        const cert = certificateId ? await findPartnerCertificate(deps.db, certificateId) : undefined;
        if (!cert || cert.partnerId !== h.partnerId) {
          throw new LinkError(
            'WRONG_CERTIFICATE_ID',
            'the cdata certificateId is not a certificate of this partner',
            { field: 'cdata.header.certificateId', reason: 'unknown certificate for this partner' },
          );
        }
        const refused = certificateRefusal(cert);
        if (refused !== null) {
          throw new LinkError('WRONG_CERTIFICATE_ID', `the certificate named by the cdata is ${refused}`, {
            field: 'cdata.header.certificateId',
            reason: refused,
          });
        }
        if (options.certificateId !== undefined && options.certificateId !== certificateId) {
          throw new LinkError('WRONG_CERTIFICATE_ID', 'the cdata certificateId is not the one of the link', {
            field: 'cdata.header.certificateId',
            reason: 'differs from the link',
          });
        }
        return cert.publicKey;
      },
      platformPrivateKey: async () =>
        (await getPartnerPlatformKey(deps.db, deps.keys, registration.partnerId))?.privateKey,
    });
    return card;
  } catch (err) {
    if (isJoseError(err)) throw joseToLinkError(err);
    throw err;
  }
}

/**
 * Checks a card object against its registration (PROTOCOLS.md 2.3): type and subType of the
 * registration, at most 10 data objects, the card schema (field named, why). `subTypeOptional`
 * for Get Card Data answers, whose table leaves subType out.
 */
export function checkCardObject(
  registration: CardRegistration,
  payload: unknown,
  options: { subTypeOptional?: boolean } = {},
): { card: CheckedCard; warnings: FieldIssue[]; deviations: WireWarning[] } {
  const raw = (payload as { card?: { type?: unknown; subType?: unknown; data?: unknown } } | null)?.card;
  if (!raw || typeof raw !== 'object') {
    throw new LinkError('INVALID_CARD', 'the card object has no card member', {
      field: 'card',
      reason: 'required',
    });
  }
  const subType = raw.subType ?? (options.subTypeOptional ? registration.subType : undefined);
  if (typeof raw.type === 'string' && raw.type !== registration.type) {
    throw new LinkError(
      'TYPE_MISMATCH',
      `card.type ${raw.type} is not the type this card id is registered for (${registration.type})`,
      { field: 'card.type', reason: `must be ${registration.type}` },
    );
  }
  if (typeof subType === 'string' && subType !== registration.subType) {
    throw new LinkError(
      'TYPE_MISMATCH',
      `card.subType ${subType} is not the subtype this card id is registered for (${registration.subType})`,
      { field: 'card.subType', reason: `must be ${registration.subType}` },
    );
  }
  if (Array.isArray(raw.data) && raw.data.length > CARD_DATA_MAX_ITEMS) {
    throw new LinkError(
      'TOO_MANY_DATA',
      `card.data holds ${raw.data.length} objects; at most ${CARD_DATA_MAX_ITEMS} are allowed`,
      { field: 'card.data', reason: `at most ${CARD_DATA_MAX_ITEMS} objects` },
    );
  }
  // Accepted deviations (docs/compatibility.md) are normalised and reported, not refused.
  const lenient = options.subTypeOptional ? parseCardAnswerLenient : parseCardPayloadLenient;
  const parsed = lenient(
    { ...(payload as object), card: subType === undefined ? raw : { ...raw, subType } },
    { registeredSubType: registration.subType },
  );
  if (!parsed.ok) {
    const first = parsed.issues[0];
    throw new LinkError(
      'INVALID_CARD',
      first ? `invalid card object: ${first.field} ${first.reason}` : 'invalid card object',
      ...parsed.issues.map(({ field, reason }) => ({ field, reason })),
    );
  }
  const card = parsed.value.card as unknown as CheckedCard;
  return { card, warnings: missingCardAttributes(card), deviations: parsed.warnings };
}

// --- Get Card Data (PROTOCOLS.md 3.3) ----------------------------------------------------------

export type CardDataAnswer =
  | { kind: 'card'; card: CheckedCard; deviations: WireWarning[] }
  | { kind: 'gone' };

/**
 * Calls the partner's Get Card Data for one refId and checks the answer: `{card}` or `{cdata}`
 * (verified like a link's), 204 when the card no longer exists. 401/5xx/no answer are
 * PARTNER_REFUSED / PARTNER_UNAVAILABLE with the status named.
 */
export async function getCardData(
  deps: WalletCardsDeps,
  registration: CardRegistration,
  refId: string,
): Promise<CardDataAnswer> {
  const url = partnerCardUrl(registration.partnerUrl, registration.cardId, refId);
  let res: Awaited<ReturnType<WalletCardsDeps['delivery']['call']>>;
  try {
    res = await deps.delivery.call(
      {
        partnerId: registration.partnerId,
        method: 'GET',
        url,
        headers: { 'x-request-id': newRequestId(), accept: 'application/json' },
      },
      { kind: GET_CARD_DATA_KIND },
    );
  } catch (err) {
    if (isPlatformError(err) && err.code === 'PARTNER_UNREACHABLE') {
      deps.log.warn({ cardId: registration.cardId, err: err.message }, 'Get Card Data: no answer');
      throw new LinkError(
        'PARTNER_UNAVAILABLE',
        `Get Card Data got no answer from the partner: ${err.message}`,
      );
    }
    throw err;
  }
  deps.log.info({ cardId: registration.cardId, status: res.status }, 'Get Card Data answered');
  if (res.status === 204) return { kind: 'gone' };
  if (res.status === 401 || res.status === 403) {
    throw new LinkError(
      'PARTNER_REFUSED',
      `Get Card Data: the partner refused the platform's AUTH token (HTTP ${res.status})`,
    );
  }
  if (res.status !== 200) {
    throw new LinkError('PARTNER_UNAVAILABLE', `Get Card Data: the partner answered HTTP ${res.status}`);
  }
  const answer = parseWire(getCardDataResponseSchema, res.json);
  if (!answer.ok && (res.json === undefined || typeof res.json !== 'object')) {
    throw new LinkError('INVALID_CARD', 'Get Card Data answered 200 without a JSON {card} or {cdata}', {
      field: 'body',
      reason: 'JSON {card} or {cdata}',
    });
  }
  const body = res.json as { card?: unknown; cdata?: unknown };
  const { card: checked, deviations } =
    typeof body.cdata === 'string'
      ? checkCardObject(registration, await verifyCardToken(deps, registration, body.cdata))
      : checkCardObject(registration, body, { subTypeOptional: true });
  const data = checked.data.filter((d) => d.refId === refId);
  if (data.length === 0) {
    throw new LinkError('INVALID_CARD', `Get Card Data answered without a data object of refId ${refId}`, {
      field: 'card.data',
      reason: `no refId ${refId}`,
    });
  }
  return { kind: 'card', card: { ...checked, data }, deviations };
}

// --- links → offers ----------------------------------------------------------------------------

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
  // One autocommit statement; expired offers are removed by sweepExpiredOffers, not here.
  await store.insertOffer(deps.db, offer);
  return {
    ...(await offerView(offer, partner.name, card, warnings)),
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
    barcodes: await Promise.all(card.data.map((d) => renderBarcode(d.attributes))),
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
  return offerView(offer, partner?.name ?? offer.partnerId, card, missingCardAttributes(card));
}

// --- passes in the wallet ----------------------------------------------------------------------

/** What the phone's list shows for a pass (wallet_items.data), rendered by pages/pass.ts. */
export interface PassItemData {
  walletCardId: string;
  cardId: string;
  refId: string;
  type: string;
  subType: string;
  attributes: Record<string, unknown>;
  barcode: BarcodeImage | null;
}

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : undefined;
}

/** The list title and subtitle of a pass, per card type. */
export function passSummary(
  type: string,
  a: Record<string, unknown>,
): { title: string; subtitle: string | null } {
  const title = (text(a['title']) ?? type).slice(0, 120);
  let subtitle: string | undefined;
  if (type === 'boardingpass') {
    const route = [text(a['departCode'] ?? a['departName']), text(a['arriveCode'] ?? a['arriveName'])]
      .filter(Boolean)
      .join(' → ');
    subtitle = [text(a['vehicleNumber']), route, text(a['seatNumber']) && `seat ${text(a['seatNumber'])}`]
      .filter(Boolean)
      .join(' · ');
  } else if (type === 'ticket') {
    subtitle = [text(a['providerName']), text(a['seatNumber']) && `seat ${text(a['seatNumber'])}`]
      .filter(Boolean)
      .join(' · ');
  } else {
    subtitle = text(a['providerName']) ?? text(a['subtitle1']);
  }
  return { title, subtitle: subtitle ? subtitle.slice(0, 200) : null };
}

function passImage(a: Record<string, unknown>): string | null {
  for (const key of ['mainImg', 'logoImage.lightUrl', 'logoImage', 'providerLogo.lightUrl', 'providerLogo']) {
    const v = a[key];
    if (typeof v === 'string' && /^https?:\/\/\S+$/i.test(v) && v.length <= 2048) return v;
  }
  return null;
}

function eventKeys(type: string, a: Record<string, unknown>) {
  const start = a['estimatedOrActualStartDate'] ?? a['startDate'];
  return {
    eventId: text(a['eventId']) ?? null,
    vehicleNumber: type === 'boardingpass' ? (text(a['vehicleNumber']) ?? null) : null,
    startDate: typeof start === 'number' && Number.isSafeInteger(start) ? start : null,
  };
}

async function itemFields(
  c: Pick<store.WalletCard, 'walletCardId' | 'cardId' | 'refId' | 'type' | 'subType' | 'state' | 'data'>,
) {
  const attributes = c.data.attributes as Record<string, unknown>;
  const data: PassItemData = {
    walletCardId: c.walletCardId,
    cardId: c.cardId,
    refId: c.refId,
    type: c.type,
    subType: c.subType,
    attributes,
    barcode: await renderBarcode(attributes),
  };
  return {
    ...passSummary(c.type, attributes),
    state: c.state,
    imageUrl: passImage(attributes),
    data: data as unknown as Record<string, unknown>,
  };
}

/** Queues Send Card State for a pass (PROTOCOLS.md 3.3), in the caller's transaction. */
export async function enqueueCardState(
  deps: Pick<WalletCardsDeps, 'delivery' | 'config'>,
  q: Queryable,
  registration: CardRegistration,
  c: Pick<store.WalletCard, 'refId' | 'cc2'>,
  event: 'ADDED' | 'UPDATED' | 'DELETED',
): Promise<void> {
  const query = new URLSearchParams({ cc2: c.cc2, event }).toString();
  await deps.delivery.enqueue(q, {
    kind: CARD_STATE_KIND,
    partnerId: registration.partnerId,
    method: 'POST',
    url: `${partnerCardUrl(registration.partnerUrl, registration.cardId, c.refId)}?${query}`,
    headers: { 'x-request-id': newRequestId() },
    body: { callback: deps.config.publicUrl },
  });
}

async function setState(
  deps: WalletCardsDeps,
  tx: Queryable,
  c: store.WalletCard,
  state: PassState,
  cause: string,
  data?: CardDataObject,
): Promise<store.WalletCard> {
  const now = deps.clock.now();
  const next: store.WalletCard = {
    ...c,
    state,
    updatedAt: now,
    ...(data ? { data, ...eventKeys(c.type, data.attributes) } : {}),
  };
  if (next.itemId) await wallet.updateWalletItem(tx, deps.clock, next.itemId, await itemFields(next));
  await store.updateWalletCard(tx, next);
  await store.insertHistory(tx, c.walletCardId, { state, cause, at: now });
  return next;
}

async function removeFromWallet(
  deps: WalletCardsDeps,
  tx: Queryable,
  c: store.WalletCard,
  cause: string,
): Promise<store.WalletCard> {
  const now = deps.clock.now();
  if (c.itemId) await wallet.removeWalletItem(tx, deps.clock, c.itemId);
  const next: store.WalletCard = { ...c, itemId: null, state: 'DELETED', updatedAt: now, removedAt: now };
  await store.updateWalletCard(tx, next);
  await store.insertHistory(tx, c.walletCardId, { state: 'DELETED', cause, at: now });
  return next;
}

/** A pass as the API, the CLI and the wallet show it. */
export interface WalletCardView {
  walletCardId: string;
  cardId: string;
  refId: string;
  type: string;
  subType: string;
  state: string;
  cc2: string;
  userId: string;
  deviceId: string;
  attributes: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
  removedAt: number | null;
  history?: store.HistoryEntry[];
}

export function walletCardView(c: store.WalletCard, history?: store.HistoryEntry[]): WalletCardView {
  return {
    walletCardId: c.walletCardId,
    cardId: c.cardId,
    refId: c.refId,
    type: c.type,
    subType: c.subType,
    state: c.state,
    cc2: c.cc2,
    userId: c.userId,
    deviceId: c.deviceId,
    attributes: c.data.attributes as Record<string, unknown>,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    removedAt: c.removedAt,
    ...(history ? { history } : {}),
  };
}

/**
 * Adds a checked link's passes to a device's wallet: one pass per data object, history ADDED,
 * and Send Card State ADDED queued for each, all in one transaction (all or nothing).
 */
export async function addCard(
  deps: WalletCardsDeps,
  input: { offerId: string; userId: string; deviceId: string },
): Promise<WalletCardView[]> {
  return deps.db.transaction(async (tx) => {
    const offer = await store.findOffer(tx, input.offerId, true);
    if (!offer) throw notFound('checked link');
    const now = deps.clock.now();
    if (offer.expiresAt <= now) {
      throw new LinkError('OFFER_EXPIRED', 'this link was checked too long ago: open the link again');
    }
    const device = await wallet.getDevice(tx, input.deviceId);
    if (!device || device.userId !== input.userId) throw notFound('device');
    const registration = await findCard(tx, offer.cardId);
    if (!registration) throw notFound('card');
    if (!(await partnerIsActive(tx, registration.partnerId))) {
      throw new LinkError('PARTNER_REVOKED', 'the partner of this card is revoked: it cannot be added');
    }
    const card = offer.card as unknown as CheckedCard;
    const added: WalletCardView[] = [];
    for (const data of card.data) {
      const walletCardId = newOpaqueToken(12);
      const base: store.WalletCard = {
        walletCardId,
        userId: input.userId,
        deviceId: device.deviceId,
        itemId: null,
        cardId: registration.cardId,
        partnerId: registration.partnerId,
        refId: data.refId,
        type: card.type,
        subType: card.subType,
        cc2: device.locale.country,
        state: 'ADDED',
        data,
        ...eventKeys(card.type, data.attributes),
        createdAt: now,
        updatedAt: now,
        removedAt: null,
      };
      let item: wallet.WalletItem;
      try {
        item = await wallet.addWalletItem(tx, deps.clock, {
          userId: input.userId,
          deviceId: device.deviceId,
          kind: 'pass',
          source: WALLET_ITEM_SOURCE,
          ref: `${registration.cardId}/${data.refId}`,
          ...(await itemFields(base)),
        });
      } catch (err) {
        if (isPlatformError(err) && err.code === 'CONFLICT') {
          throw new LinkError('ALREADY_IN_WALLET', `this wallet already holds ${data.refId}`, {
            field: 'refId',
            reason: 'already in this wallet',
          });
        }
        throw err;
      }
      const c = { ...base, itemId: item.itemId };
      if (!(await store.insertWalletCard(tx, c))) {
        throw new LinkError('ALREADY_IN_WALLET', `this wallet already holds ${data.refId}`);
      }
      await store.insertHistory(tx, walletCardId, { state: 'ADDED', cause: `link (${offer.via})`, at: now });
      await enqueueCardState(deps, tx, registration, c, 'ADDED');
      added.push(walletCardView(c));
    }
    await store.markOfferUsed(tx, offer.offerId, now);
    return added;
  });
}

/** Checks a link and adds it to a device (first device of the account unless given): the CLI's path. */
export async function addCardFromLink(
  deps: WalletCardsDeps,
  input: { email: string; link: string; deviceId?: string },
): Promise<WalletCardView[]> {
  const account = await wallet.findAccountByEmail(deps.db, input.email);
  if (!account) {
    throw new PlatformError('NOT_FOUND', 'no wallet account has this email', {
      details: [{ field: 'email', reason: 'no account' }],
    });
  }
  const devices = await wallet.listDevices(deps.db, account.userId);
  const device = input.deviceId ? devices.find((d) => d.deviceId === input.deviceId) : devices[0];
  if (!device) throw notFound('device');
  const offer = await checkLink(deps, input.link);
  return addCard(deps, { offerId: offer.offerId, userId: account.userId, deviceId: device.deviceId });
}

/** Passes of an account with their history (removed ones included, state DELETED). */
export async function listWalletCards(
  q: Queryable,
  userId: string,
  options: { deviceId?: string; includeRemoved?: boolean } = {},
): Promise<WalletCardView[]> {
  const cards = await store.listWalletCards(q, userId, options);
  return Promise.all(cards.map(async (c) => walletCardView(c, await store.listHistory(q, c.walletCardId))));
}

/** One pass of an account, with its history; NOT_FOUND for another account's pass. */
export async function getWalletCard(
  q: Queryable,
  userId: string,
  walletCardId: string,
): Promise<WalletCardView> {
  const c = await store.findWalletCard(q, walletCardId);
  if (!c || c.userId !== userId) throw notFound('pass');
  return walletCardView(c, await store.listHistory(q, walletCardId));
}

/** The user deletes a pass: it leaves the wallet, history DELETED, Send Card State DELETED queued. */
export async function deleteWalletCard(
  deps: WalletCardsDeps,
  input: { userId: string; walletCardId: string },
): Promise<WalletCardView> {
  return deps.db.transaction(async (tx) => {
    const c = await store.findWalletCard(tx, input.walletCardId, true);
    if (!c || c.userId !== input.userId || c.removedAt !== null) throw notFound('pass');
    const registration = await findCard(tx, c.cardId);
    const next = await removeFromWallet(deps, tx, c, 'user');
    if (registration) await enqueueCardState(deps, tx, registration, c, 'DELETED');
    return walletCardView(next);
  });
}

// --- Samsung Server API (partner → platform, PROTOCOLS.md 3.2) ----------------------------------

/** The request a Server API call came with, as routes.ts reads it. */
export interface PartnerCallAuth {
  authorization: string | undefined;
  partnerIdHeader: string | undefined;
  requestId: string | undefined;
  method: string;
  /** The request path (no query): the AUTH token must be bound to it. */
  path: string;
  cardId: string;
}

function unauthorized(message: string): PlatformError {
  return new PlatformError('UNAUTHORIZED', message);
}

/**
 * Authenticates a Server API call: `x-request-id` present, the AUTH token signed by the partner
 * certificate its certificateId names, `cty: AUTH`, utc within 30 s, bound to this method and
 * path; `x-smcs-partner-id` is the token's partner and the card's owner. Returns the card.
 */
export async function authenticatePartnerCall(
  deps: Pick<WalletCardsDeps, 'db' | 'clock'>,
  req: PartnerCallAuth,
): Promise<CardRegistration> {
  const missing: FieldIssue[] = [];
  if (!req.authorization) missing.push({ field: 'headers.authorization', reason: 'required' });
  if (!req.partnerIdHeader) missing.push({ field: 'headers.x-smcs-partner-id', reason: 'required' });
  if (!req.requestId) missing.push({ field: 'headers.x-request-id', reason: 'required' });
  else if (req.requestId.length > 32)
    missing.push({ field: 'headers.x-request-id', reason: 'at most 32 characters' });
  if (missing.some((m) => m.field === 'headers.authorization')) {
    throw new PlatformError('UNAUTHORIZED', 'Authorization: Bearer <AUTH token> is required', {
      details: missing,
    });
  }
  if (missing.length)
    throw new PlatformError('INVALID_INPUT', 'missing or invalid headers', { details: missing });
  let partnerId: string;
  try {
    const { header } = await verifyAuthToken(req.authorization as string, {
      method: req.method,
      path: req.path,
      now: () => authNow(deps.clock),
      expected: { partnerId: req.partnerIdHeader as string },
      resolveKey: async (h) => {
        if (!h.certificateId) return undefined;
        const cert = await findPartnerCertificate(deps.db, h.certificateId);
        if (!cert || cert.partnerId !== h.partnerId || certificateRefusal(cert) !== null) return undefined;
        if (!(await partnerIsActive(deps.db, cert.partnerId))) return undefined;
        return cert.publicKey;
      },
    });
    partnerId = header.partnerId;
  } catch (err) {
    if (!isJoseError(err)) throw err;
    const messages: Partial<Record<JoseError['code'], string>> = {
      ERR_TOKEN_EXPIRED: 'AUTH token expired: its utc is older than 30 s',
      ERR_TOKEN_FROM_FUTURE: 'AUTH token utc lies in the future',
      ERR_JWS_SIGNATURE_INVALID: 'AUTH token signature does not verify with the partner certificate',
      ERR_KEY_NOT_FOUND: 'AUTH token names no active certificate of its partner',
      ERR_AUTH_BINDING_MISMATCH: `AUTH token is bound to another request: ${err.message}`,
      ERR_HEADER_MISMATCH: 'x-smcs-partner-id is not the partner of the AUTH token',
    };
    throw unauthorized(messages[err.code] ?? `invalid AUTH token: ${err.message}`);
  }
  const registration = await findCard(deps.db, req.cardId);
  if (!registration) throw notFound(`card ${req.cardId}`);
  if (registration.partnerId !== partnerId) {
    throw unauthorized(`card ${req.cardId} belongs to another partner`);
  }
  return registration;
}

/** What a notification changed: HTTP 200 when something, 204 when no wallet held it [ours]. */
export interface NotificationResult {
  changed: number;
}

/**
 * Update Notification (PROTOCOLS.md 3.2): UPDATED → Get Card Data, then every wallet holding the
 * refId gets the new data (204 from the partner removes it everywhere) and Send Card State UPDATED
 * goes out; EXPIRED, REDEEMED, HELD, DELETED → the state changes in every wallet.
 */
export async function notifyUpdate(
  deps: WalletCardsDeps,
  registration: CardRegistration,
  body: UpdateNotification,
): Promise<NotificationResult> {
  if (body.card.type !== registration.type) {
    throw new PlatformError('INVALID_INPUT', `card.type must be ${registration.type}`, {
      details: [{ field: 'card.type', reason: `must be ${registration.type}` }],
    });
  }
  let changed = 0;
  for (const item of body.card.data) {
    if (item.state === 'UPDATED') {
      const holders = await store.countWalletCardsByRef(deps.db, registration.cardId, item.refId);
      if (holders === 0) continue;
      let answer: CardDataAnswer;
      try {
        answer = await getCardData(deps, registration, item.refId);
      } catch (err) {
        if (err instanceof LinkError) {
          throw new PlatformError('SERVICE_UNAVAILABLE', `could not refresh ${item.refId}: ${err.message}`);
        }
        throw err;
      }
      changed += await deps.db.transaction(async (tx) => {
        const cards = await store.lockWalletCardsByRef(tx, registration.cardId, item.refId);
        for (const c of cards) {
          if (answer.kind === 'gone') {
            await removeFromWallet(deps, tx, c, 'Get Card Data 204');
          } else {
            await setState(deps, tx, c, 'UPDATED', 'update notification', answer.card.data[0]);
            await enqueueCardState(deps, tx, registration, c, 'UPDATED');
          }
        }
        return cards.length;
      });
    } else {
      const state = item.state;
      changed += await deps.db.transaction(async (tx) => {
        const cards = await store.lockWalletCardsByRef(tx, registration.cardId, item.refId);
        for (const c of cards) await setState(deps, tx, c, state, 'update notification');
        return cards.length;
      });
    }
  }
  return { changed };
}

/**
 * Cancel Notification (PROTOCOLS.md 3.2): every pass of the event (ticket eventId; boarding pass
 * vehicleNumber and, when given, estimatedOrActualStartDate) becomes CANCELED.
 */
export async function notifyCancel(
  deps: WalletCardsDeps,
  registration: CardRegistration,
  body: CancelNotification,
): Promise<NotificationResult> {
  if (body.card.type !== registration.type) {
    throw new PlatformError('INVALID_INPUT', `card.type must be ${registration.type}`, {
      details: [{ field: 'card.type', reason: `must be ${registration.type}` }],
    });
  }
  return deps.db.transaction(async (tx) => {
    let changed = 0;
    for (const item of body.card.data) {
      const cards = await store.lockWalletCardsByEvent(tx, registration.cardId, {
        ...(item.eventId !== undefined ? { eventId: item.eventId } : {}),
        ...(item.vehicleNumber !== undefined ? { vehicleNumber: item.vehicleNumber } : {}),
        ...(item.estimatedOrActualStartDate !== undefined
          ? { startDate: item.estimatedOrActualStartDate }
          : {}),
      });
      for (const c of cards) {
        if (c.state === 'CANCELED') continue;
        await setState(deps, tx, c, 'CANCELED', 'cancel notification');
        changed++;
      }
    }
    return { changed };
  });
}

/** The schema of a whole card object, for the OpenAPI document. */
export const walletCardObjectSchema = walletCardSchema;
