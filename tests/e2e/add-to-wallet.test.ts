// Add to Wallet end to end in real Chromium: the demo issuer (SDK + button only) against a whole
// platform. Issuer page → link → landing preview → add to the signed-in wallet → the issuer is
// told ADDED with cc2 and callback → back office changes the seat → the wallet shows it → cancel
// → CANCELED → the user deletes → the issuer is told DELETED. Then the pdata variant and the
// page of an expired link.
import assert from 'node:assert/strict';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createCdata } from '@cardport/jose';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createIssuer } from '../../examples/issuer/src/app.ts';
import { ensureOnboarded, type IssuerIdentity } from '../../examples/issuer/src/onboarding.ts';
import { SandboxClock } from '../../packages/platform/src/core/clock.ts';
import { launchBrowser, startTestPlatform, type TestPlatform } from '../support/browser.ts';

/** A ticket card object for the stale link (refused before the card is read). */
const staleCard = {
  card: {
    type: 'ticket',
    subType: 'movies',
    data: [{ refId: 'stale-1', createdAt: 0, language: 'en', attributes: { title: 'Stale' } }],
  },
};

describe('Add to Wallet in Chromium with the demo issuer', () => {
  let platform: TestPlatform;
  let clock: SandboxClock;
  let issuerServer: http.Server;
  let issuerUrl: string;
  let identity: IssuerIdentity;
  let browserLaunch: Promise<Browser> | undefined;
  let context: BrowserContext;
  let page: Page;
  const errors: string[] = [];

  before(async () => {
    clock = new SandboxClock();
    platform = await startTestPlatform({ clock });
    writeFileSync(join(platform.config.home, 'admin-token'), platform.adminToken);
    issuerServer = http.createServer();
    await new Promise<void>((r) => issuerServer.listen(0, '127.0.0.1', r));
    issuerUrl = `http://127.0.0.1:${(issuerServer.address() as AddressInfo).port}`;
    identity = await ensureOnboarded({
      platformUrl: platform.url,
      home: platform.config.home,
      partnerUrl: `${issuerUrl}/wallet-api`,
    });
    const issuer = createIssuer({ platformUrl: platform.url, selfUrl: issuerUrl, identity });
    issuerServer.on('request', issuer.handler);
  });
  after(async () => {
    await context?.close().catch(() => {});
    await browserLaunch?.then((b) => b.close()).catch(() => {});
    issuerServer?.closeAllConnections();
    await new Promise<void>((r) => (issuerServer ? issuerServer.close(() => r()) : r()));
    await platform?.close();
  });

  async function open(): Promise<Page> {
    if (page) return page;
    browserLaunch ??= launchBrowser();
    const browser = await browserLaunch;
    context = await browser.newContext({ viewport: { width: 1100, height: 1000 }, locale: 'en-US' });
    page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('response', (r) => {
      if (r.status() >= 400) errors.push(`HTTP ${r.status()} ${r.url().split('#')[0]}`);
    });
    // A wallet account, signed in in this browser.
    await page.goto(`${platform.url}/wallet/sign-up`);
    await page.getByLabel('Email').fill('atw.e2e@example.com');
    await page.getByLabel('Country').fill('kr');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(/\/wallet\/app$/);
    return page;
  }

  /** Delivers the due Send Card State jobs, then shows the issuer's back office. */
  async function backOffice(p: Page): Promise<void> {
    await platform.delivery.runDue();
    await p.goto(`${issuerUrl}/backoffice`);
  }

  const row = (p: Page, refId: string) => p.locator(`tr[data-ref-id="${refId}"]`);

  it('cdata: issuer → landing preview → add → ADDED → seat update → CANCELED → delete → DELETED', async () => {
    const p = await open();
    await p.goto(issuerUrl);
    await p.getByTestId('buy-ticket').click();
    await p.waitForURL(/\/orders\//);
    const refId = ((await p.getByTestId('order-ref').textContent()) ?? '').trim();
    await p.getByTestId('atw-cdata').getByRole('button').click();
    await p.waitForURL(/\/atw\/v3\/[^/]+#Clip\?cdata=/);
    const preview = p.getByTestId('atw-preview');
    await preview.waitFor();
    assert.equal((await preview.getByTestId('pass-title').textContent())?.trim(), 'Parasite');
    assert.match((await preview.textContent()) ?? '', /F12/);
    assert.equal(await preview.locator('.pass-barcode img').count(), 1, 'the QR code is drawn');
    await p.screenshot({ path: '/tmp/atw-landing.png', fullPage: true });

    await p.getByTestId('atw-add').click();
    await p.waitForURL(/\/wallet\/app\/add-card\?offer=/);
    await p.getByTestId('confirm-add').click();
    await p.waitForURL(/\/wallet\/app\/passes\/.+\?added=1$/);
    assert.equal((await p.getByTestId('pass-state').textContent())?.trim(), 'ADDED');
    await p.screenshot({ path: '/tmp/atw-pass-added.png', fullPage: true });
    await p.goto(`${platform.url}/wallet/app`);
    assert.equal(await p.getByTestId('pass-item').count(), 1);
    await p.screenshot({ path: '/tmp/atw-wallet-list.png', fullPage: true });

    await backOffice(p);
    const told = row(p, refId).getByTestId('told-state');
    assert.match(
      (await told.first().textContent()) ?? '',
      new RegExp(`ADDED\\s+cc2 KR\\s+callback ${platform.url}`),
    );

    await row(p, refId).getByTestId('new-seat').fill('H7');
    await row(p, refId).getByTestId('change-seat').click();
    await p.waitForURL(/\/backoffice\?message=/);
    assert.match((await p.getByTestId('backoffice-message').textContent()) ?? '', /answered 200/);
    await p.goto(`${platform.url}/wallet/app`);
    await p.getByTestId('pass-item').locator('a').click();
    assert.equal((await p.getByTestId('pass-state').textContent())?.trim(), 'UPDATED');
    assert.equal((await p.locator('[data-attr="seatNumber"] dd').textContent())?.trim(), 'H7');

    await backOffice(p);
    assert.match((await row(p, refId).getByTestId('states').textContent()) ?? '', /UPDATED/);
    await p.getByTestId('cancel-show').click();
    await p.waitForURL(/\/backoffice\?message=/);
    assert.match((await p.getByTestId('backoffice-message').textContent()) ?? '', /answered 200/);
    await p.goto(`${platform.url}/wallet/app`);
    assert.equal(
      (await p.getByTestId('pass-item').getByTestId('pass-state').textContent())?.trim(),
      'CANCELED',
    );
    await p.screenshot({ path: '/tmp/atw-wallet-canceled.png', fullPage: true });

    await p.getByTestId('pass-item').locator('a').click();
    await p.getByTestId('delete-pass').click();
    await p.waitForURL(/\/wallet\/app$/);
    assert.equal(await p.getByTestId('pass-item').count(), 0);
    await backOffice(p);
    assert.match((await row(p, refId).getByTestId('states').textContent()) ?? '', /DELETED/);
    await p.screenshot({ path: '/tmp/atw-backoffice.png', fullPage: true });
    assert.deepEqual(errors, []);
  });

  it('pdata: the Data Fetch button adds a boarding pass the platform fetched from the issuer', async () => {
    const p = await open();
    await p.goto(issuerUrl);
    await p.getByTestId('buy-boardingpass').click();
    await p.waitForURL(/\/orders\//);
    await p.getByTestId('atw-pdata').getByRole('button').click();
    await p.waitForURL(/\/atw\/v3\/[^/]+\/[^/]+#Clip\?pdata=/);
    const preview = p.getByTestId('atw-preview');
    await preview.waitFor();
    assert.match((await preview.getByTestId('pass-title').textContent()) ?? '', /KE123 ICN → LAX/);
    await p.getByTestId('atw-add').click();
    await p.getByTestId('confirm-add').click();
    await p.waitForURL(/\/wallet\/app\/passes\/.+\?added=1$/);
    assert.equal((await p.getByTestId('pass-state').textContent())?.trim(), 'ADDED');
    await p.screenshot({ path: '/tmp/atw-boardingpass.png', fullPage: true });
  });

  it("the wallet's Scan tab takes the landing page's code to the add screen; three passes show with no page error at phone and desktop sizes", async () => {
    const p = await open();
    const scanErrors: string[] = [];
    const wallet = await context.newPage();
    wallet.on('pageerror', (e) => scanErrors.push(e.message));
    wallet.on('console', (m) => {
      if (m.type() === 'error') scanErrors.push(m.text());
    });
    for (const kind of ['buy-ticket', 'buy-ticket', 'buy-boardingpass']) {
      await p.goto(issuerUrl);
      await p.getByTestId(kind).click();
      await p.waitForURL(/\/orders\//);
      await p
        .getByTestId(kind === 'buy-ticket' ? 'atw-cdata' : 'atw-pdata')
        .getByRole('button')
        .click();
      await p.getByTestId('atw-preview').waitFor();
      // The phone's camera: a picture of the landing page's code, read by the Scan tab.
      const png = await p.locator('.atw-qr img').screenshot();
      await wallet.goto(`${platform.url}/wallet/s2p/scan`);
      await wallet
        .getByTestId('s2p-file')
        .setInputFiles({ name: 'qr.png', mimeType: 'image/png', buffer: png });
      await wallet.waitForURL(/\/wallet\/app\/add-card\?offer=/);
      await wallet.getByTestId('confirm-add').click();
      await wallet.waitForURL(/\/wallet\/app\/passes\/.+\?added=1$/);
    }
    for (const size of [
      { name: 'phone', width: 390, height: 844 },
      { name: 'desktop', width: 1280, height: 800 },
    ]) {
      await wallet.setViewportSize({ width: size.width, height: size.height });
      await wallet.goto(`${platform.url}/wallet/app`);
      assert.ok((await wallet.getByTestId('pass-item').count()) >= 3);
      await wallet.screenshot({ path: `/tmp/atw-wallet-passes-${size.name}.png`, fullPage: true });
      await wallet.getByTestId('pass-item').first().locator('a').click();
      await wallet.getByTestId('pass-state').waitFor();
      await wallet.screenshot({ path: `/tmp/atw-pass-${size.name}.png`, fullPage: true });
    }
    assert.deepEqual(scanErrors, []);
    await wallet.close();
  });

  it('the Scan tab says clearly when a code is not one Cardport draws', async () => {
    const p = await open();
    await p.goto(`${platform.url}/wallet/s2p/scan`);
    await p.getByTestId('s2p-link').fill('https://example.com/not-a-wallet-code');
    await p.getByTestId('s2p-continue').click();
    await p.locator('[data-s2p-outcome="error"]').waitFor();
    assert.match((await p.getByTestId('s2p-result').textContent()) ?? '', /not one the wallet knows/);
  });

  it('an expired Data Transmit link shows TOKEN_EXPIRED on the landing page', async () => {
    const p = await open();
    await p.goto(issuerUrl);
    await p.getByTestId('buy-ticket').click();
    await p.waitForURL(/\/orders\//);
    const link = await p.evaluate(async () => {
      const path =
        document.querySelector('[data-testid=atw-cdata]')?.getAttribute('data-link-endpoint') ?? '';
      const res = await fetch(path, { method: 'POST' });
      return ((await res.json()) as { link: string }).link;
    });
    // The sandbox clock moves business time, not the issuer's clock (docs/compatibility.md): after
    // advancing it, the issuer's fresh link still opens.
    await clock.advance(platform.db, 31_000);
    await p.goto(link);
    await p.getByTestId('atw-preview').waitFor();
    // A link made 31 s ago on the issuer's own (real) clock has expired.
    const stale = createCdata(staleCard, {
      partnerId: identity.partnerId,
      certificateId: identity.certificateId,
      partnerKey: createPrivateKey(identity.keyPem),
      platformPublicKey: new X509Certificate(identity.platformCertificatePem).publicKey,
      now: () => Date.now() - 31_000,
    });
    await p.goto('about:blank'); // a new fragment alone would not load the landing page again
    await p.goto(link.replace(/cdata=.*$/, `cdata=${stale}`));
    const error = p.getByTestId('atw-error');
    await error.waitFor();
    assert.equal((await p.getByTestId('atw-error-reason').textContent())?.trim(), 'TOKEN_EXPIRED');
    assert.match((await p.getByTestId('atw-error-message').textContent()) ?? '', /older than 30 s/);
    await p.screenshot({ path: '/tmp/atw-expired.png', fullPage: true });
  });
});
