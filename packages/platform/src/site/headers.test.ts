// Security headers (issue 9): nosniff on every answer, a CSP and no framing on the landing page,
// the docs and the checkout page, while the S2P welcome page stays embeddable by design.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDbKinds } from '../core/test-kit.ts';
import { domains } from '../domains.ts';
import { partnersModule } from '../partners/module.ts';
import { startTestPlatform, type TestPlatform } from '../testing/index.ts';

describe(`security headers (${testDbKinds()[0]?.name})`, () => {
  let p: TestPlatform;
  before(async () => {
    p = await startTestPlatform({ modules: domains.filter((m) => m !== partnersModule) });
  });
  after(() => p.close());
  const get = (url: string) => p.app.main.inject({ method: 'GET', url });

  it('sets a CSP and forbids framing on the landing page and the docs', async () => {
    for (const url of ['/', '/docs']) {
      const res = await get(url);
      assert.equal(res.statusCode, 200, url);
      const csp = String(res.headers['content-security-policy']);
      assert.match(csp, /default-src 'self'/, url);
      assert.match(csp, /frame-ancestors 'none'/, url);
      assert.equal(res.headers['x-frame-options'], 'DENY', url);
      assert.equal(res.headers['x-content-type-options'], 'nosniff', url);
    }
  });

  it('forbids framing the checkout page', async () => {
    const res = await get('/gsmpi/checkout/not-a-token');
    assert.match(String(res.headers['content-security-policy']), /frame-ancestors 'none'/);
    assert.equal(res.headers['x-frame-options'], 'DENY');
  });

  it('sends nosniff on every answer, APIs and errors included', async () => {
    for (const url of [
      '/healthz',
      '/docs/openapi.json',
      '/ops/v1/nothing',
      '/wallet/api/me',
      '/assets/cardport.css',
    ]) {
      assert.equal((await get(url)).headers['x-content-type-options'], 'nosniff', url);
    }
  });

  it('keeps the welcome page embeddable in the bank modal', async () => {
    const res = await get('/s2p/v1/welcome/not-a-token');
    assert.equal(res.headers['x-frame-options'], undefined);
    assert.match(String(res.headers['content-security-policy']), /frame-ancestors \*/);
  });
});
