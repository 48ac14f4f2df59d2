import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  cardBrands,
  detectBrand,
  generateTokenPan,
  isDocumentedTestPan,
  isTokenPan,
  luhnCheckDigit,
  luhnValid,
  magicOutcome,
  magicPans,
  testPans,
  tokenBinRanges,
} from './card-numbers.ts';

describe('Luhn', () => {
  it('accepts valid numbers and rejects a changed digit, non-digits and too-short input', () => {
    for (const pan of ['4111111111111111', '79927398713', '378282246310005', '6011111111111117']) {
      assert.ok(luhnValid(pan), pan);
    }
    for (const pan of [
      '4111111111111112',
      '79927398710',
      '4111-1111-1111-1111',
      '',
      '0',
      '41111111111111x1',
    ]) {
      assert.ok(!luhnValid(pan), pan);
    }
  });

  it('computes the check digit that makes a body valid', () => {
    assert.equal(luhnCheckDigit('7992739871'), '3');
    assert.equal(luhnCheckDigit('411111111111111'), '1');
    assert.throws(() => luhnCheckDigit('12a'), TypeError);
  });
});

describe('brand detection by BIN', () => {
  it('knows Visa, Mastercard (51-55 and 2221-2720), American Express and Discover', () => {
    const cases: [string, string | undefined][] = [
      ['4111111111111111', 'VI'],
      ['4222222222222', 'VI'],
      ['5105105105105100', 'MC'],
      ['5555555555554444', 'MC'],
      ['2221000000000009', 'MC'],
      ['2720999999999996', 'MC'],
      ['378282246310005', 'AX'],
      ['341111111111111', 'AX'],
      ['6011111111111117', 'DS'],
      ['6500000000000002', 'DS'],
      ['6445644564456445', 'DS'],
      ['6221260000000000', 'DS'],
    ];
    for (const [pan, brand] of cases) assert.equal(detectBrand(pan), brand, pan);
  });

  it('knows no brand outside those ranges or at lengths the network does not issue', () => {
    for (const pan of [
      '5000000000000009', // 50: Maestro, not Mastercard credit
      '5600000000000003',
      '2220999999999999',
      '2721000000000004',
      '3530111333300000', // JCB
      '36227206271667', // Diners
      '41111111111111', // Visa with 14 digits
      '37828224631000', // Amex with 14 digits
      '9990000000000000',
      'abcd',
    ]) {
      assert.equal(detectBrand(pan), undefined, pan);
    }
  });
});

describe('token PANs', () => {
  it('are Luhn-valid, in the brand’s token BIN range, and drawn at random', () => {
    for (const brand of [...cardBrands, 'UNKNOWN'] as const) {
      const { prefix, length } = tokenBinRanges[brand];
      const seen = new Set<string>();
      for (let i = 0; i < 1000; i++) {
        const pan = generateTokenPan(brand);
        assert.equal(pan.length, length);
        assert.ok(pan.startsWith(prefix));
        assert.ok(luhnValid(pan), pan);
        assert.ok(isTokenPan(pan));
        seen.add(pan);
      }
      // At least 10^8 numbers per range: a repeat among 1000 draws is rare, ten are impossible.
      // Uniqueness itself is the store's guarantee (see service.test.ts).
      assert.ok(seen.size >= 990, `${brand} token PANs repeat`);
    }
  });

  it('carry the brand of their network', () => {
    for (const brand of cardBrands) assert.equal(detectBrand(generateTokenPan(brand)), brand);
  });
});

describe('test and magic PANs', () => {
  const docs = readFileSync(new URL('../../../../docs/token-service.md', import.meta.url), 'utf8');

  it('are Luhn-valid cards of their brand, distinct, and none of them in a token range', () => {
    const all = new Set<string>();
    for (const brand of cardBrands) {
      assert.ok(testPans[brand].length >= 3, `${brand} has several test PANs`);
      for (const pan of [...testPans[brand], ...Object.values(magicPans[brand])]) {
        assert.ok(luhnValid(pan), pan);
        assert.equal(detectBrand(pan), brand, pan);
        assert.ok(!isTokenPan(pan), pan);
        assert.ok(isDocumentedTestPan(pan), pan);
        assert.ok(!all.has(pan), `${pan} listed twice`);
        all.add(pan);
      }
    }
  });

  it('force their outcome, and ordinary test PANs force none', () => {
    assert.equal(magicOutcome('4000000000000002'), 'TOKENIZATION_DECLINED');
    assert.equal(magicOutcome(magicPans.MC.CARD_EXPIRED), 'CARD_EXPIRED');
    assert.equal(magicOutcome(magicPans.AX.INSUFFICIENT_FUNDS), 'INSUFFICIENT_FUNDS');
    assert.equal(magicOutcome(magicPans.DS.PAYMENT_DECLINED), 'PAYMENT_DECLINED');
    for (const brand of cardBrands)
      for (const pan of testPans[brand]) assert.equal(magicOutcome(pan), undefined);
    assert.ok(!isDocumentedTestPan('4012000033330026'));
  });

  it('are all listed in docs/token-service.md, with the token BIN prefixes', () => {
    for (const brand of cardBrands) {
      for (const pan of [...testPans[brand], ...Object.values(magicPans[brand])]) {
        assert.ok(docs.includes(pan), `docs/token-service.md does not list ${pan}`);
      }
    }
    for (const { prefix } of Object.values(tokenBinRanges)) {
      assert.ok(docs.includes(prefix), `docs/token-service.md does not list token prefix ${prefix}`);
    }
  });
});
