// Issue 11: what the user's wallet did with a pass is recorded in the wallet's actions, in the
// transaction of the change, under the pass's refId (the id the partner's calls carry).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { testDbKinds } from '../core/test-kit.ts';
import { listWalletActions } from '../wallet/actions.ts';
import { type AtwFixture, startAtwFixture, ticketCard } from './test-support.ts';

for (const kind of testDbKinds()) {
  describe(`the wallet's actions on passes (${kind.name})`, () => {
    let f: AtwFixture;

    before(async () => {
      f = await startAtwFixture(kind);
    });
    after(async () => {
      await f.close();
    });

    const inject = async (method: 'POST' | 'DELETE', url: string, payload?: unknown, headers = {}) => {
      const res = await f.p.app.main.inject({
        method,
        url,
        headers: { authorization: `Bearer ${f.session.token}`, ...headers },
        ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
      });
      return { status: res.statusCode, body: res.body ? (res.json() as Record<string, unknown>) : {} };
    };

    async function offerFor(refId: string): Promise<string> {
      const card = ticketCard(1, {}, f.p.clock.now());
      (card.card.data[0] as Record<string, unknown>)['refId'] = refId;
      const checked = await inject('POST', '/atw/api/links/check', {
        link: `/atw/v1/${f.cardId}#Clip?cdata=${f.cdata(card)}`,
      });
      assert.equal(checked.status, 200, JSON.stringify(checked.body));
      return String(checked.body['offerId']);
    }

    test('a pass added, updated by the partner and removed by the user records PASS_ADDED, PASS_UPDATED and PASS_REMOVED under its refId', async () => {
      const added = await inject('POST', '/wallet/api/passes', { offerId: await offerFor('act-ref-1') });
      assert.equal(added.status, 201, JSON.stringify(added.body));
      const walletCardId = (added.body['cards'] as { walletCardId: string }[])[0]?.walletCardId;

      const path = `/wltex/cards/${f.cardId}/notification`;
      const updated = await f.p.app.main.inject({
        method: 'POST',
        url: path,
        headers: {
          authorization: `Bearer ${f.auth('POST', path)}`,
          'x-smcs-partner-id': f.partner.partnerId,
          'x-request-id': 'req-act-1',
        },
        payload: { card: { type: 'ticket', data: [{ refId: 'act-ref-1', state: 'EXPIRED' }] } },
      });
      assert.equal(updated.statusCode, 200, updated.body);

      const removed = await inject('DELETE', `/wallet/api/passes/${walletCardId}`);
      assert.equal(removed.status, 200, JSON.stringify(removed.body));

      const actions = await listWalletActions(f.p.db, 'act-ref-1');
      assert.deepEqual(
        actions.map((a) => [a.action, a.accountId, a.detail['status'], a.detail['cause']]),
        [
          ['PASS_ADDED', f.session.userId, 'ADDED', 'link (cdata)'],
          ['PASS_UPDATED', f.session.userId, 'EXPIRED', 'update notification'],
          ['PASS_REMOVED', f.session.userId, 'DELETED', 'user'],
        ],
      );
      for (const a of actions) {
        assert.deepEqual(Object.keys(a.detail).sort(), [
          'cardId',
          'cause',
          'status',
          'subType',
          'title',
          'type',
        ]);
        assert.equal(a.detail['title'], 'Parasite');
        assert.equal(a.detail['type'], 'ticket');
      }
    });

    test('a pass that cannot be added records no action: the action is written with the pass or not at all', async () => {
      const first = await inject('POST', '/wallet/api/passes', { offerId: await offerFor('act-ref-2') });
      assert.equal(first.status, 201);
      const again = await inject('POST', '/wallet/api/passes', { offerId: await offerFor('act-ref-2') });
      assert.equal(again.status, 409);
      const actions = await listWalletActions(f.p.db, 'act-ref-2');
      assert.deepEqual(
        actions.map((a) => a.action),
        ['PASS_ADDED'],
      );
    });
  });
}
