// PROTOCOLS.md 2.3: Add to Wallet card types and their subtypes [doc]. Pure data, no I/O.
// Types whose docs list no subtypes (coupon, giftcard, loyalty, generic, transitcard) use the
// subtype `others`, as Samsung's card specifications do for giftcard [doc].

/** Every ATW card type with the subtypes it accepts. */
export const cardTypes = {
  boardingpass: ['airlines', 'trains', 'buses', 'others'],
  ticket: ['performances', 'sports', 'movies', 'entrances', 'others'],
  coupon: ['others'],
  giftcard: ['others'],
  loyalty: ['others'],
  generic: ['others'],
  payasyougo: ['evcharges', 'others'],
  idcard: ['employees', 'nationals', 'students', 'drivers', 'guests', 'others'],
  digitalkey: ['doors', 'hotels', 'cars', 'others'],
  reservation: ['rentalcars', 'restaurants', 'accommodations', 'etickets', 'taxis', 'activities', 'others'],
  transitcard: ['others'],
  clip: ['businesstrips', 'trips', 'others'],
} as const satisfies Record<string, readonly string[]>;

export type CardType = keyof typeof cardTypes;
export type CardSubType<T extends CardType = CardType> = (typeof cardTypes)[T][number];

/** `card.type` and `card.subType` are String(16) on the wire [seed]. */
export const CARD_TYPE_MAX_LENGTH = 16;

export const cardTypeNames: readonly CardType[] = Object.keys(cardTypes) as CardType[];

export function isCardType(value: unknown): value is CardType {
  return typeof value === 'string' && Object.hasOwn(cardTypes, value);
}

/** True when `subType` is one of the subtypes documented for `type`. */
export function isCardSubType<T extends CardType>(type: T, subType: unknown): subType is CardSubType<T> {
  return typeof subType === 'string' && (cardTypes[type] as readonly string[]).includes(subType);
}

/** The subtypes of a type, or an empty list for an unknown type. */
export function cardSubTypes(type: string): readonly string[] {
  return isCardType(type) ? cardTypes[type] : [];
}
