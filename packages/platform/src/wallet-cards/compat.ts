// Strict mode of Add to Wallet (issue 8, docs/compatibility.md): for a partner in strict mode an
// accepted deviation of the card object refuses the link with INVALID_CARD, as the documents read
// conservatively would, naming every deviating field.
import { strictIssues, type WireWarning } from '@cardport/protocol';
import type { Queryable } from '../core/db.ts';
import { invalidInput } from '../core/errors.ts';
import { findPartner } from '../partners/service.ts';
import { LinkError } from './errors.ts';

export function strictCardError(deviations: readonly WireWarning[]): LinkError {
  const issues = strictIssues(deviations);
  const first = issues[0];
  return new LinkError(
    'INVALID_CARD',
    first ? `invalid card object: ${first.field} ${first.reason} (strict mode)` : 'invalid card object',
    ...issues.map(({ field, reason }) => ({ field, reason })),
  );
}

/** Server API bodies: for a strict partner, a deviation is an invalid body (400, fields named). */
export async function refuseServerCallIfStrict(
  q: Queryable,
  partnerId: string,
  what: string,
  deviations: readonly WireWarning[],
): Promise<void> {
  if (deviations.length === 0) return;
  const partner = await findPartner(q, partnerId);
  if (!partner?.strict) return;
  throw invalidInput(
    `invalid ${what} (strict mode)`,
    strictIssues(deviations).map(({ field, reason }) => ({ field, reason })),
  );
}
