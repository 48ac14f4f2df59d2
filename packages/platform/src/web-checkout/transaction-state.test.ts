import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isPlatformError } from '../core/errors.ts';
import { testDbKinds } from '../core/test-kit.ts';
import { startTestPlatform, type TestPlatform } from '../testing/index.ts';
import { tspModule } from '../tsp/index.ts';
import { walletModule } from '../wallet/module.ts';
import { isWebCheckoutError } from './errors.ts';
import { webCheckoutModule } from './module.ts';
import * as store from './store.ts';
import { createTransactionBody, onboardCheckoutPartner } from './test-support.ts';
import { allowedMoves, moveTransaction, transition } from './transaction-state.ts';

const created = 1_800_000_000_000;
function row(status: store.TransactionStatus, expiresAt = created + 60_000): store.TransactionRow {
  return {
    transactionId: '0123456789abcdef012345',
    serviceId: 'a'.repeat(32),
    keyId: 'k1',
    callbackUrl: 'https://shop.example/done',
    orderNumber: 'o-1',
    recurring: false,
    amountOption: 'FORMAT_TOTAL_PRICE_ONLY',
    currency: 'USD',
    amountTotal: '1.00',
    amountMinor: '100',
    merchantName: 'Shop',
    merchantUrl: null,
    merchantReference: null,
    allowedBrands: ['VI'],
    status,
    ...store.notCheckedOut,
    createdAt: created,
    expiresAt,
    updatedAt: created,
  };
}

/** The code an error answers with: the Web Checkout resultCode, else the platform code. */
function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (isWebCheckoutError(err)) return `${err.resultCode} ${err.status}`;
    if (isPlatformError(err)) return `${err.code} ${err.status}`;
    throw err;
  }
  return 'allowed';
}

describe('the moves of a checkout transaction', () => {
  const now = created + 1000;

  it('allows exactly the moves of the table and refuses the rest with the asking side’s code', () => {
    const outcomes: Record<string, string> = {};
    for (const from of store.transactionStatuses) {
      for (const to of ['PENDING', 'APPROVED', 'DECLINED', 'CANCELED'] as const) {
        outcomes[`${from}→${to}`] = codeOf(() => transition(row(from), to, now));
      }
    }
    assert.deepEqual(outcomes, {
      'CREATED→PENDING': 'allowed',
      'CREATED→APPROVED': 'CONFLICT 409',
      'CREATED→DECLINED': 'CONFLICT 409',
      'CREATED→CANCELED': 'allowed',
      'PENDING→PENDING': 'allowed',
      'PENDING→APPROVED': 'allowed',
      'PENDING→DECLINED': 'allowed',
      'PENDING→CANCELED': 'allowed',
      'APPROVED→PENDING': 'OPM2N1103 409',
      'APPROVED→APPROVED': 'CONFLICT 409',
      'APPROVED→DECLINED': 'CONFLICT 409',
      'APPROVED→CANCELED': 'OPM2N1103 409',
      'DECLINED→PENDING': 'OPM2N1103 409',
      'DECLINED→APPROVED': 'CONFLICT 409',
      'DECLINED→DECLINED': 'CONFLICT 409',
      'DECLINED→CANCELED': 'allowed',
      'CANCELED→PENDING': 'OPM2N1103 409',
      'CANCELED→APPROVED': 'CONFLICT 409',
      'CANCELED→DECLINED': 'CONFLICT 409',
      'CANCELED→CANCELED': 'allowed',
    });
    assert.deepEqual(allowedMoves.APPROVED, []);
  });

  it('answers a cancel of a declined or canceled transaction as already done', () => {
    assert.equal(transition(row('DECLINED'), 'CANCELED', now), 'unchanged');
    assert.equal(transition(row('CANCELED'), 'CANCELED', now), 'unchanged');
    assert.equal(transition(row('PENDING'), 'CANCELED', now), 'move');
  });

  it('refuses an expired checkout before its status, an expired approval after it', () => {
    const late = created + 120_000;
    assert.equal(
      codeOf(() => transition(row('APPROVED'), 'PENDING', late)),
      'GONE 410',
    );
    assert.equal(
      codeOf(() => transition(row('PENDING'), 'APPROVED', late)),
      'GONE 410',
    );
    assert.equal(
      codeOf(() => transition(row('DECLINED'), 'APPROVED', late)),
      'CONFLICT 409',
    );
    // Decline and cancel ignore the expiry.
    assert.equal(transition(row('PENDING'), 'DECLINED', late), 'move');
    assert.equal(transition(row('CREATED'), 'CANCELED', late), 'move');
  });
});

for (const kind of testDbKinds()) {
  describe(`a guarded move on ${kind.name}`, () => {
    let p: TestPlatform;
    let transactionId = '';

    before(async () => {
      p = await startTestPlatform({ kind, modules: [walletModule, tspModule, webCheckoutModule] });
      const shop = await onboardCheckoutPartner(p);
      const res = await p.app.main.inject({
        method: 'POST',
        url: '/ops/v1/transactions',
        payload: createTransactionBody(shop.service.serviceId),
      });
      assert.equal(res.statusCode, 200, res.body);
      transactionId = res.json().id;
    });
    after(async () => p.close());

    it('writes only the changed columns and answers the moved row', async () => {
      const read = await store.getTransaction(p.db, transactionId);
      assert.ok(read);
      const moved = await moveTransaction(p.db, read, 'PENDING', { userId: 'u-1', updatedAt: 42 });
      assert.deepEqual(moved, { ...read, status: 'PENDING', userId: 'u-1', updatedAt: 42 });
      assert.deepEqual(await store.getTransaction(p.db, transactionId), moved);
    });

    it('refuses a move whose transaction someone else moved first, with the coded error', async () => {
      const stale = await store.getTransaction(p.db, transactionId);
      assert.ok(stale);
      await moveTransaction(p.db, stale, 'DECLINED', { answeredAt: 43 });
      await assert.rejects(
        moveTransaction(p.db, stale, 'APPROVED', { answeredAt: 44 }),
        (err: unknown) =>
          isPlatformError(err) &&
          err.status === 409 &&
          err.message === 'this payment request is already declined',
      );
      await assert.rejects(moveTransaction(p.db, stale, 'PENDING', { userId: 'u-2' }), (err: unknown) =>
        isWebCheckoutError(err) ? err.resultCode === 'OPM2N1103' : false,
      );
      const now = await store.getTransaction(p.db, transactionId);
      assert.equal(now?.status, 'DECLINED');
      assert.equal(now?.answeredAt, 43);
      assert.equal(now?.userId, 'u-1');
    });
  });
}
