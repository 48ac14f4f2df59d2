import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../core/clock.ts';
import { sweepLockKey } from '../core/sweep.ts';
import { type TestDb, testDbKinds } from '../core/test-kit.ts';
import { sweepExpiredOffers } from './check-link.ts';
import { OFFER_LIFETIME_MS } from './model.ts';
import * as store from './store.ts';

for (const kind of testDbKinds()) {
  describe(`expired offer sweep on ${kind.name}`, () => {
    let testDb: TestDb;
    const clock = new ManualClock(Date.UTC(2026, 0, 1));

    before(async () => {
      testDb = await kind.open();
    });
    after(async () => {
      await testDb.dispose();
    });

    const offer = (offerId: string, expiresAt: number): store.Offer => ({
      offerId,
      cardId: 'card',
      partnerId: 'partner',
      via: 'cdata',
      card: {},
      createdAt: expiresAt - OFFER_LIFETIME_MS,
      expiresAt,
      usedAt: null,
    });
    const remaining = async () =>
      (
        await testDb.db.query<{ offer_id: string }>(
          'SELECT offer_id FROM wallet_card_offers ORDER BY offer_id',
        )
      ).map((r) => r.offer_id);

    test('removes the offers that expired over a lifetime ago, and keeps the recent ones', async () => {
      const now = clock.now();
      await store.insertOffer(testDb.db, offer('a-long-expired', now - OFFER_LIFETIME_MS - 1));
      await store.insertOffer(testDb.db, offer('b-just-expired', now - 1));
      await store.insertOffer(testDb.db, offer('c-valid', now + 60_000));
      assert.equal(await sweepExpiredOffers({ db: testDb.db, clock }), true);
      assert.deepEqual(await remaining(), ['b-just-expired', 'c-valid']);
    });

    if (kind.name === 'postgres') {
      test('skips its run while another process holds the sweep lock', async () => {
        await store.insertOffer(testDb.db, offer('d-long-expired', clock.now() - OFFER_LIFETIME_MS - 1));
        const other = await testDb.openAnother();
        let release: () => void = () => {};
        let locked: () => void = () => {};
        const isLocked = new Promise<void>((resolve) => (locked = resolve));
        const holder = other.transaction(async (tx) => {
          await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [sweepLockKey('wallet-cards.offers')]);
          locked();
          await new Promise<void>((resolve) => (release = resolve));
        });
        await isLocked;
        assert.equal(await sweepExpiredOffers({ db: testDb.db, clock }), false);
        assert.ok((await remaining()).includes('d-long-expired'));
        release();
        await holder;
        assert.equal(await sweepExpiredOffers({ db: testDb.db, clock }), true);
        assert.ok(!(await remaining()).includes('d-long-expired'));
      });
    }
  });
}
