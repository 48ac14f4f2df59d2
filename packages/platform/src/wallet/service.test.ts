import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isPlatformError, type PlatformErrorCode } from '../core/errors.ts';
import { ManualClock, type TestDb, testDbKinds } from '../core/test-kit.ts';
import { listWalletActions } from './actions.ts';
import {
  addDevice,
  addWalletItem,
  authenticate,
  createAccount,
  endSession,
  findAccountByEmail,
  getDevice,
  getDeviceByWalletId,
  listDevices,
  listWalletItems,
  listWalletItemsByRef,
  newDeviceId,
  removeWalletItem,
  selectDevice,
  sessionLifetimeMs,
  signIn,
  signUp,
  updateWalletItem,
} from './service.ts';

async function rejectsWith(
  promise: Promise<unknown>,
  code: PlatformErrorCode,
  field?: string,
): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(isPlatformError(err), `expected a PlatformError, got ${String(err)}`);
    assert.equal(err.code, code);
    if (field)
      assert.ok(
        err.details?.some((d) => d.field === field),
        `expected a detail for ${field}`,
      );
    return true;
  });
}

it('makes device ids shaped like the seed’s (24 letters and digits)', () => {
  for (let i = 0; i < 200; i++) assert.match(newDeviceId(), /^[A-Za-z0-9]{24}$/);
});

