import type { z } from 'zod';
import { type FieldIssue, invalidInput, type PlatformError } from './errors.ts';

/** A failed check as `{field, reason}` rows; the reason never quotes the value. */
function issueToFields(issue: {
  code: string;
  path: PropertyKey[];
  message: string;
  keys?: string[];
}): FieldIssue[] {
  const field = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    return (issue.keys ?? []).map((k) => ({ field: field ? `${field}.${k}` : k, reason: 'unknown field' }));
  }
  const missing = issue.code === 'invalid_type' && /received undefined/.test(issue.message);
  return [{ field: field || '(body)', reason: missing ? 'required' : issue.message }];
}

function invalid(what: string, details: FieldIssue[]): PlatformError {
  const first = details[0];
  return invalidInput(first ? `invalid ${what}: ${first.field} ${first.reason}` : `invalid ${what}`, details);
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
  throw invalid(what, result.error.issues.flatMap(issueToFields));
}

/** What each part of a request is called in messages. */
const partNames: Record<string, string> = {
  body: 'request body',
  querystring: 'query',
  params: 'path parameters',
  headers: 'headers',
};

type ValidationEntry = {
  keyword?: string;
  instancePath?: string;
  message?: string;
  params?: { keys?: string[] };
};

/**
 * The INVALID_INPUT PlatformError for the validation entries of one request part, as `parseInput`
 * would throw it for the same input; `what` names the part in the message ("fault settings").
 */
export function validationRefusal(
  entries: readonly ValidationEntry[],
  part: string,
  what?: string,
): PlatformError {
  const details = entries.flatMap((v) =>
    issueToFields({
      code: v.keyword ?? '',
      path: (v.instancePath ?? '').split('/').filter((s) => s !== ''),
      message: v.message ?? 'invalid',
      ...(v.params?.keys ? { keys: v.params.keys } : {}),
    }),
  );
  return invalid(what ?? partNames[part] ?? 'request', details);
}

/**
 * A Fastify validation failure of a declared route (`err.validation`, `err.validationContext`,
 * from the zod validator of core/routes.ts) as the INVALID_INPUT PlatformError that `parseInput`
 * would have thrown for the same input; undefined for any other error. `toPlatformError` calls it,
 * so every family's error handler renders a declared route's refusal in its own wire format.
 */
export function fromValidationError(err: unknown): PlatformError | undefined {
  const e = err as { validation?: unknown; validationContext?: string } | null;
  if (typeof e !== 'object' || e === null || !Array.isArray(e.validation)) return undefined;
  return validationRefusal(e.validation as ValidationEntry[], e.validationContext ?? 'body');
}
