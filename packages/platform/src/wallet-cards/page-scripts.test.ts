import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type TestDbKind, testDbKinds } from '../core/test-kit.ts';
import { pageScriptNames } from './routes.ts';
import { type AtwFixture, startAtwFixture } from './test-support.ts';

describe('the pages’ scripts', () => {
  let f: AtwFixture;
  before(async () => {
    // The scripts do not depend on the database: the first kind (PGlite) is enough.
    f = await startAtwFixture(testDbKinds()[0] as TestDbKind);
  });
  after(async () => {
    await f.close();
  });

  test('are served bundled from their TypeScript sources, with no type left in them', async () => {
    for (const name of pageScriptNames) {
      const res = await f.p.app.main.inject({ method: 'GET', url: `/atw/assets/${name}.js` });
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /^text\/javascript/);
      // One IIFE (esbuild's format), no `export`, `interface` or `declare` of the sources.
      assert.match(res.body, /^("use strict";)?\(\(\)=>\{/);
      assert.doesNotMatch(res.body, /\binterface\s|\bdeclare\s|^export\s/m);
    }
    const landing = await f.p.app.main.inject({ method: 'GET', url: '/atw/assets/landing.js' });
    assert.match(landing.body, /\/atw\/api\/links\/check/);
    const pass = await f.p.app.main.inject({ method: 'GET', url: '/atw/assets/pass.js' });
    assert.match(pass.body, /cardportApplyPassColors/);
  });
});
