import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  countryCodeSchema,
  enumStringSchema,
  httpUrlSchema,
  isHttpUrl,
  isPhoneNumber,
  isUuid,
  jsonObjectSchema,
  phoneNumberSchema,
  stringSchema,
  timestampSchema,
  uuidSchema,
} from './data-types.ts';
import { parseWire } from './validation.ts';

function reason(schema: Parameters<typeof parseWire>[0], value: unknown): string | undefined {
  const r = parseWire(schema, value, { root: 'value' });
  return r.ok ? undefined : r.issues[0]?.reason;
}

describe('seed data types (seed 001 §3.4.9)', () => {
  it('accepts a String of up to 2048 characters and rejects a longer one', () => {
    assert.equal(reason(stringSchema, 'x'.repeat(2048)), undefined);
    assert.equal(reason(stringSchema, 'x'.repeat(2049)), 'must be at most 2048 characters');
  });

  it('accepts Enum values of letters, digits and underscores, 1 to 256 long', () => {
    assert.equal(reason(enumStringSchema, 'WA_READY'), undefined);
    assert.equal(reason(enumStringSchema, 'a'.repeat(256)), undefined);
    assert.equal(reason(enumStringSchema, ''), 'must be 1 to 256 letters, digits or underscores');
    assert.equal(
      reason(enumStringSchema, 'a'.repeat(257)),
      'must be 1 to 256 letters, digits or underscores',
    );
    assert.equal(reason(enumStringSchema, 'WA-READY'), 'must be 1 to 256 letters, digits or underscores');
  });

  it('accepts PhoneNumbers of digits, +, (, ) and - only', () => {
    for (const phone of ['14089998888', '+1(408)999-8888']) {
      assert.equal(reason(phoneNumberSchema, phone), undefined, phone);
      assert.ok(isPhoneNumber(phone));
    }
    for (const phone of ['', '408 999 8888', '408.999', 'call me']) {
      assert.equal(
        reason(phoneNumberSchema, phone),
        'must be a phone number: digits, +, (, ) and - only',
        phone,
      );
      assert.ok(!isPhoneNumber(phone));
    }
  });

  it('accepts the seed UUID type: 26 to 128 of letters, digits, - and _', () => {
    assert.equal(reason(uuidSchema, '395ce2e29485442cbd9bacdc77105126'), undefined);
    assert.equal(reason(uuidSchema, '3f2b8a0e-2d6c-4c1e-9d7a-8a4c2b1e0f11'), undefined);
    assert.equal(reason(uuidSchema, 'a'.repeat(128)), undefined);
    assert.ok(isUuid('a'.repeat(26)));
    for (const bad of ['a'.repeat(25), 'a'.repeat(129), `${'a'.repeat(30)}!`, `${'a'.repeat(30)} `]) {
      assert.equal(reason(uuidSchema, bad), 'must be 26 to 128 letters, digits, - or _');
      assert.ok(!isUuid(bad));
    }
  });

  it('accepts absolute http and https URLs of up to 2048 characters only', () => {
    for (const url of ['https://xyz.com/cardArt.png', 'http://localhost:8080/x?y=1#z', 'HTTPS://XYZ.COM/a']) {
      assert.equal(reason(httpUrlSchema, url), undefined, url);
    }
    const long = `https://xyz.com/${'a'.repeat(2048 - 'https://xyz.com/'.length)}`;
    assert.equal(reason(httpUrlSchema, long), undefined);
    assert.equal(reason(httpUrlSchema, `${long}a`), 'must be at most 2048 characters');
    for (const bad of [
      'ftp://xyz.com/a',
      'javascript:alert(1)',
      '/relative/path',
      'xyz.com/logo.png',
      'https://',
      'https://xyz.com/a b',
      'https://xyz.com/\ta',
      '',
    ]) {
      assert.equal(reason(httpUrlSchema, bad), 'must be an absolute http or https URL', bad);
      assert.ok(!isHttpUrl(bad), bad);
    }
  });

  it('accepts Timestamps as integer epoch milliseconds', () => {
    assert.equal(reason(timestampSchema, 1505953396844), undefined);
    assert.equal(reason(timestampSchema, 1505953396844.5), 'must be an integer');
    assert.equal(reason(timestampSchema, '1505953396844'), 'must be a number');
  });

  it('accepts CountryCodes of two letters', () => {
    assert.equal(reason(countryCodeSchema, 'US'), undefined);
    for (const bad of ['USA', 'U', '12']) {
      assert.equal(reason(countryCodeSchema, bad), 'must be a 2-letter country code', bad);
    }
  });

  it('accepts any JSON object as an Object, but not an array or null', () => {
    assert.equal(reason(jsonObjectSchema, { a: [1, { b: null }] }), undefined);
    assert.equal(reason(jsonObjectSchema, []), 'must be an object');
    assert.equal(reason(jsonObjectSchema, null), 'must be an object');
  });
});
