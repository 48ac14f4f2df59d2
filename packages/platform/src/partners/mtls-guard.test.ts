// The mTLS listener with real sockets and certificates made at test time (port 0, loopback only).
import assert from 'node:assert/strict';
import https from 'node:https';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { createLogger } from '../core/logger.ts';
import { createCa, generateKeyAndCsr, signCsr } from '../core/pki.ts';
import {
  mtlsRequest,
  onboardTestPartner,
  startTestPlatform,
  type TestPartner,
  type TestPlatform,
} from '../testing/index.ts';
import { invalidateBindings } from './binding-cache.ts';
import { isPartnerBindingError, partnerBindingError } from './mtls-guard.ts';
import { revokeCertificate, revokePartner } from './service.ts';

describe('mTLS listener partner binding', () => {
  let p: TestPlatform;
  let port: number;
  let ca: string;
  let partner: TestPartner;
  const logLines: string[] = [];

  before(async () => {
    const sink = new Writable({
      write(chunk, _enc, done) {
        logLines.push(String(chunk));
        done();
      },
    });
    p = await startTestPlatform({
      log: createLogger({ level: 'warn', destination: sink }),
      mtlsRoutes: (app) => {
        app.get('/test/whoami', async (req) => ({ partner: req.partner }));
      },
    });
    ({ mtlsPort: port } = await p.listen());
    partner = await onboardTestPartner(p, { name: 'Bound bank' });
    ca = partner.caCertificatePem;
  });

  after(async () => {
    await p.close();
  });

  const as = (who: TestPartner) => ({ cert: who.clientCertificatePem, key: who.clientKeyPem, ca });

  test('serves a request made with an active partner certificate and binds it to that partner', async () => {
    const res = await mtlsRequest(port, as(partner));
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, {
      partner: { partnerId: partner.partnerId, certificateId: partner.certificateId },
    });
  });

  test('serves a request whose Partner-Id header names the certificate partner', async () => {
    const res = await mtlsRequest(port, { ...as(partner), headers: { 'Partner-Id': partner.partnerId } });
    assert.equal(res.status, 200);
  });

  test('refuses with 403 a Partner-Id header naming another partner', async () => {
    const other = await onboardTestPartner(p, { name: 'Other bank' });
    const res = await mtlsRequest(port, { ...as(partner), headers: { 'Partner-Id': other.partnerId } });
    assert.equal(res.status, 403);
    assert.deepEqual(res.json, {
      error: {
        code: 'FORBIDDEN',
        message: 'the Partner-Id header does not match the partner of the client certificate',
        details: [{ field: 'Partner-Id', reason: 'partner-id-mismatch' }],
      },
    });
  });

  test('fails the handshake for a client certificate from another CA', async () => {
    const rogueCa = await createCa({ commonName: 'Rogue CA' });
    const rogue = await generateKeyAndCsr({ commonName: 'Rogue partner' });
    const cert = await signCsr(rogueCa, rogue.csrPem, { usage: 'client' });
    await assert.rejects(
      mtlsRequest(port, { cert: cert.certificatePem, key: rogue.privateKeyPem, ca }),
      (err: NodeJS.ErrnoException) => /alert|ECONNRESET|socket hang up/i.test(`${err.code} ${err.message}`),
    );
  });

  test('fails the handshake without a client certificate', async () => {
    await assert.rejects(mtlsRequest(port, { ca }), (err: NodeJS.ErrnoException) =>
      /alert|ECONNRESET|socket hang up/i.test(`${err.code} ${err.message}`),
    );
  });

  test('refuses TLS 1.1 in the handshake while TLS 1.2 with the same client settings works', async () => {
    // SECLEVEL=0 lets this client offer TLS 1.1 at all, so the refusal (alert 70) comes from the server.
    const legacy = { ...as(partner), minVersion: 'TLSv1' as const };
    const ciphers = 'DEFAULT:@SECLEVEL=0';
    await assert.rejects(
      requestWithCiphers(port, { ...legacy, maxVersion: 'TLSv1.1' }, ciphers),
      (err: NodeJS.ErrnoException) =>
        /alert protocol version|PROTOCOL_VERSION/i.test(`${err.code} ${err.message}`),
    );
    const ok = await requestWithCiphers(port, { ...legacy, maxVersion: 'TLSv1.2' }, ciphers);
    assert.equal(ok, 200);
  });

  test('refuses with 403 a certificate from the sandbox CA that no partner owns', async () => {
    const stray = await generateKeyAndCsr({ commonName: 'Stray' });
    const cert = await p.app.ctx.pki.signClientCsr(stray.csrPem);
    const res = await mtlsRequest(port, { cert: cert.certificatePem, key: stray.privateKeyPem, ca });
    assert.equal(res.status, 403);
    assert.equal(
      (res.json as { error: { details: { reason: string }[] } }).error.details[0]?.reason,
      'unknown-certificate',
    );
  });

  test('refuses with 403 a revoked certificate, and logs the refusal without secrets', async () => {
    const victim = await onboardTestPartner(p, { name: 'Revoked cert bank' });
    assert.equal((await mtlsRequest(port, as(victim))).status, 200);
    await revokeCertificate(p.app.ctx, victim.partnerId, victim.certificateId);
    const res = await mtlsRequest(port, as(victim));
    assert.equal(res.status, 403);
    assert.match(res.body, /revoked-certificate/);
    const logged = logLines.find((l) => l.includes('revoked-certificate'));
    assert.ok(logged, 'the refusal is logged');
    assert.match(logged, new RegExp(victim.certificateId));
    assert.doesNotMatch(logged, /BEGIN|PRIVATE/);
  });

  test('refuses with 403 a certificate whose validity ended in real time, whatever the sandbox clock says', async () => {
    const victim = await onboardTestPartner(p, { name: 'Expired cert bank' });
    assert.equal((await mtlsRequest(port, as(victim))).status, 200);
    // The certificate's record now ends a minute ago in real time; the sandbox clock
    // (2026-01-01 in tests) is still before that, and must not count.
    const notAfter = Date.now() - 60_000;
    assert.ok(p.clock.now() < notAfter);
    await p.db.query('UPDATE partner_certificates SET not_after = $2 WHERE certificate_id = $1', [
      victim.certificateId,
      notAfter,
    ]);
    invalidateBindings(p.db);
    const res = await mtlsRequest(port, as(victim));
    assert.equal(res.status, 403);
    assert.match(res.body, /expired-certificate/);
  });

  test('refuses with 403 every certificate of a revoked partner', async () => {
    const victim = await onboardTestPartner(p, { name: 'Revoked bank' });
    await revokePartner(p.app.ctx, victim.partnerId);
    const res = await mtlsRequest(port, as(victim));
    assert.equal(res.status, 403);
    assert.match(res.body, /revoked-partner/);
  });

  test('refuses with 403 a source address outside the allow-list and serves one inside', async () => {
    const listed = await onboardTestPartner(p, { name: 'Listed bank', allowIps: ['127.0.0.1/32'] });
    assert.equal((await mtlsRequest(port, as(listed))).status, 200);
    const res = await mtlsRequest(port, { ...as(listed), localAddress: '127.0.0.2' });
    assert.equal(res.status, 403);
    assert.match(res.body, /ip-not-allowed/);
    // Another partner without a list is served from the same address.
    assert.equal((await mtlsRequest(port, { ...as(partner), localAddress: '127.0.0.2' })).status, 200);
  });

  test('applies a revocation to a keep-alive connection that is already open', async () => {
    const victim = await onboardTestPartner(p, { name: 'Keep-alive bank' });
    const agent = new https.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const sockets = new Set<unknown>();
      const get = () =>
        new Promise<number>((resolve, reject) => {
          const req = https.get(
            { host: '127.0.0.1', port, path: '/test/whoami', agent, ...as(victim) },
            (res) => {
              sockets.add(res.socket);
              res.resume();
              res.on('end', () => resolve(res.statusCode ?? 0));
            },
          );
          req.on('error', reject);
        });
      assert.equal(await get(), 200);
      await revokeCertificate(p.app.ctx, victim.partnerId, victim.certificateId);
      assert.equal(await get(), 403);
      assert.equal(sockets.size, 1, 'both requests used one connection');
    } finally {
      agent.destroy();
    }
  });

  test('binding errors are FORBIDDEN platform errors that name the failed check', () => {
    const err = partnerBindingError('ip-not-allowed');
    assert.equal(err.code, 'FORBIDDEN');
    assert.equal(err.status, 403);
    assert.ok(isPartnerBindingError(err));
    assert.equal(isPartnerBindingError(new Error('x')), false);
  });
});

function requestWithCiphers(
  port: number,
  o: {
    cert: string;
    key: string;
    ca: string;
    minVersion: 'TLSv1';
    maxVersion: 'TLSv1.1' | 'TLSv1.2';
  },
  ciphers: string,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = https.get(
      { host: '127.0.0.1', port, path: '/test/whoami', agent: false, ciphers, ...o },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
  });
}
