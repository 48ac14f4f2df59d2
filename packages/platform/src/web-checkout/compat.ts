// Strict mode of Web Checkout (issue 8, docs/compatibility.md): for a partner in strict mode every
// accepted deviation is refused with the result code a conservative reading of the documents gives
// (a missing field OPM1N1001, a malformed one OPM1N1003, an unlisted value OPM1N1002).
import { strictIssues, type WireWarning, webCheckoutValidationResult } from '@cardport/protocol';
import type { Queryable } from '../core/db.ts';
import { findPartner } from '../partners/service.ts';
import { WebCheckoutError } from './errors.ts';

/** The error strict mode refuses these warnings with. */
export function strictError(warnings: readonly WireWarning[]): WebCheckoutError {
  const issues = strictIssues(warnings);
  const { code } = webCheckoutValidationResult(issues);
  const first = issues.find((i) => webCheckoutValidationResult([i]).code === code) ?? issues[0];
  return new WebCheckoutError(code, first ? `${first.field} ${first.reason} (strict mode)` : 'strict mode');
}

/** Throws the strict-mode error when the partner is in strict mode and there are warnings. */
export async function refuseIfStrict(
  q: Queryable,
  partnerId: string,
  warnings: readonly WireWarning[] | undefined,
): Promise<void> {
  if (!warnings || warnings.length === 0) return;
  const partner = await findPartner(q, partnerId);
  if (partner?.strict) throw strictError(warnings);
}
