export { type AddToWalletOptions, addToWalletButton, enhanceAddToWalletButtons } from './add-to-wallet.ts';
export { type S2PRequest, type S2PResponse, saveToPayUI } from './s2p.ts';
export { connect as connectWebCheckout, SamsungPay } from './web-checkout.ts';
