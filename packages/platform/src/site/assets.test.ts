// The stylesheets and the icon (issue 12, served by @fastify/static through core/static-files.ts):
// every one at its URL with its type, its Cache-Control, an ETag and Last-Modified that a browser
// revalidates with a 304; and nothing else of the folders they live in (modules, page scripts).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { testDbKinds } from '../core/test-kit.ts';
import { domains } from '../domains.ts';
import { partnersModule } from '../partners/module.ts';
import { startTestPlatform, type TestPlatform } from '../testing/index.ts';

const src = new URL('../', import.meta.url);
const assets: { url: string; file: string; type: RegExp; cacheControl: string }[] = [
  {
    url: '/assets/cardport.css',
    file: 'site/assets/cardport.css',
    type: /^text\/css/,
    cacheControl: 'public, max-age=300',
  },
  {
    url: '/assets/favicon.svg',
    file: 'site/assets/favicon.svg',
    type: /^image\/svg\+xml/,
    cacheControl: 'public, max-age=86400',
  },
  {
    url: '/favicon.ico',
    file: 'site/assets/favicon.svg',
    type: /^image\/svg\+xml/,
    cacheControl: 'public, max-age=86400',
  },
  {
    url: '/s2p/v1/assets/s2p.css',
    file: 'save-to-pay/pages/s2p.css',
    type: /^text\/css/,
    cacheControl: 'no-cache',
  },
  {
    url: '/atw/assets/passes.css',
    file: 'wallet-cards/pages/passes.css',
    type: /^text\/css/,
    cacheControl: 'no-cache',
  },
  {
    url: '/gsmpi/assets/checkout.css',
    file: 'web-checkout/pages/checkout.css',
    type: /^text\/css/,
    cacheControl: 'no-cache',
  },
  {
    url: '/admin/web-checkout/assets/dashboard.css',
    file: 'web-checkout/pages/dashboard.css',
    type: /^text\/css/,
    cacheControl: 'no-cache',
  },
  {
    url: '/wallet/payments-assets/payments.css',
    file: 'web-checkout/pages/payments.css',
    type: /^text\/css/,
    cacheControl: 'no-cache',
  },
];

describe(`static assets (${testDbKinds()[0]?.name})`, () => {
  let p: TestPlatform;
  before(async () => {
    p = await startTestPlatform({ modules: domains.filter((m) => m !== partnersModule) });
  });
  after(() => p.close());

  it('serves each stylesheet and the icon with its type, Cache-Control, ETag and Last-Modified', async () => {
    for (const a of assets) {
      const res = await p.app.main.inject({ method: 'GET', url: a.url });
      assert.equal(res.statusCode, 200, a.url);
      assert.match(String(res.headers['content-type']), a.type, a.url);
      assert.equal(res.headers['cache-control'], a.cacheControl, a.url);
      assert.match(String(res.headers.etag), /^W\/"[0-9a-f]+-[0-9a-f]+"$/, a.url);
      assert.ok(!Number.isNaN(Date.parse(String(res.headers['last-modified']))), a.url);
      assert.equal(res.headers['x-content-type-options'], 'nosniff', a.url);
      assert.equal(res.body, readFileSync(new URL(a.file, src), 'utf8'), a.url);
      const head = await p.app.main.inject({ method: 'HEAD', url: a.url });
      assert.equal(head.statusCode, 200, a.url);
      assert.equal(head.body, '', a.url);
    }
  });

  it('answers 304 to a revalidation with the ETag or the Last-Modified date', async () => {
    for (const a of assets) {
      const first = await p.app.main.inject({ method: 'GET', url: a.url });
      const byTag = await p.app.main.inject({
        method: 'GET',
        url: a.url,
        headers: { 'if-none-match': String(first.headers.etag) },
      });
      assert.equal(byTag.statusCode, 304, a.url);
      assert.equal(byTag.body, '', a.url);
      const byDate = await p.app.main.inject({
        method: 'GET',
        url: a.url,
        headers: { 'if-modified-since': String(first.headers['last-modified']) },
      });
      assert.equal(byDate.statusCode, 304, a.url);
    }
  });

  it("serves nothing else of the assets' folders: modules and sources answer the family's 404", async () => {
    for (const url of [
      '/assets/../routes.ts',
      '/assets/%2e%2e/routes.ts',
      '/assets/nothing.css',
      '/s2p/v1/assets/welcome.ts',
      '/s2p/v1/assets/wallet.ts',
      '/atw/assets/views.ts',
      '/atw/assets/pass.browser.ts',
      '/gsmpi/assets/checkout.ts',
      '/gsmpi/assets/checkout.browser.ts',
      '/admin/web-checkout/assets/dashboard.ts',
      '/wallet/payments-assets/payments.ts',
      '/wallet/payments-assets/checkout.css',
    ]) {
      const res = await p.app.main.inject({ method: 'GET', url });
      assert.ok(res.statusCode === 404 || res.statusCode === 403, `${url}: ${res.statusCode}`);
      assert.doesNotMatch(res.body, /^(import|export|\/\/)/m, url);
    }
    const gsmpi = await p.app.main.inject({ method: 'GET', url: '/gsmpi/assets/checkout.ts' });
    assert.equal(gsmpi.statusCode, 404);
    const wallet = await p.app.main.inject({ method: 'GET', url: '/wallet/payments-assets/payments.ts' });
    assert.equal(wallet.json().error.code, 'NOT_FOUND');
  });
});
