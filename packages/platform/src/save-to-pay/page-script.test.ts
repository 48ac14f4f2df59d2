import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestPlatform, type TestPlatform } from '../testing/index.ts';
import { tspModule } from '../tsp/index.ts';
import { walletModule } from '../wallet/module.ts';
import { saveToPayModule } from './module.ts';

describe('the page scripts of Save to Pay and the wallet', () => {
  let p: TestPlatform;
  before(async () => {
    p = await startTestPlatform({ modules: [walletModule, tspModule, saveToPayModule] });
  });
  after(async () => p.close());

  for (const [path, marker] of [
    ['/s2p/v1/assets/welcome.js', 'cardport:s2p'],
    ['/wallet/s2p/assets/scan.js', '/wallet/api/s2p/initiate'],
    ['/wallet/assets/wallet.js', 'data-autosubmit'],
  ] as const) {
    it(`serves ${path} bundled from its TypeScript source, one script without imports`, async () => {
      const res = await p.app.main.inject({ method: 'GET', url: path });
      assert.equal(res.statusCode, 200, res.body);
      assert.match(String(res.headers['content-type']), /^text\/javascript/);
      assert.ok(res.body.includes(marker), res.body);
      // One IIFE (esbuild's format), nothing of the TypeScript sources left.
      assert.match(res.body, /^("use strict";)?\(\(\)=>\{/);
      assert.doesNotMatch(res.body, /^\s*import\s|\bimport type\b|\binterface\s|: string\b/m);
      // Built once per app: the second answer is the same text, and the etag answers 304.
      const again = await p.app.main.inject({ method: 'GET', url: path });
      assert.equal(again.body, res.body);
      const cached = await p.app.main.inject({
        method: 'GET',
        url: path,
        headers: { 'if-none-match': String(res.headers.etag) },
      });
      assert.equal(cached.statusCode, 304);
    });
  }
});
