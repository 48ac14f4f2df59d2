// Web Checkout failures carry the real service's `resultCode` (PROTOCOLS.md 4.1) next to the
// platform's own code, so the /ops/v1 scope renders `{resultCode, resultMessage}` and every other
// caller (pages, admin API, CLI) still sees a PlatformError.
import { type WebCheckoutErrorCode, webCheckoutResult, webCheckoutResults } from '@cardport/protocol';
import { type FieldIssue, PlatformError, type PlatformErrorCode } from '../core/errors.ts';

const platformCodes: Record<number, PlatformErrorCode> = {
  400: 'INVALID_INPUT',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  500: 'INTERNAL',
};

export class WebCheckoutError extends PlatformError {
  readonly resultCode: WebCheckoutErrorCode;
  /** Field name or short reason appended to the result message; never a secret. */
  readonly detail: string | undefined;

  constructor(resultCode: WebCheckoutErrorCode, detail?: string, details?: FieldIssue[]) {
    const status = webCheckoutResults[resultCode].status;
    super(platformCodes[status] ?? 'INTERNAL', webCheckoutResult(resultCode, detail).resultMessage, {
      status,
      ...(details ? { details } : {}),
    });
    this.resultCode = resultCode;
    this.detail = detail;
  }
}

export function isWebCheckoutError(err: unknown): err is WebCheckoutError {
  return err instanceof WebCheckoutError;
}
