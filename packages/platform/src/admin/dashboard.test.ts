// The admin dashboard (GET /admin) in real Chromium, against a whole platform.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, startTestPlatform, type TestPlatform } from '../../../../tests/support/browser.ts';
import { type Receiver, startReceiver } from '../core/delivery-test-support.ts';
import { generateKeyAndCsr } from '../core/pki.ts';
import { recordWalletAction } from '../wallet/actions.ts';
import { clockModule } from './clock.ts';
import { adminModule } from './module.ts';

describe('admin dashboard in Chromium', () => {
  let browser: Browser;
  let platform: TestPlatform;
  let receiver: Receiver;
  let deadId = '';
  let deliveredId = '';

  before(async () => {
    // Chromium first: when it is missing, the failure says how to install it.
    browser = await launchBrowser();
    platform = await startTestPlatform();
    receiver = await startReceiver((req, res) => {
      res.writeHead(req.path === '/gone' ? 404 : 200).end('{"seen":true}');
    });
    const { csrPem } = await generateKeyAndCsr({ commonName: 'Dashboard Bank' });
    await platform.admin('POST', '/partners', { name: 'Dashboard <b>Bank</b>', csrPem });
    deliveredId = (
      await platform.delivery.enqueue(platform.db, {
        kind: 'wallet.card_state',
        partnerId: null,
        method: 'POST',
        url: `${receiver.url}/ok`,
        body: { callback: 'https://us-tsapi.example' },
      })
    ).id;
    deadId = (
      await platform.delivery.enqueue(platform.db, {
        kind: 's2p.notification',
        partnerId: null,
        method: 'POST',
        url: `${receiver.url}/gone`,
        body: { event: { type: 'WA_PROVISIONED' } },
      })
    ).id;
    await platform.delivery.runDue();
  });
  after(async () => {
    await browser?.close();
    await platform?.close();
    await receiver?.close();
  });

  async function open(): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      // A 401 answer is logged by Chromium as a failed resource; it is expected for a wrong token.
      if (m.type() === 'error' && !/status of 401/.test(m.text())) errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    return { context, page, errors };
  }

  it('serves the page with a nonce-based Content-Security-Policy and no data in it', async () => {
    const res = await platform.app.main.inject({ method: 'GET', url: '/admin' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/html/);
    const csp = String(res.headers['content-security-policy']);
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    assert.ok(nonce, csp);
    assert.match(
      res.body,
      new RegExp(
        `<script nonce="${nonce.replace(/[+/=]/g, '\\$&')}" src="/admin/assets/dashboard.js" defer>`,
      ),
    );
    assert.doesNotMatch(
      res.body,
      /<script nonce="[^"]*">/,
      'no inline script: it is bundled from TypeScript',
    );
    const script = await platform.app.main.inject({ method: 'GET', url: '/admin/assets/dashboard.js' });
    assert.equal(script.statusCode, 200);
    assert.match(String(script.headers['content-type']), /^text\/javascript/);
    assert.match(script.body, /\/admin\/session/);
    assert.doesNotMatch(
      res.body,
      new RegExp(deadId),
      'the page carries no data: the script fetches it with the token',
    );
  });

  it('asks for the admin token once, then lists partners, deliveries and the clock', async () => {
    const { context, page, errors } = await open();
    try {
      await page.goto(`${platform.url}/admin`);
      await page.getByLabel('Token').fill('wrong-token');
      await page.getByRole('button', { name: 'Open the dashboard' }).click();
      await page.getByText('The admin token was not accepted.').waitFor();

      await page.getByLabel('Token').fill(platform.adminToken);
      await page.getByRole('button', { name: 'Open the dashboard' }).click();
      await page.locator(`tr[data-delivery="${deadId}"]`).waitFor();
      // Partner names are shown as text, never as markup.
      await page.getByRole('cell', { name: 'Dashboard <b>Bank</b>' }).waitFor();
      assert.equal(await page.locator('#partners b').count(), 0);
      assert.match((await page.locator('#clock').textContent()) ?? '', /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ/);

      const dead = page.locator(`tr[data-delivery="${deadId}"]`);
      assert.match((await dead.textContent()) ?? '', /s2p\.notification.*dead.*HTTP 404: not retryable/);
      const delivered = page.locator(`tr[data-delivery="${deliveredId}"]`);
      assert.match((await delivered.textContent()) ?? '', /delivered/);
      assert.equal(
        await delivered.getByRole('button', { name: 'Replay' }).count(),
        0,
        'only dead jobs offer Replay',
      );

      await dead.getByRole('button', { name: 'Attempts' }).click();
      const attempts = page.locator(`tr[data-delivery="${deadId}"] + tr table`);
      await attempts.waitFor();
      assert.match(
        (await attempts.textContent()) ?? '',
        /404.*dead.*HTTP 404: not retryable.*\{"seen":true\}/,
      );

      // The token is kept for this tab: a reload goes straight to the data.
      await page.reload();
      await page.locator(`tr[data-delivery="${deadId}"]`).waitFor();
      assert.equal(await page.locator('#login').isHidden(), true);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  it('replays a dead delivery with its Replay button', async () => {
    const { context, page, errors } = await open();
    try {
      await page.goto(`${platform.url}/admin`);
      await page.getByLabel('Token').fill(platform.adminToken);
      await page.getByRole('button', { name: 'Open the dashboard' }).click();
      await page.locator(`tr[data-delivery="${deliveredId}"]`).waitFor();
      await page.locator('#f-status').selectOption('dead');
      await page.locator('#filters').getByRole('button', { name: 'Filter' }).click();
      // The filtered list replaces the first one: the delivered job goes away.
      await page.locator(`tr[data-delivery="${deliveredId}"]`).waitFor({ state: 'detached' });
      const row = page.locator(`tr[data-delivery="${deadId}"]`);
      await row.waitFor();
      await row.getByRole('button', { name: 'Replay' }).click();
      await page.getByText(`Replaying ${deadId}.`).waitFor();
      const details = await platform.delivery.get(deadId);
      assert.equal(details?.delivery.status, 'pending');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  it("shows the wallet's actions in an object's timeline as text, with the time, account and title", async () => {
    const { context, page, errors } = await open();
    try {
      // Two actions in the wallet's actions table (issue 11), read back by the real timeline API.
      const at = Date.UTC(2026, 10, 27, 14, 2, 3);
      await recordWalletAction(platform.db, {
        accountId: 'acct-7',
        action: 'PASS_ADDED',
        objectId: 'pass-ref-0001',
        detail: { title: 'Boarding <b>pass</b>' },
        at,
      });
      await recordWalletAction(platform.db, {
        accountId: 'acct-7',
        action: 'PASS_REMOVED',
        objectId: 'pass-ref-0001',
        at: at + 60_000,
      });
      await page.goto(`${platform.url}/admin`);
      await page.getByLabel('Token').fill(platform.adminToken);
      await page.getByRole('button', { name: 'Open the dashboard' }).click();
      await page.locator('#t-object').fill('pass-ref-0001');
      await page.locator('#t-form').getByRole('button', { name: 'Show' }).click();
      const lines = page.getByTestId('timeline').locator('li');
      await lines.first().waitFor();
      assert.deepEqual(await lines.allTextContents(), [
        '14:02:03 📱 PASS_ADDED by acct-7 · Boarding <b>pass</b>',
        '14:03:03 📱 PASS_REMOVED by acct-7',
      ]);
      assert.equal(await page.locator('#timeline b').count(), 0, 'the title is text, not markup');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  it('sets a fault from the dashboard, lists it, shows the injected call in the request log, and clears it', async () => {
    const { csrPem } = await generateKeyAndCsr({ commonName: 'Faulty Bank' });
    const { partnerId } = await platform.admin<{ partnerId: string }>('POST', '/partners', {
      name: 'Faulty <i>Bank</i>',
      csrPem,
    });
    const { context, page, errors } = await open();
    try {
      await page.goto(`${platform.url}/admin`);
      await page.getByLabel('Token').fill(platform.adminToken);
      await page.getByRole('button', { name: 'Open the dashboard' }).click();
      await page.locator('#no-faults').waitFor();

      const form = page.locator('#faults-form');
      await form.getByLabel('Partner').fill(partnerId);
      await form.getByLabel('Duplicates').fill('1');
      await form.getByLabel('Inbound').selectOption('503.2');
      await form.getByLabel('Retry-After (s)').fill('9');
      await form.getByRole('button', { name: 'Set faults' }).click();
      const row = page.locator(`tr[data-fault="${partnerId}"]`);
      await row.waitFor();
      assert.match((await row.textContent()) ?? '', /duplicates=1 inbound=503\.2@1 retryAfter=9s/);
      assert.equal(await row.locator('i').count(), 0, 'the partner name is text, not markup');
      const saved = await platform.admin<{ faults: { duplicates: number; inboundError: string } }>(
        'GET',
        `/faults/${partnerId}`,
      );
      assert.equal(saved.faults.duplicates, 1);
      assert.equal(saved.faults.inboundError, '503.2');

      // The partner's own call is answered with the injected error; the live request log says so.
      const call = await platform.app.main.inject({
        method: 'POST',
        url: '/wltex/cards/card-1/notification',
        headers: { 'x-smcs-partner-id': partnerId, 'content-type': 'application/json' },
        payload: {},
      });
      assert.equal(call.statusCode, 503);
      const logged = page.locator('[data-testid="request-row"]', { hasText: 'injected 503.2' });
      await logged.waitFor();
      await logged.click();
      await page.getByTestId('request-injected').waitFor();
      assert.match(
        (await page.getByTestId('request-injected').textContent()) ?? '',
        /^Injected fault: 503\.2 \(rate 1, atw\)$/,
      );

      await row.getByRole('button', { name: 'Clear' }).click();
      await row.waitFor({ state: 'detached' });
      await page.locator('#no-faults').waitFor();
      const cleared = await platform.admin<{ faults: { inboundError: string | null } }>(
        'GET',
        `/faults/${partnerId}`,
      );
      assert.equal(cleared.faults.inboundError, null);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});

describe('admin dashboard without the partner API', () => {
  let browser: Browser;
  let platform: TestPlatform;

  before(async () => {
    browser = await launchBrowser();
    platform = await startTestPlatform({ modules: [adminModule, clockModule] });
  });
  after(async () => {
    await browser?.close();
    await platform?.close();
  });

  it('says the partner API is not available instead of failing', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${platform.url}/admin`);
      await page.getByLabel('Token').fill(platform.adminToken);
      await page.getByRole('button', { name: 'Open the dashboard' }).click();
      await page.getByText('The partner API is not available on this platform yet.').waitFor();
      await page.getByText('No deliveries match.').waitFor();
    } finally {
      await context.close();
    }
  });
});
