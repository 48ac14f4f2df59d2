// Turns zod errors into field-named issues for every wire format: S2P `details[]`, Web Checkout
// result codes, ATW rejections. Reasons are built from the schema (limits, allowed values), never
// from the rejected value, so a PAN or token sent in the wrong field never comes back in an error.
import type { z } from 'zod';

/** One offending field of a message, named by its dotted path (`custom.cardName`, `card.data[0].refId`). */
export interface FieldIssue {
  field: string;
  reason: string;
}

/**
 * What went wrong, coarsely: `missing` (a required field is absent), `type` (wrong JSON type),
 * `format` (right type, wrong shape: pattern, URL, length), `value` (well-formed but not allowed),
 * `unknown` (a field the message does not define). Web Checkout maps these to OPM1N100x codes.
 */
export type IssueKind = 'missing' | 'type' | 'format' | 'value' | 'unknown';

export interface ClassifiedFieldIssue extends FieldIssue {
  kind: IssueKind;
}

/** Options of {@link fieldIssues}. */
export interface FieldIssueOptions {
  /** The value that was parsed: lets absent fields be told from fields of the wrong type. */
  input?: unknown;
  /** Name for an issue about the whole message (empty path). Default `body`. */
  root?: string;
}

/**
 * A custom issue our schemas raise: `params.kind` classifies it. The message is ours and safe.
 * Use from `superRefine`/`check` callbacks so that every custom rule classifies the same way.
 */
export function customIssue(
  message: string,
  path: PropertyKey[],
  kind: IssueKind = 'value',
): { code: 'custom'; message: string; path: PropertyKey[]; params: { kind: IssueKind } } {
  return { code: 'custom', message, path, params: { kind } };
}

/** `['card', 'data', 0, 'refId']` → `card.data[0].refId`; an empty path gives `root`. */
export function issuePath(path: readonly PropertyKey[], root = 'body'): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? root : out;
}

/** Field-named, value-free issues for a zod error, in the order zod found them, without duplicates. */
export function fieldIssues(error: z.ZodError, options: FieldIssueOptions = {}): FieldIssue[] {
  return classifiedFieldIssues(error, options).map(({ field, reason }) => ({ field, reason }));
}

