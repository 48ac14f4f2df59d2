// The token service's public face: other flows (Save to Pay, Web Checkout, the wallet, verify)
// and tests outside tsp/ import the token service only from here (index.test.ts checks it). The
// TSP knows nothing of the wallet; it is used through these functions and its HTTP routes.
//
// Failure style: outcomes a card network decides (declines, expired cards, bad cryptograms) are
// result unions (`{ok:false, reason}`, `{valid:false, reason}`); a caller's mistake (bad input,
// unknown token ref, a token that cannot pay) is a PlatformError. The operations take the
// caller's transaction (`q`) so a token or cryptogram is written with the change that needs it,
// and parse their input here, at the token service's boundary.
export {
  brandNames,
  type CardBrand,
  cardBrands,
  magicPans,
  type TokenBrand,
  testPans,
} from './card-numbers.ts';
export {
  type CryptogramFailureReason,
  type CryptogramValidation,
  cryptogramLifetimeMs,
  type DeclineCode,
  eciIndicators,
  mintCryptogram,
  type PaymentCryptogram,
  validateCryptogram,
} from './cryptograms.ts';
export { tokenizeIssuerBlob } from './issuer-blobs.ts';
export { getTspPublicKey, getTspPublicKeyPem, type TspDeps } from './keys.ts';
export { tspModule } from './module.ts';
export type {
  AddTestCardInput,
  MintCryptogramInput,
  TokenizeIssuerBlobInput,
  TspToken,
  ValidateCryptogramInput,
} from './schemas.ts';
export { addTestCard, testCardCatalogue } from './test-cards.ts';
export {
  deleteToken,
  getToken,
  type IssuedToken,
  listTokens,
  resumeToken,
  suspendToken,
  type TokenizeFailureReason,
  type TokenizeResult,
} from './tokens.ts';
