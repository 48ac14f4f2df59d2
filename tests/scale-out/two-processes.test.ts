// Scale-out (issue 13, docs/operations.md "Several API processes and workers on one PostgreSQL"):
// two real `cardport up` processes, each an API process with its delivery worker, share one home
// folder's secrets and one PostgreSQL schema. What one process is told, the other honours; what
// either answers is the same; every acknowledged delivery arrives exactly once.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createCdata, dataTransmitLink, generateMerchantKey, ticket } from '@cardport/sdk';
import { type Db, openDb } from '../../packages/platform/src/core/db.ts';
import {
  type Answer,
  type CountingReceiver,
  call,
  cli,
  type MtlsIdentity,
  mtls,
  sleep,
  startCountingReceiver,
  startUp,
  type UpProcess,
  until,
  urlWithSchema,
  withoutRequestIds,
} from './support.ts';

const databaseUrl = process.env['DATABASE_URL'];
/** The longest a revocation may take to reach another process (docs/operations.md: 250 ms caches). */
const propagationMs = 1000;
/** The load balancer's address: every process behind it is given the same public URL. */
const publicUrl = 'http://cardport.example:8080';

interface Partner {
  partnerId: string;
  certificateId: string;
  dir: string;
  tls: MtlsIdentity;
  key: string;
  platformCertificate: string;
}

