// The conformance kit from the dashboard (issue 14) and the dashboard at phone width (issue 11),
// in real Chromium: the demo bank, onboarded as the demo does, is checked from the "Conformance
// kit" section, at desktop and phone sizes, and the page never scrolls sideways at 390 px.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { SandboxClock } from '../../packages/platform/src/core/clock.ts';
import { launchBrowser, startTestPlatform, type TestPlatform } from '../support/browser.ts';
import { type DemoBank, startDemoBank } from '../support/demo-bank.ts';

const screens = process.env.CARDPORT_SCREENS ?? '/work/screens/verify3';
const sizes = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
] as const;

describe('the conformance kit in the dashboard', () => {
  let browser: Browser;
  let platform: TestPlatform;
  let home: string;
  let demo: DemoBank;
  let bank: DemoBank['bank'];
  let bankPartnerId: string;

  before(async () => {
    browser = await launchBrowser();
    // Real time (the bank checks token ages against its own clock).
    platform = await startTestPlatform({ clock: new SandboxClock() });
    home = mkdtempSync(join(tmpdir(), 'cardport-verify-dash-'));
    writeFileSync(join(platform.config.home, 'admin-token'), platform.adminToken);
    demo = await startDemoBank(platform, home);
    bank = demo.bank;
    bankPartnerId = demo.partnerId;
  });
  after(async () => {
    await browser?.close();
    await demo?.close();
    await platform?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  async function signIn(page: Page): Promise<void> {
    await page.goto(`${platform.url}/admin`);
    await page.getByLabel('Token').fill(platform.adminToken);
    await page.getByRole('button', { name: 'Open the dashboard' }).click();
    await page.locator('#partners table').waitFor();
  }

  for (const size of sizes) {
    it(`runs the Save to Pay checks for the demo bank and lists them with their evidence (${size.name})`, async () => {
      const regId = await demo.register();
      const context = await browser.newContext({ viewport: { width: size.width, height: size.height } });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(e.message));
      try {
        await signIn(page);
        const form = page.locator('#verify-form');
        await form.getByLabel('Product').selectOption('save-to-pay');
        await form.getByLabel('Partner').fill(bankPartnerId);
        await form.getByLabel('regId, refId or serviceId').fill(regId);
        await form.getByLabel('Faults').check();
        await form.getByRole('button', { name: 'Run' }).click();
        const summary = page.getByTestId('verify-summary');
        await summary.waitFor();
        assert.equal(
          await summary.textContent(),
          `save-to-pay (faults) for ${bankPartnerId}: 7 passed, 0 failed, 0 warned`,
        );
        const checks = page.locator('[data-testid="verify-checks"] > li');
        assert.deepEqual(await checks.evaluateAll((li) => li.map((x) => x.getAttribute('data-check'))), [
          's2p.wa-ready.blob',
          's2p.wa-ready.time',
          's2p.ack.provisioned',
          's2p.ack.provision-failure',
          's2p.mtls.no-certificate',
          's2p.mtls.other-ca',
          's2p.faults.duplicate-provisioned',
        ]);
        assert.deepEqual(
          await checks.evaluateAll((li) => li.map((x) => x.getAttribute('data-status'))),
          Array(7).fill('pass'),
        );
        // The evidence is collapsed until asked for; it names the request, answer and requirement.
        const first = page.locator('li[data-check="s2p.wa-ready.blob"]');
        const evidence = first.locator('details');
        assert.equal(await evidence.getAttribute('open'), null);
        await first.getByText('Evidence').click();
        assert.match(
          (await evidence.textContent()) ?? '',
          /Request sent.*WA_READY.*Answer.*HTTP 200.*What the documents require/s,
        );
        assert.ok(await first.locator('pre').first().isVisible());
        assert.deepEqual(bank.events.get(regId)?.slice(0, 2), ['WA_READY', 'WA_PROVISIONED']);

        // Issue 11: the page itself never scrolls sideways (tables scroll in their own box).
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= size.width, `page is ${width} px wide at ${size.width} px`);
        mkdirSync(screens, { recursive: true });
        await page.screenshot({ path: join(screens, `dashboard-${size.name}.png`), fullPage: true });
        await page
          .locator('#verify-section')
          .screenshot({ path: join(screens, `dashboard-${size.name}-verify.png`) });
        await page
          .locator('#deliveries')
          .screenshot({ path: join(screens, `dashboard-${size.name}-deliveries.png`) });
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    });
  }

  it('says why a run is refused, for an unknown partner, without a page error', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      await signIn(page);
      const form = page.locator('#verify-form');
      await form.getByRole('button', { name: 'Run' }).click();
      await page.getByText('enter the partner id').waitFor();
      await form.getByLabel('Partner').fill('ptn_unknown');
      await form.getByRole('button', { name: 'Run' }).click();
      await page.locator('#verify-message', { hasText: /partner/i }).waitFor();
      assert.equal(await page.getByTestId('verify-summary').count(), 0);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});
