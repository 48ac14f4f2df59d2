export type { CardportWarning, WarningHandler } from './common.ts';
export { CardportApiError, parseCardportWarnings } from './common.ts';
export * from './save-to-pay/index.ts';
export * from './wallet-cards/index.ts';
export * from './web-checkout/index.ts';
