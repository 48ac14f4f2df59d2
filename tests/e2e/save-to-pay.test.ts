// Save to Pay end to end in real Chromium: the demo bank's page opens the welcome modal (s2p.js),
// a second browser context plays the phone (the virtual wallet, signed in), decodes the QR from a
// screenshot of the modal, links and provisions; the modal shows it live and the promise
// resolves; the bank hears WA_READY then WA_PROVISIONED over mutual TLS (the bank onboards as the
// demo does: its own CA signs the platform's outbound certificate and its server certificate).
// Plus the failure paths.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SaveToPayClient } from '@cardport/sdk';
import type { Browser, BrowserContext, FrameLocator, Page } from 'playwright-core';
import { type Bank, startBank } from '../../examples/bank/src/bank.ts';
import { type BankIdentity, ensureOnboarded, registerNotifyUrl } from '../../examples/bank/src/onboarding.ts';
import { createPartnerCa, issueServerCertificate } from '../../examples/bank/src/partner-ca.ts';
import { ManualClock } from '../../packages/platform/src/core/clock.ts';
import { waitFor } from '../../packages/platform/src/core/delivery-test-support.ts';
import { resolveOutboundIdentity } from '../../packages/platform/src/partners/service.ts';
import { getTspPublicKey } from '../../packages/platform/src/tsp/index.ts';
import { launchBrowser, startTestPlatform, type TestPlatform } from '../support/browser.ts';

