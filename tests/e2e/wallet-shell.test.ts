// The virtual wallet shell and the landing page in real Chromium, against a whole platform.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, startTestPlatform, type TestPlatform } from '../support/browser.ts';

describe('virtual wallet shell in Chromium', () => {
  let platform: TestPlatform;
  // Launched by the first test that needs it, so that a missing Chromium fails every test with
  // its install instructions (a failing `before` hook would only mark them cancelled).
  let browserLaunch: Promise<Browser> | undefined;

  before(async () => {
    platform = await startTestPlatform();
  });
  after(async () => {
    await browserLaunch?.then((b) => b.close()).catch(() => {});
    await platform?.close();
  });

  /** A fresh browser context that records console errors (CSP violations, script errors). */
  async function open(): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
    browserLaunch ??= launchBrowser();
    const browser = await browserLaunch;
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    return { context, page, errors };
  }

  it('signs up, shows the account, the first device and "No cards yet", adds a second device and switches to it', async () => {
    const { context, page, errors } = await open();
    try {
      await page.goto(`${platform.url}/wallet`);
      assert.equal(await page.getByRole('button', { name: 'Sign in' }).count(), 1);
      await page.getByRole('link', { name: 'Create one' }).click();
      await page.waitForURL(/\/wallet\/sign-up$/);
      await page.getByLabel('Email').fill('e2e.tester@example.com');
      await page.getByLabel('Phone').fill('+1(555)0100');
      await page.getByLabel('Country').fill('de');
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.waitForURL(/\/wallet\/app$/);

      assert.equal((await page.getByTestId('account-email').textContent())?.trim(), 'e2e.tester@example.com');
      assert.match((await page.getByTestId('wallet-empty').textContent()) ?? '', /No cards yet/);
      const switcher = page.locator('#device-switcher');
      assert.match((await switcher.locator('option:checked').textContent()) ?? '', /Galaxy S25/);
      assert.equal(await switcher.locator('option').count(), 1);

      const [cookie] = (await context.cookies()).filter((c) => c.name === 'cardport_wallet');
      assert.ok(cookie, 'the session cookie is set');
      assert.equal(cookie.httpOnly, true);
      assert.equal(cookie.sameSite, 'Lax');

      await page.getByRole('link', { name: 'Devices' }).click();
      await page.waitForURL(/\/wallet\/app\/devices$/);
      await page.getByLabel('Model').selectOption('Galaxy Z Fold7');
      await page.getByRole('button', { name: 'Add device' }).click();
      await page.waitForURL(/\/wallet\/app\/devices\?added=/);
      assert.match((await page.getByRole('status').textContent()) ?? '', /Added Galaxy Z Fold7/);
      const devices = page.getByTestId('devices').locator('li.device');
      assert.equal(await devices.count(), 2);
      assert.match((await page.locator('li.device.current').textContent()) ?? '', /Galaxy S25/);
      const foldId = await page.locator('li.device:not(.current)').getAttribute('data-device-id');
      assert.ok(foldId);
      assert.match(foldId, /^[A-Za-z0-9]{24}$/);

      // The page's own script (wallet/pages/wallet.browser.ts): the switcher's button steps aside
      // (the select submits on change) and ids copy on click.
      assert.equal(await page.locator('form[data-autosubmit] [data-js-hide]').isHidden(), true);
      assert.equal(await page.locator('[data-copy]').first().getAttribute('title'), 'Click to copy');
      // The header's device switcher submits on change (the page's own script).
      await Promise.all([
        page.waitForURL(/\/wallet\/app\/devices$/),
        page.locator('#device-switcher').selectOption(foldId),
      ]);
      assert.match((await page.locator('li.device.current').textContent()) ?? '', /Galaxy Z Fold7/);
      assert.equal(await page.locator('#device-switcher').inputValue(), foldId);

      const me = await page.request.get(`${platform.url}/wallet/api/me`);
      assert.equal(me.status(), 200);
      const body = (await me.json()) as { device: { deviceId: string; locale: { country: string } } };
      assert.equal(body.device.deviceId, foldId);
      assert.equal(body.device.locale.country, 'DE');

      await page.getByRole('link', { name: 'Wallet', exact: true }).click();
      await page.waitForURL(/\/wallet\/app$/);
      assert.match((await page.getByTestId('wallet-empty').textContent()) ?? '', /No cards yet/);
      assert.match((await page.locator('.wallet-subtitle').textContent()) ?? '', /Galaxy Z Fold7/);

      await page.getByRole('link', { name: 'Account', exact: true }).click();
      await page.waitForURL(/\/wallet\/app\/account$/);
      assert.equal(
        (await page.getByTestId('account-page-email').textContent())?.trim(),
        'e2e.tester@example.com',
      );
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL(/\/wallet\?signedOut=1$/);
      assert.equal(await page.getByRole('button', { name: 'Sign in' }).count(), 1);

      // Signing in again needs only the email, and lands on the first device.
      await page.getByLabel('Email').fill('E2E.Tester@example.com');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(/\/wallet\/app$/);
      assert.match((await page.locator('#device-switcher option:checked').textContent()) ?? '', /Galaxy S25/);
      assert.deepEqual(errors, [], 'no console errors (CSP, scripts)');
    } finally {
      await context.close();
    }
  });

  it('links from the landing page to pages that exist (no 404s)', async () => {
    const { context, page, errors } = await open();
    try {
      const landing = await page.goto(`${platform.url}/`);
      assert.equal(landing?.status(), 200);
      const links = await page.$$eval('a[href]', (as) => as.map((a) => (a as HTMLAnchorElement).href));
      const local = [...new Set(links.map((l) => l.split('#')[0] ?? l))].filter((l) =>
        l.startsWith(platform.url),
      );
      for (const path of ['/wallet', '/admin', '/docs', '/docs/openapi.json']) {
        assert.ok(local.includes(`${platform.url}${path}`), `the landing page links ${path}`);
      }
      for (const link of local) {
        const res = await page.request.get(link, { maxRedirects: 5 });
        assert.ok(res.status() < 400, `${link} answered ${res.status()}`);
      }
      // The docs page's links into openapi.json resolve too.
      await page.goto(`${platform.url}/docs`);
      const docLinks = await page.$$eval('a[href]', (as) => as.map((a) => (a as HTMLAnchorElement).href));
      for (const link of new Set(docLinks.map((l) => l.split('#')[0] ?? l))) {
        if (!link.startsWith(platform.url)) continue;
        const res = await page.request.get(link);
        assert.ok(res.status() < 400, `${link} answered ${res.status()}`);
      }
      const stylesheet = await page.request.get(`${platform.url}/assets/cardport.css`);
      assert.equal(stylesheet.status(), 200);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});
