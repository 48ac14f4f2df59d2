// Card objects typed per card type (PROTOCOLS.md 2.3): the attributes each type requires are
// required properties here, known optional ones are typed, and anything else may be added.
import type { CardSubType } from '@cardport/protocol';

/** Attribute values: strings, numbers (epoch ms for dates), flat dotted keys (`barcode.value`). */
export type AttributeValue = string | number | boolean;

/** The optional attributes every type knows. */
export interface CommonAttributes {
  bgColor?: string;
  fontColor?: string;
  bgImage?: string;
  'barcode.value'?: string;
  'barcode.serialType'?: 'SERIALNUMBER' | 'BARCODE' | 'QRCODE' | 'NONE' | string;
  'barcode.ptFormat'?: string;
  'barcode.ptSubFormat'?: 'QR_CODE' | 'CODE_128' | 'PDF_417' | 'AZTEC' | 'DATA_MATRIX' | string;
  [attribute: string]: AttributeValue | undefined;
}

type Logo =
  | { logoImage: string }
  | { 'logoImage.darkUrl': string; 'logoImage.lightUrl'?: string }
  | { 'logoImage.lightUrl': string; 'logoImage.darkUrl'?: string };
type ProviderLogo =
  | { providerLogo: string }
  | { 'providerLogo.darkUrl': string; 'providerLogo.lightUrl'?: string }
  | { 'providerLogo.lightUrl': string; 'providerLogo.darkUrl'?: string };
interface AppLink {
  appLinkLogo: string;
  appLinkName: string;
  appLinkData: string;
}

export type TicketAttributes = CommonAttributes &
  Logo & {
    title: string;
    mainImg: string;
    providerName: string;
    /** Cancel Notification finds tickets by it. */
    eventId?: string;
    startDate?: number;
    endDate?: number;
    seatNumber?: string;
    placeName?: string;
  };

export type BoardingPassAttributes = CommonAttributes &
  ProviderLogo & {
    title: string;
    providerName: string;
    seatNumber: string;
    /** Required for airlines; Cancel Notification finds boarding passes by it. */
    vehicleNumber?: string;
    user?: string;
    seatClass?: string;
    departCode?: string;
    arriveCode?: string;
    estimatedOrActualStartDate?: number;
  };

export type CouponAttributes = CommonAttributes &
  AppLink & {
    title: string;
    mainImg: string;
    expiry: number;
    issueDate: number;
    editableYn: 'Y' | 'N';
    deletableYn: 'Y' | 'N';
    displayRedeemButtonYn: 'Y' | 'N';
    notificationYn: 'Y' | 'N';
  };

export type GiftCardAttributes = CommonAttributes & AppLink & { title: string; providerName: string };
export type LoyaltyAttributes = CommonAttributes & AppLink & { title: string; providerName: string };
export type GenericAttributes = CommonAttributes & { title: string; providerName: string; startDate: number };
export type IdCardAttributes = CommonAttributes & {
  title: string;
  holderName: string;
  identifier: string;
  issueDate: number;
  providerName: string;
  csInfo: string;
};

/** One data object; createdAt/updatedAt default to now, language to `en`. */
export interface CardItem<A> {
  refId: string;
  attributes: A;
  language?: string;
  createdAt?: number;
  updatedAt?: number;
  localization?: { language: string; attributes: Partial<A> }[];
}

export interface CardObject<T extends string = string> {
  card: {
    type: T;
    subType: string;
    data: {
      refId: string;
      createdAt: number;
      updatedAt: number;
      language: string;
      attributes: Record<string, AttributeValue | undefined>;
      localization?: { language: string; attributes: Record<string, AttributeValue | undefined> }[];
    }[];
  };
}

function build<T extends string, A>(
  type: T,
  subType: string,
  items: readonly CardItem<A>[],
  now: number,
): CardObject<T> {
  if (items.length === 0 || items.length > 10)
    throw new RangeError('a card object holds 1 to 10 data objects');
  return {
    card: {
      type,
      subType,
      data: items.map((i) => ({
        refId: i.refId,
        createdAt: i.createdAt ?? now,
        updatedAt: i.updatedAt ?? i.createdAt ?? now,
        language: i.language ?? 'en',
        attributes: i.attributes as Record<string, AttributeValue | undefined>,
        ...(i.localization
          ? {
              localization: i.localization as {
                language: string;
                attributes: Record<string, AttributeValue | undefined>;
              }[],
            }
          : {}),
      })),
    },
  };
}

export interface BuildOptions {
  /** For createdAt/updatedAt defaults; Date.now by default. */
  now?: number;
}

export const ticket = (
  subType: CardSubType<'ticket'>,
  items: readonly CardItem<TicketAttributes>[],
  o: BuildOptions = {},
) => build('ticket', subType, items, o.now ?? Date.now());
export const boardingPass = (
  subType: CardSubType<'boardingpass'>,
  items: readonly CardItem<BoardingPassAttributes>[],
  o: BuildOptions = {},
) => build('boardingpass', subType, items, o.now ?? Date.now());
export const coupon = (
  subType: CardSubType<'coupon'>,
  items: readonly CardItem<CouponAttributes>[],
  o: BuildOptions = {},
) => build('coupon', subType, items, o.now ?? Date.now());
export const giftCard = (
  subType: CardSubType<'giftcard'>,
  items: readonly CardItem<GiftCardAttributes>[],
  o: BuildOptions = {},
) => build('giftcard', subType, items, o.now ?? Date.now());
export const loyalty = (
  subType: CardSubType<'loyalty'>,
  items: readonly CardItem<LoyaltyAttributes>[],
  o: BuildOptions = {},
) => build('loyalty', subType, items, o.now ?? Date.now());
export const generic = (
  subType: CardSubType<'generic'>,
  items: readonly CardItem<GenericAttributes>[],
  o: BuildOptions = {},
) => build('generic', subType, items, o.now ?? Date.now());
export const idCard = (
  subType: CardSubType<'idcard'>,
  items: readonly CardItem<IdCardAttributes>[],
  o: BuildOptions = {},
) => build('idcard', subType, items, o.now ?? Date.now());
