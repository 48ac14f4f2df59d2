// Add to Samsung Wallet for partners: cdata and links, the Server API client, the Partner Server
// API handler, and typed card builders (PROTOCOLS.md 2 and 3).
export * from './cards.ts';
export * from './cdata.ts';
export type { PrivateKeyInput, PublicKeyInput, SdkClock } from './keys.ts';
export * from './partner-handler.ts';
export * from './server-client.ts';
