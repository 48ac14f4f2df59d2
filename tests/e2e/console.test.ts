// The sandbox console in Chromium: the admin token is entered once per browser (a second tab is
// signed in already), and a partner's call shows up in the request log live, without a reload,
// at desktop (1280×800) and phone (390×844) sizes. Any page error fails the test.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, startTestPlatform, type TestPlatform } from '../support/browser.ts';

describe('the dashboard in Chromium', () => {
  let platform: TestPlatform;
  let browser: Browser;

  before(async () => {
    platform = await startTestPlatform();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close().catch(() => {});
    await platform?.close();
  });

  const watch = (page: Page, errors: string[]) => {
    page.on('pageerror', (e) => errors.push(e.message));
    // A signed-out browser asks GET /admin/session (200 either way): no request may fail.
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
  };

  for (const size of [
    { name: 'desktop', width: 1280, height: 800 },
    { name: 'phone', width: 390, height: 844 },
  ]) {
    it(`on a ${size.name}: token once per browser, then a call appears live in the request log`, async () => {
      const context = await browser.newContext({ viewport: { width: size.width, height: size.height } });
      const errors: string[] = [];
      try {
        const page = await context.newPage();
        watch(page, errors);
        await page.goto(`${platform.url}/admin`);
        await page.getByLabel('Token').fill(platform.adminToken);
        await page.getByRole('button', { name: 'Open the dashboard' }).click();
        await page.getByTestId('live-status').filter({ hasText: 'Live' }).waitFor();
        await page.screenshot({ path: `/tmp/console-dashboard-${size.name}.png`, fullPage: true });

        // A second tab of the same browser is signed in without the token.
        const second = await context.newPage();
        watch(second, errors);
        await second.goto(`${platform.url}/admin`);
        await second.getByTestId('live-status').filter({ hasText: 'Live' }).waitFor();
        assert.equal(await second.locator('#login').isHidden(), true);
        await second.close();

        // A partner's call (refused: no such service) while the page is open.
        const before = await page.getByTestId('request-row').count();
        const res = await fetch(`${platform.url}/ops/v1/transactions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ callback: 'https://shop.example/cb' }),
        });
        assert.equal(res.status, 400);
        const row = page.getByTestId('request-row').first();
        await page.waitForFunction(
          (n) => document.querySelectorAll('[data-testid="request-row"]').length > n,
          before,
        );
        assert.match(await row.innerText(), /POST\s+\/ops\/v1\/transactions/);
        assert.match(await row.innerText(), /400/);
        await row.click();
        await page.locator('#request-detail').getByText(/Why: /).waitFor();
        await page.screenshot({ path: `/tmp/console-request-${size.name}.png`, fullPage: true });
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `the page is ${overflow} px wider than the screen`);
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    });
  }
});
