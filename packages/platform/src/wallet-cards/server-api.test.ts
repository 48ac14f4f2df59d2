import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { verifyAuthToken } from '@cardport/jose';
import { testDbKinds } from '../core/test-kit.ts';
import { createCard } from '../partners/service.ts';
import { onboardTestPartner, type TestPartner } from '../testing/index.ts';
import * as wallet from '../wallet/service.ts';
import { type AtwFixture, type RecordedRequest, startAtwFixture, ticketCard } from './test-support.ts';

interface Pass {
  walletCardId: string;
  refId: string;
  state: string;
  cc2: string;
  attributes: Record<string, unknown>;
  history?: { state: string; cause: string }[];
}

for (const kind of testDbKinds()) {
  describe(`passes in the wallet, Send Card State and the Server API (${kind.name})`, () => {
    let f: AtwFixture;
    let other: TestPartner;
    let otherCardId: string;

    before(async () => {
      f = await startAtwFixture(kind);
      other = await onboardTestPartner(f.p, { name: 'Other partner' });
      otherCardId = (
        await createCard(f.p.app.ctx, {
          partnerId: other.partnerId,
          type: 'ticket',
          subType: 'movies',
          partnerUrl: f.server.url,
        })
      ).cardId;
    });
    after(async () => {
      await f.close();
    });
    beforeEach(() => {
      f.server.requests.length = 0;
      f.server.answers.clear();
      f.server.forceStatus = undefined;
    });

    const inject = async (
      method: 'GET' | 'POST' | 'DELETE',
      url: string,
      payload?: unknown,
      headers: Record<string, string> = {},
    ) => {
      const res = await f.p.app.main.inject({
        method,
        url,
        headers,
        ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
      });
      return { status: res.statusCode, body: res.body ? (res.json() as Record<string, unknown>) : {} };
    };
    const bearer = () => ({ authorization: `Bearer ${f.session.token}` });

    async function addLink(link: string, token = f.session.token): Promise<Pass[]> {
      const checked = await inject('POST', '/atw/api/links/check', { link });
      assert.equal(checked.status, 200, JSON.stringify(checked.body));
      const added = await inject(
        'POST',
        '/wallet/api/passes',
        { offerId: checked.body['offerId'] },
        { authorization: `Bearer ${token}` },
      );
      assert.equal(added.status, 201, JSON.stringify(added.body));
      return added.body['cards'] as Pass[];
    }

    async function passes(): Promise<Pass[]> {
      const res = await inject('GET', '/wallet/api/passes', undefined, bearer());
      return res.body['cards'] as Pass[];
    }

    /** Delivers due jobs; returns the Send Card State requests the partner got. */
    async function deliver(): Promise<RecordedRequest[]> {
      await f.p.app.ctx.delivery.runDue();
      return f.server.requests.filter((r) => r.method === 'POST');
    }

    async function verifyPlatformAuth(r: RecordedRequest) {
      return verifyAuthToken(String(r.headers.authorization), {
        resolveKey: f.authPublicKey,
        method: r.method,
        path: r.url,
        now: () => f.p.clock.now(),
        expected: { partnerId: f.partner.partnerId },
      });
    }

    const serverCall = (
      path: string,
      body: unknown,
      o: { token?: string; partnerId?: string; requestId?: string | null } = {},
    ) =>
      inject('POST', path, body, {
        authorization: `Bearer ${o.token ?? f.auth('POST', path)}`,
        'x-smcs-partner-id': o.partnerId ?? f.partner.partnerId,
        ...(o.requestId === null ? {} : { 'x-request-id': o.requestId ?? 'req-202303140003' }),
      });

    test('adding a cdata link puts one pass per data object in the wallet and sends ADDED with cc2 and callback', async () => {
      const added = await addLink(`/atw/v1/${f.cardId}#Clip?cdata=${f.cdata(ticketCard(2))}`);
      assert.deepEqual(
        added.map((c) => [c.refId, c.state, c.cc2]),
        [
          ['ref-1-x7Kq', 'ADDED', 'KR'],
          ['ref-2-x7Kq', 'ADDED', 'KR'],
        ],
      );
      const items = await wallet.listWalletItems(f.p.db, f.session.userId, { deviceId: f.session.deviceId });
      assert.deepEqual(items.map((i) => [i.source, i.state, i.title]).sort(), [
        ['wallet-cards', 'ADDED', 'Parasite'],
        ['wallet-cards', 'ADDED', 'Parasite'],
      ]);
      const sent = await deliver();
      assert.equal(sent.length, 2);
      for (const r of sent) {
        const url = new URL(r.url, 'http://x');
        assert.match(url.pathname, new RegExp(`^/partner/cards/${f.cardId}/ref-[12]-x7Kq$`));
        assert.equal(url.searchParams.get('cc2'), 'KR');
        assert.equal(url.searchParams.get('event'), 'ADDED');
        assert.deepEqual(JSON.parse(r.body), { callback: f.p.app.ctx.config.publicUrl });
        assert.match(String(r.headers['x-request-id']), /^[0-9a-f]{32}$/);
        const { payload } = await verifyPlatformAuth(r);
        assert.equal(payload.API.path, url.pathname);
      }
    });

    test('the same refId cannot be added twice to one wallet, and a half-added link leaves nothing', async () => {
      const card = ticketCard(1, {}, f.p.clock.now());
      (card.card.data[0] as Record<string, unknown>)['refId'] = 'dup-ref-1';
      await addLink(`/atw/v1/${f.cardId}#Clip?cdata=${f.cdata(card)}`);
      const checked = await inject('POST', '/atw/api/links/check', {
        link: `/atw/v1/${f.cardId}#Clip?cdata=${f.cdata(card)}`,
      });
      const again = await inject(
        'POST',
        '/wallet/api/passes',
        { offerId: checked.body['offerId'] },
        bearer(),
      );
      assert.equal(again.status, 409);
      assert.equal((again.body['error'] as { reason: string }).reason, 'ALREADY_IN_WALLET');
      assert.equal((await passes()).filter((p) => p.refId === 'dup-ref-1').length, 1);
    });

    test('a pdata link is fetched with Get Card Data, signed by the platform and bound to its path', async () => {
      // The seed's Get Card Data table leaves subType out: the registration's applies.
      f.server.answers.set('pdata-ref-9', {
        card: { type: 'ticket', data: [{ ...ticketCard().card.data[0], refId: 'pdata-ref-9' }] },
      });
      const added = await addLink(`/atw/v3/${f.partner.certificateId}/${f.cardId}#Clip?pdata=pdata-ref-9`);
      assert.equal(added[0]?.refId, 'pdata-ref-9');
      const get = f.server.requests.find((r) => r.method === 'GET');
      assert.ok(get);
      assert.equal(get.url, `/partner/cards/${f.cardId}/pdata-ref-9`);
      await verifyPlatformAuth(get);
      assert.match(String(get.headers['x-request-id']), /^[0-9a-f]{32}$/);
    });

    test('a pdata link the partner does not know (204) is refused', async () => {
      const res = await inject('POST', '/atw/api/links/check', {
        link: `/atw/v1/${f.cardId}#Clip?pdata=nobody`,
      });
      assert.equal(res.status, 404);
      assert.equal((res.body['error'] as { reason: string }).reason, 'CARD_NOT_AT_PARTNER');
    });

    test('a pdata link whose partner answers 500 or 401 is refused with the status named', async () => {
      f.server.forceStatus = 500;
      const res = await inject('POST', '/atw/api/links/check', { link: `/atw/v1/${f.cardId}#Clip?pdata=x1` });
      assert.equal(res.status, 502);
      assert.equal((res.body['error'] as { reason: string }).reason, 'PARTNER_UNAVAILABLE');
      assert.match((res.body['error'] as { message: string }).message, /500/);
      f.server.forceStatus = 401;
      const refused = await inject('POST', '/atw/api/links/check', {
        link: `/atw/v1/${f.cardId}#Clip?pdata=x1`,
      });
      assert.equal((refused.body['error'] as { reason: string }).reason, 'PARTNER_REFUSED');
    });

    test('Update Notification UPDATED refetches the card, refreshes every wallet holding it and sends UPDATED', async () => {
      const second = await wallet.signUp(f.p.db, f.p.clock, { email: 'second@example.com', country: 'US' });
      const card = ticketCard(1, {}, f.p.clock.now());
      const data = card.card.data[0] as Record<string, unknown>;
      data['refId'] = 'upd-ref-1';
      await addLink(`/atw/v1/${f.cardId}#Clip?cdata=${f.cdata(card)}`);
      await addLink(`/atw/v1/${f.cardId}#Clip?cdata=${f.cdata(card)}`, second.token);
      await deliver();
      f.server.requests.length = 0;
      f.server.answers.set('upd-ref-1', {
        card: {
          type: 'ticket',
          subType: 'movies',
          data: [{ ...data, attributes: { ...(data['attributes'] as object), seatNumber: 'H7' } }],
        },
      });
      for (const path of [
        `/wltex/cards/${f.cardId}/notification`,
        `/KR/wltex/cards/${f.cardId}/notification`,
        `/KR/wltex/cards/${f.cardId}/updates`,
      ]) {
        const res = await serverCall(path, {
          card: { type: 'ticket', data: [{ refId: 'upd-ref-1', state: 'UPDATED' }] },
        });
        assert.equal(res.status, 200, `${path} ${JSON.stringify(res.body)}`);
      }
      const mine = (await passes()).find((p) => p.refId === 'upd-ref-1');
      assert.equal(mine?.state, 'UPDATED');
      assert.equal(mine?.attributes['seatNumber'], 'H7');
      const theirs = await inject('GET', '/wallet/api/passes', undefined, {
        authorization: `Bearer ${second.token}`,
      });
      assert.equal((theirs.body['cards'] as Pass[])[0]?.attributes['seatNumber'], 'H7');
      const sent = await deliver();
      const events = sent.map((r) => new URL(r.url, 'http://x').searchParams.get('event'));
      assert.ok(events.length >= 2 && events.every((e) => e === 'UPDATED'), JSON.stringify(events));
      assert.deepEqual(
        [...new Set(sent.map((r) => new URL(r.url, 'http://x').searchParams.get('cc2')))].sort(),
        ['KR', 'US'],
      );
    });

    test('Update Notification with EXPIRED, REDEEMED, HELD, DELETED changes the state in the wallet', async () => {
      const card = ticketCard(1, {}, f.p.clock.now());
      (card.card.data[0] as Record<string, unknown>)['refId'] = 'state-ref-1';
      await addLink(`/atw/v1/${f.cardId}#Clip?cdata=${f.cdata(card)}`);
      for (const state of ['HELD', 'REDEEMED', 'EXPIRED', 'DELETED']) {
        const path = `/wltex/cards/${f.cardId}/notification`;
        const res = await serverCall(path, {
          card: { type: 'ticket', data: [{ refId: 'state-ref-1', state }] },
        });
        assert.equal(res.status, 200);
        const pass = (await passes()).find((p) => p.refId === 'state-ref-1');
        assert.equal(pass?.state, state);
      }
      const history = (await passes()).find((p) => p.refId === 'state-ref-1')?.history?.map((h) => h.state);
      assert.deepEqual(history, ['ADDED', 'HELD', 'REDEEMED', 'EXPIRED', 'DELETED']);
    });

    test('Update Notification for a refId no wallet holds answers 204', async () => {
      const path = `/wltex/cards/${f.cardId}/notification`;
      const res = await serverCall(path, {
        card: { type: 'ticket', data: [{ refId: 'nobody-has', state: 'EXPIRED' }] },
      });
      assert.equal(res.status, 204);
    });

    test('Get Card Data answering 204 after an update removes the card from every wallet', async () => {
      const card = ticketCard(1, {}, f.p.clock.now());
      (card.card.data[0] as Record<string, unknown>)['refId'] = 'gone-ref-1';
      await addLink(`/atw/v1/${f.cardId}#Clip?cdata=${f.cdata(card)}`);
      const path = `/wltex/cards/${f.cardId}/notification`;
      const res = await serverCall(path, {
        card: { type: 'ticket', data: [{ refId: 'gone-ref-1', state: 'UPDATED' }] },
      });
      assert.equal(res.status, 200);
      const pass = (await passes()).find((p) => p.refId === 'gone-ref-1');
      assert.equal(pass?.state, 'DELETED');
      const items = await wallet.listWalletItemsByRef(f.p.db, 'wallet-cards', `${f.cardId}/gone-ref-1`);
      assert.equal(items.length, 0);
    });

    test('Get Card Data failing with 500 during an update answers 503 and leaves the pass as it was', async () => {
      const card = ticketCard(1, {}, f.p.clock.now());
      (card.card.data[0] as Record<string, unknown>)['refId'] = 'fail-ref-1';
      await addLink(`/atw/v1/${f.cardId}#Clip?cdata=${f.cdata(card)}`);
      f.server.forceStatus = 500;
      const path = `/wltex/cards/${f.cardId}/notification`;
      const res = await serverCall(path, {
        card: { type: 'ticket', data: [{ refId: 'fail-ref-1', state: 'UPDATED' }] },
      });
      assert.equal(res.status, 503);
      assert.equal((await passes()).find((p) => p.refId === 'fail-ref-1')?.state, 'ADDED');
    });

    test('Cancel Notification makes every ticket of the event CANCELED, on every path form', async () => {
      for (const [i, path] of [
        `/wltex/cards/${f.cardId}/cancellation`,
        `/KR/wltex/cards/${f.cardId}/cancellation`,
        `/KR/wltex/cards/${f.cardId}/cancels`,
      ].entries()) {
        const card = ticketCard(2, { eventId: `event-${i}` }, f.p.clock.now());
        card.card.data.forEach((d, j) => {
          (d as Record<string, unknown>)['refId'] = `cancel-${i}-${j}`;
        });
        await addLink(`/atw/v1/${f.cardId}#Clip?cdata=${f.cdata(card)}`);
        const res = await serverCall(path, {
          card: { type: 'ticket', data: [{ eventId: `event-${i}`, state: 'CANCELED' }] },
        });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        const states = (await passes()).filter((p) => p.refId.startsWith(`cancel-${i}-`)).map((p) => p.state);
        assert.deepEqual(states, ['CANCELED', 'CANCELED']);
      }
      const none = await serverCall(`/wltex/cards/${f.cardId}/cancellation`, {
        card: { type: 'ticket', data: [{ eventId: 'no-such-event', state: 'CANCELED' }] },
      });
      assert.equal(none.status, 204);
    });

    test('the user deletes a pass: it leaves the wallet and DELETED goes to the partner', async () => {
      const card = ticketCard(1, {}, f.p.clock.now());
      (card.card.data[0] as Record<string, unknown>)['refId'] = 'del-ref-1';
      const [pass] = await addLink(`/atw/v1/${f.cardId}#Clip?cdata=${f.cdata(card)}`);
      await deliver();
      f.server.requests.length = 0;
      const res = await inject('DELETE', `/wallet/api/passes/${pass?.walletCardId}`, undefined, bearer());
      assert.equal(res.status, 200);
      assert.equal((await passes()).find((p) => p.refId === 'del-ref-1')?.state, 'DELETED');
      const sent = await deliver();
      assert.equal(sent.length, 1);
      assert.equal(new URL(sent[0]?.url ?? '', 'http://x').searchParams.get('event'), 'DELETED');
    });

    test('Server API refuses a token bound to another path (401)', async () => {
      const path = `/wltex/cards/${f.cardId}/notification`;
      const token = f.auth('POST', `/wltex/cards/${f.cardId}/cancellation`);
      const res = await serverCall(
        path,
        { card: { type: 'ticket', data: [{ refId: 'x', state: 'EXPIRED' }] } },
        { token },
      );
      assert.equal(res.status, 401);
      assert.match((res.body['error'] as { message: string }).message, /another request/);
    });

    test('Server API refuses a token older than 30 s (401)', async () => {
      const path = `/wltex/cards/${f.cardId}/notification`;
      const token = f.auth('POST', path, { now: f.p.clock.now() - 31_000 });
      const res = await serverCall(
        path,
        { card: { type: 'ticket', data: [{ refId: 'x', state: 'EXPIRED' }] } },
        { token },
      );
      assert.equal(res.status, 401);
      assert.match((res.body['error'] as { message: string }).message, /expired/);
    });

    test('Server API refuses a card of another partner (401)', async () => {
      const path = `/wltex/cards/${otherCardId}/notification`;
      const res = await serverCall(path, {
        card: { type: 'ticket', data: [{ refId: 'x', state: 'EXPIRED' }] },
      });
      assert.equal(res.status, 401);
      assert.match((res.body['error'] as { message: string }).message, /another partner/);
    });

    test('Server API refuses x-smcs-partner-id other than the token partner (401)', async () => {
      const path = `/wltex/cards/${f.cardId}/notification`;
      const res = await serverCall(
        path,
        { card: { type: 'ticket', data: [{ refId: 'x', state: 'EXPIRED' }] } },
        { partnerId: other.partnerId },
      );
      assert.equal(res.status, 401);
    });

    test('Server API refuses a missing token (401), a missing x-request-id and a bad body (400)', async () => {
      const path = `/wltex/cards/${f.cardId}/notification`;
      const noToken = await inject(
        'POST',
        path,
        { card: { type: 'ticket', data: [] } },
        {
          'x-smcs-partner-id': f.partner.partnerId,
          'x-request-id': 'r1',
        },
      );
      assert.equal(noToken.status, 401);
      const noId = await serverCall(
        path,
        { card: { type: 'ticket', data: [{ refId: 'x', state: 'EXPIRED' }] } },
        { requestId: null },
      );
      assert.equal(noId.status, 400);
      const bad = await serverCall(path, { card: { type: 'ticket', data: [{ refId: 'x', state: 'SOLD' }] } });
      assert.equal(bad.status, 400);
      assert.equal(
        (bad.body['error'] as { details: { field: string }[] }).details[0]?.field,
        'card.data[0].state',
      );
    });

    test('cardport wallet add-card and cards: the admin API adds a link to an account and lists its passes', async () => {
      const admin = { authorization: 'Bearer test-admin-token-0123456789abcdef' };
      await wallet.signUp(f.p.db, f.p.clock, { email: 'cli@example.com', country: 'DE' });
      const card = ticketCard(1, {}, f.p.clock.now());
      (card.card.data[0] as Record<string, unknown>)['refId'] = 'cli-ref-1';
      const link = `https://a.swallet.link/atw/v1/${f.cardId}#Clip?cdata=${f.cdata(card)}`;
      const added = await inject('POST', '/admin/v1/wallet-cards', { email: 'cli@example.com', link }, admin);
      assert.equal(added.status, 201, JSON.stringify(added.body));
      const listed = await inject('GET', '/admin/v1/wallet-cards?email=cli@example.com', undefined, admin);
      const cards = listed.body['cards'] as Pass[];
      assert.deepEqual(
        cards.map((c) => [c.refId, c.state, c.cc2]),
        [['cli-ref-1', 'ADDED', 'DE']],
      );
      f.p.clock.advance(31_000);
      const stale = await inject('POST', '/admin/v1/wallet-cards', { email: 'cli@example.com', link }, admin);
      assert.equal(stale.status, 400);
      assert.equal((stale.body['error'] as { reason: string }).reason, 'TOKEN_EXPIRED');
    });
  });
}