describe('two cardport up processes on one PostgreSQL', {
  skip: !databaseUrl && 'needs DATABASE_URL (PostgreSQL: PGlite is one process; CI sets it)',
}, () => {
  const work = mkdtempSync(join(tmpdir(), 'cardport-scale-'));
  const home = join(work, 'home');
  const schema = `scale_${randomBytes(6).toString('hex')}`;
  let admin: Db;
  let a: UpProcess;
  let b: UpProcess;
  let receiver: CountingReceiver;
  let adminToken: string;
  let bank: Partner;
  let shop: Partner;
  let cardId: string;
  let serviceId: string;
  const email = 'scale@example.com';

  const onboard = async (name: string, ...flags: string[]): Promise<Partner> => {
    const dir = join(work, name);
    const created = await cli(home, a.url, 'partner', 'create', '--name', name, '--out', dir, ...flags);
    const file = (f: string) => readFileSync(join(dir, f), 'utf8');
    return {
      partnerId: created['partnerId'] as string,
      certificateId: created['certificateId'] as string,
      dir,
      tls: { cert: file('client.crt'), key: file('client.key'), ca: file('sandbox-ca.crt') },
      key: file('client.key'),
      platformCertificate: file('platform-encryption.crt'),
    };
  };
  const adminCall = (p: UpProcess, method: string, path: string, body?: unknown) =>
    call(p.url, method, path, { authorization: `Bearer ${adminToken}` }, body);
  const s2p = (p: UpProcess, partner: Partner, method: string, path: string, body?: unknown) =>
    mtls(
      p.mtlsUrl,
      method,
      `/ext/v1${path}`,
      partner.tls,
      { 'Partner-Id': partner.partnerId, 'Request-Id': `scale-${randomBytes(16).toString('hex')}` },
      body,
    );
  const createTransaction = (p: UpProcess, orderNumber: string) =>
    call(
      p.url,
      'POST',
      '/ops/v1/transactions',
      {},
      {
        callback: 'https://shop.example/done',
        paymentDetails: {
          service: { id: serviceId },
          orderNumber,
          recurring: false,
          protocol: { type: '3DS', version: '80' },
          amount: { option: 'FORMAT_TOTAL_ESTIMATED_AMOUNT', currency: 'USD', total: '12.34' },
          merchant: { name: 'Scale shop' },
          allowedBrands: ['MC'],
        },
      },
    );
  const cdataLink = (refId: string) => {
    const now = Date.now();
    const card = ticket('movies', [
      {
        refId,
        createdAt: now,
        updatedAt: now,
        attributes: {
          title: `Scale premiere ${refId}`,
          mainImg: 'https://issuer.example/poster.png',
          logoImage: 'https://issuer.example/logo.png',
          providerName: 'Scale cinema',
        },
      },
    ]);
    const cdata = createCdata(card, {
      partnerId: bank.partnerId,
      certificateId: bank.certificateId,
      partnerKey: bank.key,
      platformCertificate: bank.platformCertificate,
    });
    return dataTransmitLink({ cardId, cdata, baseUrl: publicUrl });
  };

  before(
    async () => {
      admin = await openDb({ url: databaseUrl!, maxConnections: 1 });
      await admin.query(`CREATE SCHEMA ${schema}`);
      const url = urlWithSchema(databaseUrl!, schema);
      const env = { DATABASE_URL: url, CARDPORT_PUBLIC_URL: publicUrl };
      receiver = await startCountingReceiver(30);
      // One home's secrets for both: A creates them, B starts once they exist (both then migrate
      // the shared schema, serialized on the migration lock).
      a = await startUp('A', home, env);
      b = await startUp('B', home, env);
      adminToken = readFileSync(join(home, 'admin-token'), 'utf8').trim();

      bank = await onboard('Scale Bank');
      shop = await onboard('Scale Shop');
      const card = await cli(
        home,
        a.url,
        'card',
        'create',
        '--partner',
        bank.partnerId,
        '--type',
        'ticket',
        '--subtype',
        'movies',
        '--partner-url',
        receiver.url,
      );
      cardId = card['cardId'] as string;
      const merchant = await generateMerchantKey({ commonName: 'Scale merchant' });
      writeFileSync(join(work, 'merchant.csr'), merchant.csrPem);
      const service = await cli(
        home,
        a.url,
        'service',
        'create',
        '--partner',
        shop.partnerId,
        '--name',
        'Scale shop',
        '--csr',
        join(work, 'merchant.csr'),
        '--domain',
        'shop.example',
      );
      serviceId = service['serviceId'] as string;
      await cli(home, a.url, 'wallet', 'account', 'create', '--email', email);
      await cli(home, a.url, 'wallet', 'add-test-card', '--account', email, '--brand', 'MC');
    },
    { timeout: 120_000 },
  );

  after(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await receiver?.close();
    if (admin) {
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.close();
    }
    rmSync(work, { recursive: true, force: true });
  });

  it('answers the same Save to Pay, Web Checkout and Add to Wallet reads whichever process serves them', async () => {
    // Save to Pay: a registration made through A, read through A and through B.
    const created = await s2p(a, bank, 'POST', '/registrations', {
      custom: {
        cardName: 'Scale Gold',
        cardArtUrl: 'https://bank.example/gold.png',
        partnerName: 'Scale Bank',
        partnerLogoUrl: 'https://bank.example/logo.png',
      },
    });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    const regId = (created.json as { id: string }).id;
    const [viaA, viaB] = await Promise.all([
      s2p(a, bank, 'GET', `/registrations/${regId}`),
      s2p(b, bank, 'GET', `/registrations/${regId}`),
    ]);
    assert.equal(viaA.status, 200, JSON.stringify(viaA.json));
    assert.deepEqual(withoutRequestIds(viaB), withoutRequestIds(viaA));

    // Web Checkout: a transaction created through B, approved through A, credentials read on both.
    const tx = await createTransaction(b, 'scale-1');
    assert.equal(tx.status, 200, JSON.stringify(tx.json));
    const transactionId = (tx.json as { id: string }).id;
    const approval = await adminCall(a, 'POST', '/admin/v1/web-checkout/approvals', {
      account: email,
      transactionId,
    });
    assert.equal(approval.status, 200, JSON.stringify(approval.json));
    const referenceId = (approval.json as { referenceId: string }).referenceId;
    const credentials = (p: UpProcess) =>
      call(p.url, 'GET', `/ops/v1/transactions/paymentCredentials/${referenceId}?serviceId=${serviceId}`);
    const [credA, credB] = [await credentials(a), await credentials(b)];
    assert.equal(credA.status, 200, JSON.stringify(credA.json));
    assert.deepEqual(withoutRequestIds(credB), withoutRequestIds(credA));

    // Add to Wallet: a link checked through A makes an offer; the offer read through A and B.
    const checked = await call(a.url, 'POST', '/atw/api/links/check', {}, { link: cdataLink('scale-read') });
    assert.equal(checked.status, 200, JSON.stringify(checked.json));
    const offerId = (checked.json as { offerId: string }).offerId;
    const [offerA, offerB] = await Promise.all([
      call(a.url, 'GET', `/atw/api/offers/${offerId}`),
      call(b.url, 'GET', `/atw/api/offers/${offerId}`),
    ]);
    assert.equal(offerA.status, 200, JSON.stringify(offerA.json));
    assert.deepEqual(withoutRequestIds(offerB), withoutRequestIds(offerA));
  });

  it('delivers every job enqueued through either process exactly once, never one job twice at a time', async () => {
    const refIds = Array.from({ length: 24 }, (_, i) => `scale-d${i}`);
    // Each pass added to the wallet queues a Send Card State to the card's partner URL (the
    // receiver); half are added through A, half through B, at once.
    const added = await Promise.all(
      refIds.map((refId, i) =>
        adminCall(i % 2 ? b : a, 'POST', '/admin/v1/wallet-cards', { email, link: cdataLink(refId) }),
      ),
    );
    for (const r of added) assert.equal(r.status, 201, JSON.stringify(r.json));
    const keyOf = (refId: string) => `/cards/${cardId}/${refId}`;
    await until('every Send Card State to arrive', () =>
      refIds.every((refId) => (receiver.counts.get(keyOf(refId)) ?? 0) >= 1),
    );
    // Both processes agree that every job is finished; nothing is left to send again.
    await until('every delivery to be recorded as delivered', async () => {
      const list = await adminCall(b, 'GET', `/admin/v1/deliveries?partnerId=${bank.partnerId}&limit=200`);
      const deliveries = (list.json as { deliveries: { status: string; url: string }[] }).deliveries;
      const ours = deliveries.filter((d) => d.url.includes(`/cards/${cardId}/scale-d`));
      return ours.length === refIds.length && ours.every((d) => d.status === 'delivered');
    });
    // A further poll round of both workers finds nothing more to send.
    await sleep(1500);
    for (const refId of refIds) assert.equal(receiver.counts.get(keyOf(refId)), 1, `${refId} arrived once`);
    assert.deepEqual(receiver.overlaps, []);
  });

  it("honours a certificate revoked through A on B's next Save to Pay call, within a second", async () => {
    const before = await s2p(b, bank, 'POST', '/registrations', {
      custom: {
        cardName: 'Scale Silver',
        cardArtUrl: 'https://bank.example/silver.png',
        partnerName: 'Scale Bank',
        partnerLogoUrl: 'https://bank.example/logo.png',
      },
    });
    assert.equal(before.status, 201, 'B serves the partner (and caches its binding)');
    await cli(home, a.url, 'partner', 'revoke', bank.partnerId, '--certificate', bank.certificateId);
    await sleep(propagationMs);
    const refused = await s2p(b, bank, 'GET', `/registrations/${(before.json as { id: string }).id}`);
    assertS2pRefusal(refused, 'revoked-certificate');
  });

  it("honours a partner revoked through A on B's next Web Checkout call, within a second", async () => {
    const served = await createTransaction(b, 'scale-before-revoke');
    assert.equal(served.status, 200, 'B serves the service (and caches its rows)');
    await cli(home, a.url, 'partner', 'revoke', shop.partnerId);
    await sleep(propagationMs);
    const refused = await createTransaction(b, 'scale-after-revoke');
    assert.ok(refused.status >= 400 && refused.status < 500, `status ${refused.status}`);
    const body = refused.json as { resultCode?: unknown; resultMessage?: unknown };
    assert.equal(body.resultCode, 'OPM1N1033', JSON.stringify(body));
    assert.equal(typeof body.resultMessage, 'string');
    // And its certificate no longer opens the mTLS listener of B either.
    assertS2pRefusal(await s2p(b, shop, 'POST', '/registrations', {}), 'revoked-partner');
  });
});

/** A Save to Pay refusal in the family's format, naming the failed check. */
function assertS2pRefusal(answer: Answer, reason: string): void {
  assert.equal(answer.status, 403, JSON.stringify(answer.json));
  assert.deepEqual(answer.json, {
    code: '403.1',
    message: 'Forbidden',
    details: [{ field: 'tls.clientCertificate', reason }],
  });
}
