// Web Checkout end to end in real Chromium: the demo shop (its own process, SDK + browser library
// only) → SamsungPay.connect → the checkout UI → the account email → the wallet (a second browser
// context, the phone) approves or declines → back to the shop, which decrypts, charges through the
// simulated acquirer and notifies → the order page; the wallet's history shows the result.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, startTestPlatform, type TestPlatform } from '../support/browser.ts';

const shopEntry = new URL('../../examples/shop/src/main.ts', import.meta.url).pathname;
const credentialLifetimeMs = 10 * 60_000; // docs/web-checkout.md

function startShop(platform: TestPlatform): Promise<{ url: string; child: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', shopEntry], {
      env: { ...process.env, CARDPORT_URL: platform.url, CARDPORT_HOME: platform.config.home, PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('exit', (code) => reject(new Error(`the shop exited (${code}): ${stderr}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const info = JSON.parse(line) as { demo?: string; url?: string; flow?: string };
        if (info.demo === 'shop' && info.url && info.flow === 'web-checkout')
          resolve({ url: info.url, child });
      } catch {
        // other output
      }
    });
  });
}

describe('Web Checkout with the demo shop in Chromium', () => {
  let platform: TestPlatform;
  let shop: { url: string; child: ChildProcess };
  let browserLaunch: Promise<Browser> | undefined;
  const email = 'shopper@example.com';

  before(async () => {
    platform = await startTestPlatform();
    writeFileSync(join(platform.config.home, 'admin-token'), platform.adminToken);
    shop = await startShop(platform);
    await platform.admin('POST', '/wallet/accounts', { email });
    await platform.admin('POST', '/web-checkout/test-cards', { account: email, brand: 'VI' });
  });
  after(async () => {
    await browserLaunch?.then((b) => b.close()).catch(() => {});
    if (shop?.child.exitCode === null) {
      shop.child.removeAllListeners('exit');
      await new Promise<void>((resolve) => {
        shop.child.once('exit', () => resolve());
        shop.child.kill('SIGTERM');
      });
    }
    await platform?.close();
  });

  async function open(
    options: { userAgent?: string } = {},
  ): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
    browserLaunch ??= launchBrowser();
    const browser = await browserLaunch;
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, ...options });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    return { context, page, errors };
  }

  /** The phone: signed in to the wallet. */
  async function phone(): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
    const { context, page, errors } = await open({
      userAgent:
        'Mozilla/5.0 (Linux; Android 14; SM-S931B) AppleWebKit/537.36 Chrome/124 Mobile Safari/537.36',
    });
    await page.goto(`${platform.url}/wallet`);
    await page.getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/wallet\/app/);
    return { context, page, errors };
  }

  /** The shopper's PC: cart → Pay with Samsung Pay → checkout page → account entered. */
  async function checkoutUpToTheWallet(page: Page, shopUrl = shop.url): Promise<void> {
    await page.goto(shopUrl);
    await page.getByTestId('pay-with-samsung-pay').click();
    await page.waitForURL(/\/gsmpi\/checkout\//);
    assert.equal((await page.getByTestId('checkout-merchant').textContent())?.trim(), 'Demo coffee shop');
    assert.equal((await page.getByTestId('checkout-amount').textContent())?.trim(), '98.76 USD');
    await page.getByTestId('checkout-email').fill(email);
    await page.getByTestId('checkout-send').click();
    await page.getByTestId('checkout-waiting').waitFor();
  }

  it('pays: the wallet approves, the shop decrypts, charges and notifies, the order is paid and the wallet shows CHARGED', async () => {
    const pc = await open();
    const mobile = await phone();
    try {
      await checkoutUpToTheWallet(pc.page);
      await pc.page.screenshot({ path: '/tmp/web-checkout-waiting.png' });

      await mobile.page.getByRole('link', { name: 'Payments' }).click();
      await mobile.page.getByTestId('payment-open').first().click();
      assert.equal((await mobile.page.getByTestId('request-amount').textContent())?.trim(), '98.76 USD');
      await mobile.page.screenshot({ path: '/tmp/web-checkout-wallet-request.png' });
      await mobile.page.getByTestId('approve').click();
      await mobile.page.getByTestId('wallet-verified').waitFor();

      await pc.page.waitForURL(/\/orders\/[0-9a-f]+$/, { timeout: 20_000 });
      await pc.page.getByTestId('order-paid').waitFor();
      await pc.page.screenshot({ path: '/tmp/web-checkout-paid.png' });
      assert.match(await pc.page.locator('main').innerText(), /VI •••• 1111/);

      await mobile.page.goto(`${platform.url}/wallet/payments`);
      const history = mobile.page.getByTestId('payment-history');
      assert.match(await history.innerText(), /Payment: CHARGED/);
      await history.scrollIntoViewIfNeeded();
      await mobile.page.screenshot({ path: '/tmp/web-checkout-wallet-history.png' });
      assert.deepEqual(pc.errors, []);
    } finally {
      await pc.context.close();
      await mobile.context.close();
    }
  });

  it("PC: the checkout page's QR, scanned from the wallet's Scan tab, opens the approval and the order is paid (phone 390×844, desktop 1280×800)", async () => {
    const pc = await open();
    const mobile = await phone();
    try {
      await pc.page.goto(shop.url);
      await pc.page.getByTestId('pay-with-samsung-pay').click();
      await pc.page.waitForURL(/\/gsmpi\/checkout\//);
      // The phone's camera: a picture of the checkout page's code, read by the Scan tab.
      const png = await pc.page.getByTestId('checkout-qr').screenshot();
      await mobile.page.setViewportSize({ width: 390, height: 844 });
      await mobile.page.goto(`${platform.url}/wallet/s2p/scan`);
      await mobile.page
        .getByTestId('s2p-file')
        .setInputFiles({ name: 'qr.png', mimeType: 'image/png', buffer: png });
      await mobile.page.waitForURL(/\/wallet\/payments\/[0-9a-f]{22}$/);
      assert.equal((await mobile.page.getByTestId('request-amount').textContent())?.trim(), '98.76 USD');
      await mobile.page.screenshot({ path: '/tmp/web-checkout-scan-phone.png' });
      await mobile.page.setViewportSize({ width: 1280, height: 800 });
      await mobile.page.screenshot({ path: '/tmp/web-checkout-scan-desktop.png' });
      await mobile.page.getByTestId('approve').click();
      await mobile.page.getByTestId('wallet-verified').waitFor();
      assert.match(await mobile.page.locator('h1').last().innerText(), /Payment approved/);
      await pc.page.waitForURL(/\/orders\/[0-9a-f]+$/, { timeout: 20_000 });
      await pc.page.getByTestId('order-paid').waitFor();
      assert.deepEqual(pc.errors, []);
      assert.deepEqual(mobile.errors, []);
    } finally {
      await pc.context.close();
      await mobile.context.close();
    }
  });

  it('mobile: on an Android phone the checkout opens in the wallet on the same device and returns to the shop paid', async () => {
    const mobile = await phone();
    try {
      await mobile.page.goto(shop.url);
      await mobile.page.getByTestId('pay-with-samsung-pay').click();
      await mobile.page.waitForURL(/\/wallet\/payments\/[0-9a-f]{22}$/);
      assert.match(
        (await mobile.page.getByTestId('request-merchant').textContent()) ?? '',
        /Demo coffee shop/,
      );
      await mobile.page.getByTestId('approve').click();
      await mobile.page.getByTestId('wallet-verified').waitFor();
      await mobile.page.waitForURL(/\/orders\/[0-9a-f]+$/, { timeout: 20_000 });
      await mobile.page.getByTestId('order-paid').waitFor();
    } finally {
      await mobile.context.close();
    }
  });

  it('a card whose payments the issuer declines: the acquirer rejects, the shop says declined and the wallet shows REJECTED', async () => {
    const declinedEmail = 'no-funds@example.com';
    await platform.admin('POST', '/wallet/accounts', { email: declinedEmail });
    await platform.admin('POST', '/web-checkout/test-cards', {
      account: declinedEmail,
      brand: 'VI',
      pan: '4000000000000994',
    });
    const pc = await open();
    try {
      await pc.page.goto(shop.url);
      await pc.page.getByTestId('pay-with-samsung-pay').click();
      await pc.page.waitForURL(/\/gsmpi\/checkout\//);
      await pc.page.getByTestId('checkout-email').fill(declinedEmail);
      await pc.page.getByTestId('checkout-send').click();
      await pc.page.getByTestId('checkout-waiting').waitFor();
      const { transactions } = await platform.admin<{
        transactions: { transactionId: string; status: string }[];
      }>('GET', '/web-checkout/transactions');
      const pending = transactions.find((t) => t.status === 'PENDING');
      assert.ok(pending);
      await platform.admin('POST', '/web-checkout/approvals', {
        account: declinedEmail,
        transactionId: pending.transactionId,
      });
      await pc.page.waitForURL(/\/orders\/[0-9a-f]+$/, { timeout: 20_000 });
      await pc.page.getByTestId('order-declined').waitFor();
      assert.match((await pc.page.getByTestId('order-detail').textContent()) ?? '', /INSUFFICIENT_FUNDS/);
      const after = await platform.admin<{
        transactions: { transactionId: string; paymentStatus: string | null }[];
      }>('GET', '/web-checkout/transactions');
      assert.equal(
        after.transactions.find((t) => t.transactionId === pending.transactionId)?.paymentStatus,
        'REJECTED',
      );
    } finally {
      await pc.context.close();
    }
  });

  it('the dashboard lists transactions with their payment result and probes the shop health both ways', async () => {
    const { context, page, errors } = await open();
    try {
      await page.goto(`${platform.url}/admin/web-checkout`);
      await page.getByLabel('Admin token').fill(platform.adminToken);
      await page.getByRole('button', { name: 'Open' }).click();
      const transactions = page.getByTestId('wc-transactions');
      await transactions.locator('table').waitFor();
      assert.match(await transactions.innerText(), /CHARGED/);
      await page.getByRole('button', { name: 'Probe now' }).first().click();
      await page.getByTestId('wc-services').getByText('partner called back').waitFor();
      await page.screenshot({ path: '/tmp/web-checkout-dashboard.png', fullPage: true });
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  it("a decline in the wallet returns the shopper to the shop's cancel URL", async () => {
    const pc = await open();
    const mobile = await phone();
    try {
      await checkoutUpToTheWallet(pc.page);
      await mobile.page.goto(`${platform.url}/wallet/payments`);
      await mobile.page.getByTestId('payment-open').first().click();
      await mobile.page.getByTestId('decline').click();
      await mobile.page.getByTestId('wallet-declined').waitFor();
      await pc.page.waitForURL(/\?canceled=/, { timeout: 20_000 });
      await pc.page.getByTestId('shop-canceled').waitFor();
    } finally {
      await pc.context.close();
      await mobile.context.close();
    }
  });

  it('cancel on the checkout page returns to the shop', async () => {
    const pc = await open();
    try {
      await pc.page.goto(shop.url);
      await pc.page.getByTestId('pay-with-samsung-pay').click();
      await pc.page.waitForURL(/\/gsmpi\/checkout\//);
      await pc.page.getByTestId('checkout-qr').waitFor();
      await pc.page.screenshot({ path: '/tmp/web-checkout-entry.png' });
      await pc.page.getByTestId('checkout-cancel').click();
      await pc.page.waitForURL(/\?canceled=/);
      await pc.page.getByTestId('shop-canceled').waitFor();
    } finally {
      await pc.context.close();
    }
  });

  it('expired credentials: the shop cannot retrieve them and says the payment failed', async () => {
    const pc = await open();
    try {
      await checkoutUpToTheWallet(pc.page);
      const transactionId = (
        await platform.admin<{ transactions: { transactionId: string; status: string }[] }>(
          'GET',
          '/web-checkout/transactions',
        )
      ).transactions.find((t) => t.status === 'PENDING')?.transactionId;
      assert.ok(transactionId);
      // The wallet approves, then the credentials outlive their lifetime before the shop asks.
      await platform.admin('POST', '/web-checkout/approvals', { account: email, transactionId });
      (platform.clock as unknown as { advance(ms: number): void }).advance(credentialLifetimeMs);
      await pc.page.waitForURL(/\/orders\/[0-9a-f]+$/, { timeout: 20_000 });
      await pc.page.getByTestId('order-failed').waitFor();
      assert.match((await pc.page.getByTestId('order-detail').textContent()) ?? '', /OPM1N1002.*expired/);
    } finally {
      await pc.context.close();
    }
  });

  it('refuses a checkout started from a domain the service did not register', async () => {
    const pc = await open();
    try {
      // The shop registered 127.0.0.1; the same shop opened as localhost is a foreign domain.
      await pc.page.goto(shop.url.replace('127.0.0.1', 'localhost'));
      await pc.page.getByTestId('pay-with-samsung-pay').click();
      await pc.page.getByTestId('checkout-failure').waitFor();
      assert.match(
        (await pc.page.getByTestId('checkout-failure').textContent()) ?? '',
        /not on a domain registered/,
      );
      await pc.page.screenshot({ path: '/tmp/web-checkout-foreign-domain.png' });
    } finally {
      await pc.context.close();
    }
  });
});
