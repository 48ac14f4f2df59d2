/**
 * Every protocol failure this package reports. A closed union, so `switch (err.code)` is
 * exhaustive. Programmer errors (wrong argument types, non-RSA keys) are `TypeError`s instead.
 */
export type JoseErrorCode =
  /** The JWS is not three base64url parts, its header is not a JSON object, or it is too long. */
  | 'ERR_JWS_INVALID'
  /** The JWS `alg` is not RS256 (`none`, `HS256`, …). */
  | 'ERR_JWS_ALG_NOT_ALLOWED'
  /** The RS256 signature does not verify with the resolved key. */
  | 'ERR_JWS_SIGNATURE_INVALID'
  /** The JWE is not five base64url parts, its header is not a JSON object, or a part has a wrong length. */
  | 'ERR_JWE_INVALID'
  /** The JWE `alg` is not RSA1_5 or its `enc` is not A128GCM (`member` says which). */
  | 'ERR_JWE_ALG_NOT_ALLOWED'
  /** Wrong key, tampered ciphertext, tag, IV, encrypted key or (for cdata) header. */
  | 'ERR_JWE_DECRYPTION_FAILED'
  /** `utc` is older than the allowed age. */
  | 'ERR_TOKEN_EXPIRED'
  /** `utc` lies in the future beyond the allowed clock skew. */
  | 'ERR_TOKEN_FROM_FUTURE'
  /** A protected header member is missing or malformed (`member` names it). */
  | 'ERR_HEADER_INVALID'
  /** A protected header member differs from the value the verifier expects (`member` names it). */
  | 'ERR_HEADER_MISMATCH'
  /** No key is known for the token's partner, certificate or `kid`. */
  | 'ERR_KEY_NOT_FOUND'
  /** An AUTH token was issued for another HTTP method or path. */
  | 'ERR_AUTH_BINDING_MISMATCH'
  /** The (decrypted or signed) payload is not the JSON the profile requires. */
  | 'ERR_PAYLOAD_INVALID';

/** Options of {@link JoseError}. */
export interface JoseErrorOptions {
  /** The protected header member at fault, for header and algorithm errors. */
  readonly member?: string;
  readonly cause?: unknown;
}

/**
 * A JOSE protocol failure with a stable code. Messages are safe to log and return: they never
 * contain the token, key material or plaintext.
 *
 * @example
 * ```ts
 * try {
 *   await verifyCdata(token, opts);
 * } catch (err) {
 *   if (err instanceof JoseError && err.code === 'ERR_TOKEN_EXPIRED') return reply.code(401).send();
 *   throw err;
 * }
 * ```
 */
export class JoseError extends Error {
  override readonly name = 'JoseError';
  readonly code: JoseErrorCode;
  /** The protected header member at fault, when there is one. */
  readonly member: string | undefined;

  constructor(code: JoseErrorCode, message: string, options: JoseErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.member = options.member;
  }
}

/**
 * Whether `err` is a {@link JoseError}, optionally with the given code.
 *
 * @example
 * ```ts
 * if (isJoseError(err, 'ERR_JWE_DECRYPTION_FAILED')) logger.warn('credential rejected');
 * ```
 */
export function isJoseError(err: unknown, code?: JoseErrorCode): err is JoseError {
  return err instanceof JoseError && (code === undefined || err.code === code);
}
