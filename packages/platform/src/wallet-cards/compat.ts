// Strict mode of Add to Wallet (issue 8, docs/compatibility.md): for a partner in strict mode an
// accepted deviation of the card object refuses the link with INVALID_CARD, as the documents read
// conservatively would, naming every deviating field.
import { strictIssues, type WireWarning } from '@cardport/protocol';
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
