import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from './clock.ts';
import { createDelivery, type Delivery } from './delivery.ts';
import { type Receiver, startReceiver } from './delivery-test-support.ts';
import { isPlatformError } from './errors.ts';
import { silentLogger, type TestDb, testDbKinds } from './test-kit.ts';

// The outbound gate (DeliveryOptions.refuse) is how the app keeps calls from revoked partners
// without core knowing partners: here it refuses partner "gone" and lets "ok" through.
const refuse = async (partnerId: string) => (partnerId === 'gone' ? 'partner gone is revoked' : null);

for (const kind of testDbKinds()) {
  describe(`delivery's outbound gate on ${kind.name}`, () => {
    let testDb: TestDb;
    let receiver: Receiver;
    let delivery: Delivery;

    before(async () => {
      testDb = await kind.open();
      receiver = await startReceiver();
      delivery = createDelivery({
        db: testDb.db,
        clock: new ManualClock(),
        log: silentLogger,
        resolveIdentity: async () => undefined,
        refuse,
      });
    });
    after(async () => {
      await delivery.close();
      await receiver.close();
      await testDb.dispose();
    });

    const job = (partnerId: string) => ({
      kind: 'test.gate',
      partnerId,
      method: 'POST' as const,
      url: `${receiver.url}/notifications`,
      body: { partnerId },
    });

    it('sends nothing on a refused sync call, throws FORBIDDEN and records it as cancelled with the reason', async () => {
      const sent = receiver.requests.length;
      await assert.rejects(
        delivery.call(job('gone')),
        (err) =>
          isPlatformError(err) && err.code === 'FORBIDDEN' && /partner gone is revoked/.test(err.message),
      );
      assert.equal(receiver.requests.length, sent);
      const [recorded] = await delivery.list({ partnerId: 'gone' });
      assert.equal(recorded?.mode, 'sync');
      assert.equal(recorded?.status, 'cancelled');
      assert.equal(recorded?.attempts, 0);
      assert.equal(recorded?.lastError, 'not sent: partner gone is revoked');
      assert.equal((await delivery.call(job('ok'))).status, 200, 'other partners are called');
    });

    it('ends a refused durable job as cancelled without sending it, and delivers the others', async () => {
      const sent = receiver.requests.length;
      const refused = await delivery.enqueue(testDb.db, job('gone'));
      const allowed = await delivery.enqueue(testDb.db, job('ok'));
      assert.equal(await delivery.runDue(), 2);
      assert.equal(receiver.requests.length, sent + 1);
      assert.deepEqual(receiver.requests.at(-1)?.json, { partnerId: 'ok' });
      const details = await delivery.get(refused.id);
      assert.equal(details?.delivery.status, 'cancelled');
      assert.equal(details?.delivery.lastError, 'not sent: partner gone is revoked');
      assert.equal(details?.attempts[0]?.outcome, 'cancelled');
      assert.equal(details?.attempts[0]?.httpStatus, null);
      assert.equal((await delivery.get(allowed.id))?.delivery.status, 'delivered');
      assert.equal(await delivery.runDue(), 0, 'a cancelled job is not tried again');
    });
  });
}
