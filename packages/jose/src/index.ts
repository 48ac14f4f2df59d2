// @cardport/jose: the Samsung JOSE profiles (PROTOCOLS.md 2.2, 3.1, 4.2) on node:crypto only.
export type {
  AuthTokenHeader,
  AuthTokenPayload,
  CreateAuthTokenOptions,
  VerifiedAuthToken,
  VerifyAuthTokenOptions,
} from './auth-token.ts';
export { AUTH_HEADER_MAX_LENGTH, createAuthToken, verifyAuthToken } from './auth-token.ts';
export type { CdataHeader, CreateCdataOptions, VerifiedCdata, VerifyCdataOptions } from './cdata.ts';
export { createCdata, DEFAULT_CDATA_MAX_LENGTH, verifyCdata } from './cdata.ts';
export type {
  CredentialHeader,
  CredentialKeys,
  DecryptCredentialOptions,
  DecryptedCredential,
} from './credential.ts';
export {
  credentialKeyId,
  DEFAULT_CREDENTIAL_MAX_LENGTH,
  decryptCredential,
  encryptCredential,
} from './credential.ts';
export type { JoseErrorCode, JoseErrorOptions } from './errors.ts';
export { isJoseError, JoseError } from './errors.ts';
export * from './issuer-blob.ts';
export { unwrapRsa1_5, wrapRsa1_5 } from './rsa1-5.ts';
export type { Awaitable, ExpectedPartner, KeyResolver, PartnerJwsHeader } from './types.ts';
