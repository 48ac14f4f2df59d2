// The docs pages on a 390 px phone in Chromium: the guides render as HTML (headings, tables, code),
// the API reference's operations open with their parameters and examples, and nothing widens the
// page past the screen; no page error, no blocked resource.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchBrowser, startTestPlatform, type TestPlatform } from '../support/browser.ts';

describe('docs pages on a phone', () => {
  let platform: TestPlatform;
  let browser: Browser;

  before(async () => {
    [platform, browser] = await Promise.all([startTestPlatform(), launchBrowser()]);
  });
  after(async () => {
    await browser?.close();
    await platform?.close();
  });

  for (const path of ['/docs', '/docs/topics/operations', '/docs/topics/ci', '/docs/topics/sdk']) {
    it(`${path} fits a 390 px wide screen and renders without errors`, async () => {
      const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      try {
        const res = await page.goto(`${platform.url}${path}`);
        assert.equal(res?.status(), 200);
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= 390, `${path} is ${width} px wide`);
        if (path === '/docs') {
          // Every operation opened: its parameters table, examples and schemas stay inside the screen.
          const opened = await page.evaluate(() => {
            const all = [...document.querySelectorAll('details.operation')] as HTMLDetailsElement[];
            for (const d of all) d.open = true;
            return all.length;
          });
          assert.ok(opened > 40, `only ${opened} operations`);
          assert.ok((await page.locator('table.params').count()) > 40);
          assert.ok((await page.locator('pre.example').count()) > 40);
          const openWidth = await page.evaluate(() => document.documentElement.scrollWidth);
          assert.ok(openWidth <= 390, `/docs with every operation open is ${openWidth} px wide`);
        }
        if (path.startsWith('/docs/topics/')) {
          assert.equal((await page.locator('article.guide h2').count()) > 0, true);
          assert.equal(await page.locator('pre.markdown').count(), 0);
        }
        assert.deepEqual(errors, []);
      } finally {
        await page.close();
      }
    });
  }
});
