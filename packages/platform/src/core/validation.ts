import type { z } from 'zod';
import { type FieldIssue, invalidInput } from './errors.ts';

function issueToFields(issue: z.core.$ZodIssue): FieldIssue[] {
  const field = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((k) => ({ field: field ? `${field}.${k}` : k, reason: 'unknown field' }));
  }
  const missing = issue.code === 'invalid_type' && /received undefined/.test(issue.message);
  return [{ field: field || '(body)', reason: missing ? 'required' : issue.message }];
}

/**
 * Parses input with a schema; failures become INVALID_INPUT naming every offending field. Reasons
 * come from the schema's own messages, never from the value (which may be a PAN or a key).
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  what = 'request body',
): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const details = result.error.issues.flatMap(issueToFields);
  const first = details[0];
  throw invalidInput(first ? `invalid ${what}: ${first.field} ${first.reason}` : `invalid ${what}`, details);
}