describe('Save to Pay in Chromium: bank page, welcome modal, virtual wallet', () => {
  let platform: TestPlatform & { clock: ManualClock };
  let bank: Bank;
  let client: SaveToPayClient;
  let identity: BankIdentity;
  let home: string;
  let browserLaunch: Promise<Browser> | undefined;
  let users = 0;

  before(async () => {
    const clock = new ManualClock(Date.now());
    platform = { ...(await startTestPlatform({ clock })), clock };
    platform.delivery.start({ pollMs: 100 });
    // The demo bank's own onboarding, over the admin API.
    home = mkdtempSync(join(tmpdir(), 'cardport-bank-e2e-'));
    const onboarding = { platformUrl: platform.url, home, adminToken: platform.adminToken };
    identity = await ensureOnboarded(onboarding);
    client = new SaveToPayClient({
      baseUrl: `${platform.mtlsUrl}/ext/v1`,
      partnerId: identity.partnerId,
      tls: { cert: identity.certificatePem, key: identity.keyPem, ca: identity.caCertificatePem },
    });
    bank = await startBank({
      client,
      platformUrl: platform.url,
      tspPublicKey: await getTspPublicKey(platform.db, platform.app.ctx),
      notificationTls: {
        cert: identity.server.certificatePem,
        key: identity.server.keyPem,
        ca: identity.partnerCa.certificatePem,
      },
    });
    assert.match(bank.notifyUrl, /^https:\/\/127\.0\.0\.1:\d+$/);
    identity = await registerNotifyUrl(onboarding, identity, bank.notifyUrl);
  });
  after(async () => {
    await browserLaunch?.then((b) => b.close()).catch(() => {});
    client?.close();
    await bank?.close();
    await platform?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  async function context(
    options: { userAgent?: string } = {},
  ): Promise<{ ctx: BrowserContext; page: Page; errors: string[] }> {
    browserLaunch ??= launchBrowser();
    const browser = await browserLaunch;
    const ctx = await browser.newContext({ viewport: { width: 1200, height: 900 }, ...options });
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    return { ctx, page, errors };
  }

  /** A signed-in phone: the wallet's own JSON API sets the session cookie in that context. */
  async function phone(email?: string): Promise<{ ctx: BrowserContext; page: Page; email: string }> {
    users += 1;
    const address = email ?? `phone${users}@example.com`;
    const { ctx, page } = await context({
      userAgent:
        'Mozilla/5.0 (Linux; Android 14; SM-S921B) AppleWebKit/537.36 Chrome/126 Mobile Safari/537.36',
    });
    const created = await page.request.post(`${platform.url}/wallet/api/accounts`, {
      data: { email: address },
    });
    assert.ok(created.ok(), await created.text());
    const signedIn = await page.request.post(`${platform.url}/wallet/api/sessions`, {
      data: { email: address },
    });
    assert.ok(signedIn.ok(), await signedIn.text());
    await page.goto(`${platform.url}/wallet/s2p/scan`);
    return { ctx, page, email: address };
  }

  /** The bank customer clicks "Add to Samsung Wallet" for a card; returns the modal's frame. */
  async function addToWallet(page: Page, card: string, options: { email?: string; enforce?: boolean } = {}) {
    await page.goto(bank.url);
    if (options.email) await page.getByLabel(/Email of your Samsung account/).fill(options.email);
    if (options.enforce) await page.getByLabel("The wallet's email must match").check();
    await page.locator(`[data-add="${card}"]`).click();
    await page.locator('iframe[data-s2p-iframe]').waitFor();
    const frame = page.frameLocator('iframe[data-s2p-iframe]');
    await frame.locator('[data-s2p-state]').waitFor();
    return frame;
  }

  /** The phone's camera: a screenshot of the QR in the modal, uploaded to the Scan tab. */
  async function scan(frame: FrameLocator, wallet: Page) {
    const png = await frame.getByTestId('s2p-qr').screenshot();
    await wallet
      .getByTestId('s2p-file')
      .setInputFiles({ name: 'qr.png', mimeType: 'image/png', buffer: png });
  }

  const regIdOf = async (page: Page) =>
    (await page.getByTestId('bank-result').getAttribute('data-reg-id')) ?? '';

  /** POSTs to the bank's notification endpoint as a TLS client with the given certificate (or none). */
  function postToBank(tls: { cert?: string; key?: string }) {
    return new Promise<{ status?: number; body?: string; error?: string }>((resolve) => {
      const req = https.request(
        `${bank.notifyUrl}/notifications`,
        {
          method: 'POST',
          agent: false,
          ca: identity.partnerCa.certificatePem,
          headers: { 'content-type': 'application/json', 'partner-id': identity.partnerId },
          ...tls,
        },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => {
            body += c;
          });
          res.on('end', () => resolve({ ...(res.statusCode ? { status: res.statusCode } : {}), body }));
        },
      );
      req.on('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
      req.end('{}');
    });
  }

  it("the bank's notification endpoint is mutual TLS: only a client certificate from the bank's CA gets in", async () => {
    const partner = await platform.admin<{
      notifyUrl: string;
      outbound: { configured: boolean };
      serverTrust: { source: string };
    }>('GET', `/partners/${identity.partnerId}`);
    assert.equal(partner.notifyUrl, bank.notifyUrl);
    assert.equal(partner.outbound.configured, true);
    assert.equal(partner.serverTrust.source, 'outbound-ca');

    // No client certificate: refused in the handshake, no HTTP answer.
    const anonymous = await postToBank({});
    assert.equal(anonymous.status, undefined, JSON.stringify(anonymous));
    assert.ok(anonymous.error);
    // A valid certificate from another CA (the bank's own sandbox client certificate): refused too.
    const foreign = await postToBank({ cert: identity.certificatePem, key: identity.keyPem });
    assert.equal(foreign.status, undefined, JSON.stringify(foreign));
    assert.ok(foreign.error);
    // A CA of the same name with its own key: refused.
    const impostorCa = await createPartnerCa('Cardport Demo Bank partner CA');
    const impostor = await issueServerCertificate(impostorCa, 'impostor', ['127.0.0.1']);
    const forged = await postToBank({ cert: impostor.certificatePem, key: impostor.keyPem });
    assert.equal(forged.status, undefined, JSON.stringify(forged));
    // The platform's outbound identity (signed by the bank's CA) passes TLS and reaches the handler.
    const outbound = await resolveOutboundIdentity(platform.db, platform.keys, identity.partnerId);
    assert.ok(outbound);
    const platformCall = await postToBank({ cert: outbound.cert, key: outbound.key });
    assert.equal(platformCall.status, 400, JSON.stringify(platformCall));
  });

  it('adds a card: QR screenshot decoded by the wallet, linked live, provisioned, promise SUCCESS, bank notified', async () => {
    const customer = await context();
    const wallet = await phone();
    try {
      const frame = await addToWallet(customer.page, 'visa');
      assert.equal(await frame.getByTestId('s2p-card-name').textContent(), 'Everyday Visa');
      assert.equal(await frame.getByTestId('s2p-partner-name').textContent(), 'Cardport Demo Bank');
      await customer.page.screenshot({ path: '/tmp/s2p-e2e-modal.png' });

      await scan(frame, wallet.page);
      await wallet.page.getByTestId('s2p-add').waitFor();
      await frame.locator('[data-s2p-state="linked"]').waitFor();
      await wallet.page.screenshot({ path: '/tmp/s2p-e2e-wallet-confirm.png' });
      await wallet.page.getByTestId('s2p-add').click();
      await wallet.page.locator('[data-s2p-outcome="success"]').waitFor();
      assert.match(
        (await wallet.page.getByTestId('s2p-result').textContent()) ?? '',
        /Everyday Visa is in your wallet \(•••• 1111\)/,
      );
      await frame.locator('[data-s2p-state="provisioned"]').waitFor();
      await customer.page.screenshot({ path: '/tmp/s2p-e2e-provisioned.png' });

      // Desktop: the promise resolves when the modal closes.
      await customer.page.locator('[data-s2p-close]').click();
      await customer.page.locator('[data-testid="bank-result"][data-status="SUCCESS"]').waitFor();
      const regId = await regIdOf(customer.page);
      await waitFor(() => (bank.events.get(regId) ?? []).length === 2, 'WA_PROVISIONED at the bank');
      assert.deepEqual(bank.events.get(regId), ['WA_READY', 'WA_PROVISIONED']);
      await customer.page
        .getByTestId('bank-events')
        .filter({ hasText: 'WA_READY → WA_PROVISIONED' })
        .waitFor();

      await wallet.page.goto(`${platform.url}/wallet/app`);
      const items = wallet.page.getByTestId('wallet-items');
      assert.match((await items.textContent()) ?? '', /Everyday Visa/);
      await wallet.page.screenshot({ path: '/tmp/s2p-e2e-wallet-card.png' });
      assert.deepEqual(customer.errors, []);
      assert.deepEqual(wallet.page.context().pages().length, 1);
    } finally {
      await customer.ctx.close();
      await wallet.ctx.close();
    }
  });

  it('adding the same card to the same wallet again ends FAILURE CARD_ALREADY_PRESENT', async () => {
    const customer = await context();
    const wallet = await phone();
    try {
      for (const expected of ['SUCCESS', 'FAILURE']) {
        const frame = await addToWallet(customer.page, 'mastercard');
        await scan(frame, wallet.page);
        await wallet.page.getByTestId('s2p-add').click();
        await wallet.page.locator('[data-s2p-outcome]:not([data-s2p-outcome="info"])').waitFor();
        await frame
          .locator(`[data-s2p-state="${expected === 'SUCCESS' ? 'provisioned' : 'failed'}"]`)
          .waitFor();
        await customer.page.locator('[data-s2p-close]').click();
        await customer.page.locator(`[data-testid="bank-result"][data-status="${expected}"]`).waitFor();
        await wallet.page.goto(`${platform.url}/wallet/s2p/scan`);
      }
      assert.equal(
        await customer.page.getByTestId('bank-result').getAttribute('data-error-code'),
        'CARD_ALREADY_PRESENT',
      );
      const regId = await regIdOf(customer.page);
      await waitFor(() => (bank.events.get(regId) ?? []).length === 2, 'failure notification');
      assert.deepEqual(bank.events.get(regId), ['WA_READY', 'WA_PROVISION_FAILURE:CARD_ALREADY_PRESENT']);
    } finally {
      await customer.ctx.close();
      await wallet.ctx.close();
    }
  });

  it('refuses a wallet whose email does not match when the bank enforces it', async () => {
    const customer = await context();
    const wallet = await phone();
    try {
      const frame = await addToWallet(customer.page, 'visa', {
        email: 'someone.else@example.com',
        enforce: true,
      });
      await scan(frame, wallet.page);
      await wallet.page.locator('[data-s2p-outcome="error"]').waitFor();
      assert.match(
        (await wallet.page.getByTestId('s2p-result').textContent()) ?? '',
        /email address .* does not match/,
      );
      assert.equal(await frame.locator('[data-s2p-state]').getAttribute('data-s2p-state'), 'waiting');
      // The welcome page says why, instead of "Waiting…", while it waits for the right account.
      await frame.locator('[data-s2p-refused="email"]').waitFor();
      assert.match(
        (await frame.getByTestId('s2p-status').textContent()) ?? '',
        /signed in with a different email address/,
      );
      await customer.page.screenshot({ path: '/tmp/s2p-email-mismatch.png' });
    } finally {
      await customer.ctx.close();
      await wallet.ctx.close();
    }
  });

  it('shows a failure on both sides when the bank is down, and the bank later hears WA_PROVISION_FAILURE', async () => {
    const customer = await context();
    const wallet = await phone();
    try {
      const frame = await addToWallet(customer.page, 'visa');
      bank.setDown(true);
      await scan(frame, wallet.page);
      await wallet.page.locator('[data-s2p-outcome="error"]').waitFor();
      assert.match((await wallet.page.getByTestId('s2p-result').textContent()) ?? '', /cannot be added now/);
      await frame.locator('[data-s2p-state="failed"]').waitFor();
      await customer.page.locator('[data-s2p-close]').click();
      await customer.page.locator('[data-testid="bank-result"][data-status="FAILURE"]').waitFor();
      bank.setDown(false);
      const regId = await regIdOf(customer.page);
      // The durable failure notification waits out its retry schedule: move the clock past it.
      platform.clock.advance(10 * 60_000);
      await waitFor(
        () => (bank.events.get(regId) ?? []).includes('WA_PROVISION_FAILURE'),
        'WA_PROVISION_FAILURE after the bank is back',
      );
    } finally {
      bank.setDown(false);
      await customer.ctx.close();
      await wallet.ctx.close();
    }
  });

  it('an expired welcome URL shows a clear expired page in the modal', async () => {
    const customer = await context();
    try {
      await customer.page.goto(bank.url);
      const reg = await client.registrations.create({
        custom: {
          cardName: 'Expiring card',
          cardArtUrl: `${bank.url}/assets/cards/visa.svg`,
          partnerName: 'Cardport Demo Bank',
          partnerLogoUrl: `${bank.url}/assets/logo.svg`,
        },
      });
      platform.clock.advance(25 * 3_600_000);
      const outcome = customer.page.evaluate(
        (welcomeUrl) =>
          (
            window as unknown as {
              spay: { saveToPayUI: { showWelcomeModalPromise(r: { welcomeUrl: string }): Promise<unknown> } };
            }
          ).spay.saveToPayUI.showWelcomeModalPromise({ welcomeUrl }),
        reg.welcomeUrl,
      );
      const frame = customer.page.frameLocator('iframe[data-s2p-iframe]');
      await frame.locator('[data-s2p-state="expired"]').waitFor();
      assert.match((await frame.getByTestId('s2p-status').textContent()) ?? '', /expired/);
      await customer.page.screenshot({ path: '/tmp/s2p-e2e-expired.png' });
      await customer.page.evaluate(() =>
        (
          window as unknown as { spay: { saveToPayUI: { closeWelcomeModal(): void } } }
        ).spay.saveToPayUI.closeWelcomeModal(),
      );
      const result = (await outcome) as {
        status: string;
        isIframeClosed: boolean;
        details?: { errorCode: string };
      };
      assert.equal(result.status, 'FAILURE');
      assert.equal(result.isIframeClosed, true);
      assert.equal(result.details?.errorCode, 'UNKNOWN_ERROR');
    } finally {
      await customer.ctx.close();
    }
  });

  it('showWelcomeModal goes to the welcomeCallbackUrl once a final state is reached', async () => {
    const customer = await context();
    try {
      await customer.page.goto(bank.url);
      const reg = await client.registrations.create({
        welcomeCallbackUrl: `${bank.url}/?back=1`,
        custom: {
          cardName: 'Callback card',
          cardArtUrl: `${bank.url}/assets/cards/visa.svg`,
          partnerName: 'Cardport Demo Bank',
          partnerLogoUrl: `${bank.url}/assets/logo.svg`,
        },
      });
      // Expired is a final state: the modal reports it and the library follows the callback.
      platform.clock.advance(25 * 3_600_000);
      await Promise.all([
        customer.page.waitForURL(`${bank.url}/?back=1`),
        customer.page.evaluate(
          (welcomeUrl) =>
            (
              window as unknown as {
                spay: { saveToPayUI: { showWelcomeModal(r: { welcomeUrl: string }): void } };
              }
            ).spay.saveToPayUI.showWelcomeModal({ welcomeUrl }),
          reg.welcomeUrl,
        ),
      ]);
    } finally {
      await customer.ctx.close();
    }
  });

  it('the user closing the modal before scanning resolves FAILURE CANCELED', async () => {
    const customer = await context();
    try {
      const frame = await addToWallet(customer.page, 'visa');
      await frame.locator('[data-s2p-state="waiting"]').waitFor();
      await customer.page.locator('[data-s2p-close]').click();
      await customer.page.locator('[data-testid="bank-result"][data-status="FAILURE"]').waitFor();
      assert.equal(
        await customer.page.getByTestId('bank-result').getAttribute('data-error-code'),
        'CANCELED',
      );
      assert.equal(await customer.page.locator('[data-s2p-modal]').count(), 0);
    } finally {
      await customer.ctx.close();
    }
  });

  it('on an Android phone the promise resolves as soon as the session ends, without closing', async () => {
    const customer = await context({
      userAgent:
        'Mozilla/5.0 (Linux; Android 14; SM-S921B) AppleWebKit/537.36 Chrome/126 Mobile Safari/537.36',
    });
    const wallet = await phone();
    try {
      const frame = await addToWallet(customer.page, 'visa');
      // Android: the welcome page offers the wallet button; the phone opens that link.
      const href = await frame.getByTestId('s2p-open-wallet').getAttribute('href');
      assert.ok(href);
      await wallet.page.goto(href);
      await wallet.page.getByTestId('s2p-continue').click();
      await wallet.page.getByTestId('s2p-add').click();
      await customer.page.locator('[data-testid="bank-result"][data-status="SUCCESS"]').waitFor();
      assert.equal(await customer.page.locator('[data-s2p-modal]').count(), 0);
    } finally {
      await customer.ctx.close();
      await wallet.ctx.close();
    }
  });

  for (const size of [
    { name: 'phone', width: 390, height: 844 },
    { name: 'desktop', width: 1280, height: 800 },
  ]) {
    it(`on a ${size.name} (${size.width}×${size.height}) Android browser, "Open Samsung Wallet" opens the wallet in its own tab, not the modal's iframe`, async () => {
      // One browser, as on a real phone: the wallet session and the bank page share it.
      const wallet = await phone();
      const bankPage = await wallet.ctx.newPage();
      await bankPage.setViewportSize({ width: size.width, height: size.height });
      const errors: string[] = [];
      bankPage.on('pageerror', (e) => errors.push(e.message));
      bankPage.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      try {
        const frame = await addToWallet(bankPage, 'visa');
        // The bank page fits the screen, and so does the modal.
        const widths = await bankPage.evaluate(() => ({
          page: document.documentElement.scrollWidth,
          viewport: window.innerWidth,
        }));
        assert.ok(
          widths.page <= widths.viewport,
          `bank page ${widths.page} px wide on ${widths.viewport} px`,
        );
        const box = await bankPage.locator('iframe[data-s2p-iframe]').boundingBox();
        assert.ok(box && box.x >= 0 && box.x + box.width <= size.width + 0.5, JSON.stringify(box));
        await bankPage.screenshot({ path: `/tmp/s2p-android-${size.name}-modal.png` });

        const popup = wallet.ctx.waitForEvent('page');
        await frame.getByTestId('s2p-open-wallet').click();
        const app = await popup;
        app.on('pageerror', (e) => errors.push(e.message));
        await app.waitForURL(/\/wallet\/s2p\/scan\?code=/);
        await app.getByTestId('s2p-continue').click();
        await app.getByTestId('s2p-add').click();
        await app.locator('[data-s2p-outcome="success"]').waitFor();
        await app.screenshot({ path: `/tmp/s2p-android-${size.name}-wallet.png` });
        // The modal's iframe still shows the welcome page (never the refused wallet), and the
        // Android promise resolved as soon as the card was in.
        await bankPage.locator('[data-testid="bank-result"][data-status="SUCCESS"]').waitFor();
        // Back on the bank's tab, the outcome is where the user looks: inside the viewport.
        await bankPage.bringToFront();
        const outcome = await bankPage.locator('#outcome').boundingBox();
        assert.ok(
          outcome && outcome.y >= 0 && outcome.y + outcome.height <= size.height + 0.5,
          `outcome at ${JSON.stringify(outcome)} on a ${size.height} px tall viewport`,
        );
        await bankPage.screenshot({ path: `/tmp/s2p-android-${size.name}-done.png` });
        assert.deepEqual(errors, []);
      } finally {
        await wallet.ctx.close();
      }
    });
  }
});
