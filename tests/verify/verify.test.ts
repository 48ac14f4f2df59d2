// The conformance kit end to end (issue 14): `cardport verify` through the CLI against a whole
// platform, for the demo bank and the demo issuer (they pass every check, with --faults), and
// for a deliberately broken partner (it fails on exactly its four defects).
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { createIssuer } from '../../examples/issuer/src/app.ts';
import { ensureOnboarded as onboardIssuer } from '../../examples/issuer/src/onboarding.ts';
import { main } from '../../packages/platform/src/cli/main.ts';
import { SandboxClock } from '../../packages/platform/src/core/clock.ts';
import { waitFor } from '../../packages/platform/src/core/delivery-test-support.ts';
import { signCsr } from '../../packages/platform/src/core/pki.ts';
import {
  createCard,
  listServices,
  registerOutboundCertificate,
} from '../../packages/platform/src/partners/service.ts';
import {
  onboardTestPartner,
  type TestPlatform as PartnerPlatform,
} from '../../packages/platform/src/testing/index.ts';
import type { VerifyReport } from '../../packages/platform/src/verify/report.ts';
import * as wallet from '../../packages/platform/src/wallet/service.ts';
import { walletCsrfTokenOf } from '../../packages/platform/src/wallet/test-support.ts';
import { listTransactionsForAdmin } from '../../packages/platform/src/web-checkout/automation.ts';
import { type BrokenPartner, startBrokenPartner } from '../support/broken-partner.ts';
import { startTestPlatform, type TestPlatform } from '../support/browser.ts';
import { type DemoBank, startDemoBank } from '../support/demo-bank.ts';

const shopEntry = new URL('../../examples/shop/src/main.ts', import.meta.url).pathname;

/** The demo shop in its own process, as `cardport up --demo` runs it; resolves once it listens. */
function startShop(platform: TestPlatform): Promise<ChildProcess & { url: string }> {
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
        const info = JSON.parse(line) as { demo?: string; url?: string };
        if (info.demo === 'shop' && info.url) resolve(Object.assign(child, { url: info.url }));
      } catch {
        // other output
      }
    });
  });
}

