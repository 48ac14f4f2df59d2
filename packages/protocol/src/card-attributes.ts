// Add to Wallet card attributes (PROTOCOLS.md 2.3): the required attributes per card type as far
// as public docs tell, and the cross-type formats (colours, Y/N flags, barcode codes, dates, image
// URLs). The lists are incomplete by nature: what is known is validated, every other attribute is
// kept as it came, and nothing here throws on odd input.
import { type CardType, isCardType } from './card-types.ts';
import { isHttpUrl } from './data-types.ts';
import type { FieldIssue } from './validation.ts';

/** One required attribute: any one of the listed flat keys satisfies it (`logoImage` or its variants). */
export type AttributeRequirement = readonly [string, ...string[]];

const appLink: AttributeRequirement[] = [['appLinkLogo'], ['appLinkName'], ['appLinkData']];
const logoImage: AttributeRequirement = ['logoImage', 'logoImage.darkUrl', 'logoImage.lightUrl'];
const providerLogo: AttributeRequirement = ['providerLogo', 'providerLogo.darkUrl', 'providerLogo.lightUrl'];

/** Required attributes per card type [doc]; types without public requirements have none. */
export const requiredCardAttributes: Readonly<Record<CardType, readonly AttributeRequirement[]>> = {
  ticket: [['title'], ['mainImg'], logoImage, ['providerName']],
  boardingpass: [['title'], providerLogo, ['providerName'], ['seatNumber']],
  coupon: [
    ['title'],
    ['mainImg'],
    ['expiry'],
    ['issueDate'],
    ['editableYn'],
    ['deletableYn'],
    ['displayRedeemButtonYn'],
    ['notificationYn'],
    ...appLink,
  ],
  giftcard: [['title'], ['providerName'], ...appLink],
  loyalty: [['title'], ['providerName'], ...appLink],
  generic: [['title'], ['providerName'], ['startDate']],
  idcard: [['title'], ['holderName'], ['identifier'], ['issueDate'], ['providerName'], ['csInfo']],
  payasyougo: [['title'], ['noticeDesc'], ...appLink],
  digitalkey: [],
  reservation: [],
  transitcard: [],
  clip: [],
};

/** Additional required attributes for some subtypes [doc]. */
export const requiredCardAttributesBySubType: Readonly<
  Partial<Record<CardType, Readonly<Record<string, readonly AttributeRequirement[]>>>>
> = {
  boardingpass: { airlines: [['user'], ['vehicleNumber'], ['seatClass']] },
};

/** The requirements for a type and subtype; an unknown type has none. */
export function requiredAttributesFor(type: string, subType?: string): readonly AttributeRequirement[] {
  if (!isCardType(type)) return [];
  const extra = subType === undefined ? undefined : requiredCardAttributesBySubType[type]?.[subType];
  return extra ? [...requiredCardAttributes[type], ...extra] : requiredCardAttributes[type];
}

/** `barcode.serialType`: what is presented [doc]. */
export const barcodeSerialTypes = [
  'SERIALNUMBER',
  'BARCODE',
  'QRCODE',
  'POINTAMOUNT',
  'URL',
  'IMAGE',
  'NONE',
  'SHIPPING',
  'CALLORDER',
] as const;

/** `barcode.ptFormat`: how it is presented [doc]. */
export const barcodePtFormats = [
  'BARCODE',
  'BARCODESERIAL',
  'SERIAL',
  'DUALSERIAL',
  'DUALBARCODE',
  'DUALBARCODESERIAL',
  'BARCODEPIN',
  'BARCODESERIALPIN',
  'IMAGE',
  'IMAGESERIAL',
  'QRCODE',
  'QRCODESERIAL',
] as const;

/** `barcode.ptSubFormat`: ZXing format names [doc]; `APIAZTEC` is how one doc page spells AZTEC. */
export const barcodePtSubFormats = [
  'AZTEC',
  'APIAZTEC',
  'CODABAR',
  'CODE_39',
  'CODE_93',
  'CODE_128',
  'DATA_MATRIX',
  'EAN_8',
  'EAN_13',
  'ITF',
  'MAXICODE',
  'PDF_417',
  'QR_CODE',
  'RSS_14',
  'RSS_EXPANDED',
  'UPC_A',
  'UPC_E',
  'UPC_EAN_EXTENSION',
] as const;

/** `barcode.generationType` [doc]; absent means STATIC. */
export const barcodeGenerationTypes = ['STATIC', 'TOTP', 'INTERVAL'] as const;
/** `barcode.errorCorrectionLevel` [doc]. */
export const barcodeErrorCorrectionLevels = ['L', 'M', 'Q', 'H'] as const;

