import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exceedsJsonDepth, MAX_JSON_DEPTH } from './json-depth.ts';

function nested(levels: number): unknown {
  let v: unknown = 'leaf';
  for (let i = 0; i < levels; i++) v = i % 2 ? [v] : { a: v };
  return v;
}

describe('JSON nesting depth', () => {
  it('accepts scalars and values nested up to the limit', () => {
    assert.equal(exceedsJsonDepth('text'), false);
    assert.equal(exceedsJsonDepth(null), false);
    assert.equal(exceedsJsonDepth({ a: 1, b: [1, 2, { c: 3 }] }), false);
    assert.equal(exceedsJsonDepth(nested(MAX_JSON_DEPTH)), false);
  });

  it('finds a value nested one level too deep, and 100,000 levels without overflowing the stack', () => {
    assert.equal(exceedsJsonDepth(nested(MAX_JSON_DEPTH + 1)), true);
    assert.equal(exceedsJsonDepth({ ok: 1, deep: nested(100_000) }), true);
    assert.equal(exceedsJsonDepth(nested(3), 2), true);
  });
});
