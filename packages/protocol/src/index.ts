export * from './card-attributes.ts';
export type { CardSubType, CardType } from './card-types.ts';
export {
  CARD_TYPE_MAX_LENGTH,
  cardSubTypes,
  cardTypeNames,
  cardTypes,
  isCardSubType,
  isCardType,
} from './card-types.ts';
export * from './currencies.ts';
export * from './data-types.ts';
export * from './save-to-pay.ts';
export * from './validation.ts';
export * from './wallet-cards.ts';
export * from './wallet-cards-lenient.ts';
export * from './warnings.ts';
export * from './web-checkout.ts';
export * from './web-checkout-lenient.ts';
