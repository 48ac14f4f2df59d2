import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from './clock.ts';
import type { Queryable } from './db.ts';
import { createDelivery, type Delivery } from './delivery.ts';
import { type Receiver, startReceiver, waitFor } from './delivery-test-support.ts';
import { silentLogger, type TestDb, testDbKinds } from './test-kit.ts';

// Batched completion (one statement for many finished attempts), hooks sharing the batch's
// transaction, and the wake-up on enqueue (docs/reliability.md).
for (const kind of testDbKinds()) {
  describe(`delivery batches on ${kind.name}`, () => {
    let testDb: TestDb;
    let receiver: Receiver;
    const modules: Delivery[] = [];
    const make = () => {
      const d = createDelivery({
        db: testDb.db,
        clock: new ManualClock(),
        log: silentLogger,
        resolveIdentity: async () => undefined,
      });
      modules.push(d);
      return d;
    };

    before(async () => {
      testDb = await kind.open();
      receiver = await startReceiver();
    });
    after(async () => {
      for (const d of modules) await d.close();
      await receiver.close();
      await testDb.dispose();
    });

    const job = (k: string, n: number) => ({
      kind: k,
      partnerId: null,
      method: 'POST' as const,
      url: `${receiver.url}/batch`,
      body: { n },
    });

    it('records 100 jobs delivered in batches, each with its attempt, and runs each hook once', async () => {
      const delivery = make();
      const hooked: string[] = [];
      delivery.registerKind('test.batch', {
        onDelivered: async (_q, j) => {
          hooked.push(j.id);
        },
      });
      const ids = new Set<string>();
      for (let n = 0; n < 100; n++) ids.add((await delivery.enqueue(testDb.db, job('test.batch', n))).id);
      assert.equal(await delivery.runDue(), 100);
      const delivered = await delivery.list({ kind: 'test.batch', limit: 200 });
      assert.equal(delivered.length, 100);
      for (const d of delivered) {
        assert.equal(d.status, 'delivered');
        assert.equal(d.leaseOwner, null);
        const details = await delivery.get(d.id);
        assert.deepEqual(
          details?.attempts.map((a) => [a.attempt, a.outcome, a.httpStatus]),
          [[1, 'delivered', 200]],
        );
      }
      assert.deepEqual(new Set(hooked), ids);
      assert.equal(hooked.length, 100);
    });

    it("rolls back only a failing hook's writes, and keeps the other jobs of its batch and their hooks", async () => {
      const delivery = make();
      await testDb.db.exec('CREATE TABLE IF NOT EXISTS hook_writes (n INTEGER PRIMARY KEY)');
      delivery.registerKind('test.batch_sql', {
        onDelivered: async (q: Queryable, j) => {
          const n = (j.body as { n: number }).n;
          await q.query('INSERT INTO hook_writes (n) VALUES ($1)', [n]);
          if (n === 3) throw new Error('hook 3 fails after writing');
        },
      });
      for (let n = 0; n < 6; n++) await delivery.enqueue(testDb.db, job('test.batch_sql', n));
      assert.equal(await delivery.runDue(), 6);
      const rows = await testDb.db.query<{ n: number }>('SELECT n FROM hook_writes ORDER BY n');
      assert.deepEqual(
        rows.map((r) => Number(r.n)),
        [0, 1, 2, 4, 5],
      );
      const jobs = await delivery.list({ kind: 'test.batch_sql' });
      assert.equal(jobs.length, 6);
      assert.ok(jobs.every((d) => d.status === 'delivered'));
      const failed = jobs.find((d) => d.bodyText === JSON.stringify({ n: 3 }));
      const details = await delivery.get(failed?.id ?? '');
      assert.match(details?.attempts[0]?.error ?? '', /onDelivered hook failed/);
    });

    const idleWorker = async () => {
      const worker = make();
      worker.start({ pollMs: 60_000, concurrency: 4 });
      // Let the worker's first pass find the queue empty and go idle.
      await new Promise((resolve) => setTimeout(resolve, 100));
      return worker;
    };
    const deliveredBy = async (worker: Delivery, id: string) => {
      await waitFor(async () => (await worker.get(id))?.delivery.status === 'delivered', `delivery of ${id}`);
      await worker.stop();
    };

    it('wakes its idle worker as soon as a job is committed, with no poll due for a minute', async () => {
      const worker = await idleWorker();
      const { id } = await testDb.db.transaction((tx) => worker.enqueue(tx, job('test.wake', 1)));
      await deliveredBy(worker, id);
    });

    if (kind.name === 'postgres') {
      it("wakes another process's idle worker by NOTIFY when the enqueuing transaction commits", async () => {
        const worker = await idleWorker();
        const producer = make();
        const { id } = await testDb.db.transaction((tx) => producer.enqueue(tx, job('test.wake', 2)));
        await deliveredBy(worker, id);
      });
    }
  });
}
