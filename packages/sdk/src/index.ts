export * from './save-to-pay/index.ts';
export * from './wallet-cards/index.ts';
export * from './web-checkout/index.ts';
