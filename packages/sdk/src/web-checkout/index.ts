export type {
  CreateTransactionInput,
  SendNotificationInput,
  WebCheckoutClientOptions,
  WebCheckoutEnvironment,
} from './client.ts';
export { SANDBOX_WEB_CHECKOUT_BASE_URL, WebCheckoutApiError, WebCheckoutClient } from './client.ts';
export type { CredentialKeyInput, DecryptedCredentials } from './credentials.ts';
export { CredentialDecryptionError, decryptCredentials, normalizeEci } from './credentials.ts';
export { createCsr, generateMerchantKey } from './csr.ts';
export { createHealthHandler } from './health.ts';
