// Data Transmit tokens and the links that carry them (PROTOCOLS.md 2.1, 2.2).
import { createCdata as joseCreateCdata } from '@cardport/jose';
import { ATW_LINK_BASE_URL } from '@cardport/protocol';
import {
  type PrivateKeyInput,
  type PublicKeyInput,
  type SdkClock,
  toPrivateKey,
  toPublicKey,
} from './keys.ts';

export interface CreateCdataOptions {
  /** Your partner id (numeric string). */
  partnerId: string;
  /** The certificateId of your partner certificate (e.g. `YMtt`). */
  certificateId: string;
  /** Your private key: signs the JWS. */
  partnerKey: PrivateKeyInput;
  /** The platform certificate you got at onboarding for your partner id: the JWE is encrypted to it. */
  platformCertificate: PublicKeyInput;
  /** Stamps `utc`; defaults to the system clock. The token is valid for 30 s from then. */
  clock?: SdkClock;
}

/**
 * Makes the cdata token of a Data Transmit link: the card object, encrypted to the platform
 * (JWE RSA1_5/A128GCM) and signed by you (JWS RS256, `cty: CARD`, `ver: 3`). Make it when the
 * user clicks, not when the page renders: it expires 30 s after creation.
 *
 * @example
 *   const cdata = createCdata(ticket('movies', [{ refId, attributes }]), {
 *     partnerId, certificateId, partnerKey: keyPem, platformCertificate: platformCertPem,
 *   });
 */
export function createCdata(card: unknown, options: CreateCdataOptions): string {
  const clock = options.clock;
  return joseCreateCdata(card, {
    partnerId: options.partnerId,
    certificateId: options.certificateId,
    partnerKey: toPrivateKey(options.partnerKey, 'partnerKey'),
    platformPublicKey: toPublicKey(options.platformCertificate, 'platformCertificate'),
    ...(clock ? { now: () => clock.now() } : {}),
  });
}

/** Samsung recommends links whose token stays under 2048 bytes; browsers may cut longer URLs [seed]. */
export const RECOMMENDED_TOKEN_LENGTH = 2048;

export interface DataTransmitLinkOptions {
  cardId: string;
  cdata: string;
  /** `v3` (current, default), `v1`, or the legacy `wlt` form (needs productId). */
  form?: 'v1' | 'v3' | 'wlt';
  productId?: string;
  /** Link host: `https://a.swallet.link` by default; the sandbox's URL to test against Cardport. */
  baseUrl?: string;
  /**
   * When the token passes {@link RECOMMENDED_TOKEN_LENGTH}: `warn` (default) calls `onWarning`;
   * `pdata` returns a Data Fetch link for `refId` instead (your server must answer Get Card Data).
   */
  whenTooLong?: 'warn' | 'pdata' | 'ignore';
  refId?: string;
  certificateId?: string;
  onWarning?: (message: string) => void;
}

function trimBase(baseUrl: string | undefined): string {
  return (baseUrl ?? ATW_LINK_BASE_URL).replace(/\/+$/, '');
}

/**
 * A Data Transmit link: `{base}/atw/v3/{cardId}#Clip?cdata={token}` (or v1, or the legacy
 * `/wlt/{productId}/{cardId}` form).
 */
export function dataTransmitLink(options: DataTransmitLinkOptions): string {
  const base = trimBase(options.baseUrl);
  if (options.cdata.length > RECOMMENDED_TOKEN_LENGTH) {
    const message = `cdata is ${options.cdata.length} characters, over the recommended ${RECOMMENDED_TOKEN_LENGTH}: browsers may truncate the link; use a Data Fetch (pdata) link`;
    if (options.whenTooLong === 'pdata') {
      if (!options.refId) throw new TypeError('whenTooLong: "pdata" needs the refId of the card data');
      return dataFetchLink({
        cardId: options.cardId,
        refId: options.refId,
        ...(options.certificateId ? { certificateId: options.certificateId } : {}),
        ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
      });
    }
    if (options.whenTooLong !== 'ignore') (options.onWarning ?? ((m: string) => console.warn(m)))(message);
  }
  const form = options.form ?? 'v3';
  const path =
    form === 'wlt'
      ? `/wlt/${encodeURIComponent(required(options.productId, 'productId'))}/${encodeURIComponent(options.cardId)}`
      : `/atw/${form}/${encodeURIComponent(options.cardId)}`;
  return `${base}${path}#Clip?cdata=${options.cdata}`;
}

export interface DataFetchLinkOptions {
  cardId: string;
  /** Your unguessable reference of the card data; the platform fetches it with Get Card Data. */
  refId: string;
  /** With it: the current `/atw/v3/{certificateId}/{cardId}` form; without: `/atw/v1/{cardId}`. */
  certificateId?: string;
  baseUrl?: string;
}

/** A Data Fetch ("slim") link: `{base}/atw/v3/{certificateId}/{cardId}#Clip?pdata={refId}`. */
export function dataFetchLink(options: DataFetchLinkOptions): string {
  const base = trimBase(options.baseUrl);
  const path = options.certificateId
    ? `/atw/v3/${encodeURIComponent(options.certificateId)}/${encodeURIComponent(options.cardId)}`
    : `/atw/v1/${encodeURIComponent(options.cardId)}`;
  return `${base}${path}#Clip?pdata=${encodeURIComponent(options.refId)}`;
}

function required(v: string | undefined, name: string): string {
  if (!v) throw new TypeError(`${name} is required for this link form`);
  return v;
}
