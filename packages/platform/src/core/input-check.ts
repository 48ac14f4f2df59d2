// The edge check of text (issue 9): values that no field of any API may hold are refused before a
// handler runs, in the family's own error format (the hook throws; the scope's handler renders).
// NUL cannot be stored in PostgreSQL text, a lone surrogate has no UTF-8 form, U+FFFE / U+FFFF are
// not characters: letting them through would make the database the validator (a 500).
import type { FastifyRequest } from 'fastify';
import { type FieldIssue, PlatformError } from './errors.ts';

// NUL, a high surrogate not followed by a low one, a low surrogate not preceded by a high one,
// and the two noncharacters of the BMP's last block.
// No `u` flag: the check must see UTF-16 code units one by one, not paired code points.
const unsafeUnits =
  /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|[\uFFFE\uFFFF]/;

/** Whether a string holds text no field accepts (NUL, a lone surrogate, U+FFFE or U+FFFF). */
export function isUnsafeText(value: string): boolean {
  return unsafeUnits.test(value);
}

/**
 * The first place in a parsed value (a body, params, query) whose keys or strings hold unsafe
 * text, as a field issue naming the dotted path; undefined when every string is clean. Walks
 * with an explicit stack, so a deeply nested body cannot overflow the call stack.
 */
export function findUnsafeText(value: unknown, root: string): FieldIssue | undefined {
  const stack: [unknown, string][] = [[value, root]];
  while (stack.length > 0) {
    const [v, path] = stack.pop() as [unknown, string];
    if (typeof v === 'string') {
      if (isUnsafeText(v)) return { field: path, reason: 'contains NUL, a lone surrogate or a noncharacter' };
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], path ? `${path}.${i}` : String(i)]);
    } else if (v !== null && typeof v === 'object' && !Buffer.isBuffer(v)) {
      for (const [k, child] of Object.entries(v)) {
        const childPath = path ? `${path}.${k}` : k;
        if (isUnsafeText(k))
          return { field: path || '(body)', reason: 'a key contains NUL or a lone surrogate' };
        stack.push([child, childPath]);
      }
    }
  }
  return undefined;
}

/**
 * Refuses unsafe text in the path parameters, the query, the named headers and the parsed body
 * with INVALID_INPUT (400). core/http.ts runs it before validation on every route of every scope,
 * with the headers the path's family declares; the scope's handler renders the family format.
 */
export function checkRequestText(req: FastifyRequest, headers: readonly string[]): void {
  const sources: [unknown, string][] = [
    [req.params, 'path'],
    [req.query, 'query'],
    [req.body, ''],
  ];
  for (const name of headers) sources.push([req.headers[name], name]);
  for (const [value, root] of sources) {
    const issue = findUnsafeText(value, root);
    if (issue) {
      throw new PlatformError('INVALID_INPUT', `invalid text in ${issue.field || 'the request body'}`, {
        details: [{ field: issue.field || '(body)', reason: issue.reason }],
      });
    }
  }
}
