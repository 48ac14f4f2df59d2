import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isLinkError } from './errors.ts';
import { parseLink } from './links.ts';

describe('Add to Wallet links', () => {
  test('reads every link form of PROTOCOLS.md 2.1', () => {
    assert.deepEqual(parseLink('https://a.swallet.link/atw/v1/card1#Clip?cdata=a.b.c'), {
      form: 'v1',
      cardId: 'card1',
      cdata: 'a.b.c',
    });
    assert.deepEqual(parseLink('/atw/v3/card1#Clip?cdata=a.b.c'), {
      form: 'v3',
      cardId: 'card1',
      cdata: 'a.b.c',
    });
    assert.deepEqual(parseLink('https://api-card.walletsvc.samsung.com/wlt/prod9/card1#Clip?cdata=t'), {
      form: 'wlt',
      productId: 'prod9',
      cardId: 'card1',
      cdata: 't',
    });
    assert.deepEqual(parseLink('https://a.swallet.link/atw/v1/card1#Clip?pdata=ref-1'), {
      form: 'v1',
      cardId: 'card1',
      pdata: 'ref-1',
    });
    assert.deepEqual(parseLink('http://127.0.0.1:9/atw/v3/YMtt/card1#Clip?pdata=ref-1'), {
      form: 'v3',
      certificateId: 'YMtt',
      cardId: 'card1',
      pdata: 'ref-1',
    });
  });

  test('refuses links without #Clip, with #clip, with both or neither token, or an unknown path', () => {
    for (const link of [
      '/atw/v1/card1?cdata=x',
      '/atw/v1/card1#clip?cdata=x',
      '/atw/v1/card1#Clip?cdata=x&pdata=y',
      '/atw/v1/card1#Clip?foo=1',
      '/atw/v2/card1#Clip?cdata=x',
      '/atw/v3/YMtt/card1#Clip?cdata=x',
      '',
    ]) {
      assert.throws(
        () => parseLink(link),
        (err) => isLinkError(err) && err.reason === 'MALFORMED_LINK',
        link,
      );
    }
  });
});
