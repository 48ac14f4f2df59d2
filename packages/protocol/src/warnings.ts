// Warnings (issue 8, docs/compatibility.md): an accepted deviation from the documented contract.
// The normalisers of each family return the value the platform works with plus one warning per
// deviation; the platform sends them back in one `Cardport-Warning` header and, for a partner in
// strict mode, turns them into the error a conservative reading of the documents gives. No I/O.
import type { ClassifiedFieldIssue, IssueKind } from './validation.ts';

/** What the partner is told about one accepted deviation (the wire form, shared with the SDK). */
export interface CardportWarning {
  /** UPPER_SNAKE code, listed in docs/compatibility.md. */
  code: string;
  /** Dotted path of the field (`paymentDetails.allowedBrands`). */
  field: string;
  /** What was sent, at most 64 characters; null when the field was absent. Never a secret. */
  sent: string | null;
  /** What the documents say. */
  documented: string;
}

/**
 * A warning as the normalisers produce it: the wire form plus the {@link IssueKind} of the error a
 * conservative reading of the documents gives, which strict mode turns into the family's code.
 */
export interface WireWarning extends CardportWarning {
  strictKind: IssueKind;
}

/** The response header that carries the warnings: one header, a JSON array of {@link CardportWarning}. */
export const WARNING_HEADER = 'Cardport-Warning';
/** `sent` is cut to this many characters. */
export const WARNING_SENT_MAX_LENGTH = 64;

/** The text of a sent value for `sent`: strings as they are, other JSON as JSON, cut to 64 characters. */
export function sentText(value: unknown): string | null {
  if (value === undefined) return null;
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return text.length > WARNING_SENT_MAX_LENGTH ? text.slice(0, WARNING_SENT_MAX_LENGTH) : text;
}

/** Builds a warning; `sent` is the raw value (cut and stringified here). */
export function wireWarning(
  code: string,
  field: string,
  sent: unknown,
  documented: string,
  strictKind: IssueKind,
): WireWarning {
  return { code, field, sent: sentText(sent), documented, strictKind };
}

/** The wire form of a warning (drops `strictKind`). */
export function toCardportWarning(w: CardportWarning): CardportWarning {
  return { code: w.code, field: w.field, sent: w.sent, documented: w.documented };
}

/** The issues strict mode refuses with: one per warning, in the order they were found. */
export function strictIssues(warnings: readonly WireWarning[]): ClassifiedFieldIssue[] {
  return warnings.map((w) => ({
    field: w.field,
    reason: w.strictKind === 'missing' ? 'required' : `must be ${w.documented}`,
    kind: w.strictKind,
  }));
}

/** The header value: a JSON array, ASCII only (every non-ASCII character escaped as \uXXXX). */
export function formatWarningHeader(warnings: readonly CardportWarning[]): string {
  return JSON.stringify(warnings.map(toCardportWarning)).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Reads a `Cardport-Warning` header value; anything unreadable gives an empty list. */
export function parseWarningHeader(value: string | null | undefined): CardportWarning[] {
  if (!value) return [];
  try {
    const parsed: unknown = JSON.parse(value);
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(
      (w): w is CardportWarning =>
        !!w &&
        typeof w === 'object' &&
        typeof w.code === 'string' &&
        typeof w.field === 'string' &&
        (typeof w.sent === 'string' || w.sent === null) &&
        typeof w.documented === 'string',
    );
  } catch {
    return [];
  }
}

/** The outcome of a lenient parse: the normalised value and its warnings, or the issues. */
export type LenientParseResult<T> =
  | { ok: true; value: T; warnings: WireWarning[] }
  | { ok: false; issues: ClassifiedFieldIssue[] };

// --- helpers of the normalisers ------------------------------------------------------------------

/** A plain JSON object (not an array, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
