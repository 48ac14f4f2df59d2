import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testDbKinds } from '../core/test-kit.ts';
import { listWalletActions, recordWalletAction } from './actions.ts';

for (const kind of testDbKinds()) {
  test(`[${kind.name}] the wallet's actions about an object read back in order, and only that object's`, async () => {
    const t = await kind.open();
    try {
      await recordWalletAction(t.db, {
        accountId: 'u1',
        action: 'PASS_ADDED',
        objectId: 'ref-1',
        detail: { title: 'Concert' },
        at: 1,
      });
      await recordWalletAction(t.db, { accountId: 'u1', action: 'PASS_REMOVED', objectId: 'ref-1', at: 2 });
      await recordWalletAction(t.db, { accountId: 'u2', action: 'CARD_LINKED', objectId: 'other', at: 3 });
      const actions = await listWalletActions(t.db, 'ref-1');
      assert.deepEqual(
        actions.map((a) => [a.action, a.accountId, a.detail, a.at]),
        [
          ['PASS_ADDED', 'u1', { title: 'Concert' }, 1],
          ['PASS_REMOVED', 'u1', {}, 2],
        ],
      );
    } finally {
      await t.dispose();
    }
  });
}
