import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { classifiedFieldIssues, customIssue, fieldIssues, issuePath, parseWire } from './validation.ts';

const schema = z.strictObject({
  name: z.string().min(1).max(8),
  nested: z.strictObject({ count: z.int().max(3), kind: z.enum(['A', 'B']) }),
  list: z.array(z.strictObject({ id: z.string().regex(/^[a-z]+$/) })).max(2),
  total: z.union([z.number(), z.string().regex(/^[0-9.]+$/, { error: 'must be a decimal amount' })]),
});

describe('issuePath', () => {
  it('joins keys with dots and indexes with brackets', () => {
    assert.equal(issuePath(['card', 'data', 0, 'refId']), 'card.data[0].refId');
    assert.equal(issuePath(['custom', 'cardName']), 'custom.cardName');
  });

  it('names the whole message root when the path is empty', () => {
    assert.equal(issuePath([]), 'body');
    assert.equal(issuePath([], 'query'), 'query');
  });
});

const valid = { name: 'x', nested: { count: 1, kind: 'A' }, list: [], total: 1 };

describe('parseWire', () => {
  it('returns the parsed value for valid input', () => {
    assert.deepEqual(parseWire(schema, valid), { ok: true, value: valid });
  });

  it('reports absent fields as required, with dotted paths', () => {
    const r = parseWire(schema, { nested: {}, list: [], total: 1 });
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.deepEqual(
      r.issues.map(({ field, reason, kind }) => ({ field, reason, kind })),
      [
        { field: 'name', reason: 'required', kind: 'missing' },
        { field: 'nested.count', reason: 'required', kind: 'missing' },
        { field: 'nested.kind', reason: 'required', kind: 'missing' },
      ],
    );
  });

  it('tells a field of the wrong type from an absent one', () => {
    const r = parseWire(schema, { name: 5, nested: { count: 'x', kind: 'A' }, list: [], total: 1 });
    assert.ok(!r.ok);
    assert.deepEqual(
      r.issues.map((i) => [i.field, i.reason, i.kind]),
      [
        ['name', 'must be a string', 'type'],
        ['nested.count', 'must be a number', 'type'],
      ],
    );
  });

  it('names every unknown field on its own', () => {
    const r = parseWire(schema, {
      name: 'x',
      nested: { count: 1, kind: 'A', extra: 1 },
      list: [],
      total: 1,
      zz: 2,
    });
    assert.ok(!r.ok);
    assert.deepEqual(
      r.issues.map((i) => [i.field, i.reason, i.kind]),
      [
        ['nested.extra', 'unknown field', 'unknown'],
        ['zz', 'unknown field', 'unknown'],
      ],
    );
  });

  it('states limits, allowed values and array positions without the rejected value', () => {
    const secret = '4111111111111111';
    const r = parseWire(schema, {
      name: secret,
      nested: { count: 9, kind: secret },
      list: [{ id: secret }],
      total: secret.replace(/1/g, 'x'),
    });
    assert.ok(!r.ok);
    assert.deepEqual(
      r.issues.map((i) => [i.field, i.reason]),
      [
        ['name', 'must be at most 8 characters'],
        ['nested.count', 'must be at most 3'],
        ['nested.kind', 'must be one of: A, B'],
        ['list[0].id', 'has an invalid format'],
        ['total', 'must be a decimal amount'],
      ],
    );
    assert.ok(!JSON.stringify(r.issues).includes('4111'), 'no issue echoes the value');
    const long = parseWire(schema, { ...valid, list: [{ id: 'a' }, { id: 'b' }, { id: 'c' }] });
    assert.ok(!long.ok);
    assert.deepEqual(long.issues, [{ field: 'list', reason: 'must have at most 2 items', kind: 'value' }]);
  });

  it('reports a body that is not an object against the root', () => {
    const r = parseWire(schema, 'text');
    assert.ok(!r.ok);
    assert.deepEqual(r.issues, [{ field: 'body', reason: 'must be an object', kind: 'type' }]);
    const missing = parseWire(schema, undefined);
    assert.ok(!missing.ok);
    assert.deepEqual(missing.issues[0], { field: 'body', reason: 'required', kind: 'missing' });
  });

  it('explains a union whose branches all want another type', () => {
    const r = parseWire(schema, { name: 'x', nested: { count: 1, kind: 'A' }, list: [], total: true });
    assert.ok(!r.ok);
    assert.deepEqual(r.issues, [{ field: 'total', reason: 'must be a number or a string', kind: 'type' }]);
  });

  it('classifies custom issues by the kind they carry', () => {
    const refined = z.object({ a: z.string().optional(), b: z.boolean() }).superRefine((v, ctx) => {
      if (v.b && v.a === undefined) ctx.addIssue(customIssue('required when b is true', ['a'], 'missing'));
    });
    const r = parseWire(refined, { b: true });
    assert.ok(!r.ok);
    assert.deepEqual(r.issues, [{ field: 'a', reason: 'required when b is true', kind: 'missing' }]);
  });
});

describe('fieldIssues', () => {
  it('works on a zod error alone, detecting absent fields from the error', () => {
    const result = schema.safeParse({ nested: { count: 1, kind: 'A' }, list: [], total: 1 });
    assert.ok(!result.success);
    assert.deepEqual(fieldIssues(result.error), [{ field: 'name', reason: 'required' }]);
  });

  it('drops duplicate issues', () => {
    const twice = z.string().superRefine((_v, ctx) => {
      ctx.addIssue(customIssue('bad', []));
      ctx.addIssue(customIssue('bad', []));
    });
    const result = twice.safeParse('x');
    assert.ok(!result.success);
    assert.equal(classifiedFieldIssues(result.error, { root: 'value' }).length, 1);
  });
});