for (const kind of testDbKinds()) {
  describe(`wallet service on ${kind.name}`, () => {
    let t: TestDb;
    const clock = new ManualClock();
    before(async () => {
      t = await kind.open();
    });
    after(async () => {
      await t.dispose();
    });

    it('creates an account with a first Galaxy S25 whose locale is the account country', async () => {
      const { account, device } = await createAccount(t.db, clock, {
        email: 'Alice@Example.com',
        phone: '+1(555)0100',
        country: 'de',
      });
      assert.match(account.userId, /^[A-Za-z0-9]{22}$/);
      assert.equal(account.country, 'DE');
      assert.equal(account.phone, '+1(555)0100');
      assert.equal(account.createdAt, clock.now());
      assert.equal(device.name, 'Galaxy S25');
      assert.equal(device.userId, account.userId);
      assert.match(device.deviceId, /^[A-Za-z0-9]{24}$/);
      assert.match(device.walletId, /^[A-Za-z0-9]{22}$/);
      assert.match(device.imeiLast4, /^[0-9]{4}$/);
      assert.match(device.serialLast4, /^[A-Za-z0-9]{4}$/);
      assert.deepEqual(device.locale, { country: 'DE' });
      assert.deepEqual(await getDevice(t.db, device.deviceId), device);
      assert.deepEqual(await getDeviceByWalletId(t.db, device.walletId), device);
    });

    it('finds an account by email whatever its case, and refuses a second account for it', async () => {
      const found = await findAccountByEmail(t.db, 'alice@example.COM');
      assert.equal(found?.email, 'Alice@Example.com');
      await rejectsWith(createAccount(t.db, clock, { email: 'ALICE@example.com' }), 'CONFLICT', 'email');
    });

    it('rejects a bad email, phone or country naming each field, and writes nothing', async () => {
      await rejectsWith(createAccount(t.db, clock, { email: 'not-an-email' }), 'INVALID_INPUT', 'email');
      await rejectsWith(
        createAccount(t.db, clock, { email: 'bob@example.com', phone: '555 0100' }),
        'INVALID_INPUT',
        'phone',
      );
      await rejectsWith(
        createAccount(t.db, clock, { email: 'bob@example.com', country: 'USA' }),
        'INVALID_INPUT',
        'country',
      );
      assert.equal(await findAccountByEmail(t.db, 'bob@example.com'), undefined);
    });

    it('adds devices with their own wallet ids, numbers repeated names, and lists the first device first', async () => {
      const { account, device: first } = await createAccount(t.db, clock, { email: 'carol@example.com' });
      clock.advance(1000);
      const second = await addDevice(t.db, clock, account.userId, { name: 'Galaxy Z Fold7', country: 'fr' });
      assert.equal(second.model, 'SM-F966B');
      assert.equal(second.locale.country, 'FR');
      assert.notEqual(second.walletId, first.walletId);
      const third = await addDevice(t.db, clock, account.userId, { imeiLast4: '1234', serialLast4: 'R5CX' });
      assert.equal(third.locale.country, 'US');
      assert.equal(third.name, 'Galaxy S25 (2)', 'a second phone of one model gets a numbered name');
      assert.equal(third.imeiLast4, '1234');
      assert.equal(third.serialLast4, 'R5CX');
      assert.deepEqual(
        (await listDevices(t.db, account.userId)).map((d) => d.deviceId),
        [first.deviceId, second.deviceId, third.deviceId],
      );
      await rejectsWith(
        addDevice(t.db, clock, account.userId, { imeiLast4: '12a4' }),
        'INVALID_INPUT',
        'imeiLast4',
      );
      await rejectsWith(addDevice(t.db, clock, 'no-such-user', {}), 'NOT_FOUND');
    });

    it('holds at most 20 devices per account', async () => {
      const { account } = await createAccount(t.db, clock, { email: 'many@example.com' });
      for (let i = 1; i < 20; i++) await addDevice(t.db, clock, account.userId, {});
      await rejectsWith(addDevice(t.db, clock, account.userId, {}), 'CONFLICT');
      assert.equal((await listDevices(t.db, account.userId)).length, 20);
    });

    it('signs in passwordlessly on the first device, and the session ends on the clock', async () => {
      const s = await signUp(t.db, clock, { email: 'dave@example.com' });
      assert.equal(s.expiresAt, clock.now() + sessionLifetimeMs);
      const again = await signIn(t.db, clock, { email: 'DAVE@example.com' });
      assert.notEqual(again.token, s.token);
      assert.equal(again.device.deviceId, s.device.deviceId);
      assert.equal((await authenticate(t.db, clock, s.token)).account.userId, s.account.userId);
      clock.advance(sessionLifetimeMs);
      await rejectsWith(authenticate(t.db, clock, s.token), 'UNAUTHORIZED');
      // Expired sessions are gone, not merely refused.
      const rows = await t.db.query('SELECT 1 FROM wallet_sessions WHERE user_id = $1 AND expires_at <= $2', [
        s.account.userId,
        clock.now(),
      ]);
      assert.equal(rows.length, 1, 'the other, unused session is cleaned up at the next sign-in');
      await signIn(t.db, clock, { email: 'dave@example.com' });
      const left = await t.db.query('SELECT 1 FROM wallet_sessions WHERE user_id = $1 AND expires_at <= $2', [
        s.account.userId,
        clock.now(),
      ]);
      assert.equal(left.length, 0);
    });

    it('refuses to sign in an unknown email', async () => {
      await rejectsWith(signIn(t.db, clock, { email: 'nobody@example.com' }), 'NOT_FOUND', 'email');
    });

    it('stores only a hash of the session token, and signing out ends it', async () => {
      const s = await signUp(t.db, clock, { email: 'erin@example.com' });
      const rows = await t.db.query<{ token_hash: string }>(
        'SELECT token_hash FROM wallet_sessions WHERE user_id = $1',
        [s.account.userId],
      );
      assert.equal(rows.length, 1);
      assert.notEqual(rows[0]?.token_hash, s.token);
      assert.ok(!rows[0]?.token_hash.includes(s.token));
      await endSession(t.db, s);
      await rejectsWith(authenticate(t.db, clock, s.token), 'UNAUTHORIZED');
    });

    it('switches the session to another of the account’s devices but never to someone else’s', async () => {
      const s = await signUp(t.db, clock, { email: 'frank@example.com' });
      const other = await signUp(t.db, clock, { email: 'grace@example.com' });
      const second = await addDevice(t.db, clock, s.account.userId, {});
      await selectDevice(t.db, s, second.deviceId);
      assert.equal((await authenticate(t.db, clock, s.token)).device.deviceId, second.deviceId);
      await rejectsWith(selectDevice(t.db, s, other.device.deviceId), 'NOT_FOUND');
      assert.equal((await authenticate(t.db, clock, s.token)).device.deviceId, second.deviceId);
    });

    it('holds items per device plus account-wide ones, newest first', async () => {
      const { account, device } = await createAccount(t.db, clock, { email: 'heidi@example.com' });
      const phone2 = await addDevice(t.db, clock, account.userId, {});
      assert.deepEqual(await listWalletItems(t.db, account.userId, { deviceId: device.deviceId }), []);
      const card = await addWalletItem(t.db, clock, {
        userId: account.userId,
        deviceId: device.deviceId,
        kind: 'payment_card',
        source: 'save-to-pay',
        ref: 'reg-1',
        title: 'Demo Bank Visa',
        subtitle: '•••• 4242',
        state: 'ACTIVE',
        imageUrl: 'https://bank.example/art.png',
        data: { last4: '4242' },
      });
      clock.advance(1);
      const pass = await addWalletItem(t.db, clock, {
        userId: account.userId,
        kind: 'pass',
        source: 'wallet-cards',
        ref: 'card-1/ref-1',
        title: 'Concert',
        state: 'ACTIVE',
      });
      assert.equal(pass.deviceId, null);
      assert.deepEqual(pass.data, {});
      const onFirst = await listWalletItems(t.db, account.userId, { deviceId: device.deviceId });
      assert.deepEqual(
        onFirst.map((i) => i.itemId),
        [pass.itemId, card.itemId],
      );
      assert.deepEqual(onFirst[1], card);
      const onSecond = await listWalletItems(t.db, account.userId, { deviceId: phone2.deviceId });
      assert.deepEqual(
        onSecond.map((i) => i.itemId),
        [pass.itemId],
      );
      assert.deepEqual(
        (await listWalletItemsByRef(t.db, 'save-to-pay', 'reg-1')).map((i) => i.itemId),
        [card.itemId],
      );
    });

    it('refuses a second item with the same source ref in one wallet, and bad items', async () => {
      const { account, device } = await createAccount(t.db, clock, { email: 'ivan@example.com' });
      const item = {
        userId: account.userId,
        deviceId: device.deviceId,
        kind: 'payment_card' as const,
        source: 'save-to-pay',
        ref: 'reg-9',
        title: 'Card',
        state: 'ACTIVE',
      };
      await addWalletItem(t.db, clock, item);
      await rejectsWith(addWalletItem(t.db, clock, item), 'CONFLICT', 'ref');
      await rejectsWith(
        addWalletItem(t.db, clock, { ...item, ref: 'x', kind: 'toaster' as 'pass' }),
        'INVALID_INPUT',
        'kind',
      );
      await rejectsWith(
        addWalletItem(t.db, clock, { ...item, ref: 'y', imageUrl: 'javascript:alert(1)' }),
        'INVALID_INPUT',
        'imageUrl',
      );
      await rejectsWith(
        addWalletItem(t.db, clock, { ...item, ref: 'z', state: 'active' }),
        'INVALID_INPUT',
        'state',
      );
      const stranger = await createAccount(t.db, clock, { email: 'judy@example.com' });
      await rejectsWith(
        addWalletItem(t.db, clock, { ...item, ref: 'w', deviceId: stranger.device.deviceId }),
        'NOT_FOUND',
      );
      assert.equal((await listWalletItems(t.db, account.userId)).length, 1);
    });

    it('updates an item’s state and keeps what the patch leaves out; removes items', async () => {
      const { account } = await createAccount(t.db, clock, { email: 'ken@example.com' });
      const item = await addWalletItem(t.db, clock, {
        userId: account.userId,
        kind: 'pass',
        source: 'wallet-cards',
        title: 'Boarding pass',
        state: 'ACTIVE',
        data: { seat: '12A' },
      });
      clock.advance(5000);
      const updated = await updateWalletItem(t.db, clock, item.itemId, { state: 'CANCELED' });
      assert.equal(updated.state, 'CANCELED');
      assert.deepEqual(updated.data, { seat: '12A' });
      assert.equal(updated.title, 'Boarding pass');
      assert.equal(updated.updatedAt, item.createdAt + 5000);
      assert.deepEqual((await listWalletItems(t.db, account.userId))[0], updated);
      await rejectsWith(
        updateWalletItem(t.db, clock, item.itemId, { state: 'bad state' }),
        'INVALID_INPUT',
        'state',
      );
      await removeWalletItem(t.db, clock, item.itemId);
      assert.deepEqual(await listWalletItems(t.db, account.userId), []);
      await rejectsWith(removeWalletItem(t.db, clock, item.itemId), 'NOT_FOUND');
      await rejectsWith(updateWalletItem(t.db, clock, item.itemId, { state: 'ACTIVE' }), 'NOT_FOUND');
    });
    it('records adding, updating and removing an item on its object’s timeline, in the same transaction', async () => {
      const { account } = await createAccount(t.db, clock, { email: 'lena@example.com' });
      const item = await addWalletItem(t.db, clock, {
        userId: account.userId,
        kind: 'pass',
        source: 'wallet-cards',
        ref: 'card-7/ref-timeline',
        title: 'Concert',
        state: 'ACTIVE',
      });
      clock.advance(1000);
      await updateWalletItem(t.db, clock, item.itemId, { state: 'EXPIRED' });
      clock.advance(1000);
      await removeWalletItem(t.db, clock, item.itemId);
      const actions = await listWalletActions(t.db, 'card-7/ref-timeline');
      assert.deepEqual(
        actions.map((a) => [
          a.action,
          a.accountId,
          a.detail['title'],
          a.detail['state'],
          a.at - item.createdAt,
        ]),
        [
          ['ITEM_ADDED', account.userId, 'Concert', 'ACTIVE', 0],
          ['ITEM_UPDATED', account.userId, 'Concert', 'EXPIRED', 1000],
          ['ITEM_REMOVED', account.userId, 'Concert', 'EXPIRED', 2000],
        ],
      );
      // A refused change records nothing; a rolled-back transaction takes its action with it.
      await rejectsWith(removeWalletItem(t.db, clock, item.itemId), 'NOT_FOUND');
      await assert.rejects(
        t.db.transaction(async (tx) => {
          await addWalletItem(tx, clock, {
            userId: account.userId,
            kind: 'pass',
            source: 'wallet-cards',
            ref: 'card-7/ref-timeline',
            title: 'Concert',
            state: 'ACTIVE',
          });
          throw new Error('the flow fails after adding');
        }),
        /the flow fails/,
      );
      assert.equal((await listWalletActions(t.db, 'card-7/ref-timeline')).length, 3);
    });

    it('records a flow’s own action instead of the generic one, once, or nothing when told', async () => {
      const { account } = await createAccount(t.db, clock, { email: 'mia@example.com' });
      const item = await addWalletItem(
        t.db,
        clock,
        {
          userId: account.userId,
          kind: 'payment_card',
          source: 'save-to-pay',
          ref: 'reg-own-action',
          title: 'Bank card',
          state: 'ACTIVE',
        },
        { action: 'CARD_LINKED', detail: { last4: '1234' } },
      );
      await updateWalletItem(t.db, clock, item.itemId, { state: 'SUSPENDED' }, { action: false });
      await updateWalletItem(
        t.db,
        clock,
        item.itemId,
        { state: 'ACTIVE' },
        { action: 'PASS_UPDATED', objectId: 'other-object' },
      );
      assert.deepEqual(
        (await listWalletActions(t.db, 'other-object')).map((a) => [a.action, a.detail['state']]),
        [['PASS_UPDATED', 'ACTIVE']],
      );
      const actions = await listWalletActions(t.db, 'reg-own-action');
      assert.deepEqual(
        actions.map((a) => [a.action, a.detail['title'], a.detail['last4']]),
        [['CARD_LINKED', 'Bank card', '1234']],
      );
      // An item without a ref is its own object.
      const loose = await addWalletItem(t.db, clock, {
        userId: account.userId,
        kind: 'pass',
        source: 'wallet-cards',
        title: 'Loose pass',
        state: 'ACTIVE',
      });
      assert.deepEqual(
        (await listWalletActions(t.db, loose.itemId)).map((a) => a.action),
        ['ITEM_ADDED'],
      );
    });
  });
}
