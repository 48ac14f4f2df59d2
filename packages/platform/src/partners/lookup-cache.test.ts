import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { testDbKinds } from '../core/test-kit.ts';
import { onboardTestPartner, startTestPlatform, type TestPlatform } from '../testing/index.ts';
import { LOOKUP_TTL_MS } from './lookup-cache.ts';
import { findPartner, findPartnerCertificate, revokePartner } from './service.ts';
import { outboundRefusal, partnerIsActive } from './standing.ts';

for (const kind of testDbKinds()) {
  describe(`partner row caches on ${kind.name}`, () => {
    let p: TestPlatform;

    before(async () => {
      p = await startTestPlatform({ kind });
    });
    after(async () => {
      await p.close();
    });

    test('a revocation made through the platform applies at once to every cached read', async () => {
      const partner = await onboardTestPartner(p, { name: 'Cached bank' });
      assert.equal(await partnerIsActive(p.db, partner.partnerId), true);
      assert.equal((await findPartner(p.db, partner.partnerId))?.status, 'active');
      await revokePartner(p.app.ctx, partner.partnerId);
      assert.equal(await partnerIsActive(p.db, partner.partnerId), false);
      assert.equal((await findPartner(p.db, partner.partnerId))?.status, 'revoked');
      assert.match(String(await outboundRefusal(p.db, partner.partnerId)), /is revoked/);
    });

    test("a change written by another process is seen once the cache's short lifetime has passed", async () => {
      const partner = await onboardTestPartner(p, { name: 'Elsewhere bank' });
      assert.equal((await findPartnerCertificate(p.db, partner.certificateId))?.revokedAt, null);
      assert.equal(await partnerIsActive(p.db, partner.partnerId), true);
      // Plain SQL: what another process sharing the database would write.
      await p.db.query('UPDATE partner_certificates SET revoked_at = 1 WHERE certificate_id = $1', [
        partner.certificateId,
      ]);
      await p.db.query("UPDATE partners SET status = 'revoked', revoked_at = 1 WHERE partner_id = $1", [
        partner.partnerId,
      ]);
      await sleep(LOOKUP_TTL_MS + 50);
      assert.equal((await findPartnerCertificate(p.db, partner.certificateId))?.revokedAt, 1);
      assert.equal(await partnerIsActive(p.db, partner.partnerId), false);
    });

    test('reads inside a transaction always go to the database', async () => {
      const partner = await onboardTestPartner(p, { name: 'Transaction bank' });
      assert.equal((await findPartner(p.db, partner.partnerId))?.name, 'Transaction bank');
      await p.db.transaction(async (tx) => {
        await tx.query("UPDATE partners SET name = 'Renamed bank' WHERE partner_id = $1", [
          partner.partnerId,
        ]);
        assert.equal((await findPartner(tx, partner.partnerId))?.name, 'Renamed bank');
      });
    });
  });
}
