// The Save to Pay SDK against the platform over the wire: SaveToPayClient over mTLS, and the
// notifications handler on an https server that requires the platform's outbound client
// certificate (issued by the partner's own CA), answering WA_READY with a sandbox issuerBlob.
import assert from 'node:assert/strict';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import {
  createIssuerBlob,
  createNotificationsHandler,
  fetchTspPublicKey,
  type SaveToPayNotification as Notification,
  notificationServerTlsOptions,
  SaveToPayApiError,
  SaveToPayClient,
} from '@cardport/sdk';
import Fastify from 'fastify';
import { waitFor } from '../../packages/platform/src/core/delivery-test-support.ts';
import { createCa, generateKeyAndCsr, signCsr } from '../../packages/platform/src/core/pki.ts';
import { registerOutboundCertificate } from '../../packages/platform/src/partners/service.ts';
import { saveToPayModule } from '../../packages/platform/src/save-to-pay/module.ts';
import { setSwitches } from '../../packages/platform/src/save-to-pay/switches.ts';
import {
  onboardTestPartner,
  startTestPlatform,
  type TestPartner,
  type TestPlatform,
} from '../../packages/platform/src/testing/index.ts';
import { tspModule } from '../../packages/platform/src/tsp/index.ts';
import { walletModule } from '../../packages/platform/src/wallet/module.ts';
import { signUp } from '../../packages/platform/src/wallet/service.ts';

const custom = {
  cardName: 'SDK Gold',
  cardArtUrl: 'https://bank.example/gold.png',
  partnerName: 'SDK Bank',
  partnerLogoUrl: 'https://bank.example/logo.png',
};

