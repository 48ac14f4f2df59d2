// Why an Add to Wallet link is refused: one reason per rejection a partner must be able to tell
// apart (issue 4), shown on the landing page and returned by the API as `error.reason`.
import { type FieldIssue, PlatformError, type PlatformErrorCode } from '../core/errors.ts';

export const linkErrorReasons = {
  MALFORMED_LINK: 'INVALID_INPUT',
  UNKNOWN_CARD: 'NOT_FOUND',
  CARD_OF_ANOTHER_PARTNER: 'FORBIDDEN',
  PARTNER_REVOKED: 'FORBIDDEN',
  TOKEN_EXPIRED: 'INVALID_INPUT',
  TOKEN_FROM_FUTURE: 'INVALID_INPUT',
  MALFORMED_TOKEN: 'INVALID_INPUT',
  ALG_NOT_ALLOWED: 'INVALID_INPUT',
  BAD_SIGNATURE: 'INVALID_INPUT',
  WRONG_CTY: 'INVALID_INPUT',
  WRONG_VER: 'INVALID_INPUT',
  WRONG_PARTNER_ID: 'INVALID_INPUT',
  WRONG_CERTIFICATE_ID: 'INVALID_INPUT',
  CANNOT_DECRYPT: 'INVALID_INPUT',
  INVALID_CARD: 'INVALID_INPUT',
  TOO_MANY_DATA: 'INVALID_INPUT',
  TYPE_MISMATCH: 'INVALID_INPUT',
  CARD_NOT_AT_PARTNER: 'NOT_FOUND',
  PARTNER_REFUSED: 'PARTNER_UNREACHABLE',
  PARTNER_UNAVAILABLE: 'PARTNER_UNREACHABLE',
  OFFER_EXPIRED: 'GONE',
  ALREADY_IN_WALLET: 'CONFLICT',
} as const satisfies Record<string, PlatformErrorCode>;

export type LinkErrorReason = keyof typeof linkErrorReasons;

/** A refused link: a PlatformError whose `reason` names the rejection. Messages carry no token. */
export class LinkError extends PlatformError {
  readonly reason: LinkErrorReason;
  constructor(reason: LinkErrorReason, message: string, ...details: FieldIssue[]) {
    super(linkErrorReasons[reason], message, details.length ? { details } : {});
    this.reason = reason;
  }
}

export function isLinkError(err: unknown): err is LinkError {
  return err instanceof LinkError;
}