/** Like {@link fieldIssues}, with each issue's {@link IssueKind}. */
export function classifiedFieldIssues(
  error: z.ZodError,
  options: FieldIssueOptions = {},
): ClassifiedFieldIssue[] {
  const out: ClassifiedFieldIssue[] = [];
  const seen = new Set<string>();
  const root = options.root ?? 'body';
  const push = (issue: ClassifiedFieldIssue) => {
    const key = `${issue.field}\u0000${issue.reason}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(issue);
  };
  for (const issue of error.issues) {
    for (const c of classify(issue as RawIssue, [], options.input, 'input' in options)) {
      push({ field: issuePath(c.path, root), reason: c.reason, kind: c.kind });
    }
  }
  return out;
}

/** The outcome of {@link parseWire}. */
export type WireParseResult<T> =
  | { ok: true; value: T }
  | { ok: false; issues: ClassifiedFieldIssue[]; error: z.ZodError };

/**
 * Parses `input` with `schema` and, on failure, returns classified field issues (absent fields
 * reported as `required`). Never throws for bad input.
 *
 * @example
 * ```ts
 * const r = parseWire(createRegistrationRequestSchema, body);
 * if (!r.ok) throw invalid(r.issues); // [{ field: 'custom.cardName', reason: 'required', kind: 'missing' }]
 * ```
 */
export function parseWire<S extends z.ZodType>(
  schema: S,
  input: unknown,
  options: Omit<FieldIssueOptions, 'input'> = {},
): WireParseResult<z.output<S>> {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  return {
    ok: false,
    issues: classifiedFieldIssues(result.error, { ...options, input }),
    error: result.error,
  };
}

// --- internals ---------------------------------------------------------------------------------

interface RawIssue {
  code: string;
  path: PropertyKey[];
  message: string;
  expected?: string;
  origin?: string;
  format?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  inclusive?: boolean;
  exact?: boolean;
  values?: readonly unknown[];
  keys?: readonly string[];
  divisor?: number;
  errors?: RawIssue[][];
  note?: string;
  discriminator?: string;
  options?: readonly unknown[];
  params?: { kind?: IssueKind };
}

interface Classified {
  path: PropertyKey[];
  reason: string;
  kind: IssueKind;
}

const MAX_LISTED_VALUES = 24;

function classify(issue: RawIssue, prefix: PropertyKey[], input: unknown, haveInput: boolean): Classified[] {
  const path = [...prefix, ...issue.path];
  // An absent field fails as a wrong type, a bad enum value or a failed union, depending on its
  // schema; the input tells which. Without it, zod's message is the only clue.
  if (issue.code === 'invalid_type' || issue.code === 'invalid_value' || issue.code === 'invalid_union') {
    const absent = haveInput
      ? valueAt(input, path) === undefined
      : issue.code === 'invalid_type' && /received undefined$/.test(issue.message);
    if (absent) return [{ path, reason: 'required', kind: 'missing' }];
  }
  switch (issue.code) {
    case 'invalid_type':
      return [{ path, reason: typeReason(issue.expected), kind: 'type' }];
    // A string of the wrong length is malformed; a number or list out of range is a bad value.
    case 'too_big':
      return [
        { path, reason: sizeReason(issue, 'big'), kind: issue.origin === 'string' ? 'format' : 'value' },
      ];
    case 'too_small':
      return [
        { path, reason: sizeReason(issue, 'small'), kind: issue.origin === 'string' ? 'format' : 'value' },
      ];
    case 'invalid_format':
      return [{ path, reason: formatReason(issue), kind: 'format' }];
    case 'not_multiple_of':
      return [{ path, reason: `must be a multiple of ${issue.divisor}`, kind: 'value' }];
    case 'invalid_value':
      return [{ path, reason: oneOf(issue.values ?? []), kind: 'value' }];
    case 'unrecognized_keys':
      return (issue.keys ?? []).map((key) => ({
        path: [...path, key],
        reason: 'unknown field',
        kind: 'unknown' as const,
      }));
    case 'invalid_key':
      return [{ path, reason: 'has an invalid key', kind: 'format' }];
    case 'invalid_element':
      return [{ path, reason: 'has an invalid element', kind: 'format' }];
    case 'invalid_union':
      return unionIssues(issue, path, input, haveInput);
    case 'custom':
      return [{ path, reason: issue.message || 'is not valid', kind: issue.params?.kind ?? 'value' }];
    default:
      return [{ path, reason: 'is not valid', kind: 'value' }];
  }
}

// A union failed: report the branch that got furthest, so `total: "abc"` says what a decimal
// string must look like rather than "expected number".
function unionIssues(issue: RawIssue, path: PropertyKey[], input: unknown, haveInput: boolean): Classified[] {
  if (issue.note === 'No matching discriminator') {
    return [{ path, reason: oneOf(issue.options ?? []), kind: 'value' }];
  }
  const branches = (issue.errors ?? []).filter((b) => b.length > 0);
  const typeOnly = (b: RawIssue[]) => b.every((i) => i.code === 'invalid_type' && i.path.length === 0);
  const informative = branches.filter((b) => !typeOnly(b));
  if (informative.length === 0) {
    const expected = [
      ...new Set(branches.flatMap((b) => b.map((i) => i.expected).filter((e): e is string => !!e))),
    ];
    const reason =
      expected.length > 0 ? `must be ${expected.map((e) => article(e)).join(' or ')}` : 'has an invalid type';
    return [{ path, reason, kind: 'type' }];
  }
  const depth = (b: RawIssue[]) => Math.max(...b.map((i) => i.path.length));
  const best = informative.reduce((a, b) =>
    depth(b) > depth(a) || (depth(b) === depth(a) && b.length < a.length) ? b : a,
  );
  return best.flatMap((i) => classify(i, path, input, haveInput));
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = input;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

const typeNames: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  bigint: 'an integer',
  boolean: 'a boolean (true or false)',
  object: 'an object',
  record: 'an object',
  array: 'an array',
  tuple: 'an array',
  null: 'null',
  date: 'a date',
};

function article(expected: string): string {
  return typeNames[expected] ?? `of type ${expected}`;
}

function typeReason(expected: string | undefined): string {
  if (expected === 'never') return 'is not allowed';
  return expected ? `must be ${article(expected)}` : 'has an invalid type';
}

function sizeReason(issue: RawIssue, side: 'big' | 'small'): string {
  const limit = side === 'big' ? issue.maximum : issue.minimum;
  const n = limit === undefined ? '' : String(limit);
  const inclusive = issue.inclusive !== false;
  switch (issue.origin) {
    case 'string':
      if (issue.exact) return `must be exactly ${n} characters`;
      if (side === 'small' && n === '1') return 'must not be empty';
      return side === 'big' ? `must be at most ${n} characters` : `must be at least ${n} characters`;
    case 'array':
    case 'set':
      if (issue.exact) return `must have exactly ${n} items`;
      if (side === 'small' && n === '1') return 'must not be empty';
      return side === 'big' ? `must have at most ${n} items` : `must have at least ${n} items`;
    default:
      if (side === 'big') return inclusive ? `must be at most ${n}` : `must be less than ${n}`;
      return inclusive ? `must be at least ${n}` : `must be greater than ${n}`;
  }
}

const formatNames: Record<string, string> = {
  regex: 'has an invalid format',
  email: 'must be an email address',
  url: 'must be a URL',
  uuid: 'must be a UUID',
  base64: 'must be base64',
  base64url: 'must be base64url',
  starts_with: 'has an invalid format',
  ends_with: 'has an invalid format',
  includes: 'has an invalid format',
  lowercase: 'must be lowercase',
  uppercase: 'must be uppercase',
};

// zod's own format messages start with "Invalid"; ours (set on the schema) are already a reason.
function formatReason(issue: RawIssue): string {
  if (issue.message && !/^Invalid\b/.test(issue.message)) return issue.message;
  return formatNames[issue.format ?? ''] ?? 'has an invalid format';
}

function oneOf(values: readonly unknown[]): string {
  const shown = values
    .slice(0, MAX_LISTED_VALUES)
    .map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
  const more = values.length > MAX_LISTED_VALUES ? ', …' : '';
  if (values.length === 1) return `must be ${shown[0]}`;
  return `must be one of: ${shown.join(', ')}${more}`;
}