/** Attributes whose values are listed: the barcode codes. */
export const enumAttributes: Readonly<Record<string, readonly string[]>> = {
  'barcode.serialType': barcodeSerialTypes,
  'barcode.ptFormat': barcodePtFormats,
  'barcode.ptSubFormat': barcodePtSubFormats,
  'barcode.generationType': barcodeGenerationTypes,
  'barcode.errorCorrectionLevel': barcodeErrorCorrectionLevels,
};

/** Attributes that are Long(13) epoch milliseconds [doc]; a string of digits is accepted too. */
export const epochMillisAttributes: readonly string[] = [
  'startDate',
  'endDate',
  'issueDate',
  'expiry',
  'estimatedOrActualStartDate',
  'estimatedOrActualEndDate',
];

/** Attributes that are image URLs [doc]. */
export const imageUrlAttributes: readonly string[] = [
  'mainImg',
  'bgImage',
  'appLinkLogo',
  'logoImage',
  'logoImage.darkUrl',
  'logoImage.lightUrl',
  'providerLogo',
  'providerLogo.darkUrl',
  'providerLogo.lightUrl',
];

/** `#RRGGBB` [doc]. */
export const COLOR_PATTERN = /^#[0-9A-Fa-f]{6}$/;

function lastSegment(key: string): string {
  const i = key.lastIndexOf('.');
  return i < 0 ? key : key.slice(i + 1);
}

function isEpochMillis(value: unknown): boolean {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 && value <= 9_999_999_999_999;
  return typeof value === 'string' && /^[0-9]{1,13}$/.test(value);
}

function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

/** Why one attribute's value breaks a known format, or undefined if it is fine or not known. */
export function attributeFormatIssue(key: string, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const allowed = enumAttributes[key];
  if (allowed) {
    return typeof value === 'string' && allowed.includes(value)
      ? undefined
      : `must be one of: ${allowed.join(', ')}`;
  }
  if (epochMillisAttributes.includes(key)) {
    return isEpochMillis(value) ? undefined : 'must be epoch milliseconds (at most 13 digits)';
  }
  if (imageUrlAttributes.includes(key)) {
    return isHttpUrl(value) ? undefined : 'must be an absolute http or https URL';
  }
  const last = lastSegment(key);
  if (last === 'color' || last.endsWith('Color')) {
    return typeof value === 'string' && COLOR_PATTERN.test(value) ? undefined : 'must be a colour #RRGGBB';
  }
  if (last.endsWith('Yn')) {
    return value === 'Y' || value === 'N' ? undefined : 'must be Y or N';
  }
  return undefined;
}

/** Options of {@link checkCardAttributes}. */
export interface CheckCardAttributesOptions {
  /** The card's subtype: some add requirements (boardingpass/airlines). */
  subType?: string;
  /** Check that required attributes are present (not for localization overrides). Default true. */
  required?: boolean;
  /** Check the known formats. Default true; false reports missing attributes only. */
  formats?: boolean;
  /** Path of the attributes object, prefixed to each field. Default `attributes`. */
  path?: string;
}

/**
 * Issues with a card's attributes: known formats always, and with `required` the attributes its
 * type requires. Unknown attributes are never an issue.
 *
 * @example
 * ```ts
 * checkCardAttributes('ticket', { title: 'Parasite', bgColor: 'red' }, { path: 'card.data[0].attributes' });
 * // [{ field: 'card.data[0].attributes.bgColor', reason: 'must be a colour #RRGGBB' },
 * //  { field: 'card.data[0].attributes.mainImg', reason: 'required for ticket cards' }, ...]
 * ```
 */
export function checkCardAttributes(
  type: string,
  attributes: Readonly<Record<string, unknown>>,
  options: CheckCardAttributesOptions = {},
): FieldIssue[] {
  const path = options.path ?? 'attributes';
  const issues: FieldIssue[] = [];
  if (options.formats !== false) {
    for (const [key, value] of Object.entries(attributes)) {
      const reason = attributeFormatIssue(key, value);
      if (reason) issues.push({ field: `${path}.${key}`, reason });
    }
  }
  if (options.required !== false && isCardType(type)) {
    const bySubType =
      options.subType === undefined ? undefined : requiredCardAttributesBySubType[type]?.[options.subType];
    const groups: [string, readonly AttributeRequirement[]][] = [[type, requiredCardAttributes[type]]];
    if (bySubType) groups.push([`${type}/${options.subType}`, bySubType]);
    for (const [label, requirements] of groups) {
      for (const requirement of requirements) {
        if (requirement.some((key) => isPresent(attributes[key]))) continue;
        const [first, ...variants] = requirement;
        const reason =
          variants.length > 0
            ? `required for ${label} cards (or one of ${variants.join(', ')})`
            : `required for ${label} cards`;
        issues.push({ field: `${path}.${first}`, reason });
      }
    }
  }
  return issues;
}
