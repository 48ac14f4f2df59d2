import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestPlatform, type TestPlatform } from '../testing/index.ts';
import { tspModule } from '../tsp/index.ts';
import { walletModule } from '../wallet/module.ts';
import { webCheckoutModule } from './module.ts';

describe('the page scripts of Web Checkout', () => {
  let p: TestPlatform;
  before(async () => {
    p = await startTestPlatform({ modules: [walletModule, tspModule, webCheckoutModule] });
  });
  after(async () => p.close());

  for (const [path, marker] of [
    ['/gsmpi/assets/checkout.js', 'data-checkout-status'],
    ['/admin/web-checkout/assets/dashboard.js', '/admin/session'],
  ] as const) {
    it(`serves ${path} bundled from its TypeScript source, one script without imports`, async () => {
      const res = await p.app.main.inject({ method: 'GET', url: path });
      assert.equal(res.statusCode, 200, res.body);
      assert.match(String(res.headers['content-type']), /^text\/javascript/);
      assert.ok(res.body.includes(marker));
      assert.doesNotMatch(res.body, /^\s*import\s|\bimport type\b|: string\b/m);
      // Built once per app: the second answer is the same text.
      assert.equal((await p.app.main.inject({ method: 'GET', url: path })).body, res.body);
    });
  }
});
