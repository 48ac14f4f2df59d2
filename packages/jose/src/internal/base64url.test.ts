import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeBase64url, encodeBase64url } from './base64url.ts';
import { parseJson, parseJsonObject } from './json.ts';

describe('base64url', () => {
  it('round-trips bytes and strings without padding', () => {
    const bytes = Buffer.from([0xfb, 0xff, 0x00, 0x3e]);
    assert.equal(encodeBase64url(bytes), '-_8APg');
    assert.deepEqual(decodeBase64url('-_8APg'), bytes);
    assert.equal(encodeBase64url('{"a":1}'), 'eyJhIjoxfQ');
  });

  it('rejects padding, the standard alphabet, whitespace and impossible lengths', () => {
    for (const text of ['eyJhIjoxfQ==', '+/8APg', '-_8A Pg', 'abcde', 'a.b']) {
      assert.equal(decodeBase64url(text), undefined, text);
    }
  });

  it('rejects non-canonical trailing bits', () => {
    assert.deepEqual(decodeBase64url('QQ'), Buffer.from('A'));
    assert.equal(decodeBase64url('QR'), undefined);
  });
});

describe('JSON parsing with a size cap', () => {
  it('parses UTF-8 JSON within the cap', () => {
    assert.deepEqual(parseJson(Buffer.from('{"a":"é"}'), 100), { value: { a: 'é' } });
  });

  it('refuses input over the cap, invalid UTF-8, a byte order mark and non-objects where objects are required', () => {
    assert.equal(parseJson(Buffer.from('{"a":1}'), 6), undefined);
    assert.equal(parseJson(Buffer.from([0x7b, 0xff, 0x7d]), 100), undefined);
    assert.equal(parseJson(Buffer.from('\ufeff{}'), 100), undefined);
    assert.equal(parseJsonObject(Buffer.from('[1]'), 100), undefined);
    assert.equal(parseJsonObject(Buffer.from('null'), 100), undefined);
  });
});
