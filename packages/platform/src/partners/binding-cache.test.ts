import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { readCertificate } from '../core/pki.ts';
import { testDbKinds } from '../core/test-kit.ts';
import {
  onboardTestPartner,
  startTestPlatform,
  type TestPartner,
  type TestPlatform,
} from '../testing/index.ts';
import { BINDING_TTL_MS, BindingCache } from './binding-cache.ts';

for (const kind of testDbKinds()) {
  describe(`mTLS binding cache on ${kind.name}`, () => {
    let p: TestPlatform;
    let partner: TestPartner;
    let fp: string;

    before(async () => {
      p = await startTestPlatform({ kind });
      partner = await onboardTestPartner(p, { allowIps: ['192.0.2.0/24'] });
      fp = readCertificate(partner.clientCertificatePem).fingerprint256;
    });
    after(async () => {
      await p.close();
    });

    // Changes are written with plain SQL here: what another process sharing the database would do.
    const revokeElsewhere = (revokedAt: number | null) =>
      p.db.query('UPDATE partner_certificates SET revoked_at = $2 WHERE fingerprint256 = $1', [
        fp,
        revokedAt,
      ]);

    test('binds a registered certificate to its partner with its compiled allow-list', async () => {
      const binding = await new BindingCache().lookup(p.db, fp);
      assert.equal(binding?.partnerId, partner.partnerId);
      assert.equal(binding?.certificateId, partner.certificateId);
      assert.ok(binding?.allowList.allows('192.0.2.9'));
      assert.equal(binding?.allowList.allows('198.51.100.1'), false);
    });

    test('serves a binding from memory within its lifetime and rereads it after an invalidation', async () => {
      const cache = new BindingCache(60_000);
      assert.equal((await cache.lookup(p.db, fp))?.certificateRevokedAt, null);
      await revokeElsewhere(1);
      assert.equal((await cache.lookup(p.db, fp))?.certificateRevokedAt, null);
      cache.invalidate();
      assert.equal((await cache.lookup(p.db, fp))?.certificateRevokedAt, 1);
      await revokeElsewhere(null);
    });

    test('rereads the database once an entry has expired, so other processes are seen', async () => {
      const cache = new BindingCache(0);
      assert.equal((await cache.lookup(p.db, fp))?.certificateRevokedAt, null);
      await revokeElsewhere(2);
      assert.equal((await cache.lookup(p.db, fp))?.certificateRevokedAt, 2);
      await revokeElsewhere(null);
    });

    test('a revocation written by another process applies within a second: the default lifetime', async () => {
      assert.ok(
        BINDING_TTL_MS <= 1000,
        'the cache lifetime bounds how late another process sees a revocation',
      );
      const cache = new BindingCache();
      assert.equal((await cache.lookup(p.db, fp))?.certificateRevokedAt, null);
      await revokeElsewhere(3);
      await new Promise((resolve) => setTimeout(resolve, BINDING_TTL_MS + 20));
      assert.equal((await cache.lookup(p.db, fp))?.certificateRevokedAt, 3);
      await revokeElsewhere(null);
    });

    test('does not remember an unknown certificate', async () => {
      const cache = new BindingCache(60_000);
      assert.equal(await cache.lookup(p.db, 'ab'.repeat(32)), undefined);
      const other = await onboardTestPartner(p);
      const otherFp = readCertificate(other.clientCertificatePem).fingerprint256;
      assert.equal(await cache.lookup(p.db, 'ab'.repeat(32)), undefined);
      assert.equal((await cache.lookup(p.db, otherFp))?.partnerId, other.partnerId);
    });

    test('concurrent lookups of one certificate share a single read', async () => {
      const cache = new BindingCache(60_000);
      const [a, b] = await Promise.all([cache.lookup(p.db, fp), cache.lookup(p.db, fp)]);
      assert.equal(a, b);
    });
  });
}