describe('Save to Pay SDK against the platform over mTLS', () => {
  let platform: TestPlatform;
  let partner: TestPartner;
  let client: SaveToPayClient;
  let bank: https.Server;
  let urls: { url: string; mtlsUrl: string };
  const seen: Notification[] = [];
  const bankClients: string[] = [];

  before(async () => {
    platform = await startTestPlatform({ modules: [walletModule, tspModule, saveToPayModule] });
    urls = await platform.listen();
    platform.app.ctx.config.publicUrl = urls.url;
    // The partner's own CA: it issues the bank's server certificate and signs the platform's
    // outbound client certificate, which the bank's server then requires.
    const partnerCa = await createCa({ commonName: 'SDK Bank CA' });
    const serverKey = await generateKeyAndCsr({ commonName: '127.0.0.1' });
    const serverCert = await signCsr(partnerCa, serverKey.csrPem, {
      usage: 'server',
      hostnames: ['127.0.0.1'],
    });
    const tspKey = await fetchTspPublicKey(urls.url);
    const handler = createNotificationsHandler({
      onWaReady(n) {
        seen.push(n);
        return createIssuerBlob(
          { pan: '4242424242424242', expMonth: 8, expYear: 2036, cardholderName: 'Ada Lovelace' },
          { deviceId: n.device?.id ?? '', walletId: n.wallet?.id ?? '' },
          tspKey,
        );
      },
      onProvisioned(n) {
        seen.push(n);
      },
      onProvisionFailure(n) {
        seen.push(n);
      },
    });
    bank = https.createServer(
      notificationServerTlsOptions({
        cert: serverCert.certificatePem,
        key: serverKey.privateKeyPem,
        ca: partnerCa.certificatePem,
      }),
      (req, res) => {
        const peer = (req.socket as import('node:tls').TLSSocket).getPeerCertificate();
        bankClients.push(String(peer.subject?.CN ?? ''));
        void handler.node(req, res);
      },
    );
    await new Promise<void>((resolve) => bank.listen(0, '127.0.0.1', () => resolve()));
    const bankUrl = `https://127.0.0.1:${(bank.address() as AddressInfo).port}`;
    partner = await onboardTestPartner(platform, { name: 'SDK Bank', notifyUrl: bankUrl });
    const outbound = await signCsr(partnerCa, partner.outboundCsrPem, { usage: 'client' });
    await registerOutboundCertificate(platform.app.ctx, partner.partnerId, {
      certificatePem: outbound.certificatePem,
      partnerCaPem: partnerCa.certificatePem,
    });
    client = new SaveToPayClient({
      baseUrl: `${urls.mtlsUrl}/ext/v1`,
      partnerId: partner.partnerId,
      tls: { cert: partner.clientCertificatePem, key: partner.clientKeyPem, ca: partner.caCertificatePem },
    });
  });
  after(async () => {
    client?.close();
    bank?.closeAllConnections();
    await new Promise<void>((resolve) => (bank ? bank.close(() => resolve()) : resolve()));
    await platform?.close();
  });

  it('creates and retrieves registrations with typed results, and a retried Request-Id gives the same one', async () => {
    const reg = await client.registrations.create(
      { custom },
      { requestId: 'sdk-retry-0000000000000000000001' },
    );
    assert.equal(reg.status, 'PENDING');
    assert.ok(reg.welcomeUrl.startsWith(`${urls.url}/s2p/v1/welcome/`));
    const again = await client.registrations.create(
      { custom },
      { requestId: 'sdk-retry-0000000000000000000001' },
    );
    assert.equal(again.id, reg.id);
    const got = await client.registrations.retrieve(reg.id);
    assert.equal(got.id, reg.id);
    assert.equal(got.provisioningStatus, 'NONE');
  });

  it('throws SaveToPayApiError with status, application code, request id and field details', async () => {
    await assert.rejects(
      client.registrations.create(
        { custom: { ...custom, cardArtUrl: 'nope' } },
        { requestId: 'sdk-bad-00000000000000000000000001' },
      ),
      (err: unknown) => {
        assert.ok(err instanceof SaveToPayApiError);
        assert.equal(err.status, 400);
        assert.equal(err.code, '400.1');
        assert.equal(err.requestId, 'sdk-bad-00000000000000000000000001');
        assert.deepEqual(
          err.details.map((d) => d.field),
          ['custom.cardArtUrl'],
        );
        return true;
      },
    );
    await assert.rejects(client.registrations.retrieve('00000000000000000000000000000000'), {
      code: '404.1',
      status: 404,
    });
  });

  it('reports 503.2 with its Retry-After when the API stays switched off', async () => {
    await setSwitches(platform.app.ctx, { api: 'off', retryAfterSeconds: 120 });
    try {
      await assert.rejects(client.registrations.create({ custom }), (err: unknown) => {
        assert.ok(err instanceof SaveToPayApiError);
        assert.equal(err.code, '503.2');
        assert.equal(err.retryAfterSeconds, 120);
        return true;
      });
    } finally {
      await setSwitches(platform.app.ctx, { api: 'on', retryAfterSeconds: 30 });
    }
  });

  it('answers WA_READY with the issuerBlob and hears WA_PROVISIONED over mutual TLS', async () => {
    const reg = await client.registrations.create({ custom, email: 'sdk.user@example.com' });
    const user = await signUp(platform.db, platform.clock, { email: 'sdk.user@example.com' });
    const scan = await platform.app.main.inject({
      method: 'POST',
      url: '/wallet/api/s2p/initiate',
      headers: { authorization: `Bearer ${user.token}` },
      payload: { url: reg.welcomeUrl.replace('/welcome/', '/initiate/') },
    });
    assert.equal(scan.statusCode, 200, scan.body);
    const init = scan.json() as { issuerBlob: string };
    const prov = await platform.app.main.inject({
      method: 'POST',
      url: `/wallet/api/s2p/registrations/${reg.id}/provision`,
      headers: { authorization: `Bearer ${user.token}` },
      payload: { issuerBlob: init.issuerBlob },
    });
    assert.equal((prov.json() as { outcome: string }).outcome, 'PROVISIONED', prov.body);
    await platform.app.ctx.delivery.runDue();
    await waitFor(
      () => seen.some((n) => n.event.regId === reg.id && n.event.type === 'WA_PROVISIONED'),
      'WA_PROVISIONED',
    );
    const events = seen.filter((n) => n.event.regId === reg.id);
    assert.deepEqual(
      events.map((n) => n.event.type),
      ['WA_READY', 'WA_PROVISIONED'],
    );
    assert.equal(events[0]?.emailMatches, true);
    assert.ok(
      bankClients.every((cn) => cn.startsWith('Cardport platform outbound')),
      JSON.stringify(bankClients),
    );
    const done = await client.registrations.retrieve(reg.id);
    assert.equal(done.status, 'LINKED');
    assert.equal(done.provisioningStatus, 'PROVISIONED');
  });

  it('retries a 503 after its Retry-After and a dropped connection, always with the same Request-Id', async () => {
    // A stand-in server: 503 + Retry-After: 1, then a dropped connection, then the answer.
    const ca = await createCa({ commonName: 'Retry CA' });
    const key = await generateKeyAndCsr({ commonName: '127.0.0.1' });
    const cert = await signCsr(ca, key.csrPem, { usage: 'server', hostnames: ['127.0.0.1'] });
    const seenIds: string[] = [];
    const server = https.createServer({ cert: cert.certificatePem, key: key.privateKeyPem }, (req, res) => {
      seenIds.push(String(req.headers['request-id']));
      req.resume();
      if (seenIds.length === 1) {
        res.writeHead(503, { 'retry-after': '1', 'content-type': 'application/json' });
        res.end(JSON.stringify({ code: '503.1', message: 'Service Temporarily Unavailable' }));
      } else if (seenIds.length === 2) {
        req.socket.destroy();
      } else {
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            id: 'retried000000000000000000000000a',
            welcomeUrl: 'https://s2p.example/v1/welcome/x',
            status: 'PENDING',
            welcomeUrlExpiration: 1,
          }),
        );
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const retrying = new SaveToPayClient({
      baseUrl: `https://127.0.0.1:${(server.address() as AddressInfo).port}/ext/v1`,
      partnerId: partner.partnerId,
      tls: { cert: partner.clientCertificatePem, key: partner.clientKeyPem, ca: ca.certificatePem },
    });
    try {
      const reg = await retrying.registrations.create({ custom });
      assert.equal(reg.id, 'retried000000000000000000000000a');
      assert.equal(seenIds.length, 3);
      assert.equal(new Set(seenIds).size, 1, 'one Request-Id for every attempt');
    } finally {
      retrying.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('plugs into Fastify: validates the event, answers WA_READY and echoes Response-Id', async () => {
    const fastify = Fastify();
    const handler = createNotificationsHandler({
      partnerId: partner.partnerId,
      requireClientCertificate: false,
      onWaReady: (n) => `blob-for-${n.wallet?.id}`,
    });
    fastify.post('/notifications', handler.fastify);
    try {
      const headers = { 'request-id': 'notif-000000000000000000000000001', 'partner-id': partner.partnerId };
      const ok = await fastify.inject({
        method: 'POST',
        url: '/notifications',
        headers,
        payload: {
          event: { regId: 'reg00000000000000000000000000001', type: 'WA_READY' },
          user: { id: 'user1' },
          device: { id: 'device1' },
          wallet: { id: 'wallet1' },
        },
      });
      assert.equal(ok.statusCode, 200);
      assert.deepEqual(ok.json(), { card: { data: { encryptedData: 'blob-for-wallet1' } } });
      assert.equal(ok.headers['response-id'], headers['request-id']);
      const bad = await fastify.inject({
        method: 'POST',
        url: '/notifications',
        headers,
        payload: { event: { regId: 'short', type: 'WA_SOMETHING' } },
      });
      assert.equal(bad.statusCode, 400);
      assert.deepEqual((bad.json() as { details: { field: string }[] }).details.map((d) => d.field).sort(), [
        'event.regId',
        'event.type',
      ]);
      const foreign = await fastify.inject({
        method: 'POST',
        url: '/notifications',
        headers: { ...headers, 'partner-id': 'another-partner-00000000000000' },
        payload: { event: { regId: 'reg00000000000000000000000000001', type: 'WA_PROVISIONED' } },
      });
      assert.equal(foreign.statusCode, 403);
    } finally {
      await fastify.close();
    }
  });

  it('refuses a notification without the platform client certificate', async () => {
    const port = (bank.address() as AddressInfo).port;
    const failed = await new Promise<string>((resolve) => {
      const req = https.request(
        {
          host: '127.0.0.1',
          port,
          path: '/notifications',
          method: 'POST',
          rejectUnauthorized: false,
          agent: false,
        },
        (res) => resolve(String(res.statusCode)),
      );
      req.on('error', (e) => resolve(e.message));
      req.end('{}');
    });
    assert.notEqual(failed, '200');
  });
});