describe('cardport verify against the demo partners and a broken one', () => {
  let platform: TestPlatform;
  let home: string;
  let demo: DemoBank;
  let bank: DemoBank['bank'];
  let bankPartnerId: string;
  let issuerServer: http.Server;
  let issuerUrl: string;
  let issuerPartnerId: string;
  let broken: BrokenPartner;
  let brokenPartnerId: string;

  async function cli(args: string[]): Promise<{ code: number; report: VerifyReport; stderr: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main([...args, '--json'], {
      stdout: (t) => out.push(t),
      stderr: (t) => err.push(t),
      env: { CARDPORT_URL: platform.url, CARDPORT_ADMIN_TOKEN: platform.adminToken, CARDPORT_HOME: home },
    });
    assert.equal(err.length, 0, err.join('\n'));
    return {
      code,
      report: (JSON.parse(out.join('')) as { report: VerifyReport }).report,
      stderr: err.join(''),
    };
  }

  const failed = (r: VerifyReport) =>
    r.checks
      .filter((c) => c.status === 'fail')
      .map((c) => c.id)
      .sort();

  before(async () => {
    // Real time (the partners check token ages against their own clocks).
    platform = await startTestPlatform({ clock: new SandboxClock() });
    home = mkdtempSync(join(tmpdir(), 'cardport-verify-'));
    writeFileSync(join(platform.config.home, 'admin-token'), platform.adminToken);
    // The demo bank, onboarded as the demo does (its own CA, mutual TLS both ways).
    demo = await startDemoBank(platform, home);
    bank = demo.bank;
    bankPartnerId = demo.partnerId;
    // The demo issuer.
    issuerServer = http.createServer();
    await new Promise<void>((r) => issuerServer.listen(0, '127.0.0.1', r));
    issuerUrl = `http://127.0.0.1:${(issuerServer.address() as AddressInfo).port}`;
    const issuerIdentity = await onboardIssuer({
      platformUrl: platform.url,
      home: platform.config.home,
      partnerUrl: `${issuerUrl}/wallet-api`,
    });
    issuerPartnerId = issuerIdentity.partnerId;
    issuerServer.on(
      'request',
      createIssuer({ platformUrl: platform.url, selfUrl: issuerUrl, identity: issuerIdentity }).handler,
    );
    // The broken partner: onboarded like any bank with its own CA.
    broken = await startBrokenPartner();
    const partner = await onboardTestPartner(platform as unknown as PartnerPlatform, {
      name: 'Broken partner',
      notifyUrl: broken.url,
    });
    brokenPartnerId = partner.partnerId;
    const outbound = await signCsr(broken.ca, partner.outboundCsrPem, { usage: 'client' });
    await registerOutboundCertificate(platform.app.ctx, brokenPartnerId, {
      certificatePem: outbound.certificatePem,
      partnerCaPem: broken.ca.certificatePem,
    });
    await createCard(platform.app.ctx, {
      partnerId: brokenPartnerId,
      type: 'ticket',
      subType: 'movies',
      partnerUrl: `${broken.url}/wallet-api`,
    });
  });
  after(async () => {
    await demo?.close();
    issuerServer?.closeAllConnections();
    await new Promise<void>((r) => (issuerServer ? issuerServer.close(() => r()) : r()));
    await broken?.close();
    await platform?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('passes the demo bank on every Save to Pay check, faults included, and writes JUnit', async () => {
    const regId = await demo.register();
    const junit = join(home, 'bank.xml');
    const { code, report } = await cli([
      'verify',
      'save-to-pay',
      '--partner',
      bankPartnerId,
      '--reg',
      regId,
      '--faults',
      '--junit',
      junit,
    ]);
    assert.deepEqual(failed(report), [], JSON.stringify(report.checks, null, 2));
    assert.equal(code, 0);
    assert.deepEqual(
      report.checks.map((c) => c.id),
      [
        's2p.wa-ready.blob',
        's2p.wa-ready.time',
        's2p.ack.provisioned',
        's2p.ack.provision-failure',
        's2p.mtls.no-certificate',
        's2p.mtls.other-ca',
        's2p.faults.duplicate-provisioned',
      ],
    );
    assert.equal(report.checks.filter((c) => c.status === 'pass').length, 7);
    assert.deepEqual(bank.events.get(regId)?.slice(0, 2), ['WA_READY', 'WA_PROVISIONED']);
    const xml = readFileSync(junit, 'utf8');
    assert.match(xml, /<testsuite name="save-to-pay \(faults\) partner [^"]+" tests="7" failures="0"/);
    assert.doesNotMatch(xml, /<failure/);
  });

  it('passes the demo issuer on every Add to Wallet check, its sample link included', async () => {
    const bought = await fetch(`${issuerUrl}/buy/ticket`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'holder=Ada',
      redirect: 'manual',
    });
    const refId = /\/orders\/([A-Za-z0-9_-]+)$/.exec(bought.headers.get('location') ?? '')?.[1];
    assert.ok(refId, 'the issuer redirects to the order');
    const linked = await fetch(`${issuerUrl}/orders/${refId}/link?kind=cdata`, { method: 'POST' });
    const { link } = (await linked.json()) as { link: string };
    const { code, report } = await cli([
      'verify',
      'add-to-wallet',
      '--partner',
      issuerPartnerId,
      '--ref',
      refId,
      '--link',
      link,
      '--faults',
    ]);
    assert.deepEqual(failed(report), [], JSON.stringify(report.checks, null, 2));
    assert.equal(code, 0);
    assert.deepEqual(
      report.checks.map((c) => [c.id, c.status]),
      [
        ['atw.card-state.valid-token', 'pass'],
        ['atw.card-state.forged-token', 'pass'],
        ['atw.card-state.stale-token', 'pass'],
        ['atw.card-state.wrong-path-token', 'pass'],
        ['atw.card-state.wrong-method-token', 'pass'],
        ['atw.card-state.wrong-certificate-token', 'pass'],
        ['atw.card-data', 'pass'],
        ['atw.link.cdata', 'pass'],
        ['atw.faults.duplicate-card-state', 'pass'],
      ],
    );
  });

  it('fails the broken partner on exactly its four defects, with evidence, and exits 1', async () => {
    const s2p = await cli(['verify', 'save-to-pay', '--partner', brokenPartnerId, '--faults']);
    assert.equal(s2p.code, 1);
    assert.deepEqual(failed(s2p.report), [
      's2p.faults.duplicate-provisioned',
      's2p.mtls.no-certificate',
      's2p.wa-ready.blob',
    ]);
    const blob = s2p.report.checks.find((c) => c.id === 's2p.wa-ready.blob')!;
    assert.match(blob.finding, /without card\.data\.encryptedData/);
    assert.match(blob.evidence.answer, /^HTTP 200 in \d+ ms \{\}$/);
    assert.ok(blob.evidence.deliveryId?.startsWith('dlv_'));
    assert.match(
      s2p.report.checks.find((c) => c.id === 's2p.faults.duplicate-provisioned')!.evidence.answer,
      /second: HTTP 500/,
    );
    const atw = await cli(['verify', 'add-to-wallet', '--partner', brokenPartnerId, '--faults']);
    assert.equal(atw.code, 1);
    assert.deepEqual(failed(atw.report), [
      'atw.card-state.forged-token',
      'atw.card-state.stale-token',
      'atw.card-state.wrong-certificate-token',
      'atw.card-state.wrong-method-token',
      'atw.card-state.wrong-path-token',
    ]);
    for (const c of atw.report.checks.filter((x) => x.status === 'fail'))
      assert.match(c.finding, /the partner does not verify AUTH tokens/);
    // The calls the kit made are in the delivery log, tokens redacted.
    const forged = atw.report.checks.find((c) => c.id === 'atw.card-state.forged-token')!;
    const shown = await platform.admin<{ delivery: { headers: Record<string, string>; kind: string } }>(
      'GET',
      `/deliveries/${forged.evidence.deliveryId}`,
    );
    assert.equal(shown.delivery.kind, 'verify.atw.forged');
    assert.doesNotMatch(JSON.stringify(shown.delivery.headers), /Bearer ey/);
  });

  it('passes the demo shop on the Web Checkout health check both ways, and on a test transaction it pays', async () => {
    const shop = await startShop(platform);
    try {
      const [service] = await listServices(platform.db);
      assert.ok(service, 'the shop registered its checkout service');
      const { code, report } = await cli(['verify', 'web-checkout', '--partner', service.partnerId]);
      assert.deepEqual(
        report.checks.map((c) => [c.id, c.status]),
        [
          ['wc.health.answer', 'pass'],
          ['wc.health.callback', 'pass'],
        ],
        JSON.stringify(report.checks, null, 2),
      );
      assert.equal(code, 0);

      // The shopper: a sandbox wallet account with a test card, as a person would add one.
      const shopper = await wallet.signUp(platform.db, platform.clock, { email: 'kit.shopper@example.com' });
      const cookie = `cardport_wallet=${shopper.token}`;
      const card = await platform.app.main.inject({
        method: 'POST',
        url: '/wallet/payments/test-cards',
        headers: { cookie, 'x-csrf-token': await walletCsrfTokenOf(platform.app.main, cookie) },
        payload: { card: 'VI' },
      });
      assert.equal(card.statusCode, 303, card.body);
      const kit = cli([
        'verify',
        'web-checkout',
        '--partner',
        service.partnerId,
        '--await-transaction',
        '--account',
        'kit.shopper@example.com',
        '--wait',
        '60',
      ]);
      // The shopper presses "Pay with Samsung Pay": the shop creates its transaction. The kit
      // takes the partner's next transaction, so the shopper presses again until the kit has
      // approved one (one started before the kit's first look counts as an old one).
      const approved = async () =>
        (await listTransactionsForAdmin(platform.app.ctx, { serviceId: service.serviceId })).some(
          (t) => t.referenceId !== null,
        );
      for (let i = 0; !(await approved()); i++) {
        const order = await fetch(`${shop.url}/api/orders`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        });
        assert.equal(order.status, 200, await order.clone().text());
        await waitFor(approved, 'the kit approving the order', 3_000).catch((err: unknown) => {
          if (i >= 10) throw err;
        });
      }
      const paid = await kit;
      const byId = new Map(paid.report.checks.map((c) => [c.id, c.status]));
      assert.equal(
        byId.get('wc.transaction.credentials'),
        'pass',
        JSON.stringify(paid.report.checks, null, 2),
      );
      assert.equal(byId.get('wc.transaction.notified'), 'pass', JSON.stringify(paid.report.checks, null, 2));
      assert.equal(paid.code, 0);
    } finally {
      shop.removeAllListeners('exit');
      await new Promise<void>((resolve) => {
        shop.once('exit', () => resolve());
        shop.kill('SIGTERM');
      });
    }
  });

  it('refuses an unknown product or partner with a clear error', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = {
      stdout: (t: string) => out.push(t),
      stderr: (t: string) => err.push(t),
      env: { CARDPORT_URL: platform.url, CARDPORT_ADMIN_TOKEN: platform.adminToken, CARDPORT_HOME: home },
    };
    assert.equal(await main(['verify', 'pay-by-bank', '--partner', 'x'], io), 2);
    assert.match(err.join(''), /give one PRODUCT: save-to-pay, add-to-wallet, web-checkout/);
    assert.equal(await main(['verify', 'save-to-pay', '--partner', 'no-such-partner'], io), 1);
    assert.match(err.join(''), /NOT_FOUND: partner not found/);
  });
});
