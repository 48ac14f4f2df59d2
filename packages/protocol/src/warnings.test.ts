import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { listedAttributeValue, normaliseCardObject } from './wallet-cards-lenient.ts';
import {
  formatWarningHeader,
  parseWarningHeader,
  sentText,
  strictIssues,
  WARNING_SENT_MAX_LENGTH,
  wireWarning,
} from './warnings.ts';
import {
  checkoutCountryCodeLenient,
  parseCreateTransactionLenient,
  toCardBrand,
} from './web-checkout-lenient.ts';

describe('the Cardport-Warning header', () => {
  it('is one JSON array in ASCII, non-ASCII escaped as \\uXXXX, and reads back', () => {
    const w = wireWarning('COUNTRY_CODE_UNLISTED', 'countryCode', 'ç€😀', 'one of us', 'value');
    const header = formatWarningHeader([w]);
    assert.match(header, /^[\x20-\x7e]+$/);
    assert.match(header, /\\u00e7\\u20ac\\ud83d\\ude00/);
    assert.deepEqual(parseWarningHeader(header), [
      { code: 'COUNTRY_CODE_UNLISTED', field: 'countryCode', sent: 'ç€😀', documented: 'one of us' },
    ]);
  });

  it('carries only code, field, sent and documented', () => {
    const header = formatWarningHeader([wireWarning('X', 'a.b', undefined, 'doc', 'missing')]);
    assert.deepEqual(JSON.parse(header), [{ code: 'X', field: 'a.b', sent: null, documented: 'doc' }]);
  });

  it('cuts what was sent to 64 characters and writes other JSON as JSON', () => {
    assert.equal(sentText('x'.repeat(100))?.length, WARNING_SENT_MAX_LENGTH);
    assert.equal(sentText(['MC', 'VIS']), '["MC","VIS"]');
    assert.equal(sentText(80), '80');
    assert.equal(sentText(undefined), null);
  });

  it('reads an unreadable header as no warnings', () => {
    for (const bad of [undefined, '', 'not json', '{"code":"X"}', '[{"code":1}]'])
      assert.deepEqual(parseWarningHeader(bad), []);
  });

  it('turns warnings into issues of the kind strict mode refuses with', () => {
    assert.deepEqual(strictIssues([wireWarning('A', 'f', undefined, 'a URL', 'missing')]), [
      { field: 'f', reason: 'required', kind: 'missing' },
    ]);
    assert.deepEqual(strictIssues([wireWarning('B', 'g', 'x', 'Y or N', 'format')]), [
      { field: 'g', reason: 'must be Y or N', kind: 'format' },
    ]);
  });
});

describe('lenient normalisers', () => {
  it('maps brand aliases to the documented codes and leaves unknown brands unknown', () => {
    assert.equal(toCardBrand('VIS'), 'VI');
    assert.equal(toCardBrand('Mastercard'), 'MC');
    assert.equal(toCardBrand('amex'), 'AX');
    assert.equal(toCardBrand('VI'), 'VI');
    assert.equal(toCardBrand('JCB'), undefined);
  });

  it('keeps a create-transaction body that needs no normalising as it is, without warnings', () => {
    const body = {
      callback: 'https://shop.example/done/{refId}',
      paymentDetails: {
        service: { id: 'dcc1cbb25d6a470bb42926' },
        orderNumber: 'o-1',
        protocol: { type: '3DS', version: '80' },
        amount: { option: 'FORMAT_TOTAL_PRICE_ONLY', currency: 'USD', total: 98.76 },
        merchant: { name: 'Shop' },
        allowedBrands: ['VI'],
      },
    };
    const r = parseCreateTransactionLenient(body);
    assert.ok(r.ok);
    assert.deepEqual(r.warnings, []);
    assert.deepEqual(r.value, body);
  });

  it('refuses a trailing point after a fraction and a missing service', () => {
    const r = parseCreateTransactionLenient({ callback: '0', paymentDetails: { amount: { total: '1.5.' } } });
    assert.ok(!r.ok);
  });

  it('falls back to us for countries outside the 17 and keeps listed ones in any case', () => {
    assert.deepEqual(checkoutCountryCodeLenient('It_ch'), { code: 'it_ch' });
    assert.equal(checkoutCountryCodeLenient('ch_en').code, 'us');
    assert.equal(checkoutCountryCodeLenient('ch_en').warning?.code, 'COUNTRY_CODE_UNLISTED');
    assert.equal(checkoutCountryCodeLenient(undefined).warning?.strictKind, 'missing');
  });

  it('spells barcode codes as listed and leaves unknown ones alone', () => {
    assert.equal(listedAttributeValue('barcode.ptSubFormat', 'CODE128'), 'CODE_128');
    assert.equal(listedAttributeValue('barcode.ptSubFormat', 'qr-code'), 'QR_CODE');
    assert.equal(listedAttributeValue('barcode.ptSubFormat', 'CODE_128'), undefined);
    assert.equal(listedAttributeValue('barcode.ptSubFormat', 'CODE129'), undefined);
    assert.equal(listedAttributeValue('title', 'CODE128'), undefined);
  });

  it('gives a card without subType the registered one, or the only one its type has', () => {
    const card = { type: 'coupon', data: [] };
    assert.equal((normaliseCardObject(card).card as { subType: string }).subType, 'others');
    const ticket = { type: 'ticket', data: [] };
    assert.equal((normaliseCardObject(ticket).card as { subType?: string }).subType, undefined);
    assert.equal(
      (normaliseCardObject(ticket, { registeredSubType: 'movies' }).card as { subType: string }).subType,
      'movies',
    );
  });
});
