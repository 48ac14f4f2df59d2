import assert from 'node:assert/strict';
import {
  constants,
  createPrivateKey,
  createPublicKey,
  createSign,
  createVerify,
  privateDecrypt,
  publicEncrypt,
  X509Certificate,
} from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { isPlatformError, type PlatformErrorCode } from '../core/errors.ts';
import { createCa, generateKeyAndCsr, isIssuedBy, signCsr } from '../core/pki.ts';
import { testDbKinds } from '../core/test-kit.ts';
import { onboardTestPartner, startTestPlatform, type TestPlatform } from '../testing/index.ts';
import {
  createCard,
  createCertificate,
  createPartner,
  createService,
  findCard,
  findPartner,
  findPartnerCertificate,
  findService,
  getPartnerPlatformKey,
  getPlatformAuthKey,
  listCards,
  listPartners,
  listServices,
  merchantKeyId,
  registerOutboundCertificate,
  resolveOutboundIdentity,
  revokeCertificate,
  revokePartner,
  showPartner,
  updatePartner,
} from './service.ts';

async function failsWith(promise: Promise<unknown>, code: PlatformErrorCode, field?: string): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    assert.ok(isPlatformError(err), `expected a PlatformError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    if (field)
      assert.ok(
        err.details?.some((d) => d.field === field),
        `no detail for ${field}: ${err.message}`,
      );
    return err;
  }
  assert.fail(`expected ${code}`);
}

async function rowCounts(p: TestPlatform): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of [
    'partners',
    'partner_certificates',
    'partner_platform_keys',
    'partner_outbound_identities',
    'cards',
    'checkout_services',
  ]) {
    const rows = await p.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
    out[table] = Number(rows[0]?.n);
  }
  return out;
}

for (const kind of testDbKinds()) {
  describe(`partner onboarding on ${kind.name}`, () => {
    let p: TestPlatform;

    before(async () => {
      p = await startTestPlatform({ kind });
    });
    after(async () => {
      await p.close();
    });

    test('creates a partner with a 32-digit id, a 4-alphanumeric certificate id and every key it needs', async () => {
      const created = await onboardTestPartner(p, {
        name: 'First Bank',
        notifyUrl: 'https://bank.example/s2p/',
        allowIps: ['10.0.0.0/8', '::1'],
      });
      assert.match(created.partnerId, /^[1-9][0-9]{31}$/);
      assert.match(created.certificateId, /^[A-Za-z0-9]{4}$/);
      assert.ok(isIssuedBy(created.clientCertificatePem, created.caCertificatePem));
      assert.ok(isIssuedBy(created.platformCertificatePem, created.caCertificatePem));
      assert.ok(isIssuedBy(created.authCertificatePem, created.caCertificatePem));
      assert.match(created.outboundCsrPem, /BEGIN CERTIFICATE REQUEST/);

      const partner = await findPartner(p.db, created.partnerId);
      assert.equal(partner?.name, 'First Bank');
      assert.equal(partner?.notifyUrl, 'https://bank.example/s2p');
      assert.deepEqual(partner?.allowIps, ['10.0.0.0/8', '::1/128']);
      assert.equal(partner?.status, 'active');
      assert.equal(partner?.options.welcomeUrlLifetimeMs, 24 * 3_600_000);
      assert.equal(partner?.options.acceptOpaqueIssuerBlobs, false);
      assert.equal(partner?.createdAt, p.clock.now());

      const cert = await findPartnerCertificate(p.db, created.certificateId);
      assert.equal(cert?.partnerId, created.partnerId);
      assert.equal(cert?.certificatePem, created.clientCertificatePem);
      assert.equal(cert?.publicKey.asymmetricKeyType, 'rsa');
      // certificateIds are case-sensitive (PROTOCOLS.md 2.2).
      const swapped = [...created.certificateId]
        .map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()))
        .join('');
      if (swapped !== created.certificateId)
        assert.equal(await findPartnerCertificate(p.db, swapped), undefined);
    });

    test('keeps private keys sealed: no PEM private key is stored in clear', async () => {
      const rows = await p.db.query<{ k: string }>(
        `SELECT private_key_sealed AS k FROM partner_platform_keys
         UNION ALL SELECT private_key_sealed FROM partner_outbound_identities`,
      );
      assert.ok(rows.length >= 2);
      for (const r of rows) assert.doesNotMatch(r.k, /PRIVATE KEY|^MII/);
    });

    test('the per-partner platform key decrypts what is encrypted to the platform certificate', async () => {
      const created = await onboardTestPartner(p);
      const key = await getPartnerPlatformKey(p.db, p.app.ctx.keys, created.partnerId);
      assert.ok(key);
      assert.equal(key.certificatePem, created.platformCertificatePem);
      const publicKey = new X509Certificate(created.platformCertificatePem).publicKey;
      assert.equal(publicKey.asymmetricKeyDetails?.modulusLength, 2048);
      const secret = Buffer.from('content encryption key 16');
      const wrapped = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING }, secret);
      assert.deepEqual(
        privateDecrypt({ key: key.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING }, wrapped),
        secret,
      );
      assert.equal(await getPartnerPlatformKey(p.db, p.app.ctx.keys, '9'.repeat(32)), undefined);
    });

    test('the platform AUTH key signs what its certificate verifies, under a 4-alphanumeric certificate id', async () => {
      const auth = await getPlatformAuthKey(p.db, p.app.ctx.keys);
      assert.match(auth.certificateId, /^[A-Za-z0-9]{4}$/);
      const signature = createSign('sha256').update('payload').sign(auth.privateKey);
      const cert = new X509Certificate(auth.certificatePem);
      assert.ok(createVerify('sha256').update('payload').verify(cert.publicKey, signature));
      assert.equal((await getPlatformAuthKey(p.db, p.app.ctx.keys)).certificateId, auth.certificateId);
    });

    test('a bad CSR creates nothing', async () => {
      const before = await rowCounts(p);
      await failsWith(
        createPartner(p.app.ctx, { name: 'x', csrPem: 'not a csr' }),
        'INVALID_INPUT',
        'csrPem',
      );
      const short = await generateKeyAndCsr({ commonName: 'short', bits: 1024 });
      const err = await failsWith(
        createPartner(p.app.ctx, { name: 'x', csrPem: short.csrPem }),
        'INVALID_INPUT',
        'csrPem',
      );
      assert.match(err.message, /2048/);
      const { csrPem } = await generateKeyAndCsr({ commonName: 'ok' });
      await failsWith(
        createPartner(p.app.ctx, { name: 'x', csrPem, partnerServerCaPem: 'nope' }),
        'INVALID_INPUT',
        'partnerServerCaPem',
      );
      await failsWith(
        createPartner(p.app.ctx, { name: 'x', csrPem, allowIps: ['10.0.0.0/33'] }),
        'INVALID_INPUT',
        'allowIps.0',
      );
      await failsWith(
        createPartner(p.app.ctx, { name: 'x', csrPem, notifyUrl: 'ftp://bank.example' }),
        'INVALID_INPUT',
        'notifyUrl',
      );
      assert.deepEqual(await rowCounts(p), before);
    });

    test('registers the outbound certificate from the partner CA and trusts that CA for the partner server', async () => {
      const created = await onboardTestPartner(p);
      assert.equal(await resolveOutboundIdentity(p.db, p.app.ctx.keys, created.partnerId), undefined);
      const partnerCa = await createCa({ commonName: 'Partner CA' });
      const outbound = await signCsr(partnerCa, created.outboundCsrPem, { usage: 'client' });
      const details = await registerOutboundCertificate(p.app.ctx, created.partnerId, {
        certificatePem: outbound.certificatePem,
        partnerCaPem: partnerCa.certificatePem,
      });
      assert.equal(details.outbound.configured, true);
      assert.equal(details.serverTrust.source, 'outbound-ca');
      const identity = await resolveOutboundIdentity(p.db, p.app.ctx.keys, created.partnerId);
      assert.ok(identity);
      assert.equal(identity.cert, outbound.certificatePem);
      assert.deepEqual(identity.ca, [partnerCa.certificatePem]);
      const cert = new X509Certificate(identity.cert);
      assert.ok(cert.checkPrivateKey(createPrivateKey(identity.key)));
    });

    test('keeps the partner server CA given at creation when the outbound certificate arrives', async () => {
      const serverCa = await createCa({ commonName: 'Partner server CA' });
      const created = await onboardTestPartner(p, { partnerServerCaPem: serverCa.certificatePem });
      const partnerCa = await createCa({ commonName: 'Partner client CA' });
      const outbound = await signCsr(partnerCa, created.outboundCsrPem, { usage: 'client' });
      await registerOutboundCertificate(p.app.ctx, created.partnerId, {
        certificatePem: outbound.certificatePem,
        partnerCaPem: partnerCa.certificatePem,
      });
      const identity = await resolveOutboundIdentity(p.db, p.app.ctx.keys, created.partnerId);
      assert.deepEqual(identity?.ca, [serverCa.certificatePem]);
      assert.equal((await showPartner(p.db, created.partnerId)).serverTrust.source, 'given');
    });

    test('judges the outbound certificate validity on real time, not on a sandbox clock moved years ahead', async () => {
      const created = await onboardTestPartner(p);
      const partnerCa = await createCa({ commonName: 'Partner CA' });
      const outbound = await signCsr(partnerCa, created.outboundCsrPem, { usage: 'client', days: 30 });
      const was = p.clock.now();
      p.clock.set(Date.now() + 20 * 365 * 86_400_000);
      try {
        const details = await registerOutboundCertificate(p.app.ctx, created.partnerId, {
          certificatePem: outbound.certificatePem,
          partnerCaPem: partnerCa.certificatePem,
        });
        assert.equal(details.outbound.configured, true);
      } finally {
        p.clock.set(was);
      }
    });

    test('refuses an outbound certificate for another key, from another CA, or without clientAuth', async () => {
      const created = await onboardTestPartner(p);
      const partnerCa = await createCa({ commonName: 'Partner CA' });
      const other = await generateKeyAndCsr({ commonName: 'not the platform' });
      const wrongKey = await signCsr(partnerCa, other.csrPem, { usage: 'client' });
      await failsWith(
        registerOutboundCertificate(p.app.ctx, created.partnerId, {
          certificatePem: wrongKey.certificatePem,
          partnerCaPem: partnerCa.certificatePem,
        }),
        'INVALID_INPUT',
        'certificatePem',
      );
      const otherCa = await createCa({ commonName: 'Other CA' });
      const good = await signCsr(partnerCa, created.outboundCsrPem, { usage: 'client' });
      await failsWith(
        registerOutboundCertificate(p.app.ctx, created.partnerId, {
          certificatePem: good.certificatePem,
          partnerCaPem: otherCa.certificatePem,
        }),
        'INVALID_INPUT',
        'partnerCaPem',
      );
      const serverOnly = await signCsr(partnerCa, created.outboundCsrPem, {
        usage: 'server',
        hostnames: ['x'],
      });
      await failsWith(
        registerOutboundCertificate(p.app.ctx, created.partnerId, {
          certificatePem: serverOnly.certificatePem,
          partnerCaPem: partnerCa.certificatePem,
        }),
        'INVALID_INPUT',
        'certificatePem',
      );
      await failsWith(
        registerOutboundCertificate(p.app.ctx, created.partnerId, {
          certificatePem: created.outboundCsrPem,
          partnerCaPem: partnerCa.certificatePem,
        }),
        'INVALID_INPUT',
        'certificatePem',
      );
      assert.equal(await resolveOutboundIdentity(p.db, p.app.ctx.keys, created.partnerId), undefined);
      await failsWith(
        registerOutboundCertificate(p.app.ctx, '1'.repeat(32), {
          certificatePem: good.certificatePem,
          partnerCaPem: partnerCa.certificatePem,
        }),
        'NOT_FOUND',
      );
    });

    test('adds a second certificate to a partner and revokes one without touching the other', async () => {
      const created = await onboardTestPartner(p);
      const { csrPem } = await generateKeyAndCsr({ commonName: 'rotation' });
      const second = await createCertificate(p.app.ctx, created.partnerId, { csrPem });
      assert.notEqual(second.certificateId, created.certificateId);
      const revoked = await revokeCertificate(p.app.ctx, created.partnerId, created.certificateId);
      assert.equal(revoked.status, 'revoked');
      assert.equal(revoked.revokedAt, p.clock.now());
      const details = await showPartner(p.db, created.partnerId);
      assert.deepEqual(
        details.certificates.map((c) => [c.certificateId, c.status]),
        [
          [created.certificateId, 'revoked'],
          [second.certificateId, 'active'],
        ],
      );
      await failsWith(revokeCertificate(p.app.ctx, created.partnerId, 'ZZZZ'), 'NOT_FOUND');
      const stranger = await onboardTestPartner(p);
      await failsWith(revokeCertificate(p.app.ctx, stranger.partnerId, second.certificateId), 'NOT_FOUND');
    });

    test('revokes a partner: status, time, and no new cards or certificates', async () => {
      const created = await onboardTestPartner(p);
      p.clock.advance(1000);
      const revoked = await revokePartner(p.app.ctx, created.partnerId);
      assert.equal(revoked.status, 'revoked');
      assert.equal(revoked.revokedAt, p.clock.now());
      p.clock.advance(1000);
      assert.equal((await revokePartner(p.app.ctx, created.partnerId)).revokedAt, p.clock.now() - 1000);
      await failsWith(
        createCard(p.app.ctx, {
          partnerId: created.partnerId,
          type: 'ticket',
          subType: 'movies',
          partnerUrl: 'https://x.example',
        }),
        'CONFLICT',
      );
      const { csrPem } = await generateKeyAndCsr({ commonName: 'late' });
      await failsWith(createCertificate(p.app.ctx, created.partnerId, { csrPem }), 'CONFLICT');
      await failsWith(revokePartner(p.app.ctx, '2'.repeat(32)), 'NOT_FOUND');
    });

    test('updates options, notify URL and allow-list, keeping what is not given', async () => {
      const created = await onboardTestPartner(p, { notifyUrl: 'https://a.example' });
      const updated = await updatePartner(p.app.ctx, created.partnerId, {
        options: { welcomeUrlLifetimeMs: 600_000 },
        allowIps: ['192.0.2.0/24'],
      });
      assert.equal(updated.options.welcomeUrlLifetimeMs, 600_000);
      assert.equal(updated.options.acceptOpaqueIssuerBlobs, false);
      assert.equal(updated.notifyUrl, 'https://a.example');
      assert.deepEqual(updated.allowIps, ['192.0.2.0/24']);
      assert.equal((await updatePartner(p.app.ctx, created.partnerId, { notifyUrl: null })).notifyUrl, null);
      await failsWith(
        updatePartner(p.app.ctx, created.partnerId, { options: { welcomeUrlLifetimeMs: 5 } }),
        'INVALID_INPUT',
        'options.welcomeUrlLifetimeMs',
      );
      await failsWith(
        updatePartner(p.app.ctx, created.partnerId, { options: { bogus: true } as never }),
        'INVALID_INPUT',
        'options.bogus',
      );
    });

    test('lists partners in creation order', async () => {
      const all = await listPartners(p.db);
      assert.ok(all.length >= 5);
      assert.deepEqual(
        all.map((x) => x.createdAt),
        [...all.map((x) => x.createdAt)].sort((a, b) => a - b),
      );
    });

    test('registers Add to Wallet cards with a 13-character id, validated type and subtype', async () => {
      const created = await onboardTestPartner(p);
      const card = await createCard(p.app.ctx, {
        partnerId: created.partnerId,
        type: 'boardingpass',
        subType: 'airlines',
        partnerUrl: 'https://issuer.example/wallet/',
      });
      assert.match(card.cardId, /^[a-z0-9]{13}$/);
      assert.equal(card.partnerUrl, 'https://issuer.example/wallet');
      assert.deepEqual(await findCard(p.db, card.cardId), card);
      assert.deepEqual(await listCards(p.db, { partnerId: created.partnerId }), [card]);
      const base = { partnerId: created.partnerId, partnerUrl: 'https://issuer.example' };
      const typeErr = await failsWith(
        createCard(p.app.ctx, { ...base, type: 'spaceship', subType: 'others' }),
        'INVALID_INPUT',
        'type',
      );
      assert.match(typeErr.message, /unknown card type "spaceship"/);
      const subErr = await failsWith(
        createCard(p.app.ctx, { ...base, type: 'ticket', subType: 'airlines' }),
        'INVALID_INPUT',
        'subType',
      );
      assert.match(subErr.message, /performances/);
      await failsWith(
        createCard(p.app.ctx, {
          ...base,
          type: 'coupon',
          subType: 'others',
          partnerUrl: 'https://x.example/?a=1',
        }),
        'INVALID_INPUT',
        'partnerUrl',
      );
      await failsWith(
        createCard(p.app.ctx, { ...base, partnerId: '3'.repeat(32), type: 'coupon', subType: 'others' }),
        'NOT_FOUND',
      );
      assert.equal(await findCard(p.db, 'nosuchcard123'), undefined);
    });

    test('registers a checkout service keeping the merchant public key and its kid', async () => {
      const created = await onboardTestPartner(p);
      const merchant = await generateKeyAndCsr({ commonName: 'Shop merchant key' });
      const service = await createService(p.app.ctx, {
        partnerId: created.partnerId,
        name: 'Demo shop',
        csrPem: merchant.csrPem,
        domains: ['Shop.Example.com', 'shop.example.com', '127.0.0.1'],
        healthUrl: 'https://shop.example.com/samsungpay/integration/health',
      });
      assert.match(service.serviceId, /^[0-9a-f]{32}$/);
      assert.equal(service.merchantPublicKeyPem, merchant.publicKeyPem);
      assert.equal(service.merchantKeyId, merchantKeyId(createPublicKey(merchant.publicKeyPem)));
      assert.deepEqual(service.domains, ['shop.example.com', '127.0.0.1']);
      assert.deepEqual(await findService(p.db, service.serviceId), service);
      assert.deepEqual(await listServices(p.db, { partnerId: created.partnerId }), [service]);
      const short = await generateKeyAndCsr({ commonName: 'short', bits: 1024 });
      const before = await rowCounts(p);
      await failsWith(
        createService(p.app.ctx, {
          partnerId: created.partnerId,
          name: 's',
          csrPem: short.csrPem,
          domains: ['a.b'],
        }),
        'INVALID_INPUT',
        'csrPem',
      );
      await failsWith(
        createService(p.app.ctx, {
          partnerId: created.partnerId,
          name: 's',
          csrPem: merchant.csrPem,
          domains: ['https://shop.example'],
        }),
        'INVALID_INPUT',
        'domains.0',
      );
      await failsWith(
        createService(p.app.ctx, {
          partnerId: created.partnerId,
          name: 's',
          csrPem: merchant.csrPem,
          domains: [],
        }),
        'INVALID_INPUT',
        'domains',
      );
      assert.deepEqual(await rowCounts(p), before);
    });
  });
}
