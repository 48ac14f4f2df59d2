import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { isPlatformError } from '../core/errors.ts';
import { testDbKinds } from '../core/test-kit.ts';
import { partnerCardUrl } from './partner-calls.ts';
import { type AtwFixture, startAtwFixture, ticketCard } from './test-support.ts';

describe('values placed into a partner URL path', () => {
  test('builds {partnerUrl}/cards/{cardId}/{refId} from safe values, a UUID refId included', () => {
    assert.equal(
      partnerCardUrl('http://127.0.0.1:9/partner/', 'abc123', '3f2b8c1e-7a4d-4e8f-9b1c-2d3e4f5a6b7c'),
      'http://127.0.0.1:9/partner/cards/abc123/3f2b8c1e-7a4d-4e8f-9b1c-2d3e4f5a6b7c',
    );
  });

  test('refuses dot segments, separators, encodings and values over 64 characters', () => {
    for (const refId of ['..', '.', '', 'a/b', '%2e%2e', 'a?b', 'a#b', 'a b', 'x'.repeat(65), 'é']) {
      assert.throws(
        () => partnerCardUrl('http://127.0.0.1:9/partner', 'abc123', refId),
        (err) => isPlatformError(err) && err.code === 'INVALID_INPUT' && err.details?.[0]?.field === 'refId',
        JSON.stringify(refId),
      );
    }
    assert.throws(() => partnerCardUrl('http://127.0.0.1:9/partner', '..', 'ref-1'), /cardId/);
  });
});

for (const kind of testDbKinds()) {
  describe(`pdata links with a value unfit for a URL path (${kind.name})`, () => {
    let f: AtwFixture;
    before(async () => {
      f = await startAtwFixture(kind);
      f.server.answers.set('ref-1-x7Kq', ticketCard(1));
    });
    after(async () => {
      await f?.close();
    });

    test('refuses pdata=.., %2e%2e and 700 characters with MALFORMED_LINK before any call to the partner', async () => {
      for (const pdata of ['..', '%2e%2e', '.%2E', 'x'.repeat(700), 'a%2Fb']) {
        const res = await f.p.app.main.inject({
          method: 'POST',
          url: '/atw/api/links/check',
          payload: { link: `/atw/v3/${f.cardId}#Clip?pdata=${pdata}` },
        });
        assert.equal(res.statusCode, 400, `${pdata.slice(0, 10)}: ${res.body}`);
        assert.equal(res.json().error.reason, 'MALFORMED_LINK');
        assert.equal(res.json().error.details[0].field, 'pdata');
      }
      assert.equal(f.server.requests.length, 0, 'no signed GET left the platform');
      const ok = await f.p.app.main.inject({
        method: 'POST',
        url: '/atw/api/links/check',
        payload: { link: `/atw/v3/${f.cardId}#Clip?pdata=ref-1-x7Kq` },
      });
      assert.equal(ok.statusCode, 200, ok.body);
      assert.equal(f.server.requests.length, 1);
    });
  });
}
