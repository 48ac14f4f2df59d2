// Security headers (issue 9): nosniff on every answer, a CSP and no framing on the landing page,
// the docs and the checkout page, while the S2P welcome page stays embeddable by design. Each page
// scope declares its policy once (issue 12: core/page-policy.ts, the site's helmet): its pages,
// error pages included, answer exactly that policy; JSON under the same prefix carries none.
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

  const exact = (csp: string[]) => csp.join('; ');
  const scopes: {
    scope: string;
    urls: string[];
    csp: string | RegExp;
    frame?: string;
    referrer?: string;
  }[] = [
    {
      scope: 'wallet pages',
      urls: ['/wallet', '/wallet/sign-up'],
      csp: exact([
        "default-src 'self'",
        "img-src 'self' data: blob: https: http:",
        "media-src 'self' blob:",
        "style-src 'self'",
        "script-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
      ]),
    },
    {
      scope: 'checkout pages and their error pages',
      urls: ['/gsmpi/checkout/not-a-token', '/gsmpi/no-such-page'],
      csp: exact([
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self'",
        "script-src 'self'",
        "connect-src 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
      ]),
      frame: 'DENY',
      referrer: 'no-referrer',
    },
    {
      scope: 'the welcome page (embeddable)',
      urls: ['/s2p/v1/welcome/not-a-token'],
      csp: exact([
        "default-src 'self'",
        "img-src 'self' data: https: http:",
        "style-src 'self'",
        "script-src 'self'",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'self'",
        'frame-ancestors *',
      ]),
      referrer: 'no-referrer',
    },
    {
      scope: 'the Add to Wallet landing page',
      urls: ['/atw/v1/some-card', '/atw/v3/cert/some-card', '/wlt/product/some-card'],
      csp: exact([
        "default-src 'self'",
        "img-src 'self' data: https: http:",
        "style-src 'self'",
        "script-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
      ]),
      referrer: 'no-referrer',
    },
    {
      scope: 'the admin dashboard (a nonce per answer)',
      urls: ['/admin'],
      csp: /^default-src 'self'; script-src 'nonce-([A-Za-z0-9+/=]{24})'; style-src 'self' 'nonce-\1'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'$/,
      referrer: 'no-referrer',
    },
    {
      scope: 'the Web Checkout dashboard',
      urls: ['/admin/web-checkout'],
      csp: "default-src 'self'; script-src 'self'; style-src 'self'; frame-ancestors 'none'",
    },
  ];

  for (const s of scopes) {
    it(`answers ${s.scope} with the scope's one CSP, framing and referrer policy, never cached`, async () => {
      for (const url of s.urls) {
        const res = await get(url);
        assert.match(String(res.headers['content-type']), /^text\/html/, url);
        const csp = String(res.headers['content-security-policy']);
        if (typeof s.csp === 'string') assert.equal(csp, s.csp, url);
        else assert.match(csp, s.csp, url);
        assert.equal(res.headers['x-frame-options'], s.frame, url);
        assert.equal(res.headers['referrer-policy'], s.referrer, url);
        assert.equal(res.headers['cache-control'], 'no-store', url);
        assert.equal(res.headers['x-content-type-options'], 'nosniff', url);
      }
    });
  }

  it('gives the dashboard a fresh nonce on every answer, the one its page embeds', async () => {
    const nonces = [];
    for (let i = 0; i < 2; i++) {
      const res = await get('/admin');
      const nonce = /'nonce-([^']+)'/.exec(String(res.headers['content-security-policy']))?.[1];
      assert.ok(nonce);
      assert.ok(res.body.includes(`nonce="${nonce}"`), 'the page carries the nonce of its CSP');
      nonces.push(nonce);
    }
    assert.notEqual(nonces[0], nonces[1]);
  });

  it('puts no page policy on JSON, scripts or stylesheets under a page prefix', async () => {
    for (const url of [
      '/wallet/api/me',
      '/s2p/v1/welcome/not-a-token/status',
      '/admin/v1/requests',
      '/admin/session',
      '/gsmpi/assets/checkout.css',
      '/wallet/payments-assets/payments.css',
    ]) {
      const res = await get(url);
      assert.doesNotMatch(String(res.headers['content-type']), /^text\/html/, url);
      assert.equal(res.headers['content-security-policy'], undefined, url);
      assert.equal(res.headers['x-frame-options'], undefined, url);
    }
  });
});
