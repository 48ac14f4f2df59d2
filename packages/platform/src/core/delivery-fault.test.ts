import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ManualClock } from './clock.ts';
import { type Db, openDb } from './db.ts';
import { createDelivery, type Delivery } from './delivery.ts';
import { type Receiver, startReceiver, waitFor } from './delivery-test-support.ts';
import { migrate } from './migrate.ts';
import { silentLogger, testDbKinds } from './test-kit.ts';

const fixture = fileURLToPath(new URL('./delivery-worker.fixture.ts', import.meta.url));
const epoch = Date.UTC(2026, 0, 1);

interface Store {
  name: string;
  env: Record<string, string>;
  /** Opens the database (again): for PGlite, only once the child is gone (one process at a time). */
  open(): Promise<Db>;
  close(db: Db): Promise<void>;
  dispose(): Promise<void>;
}

async function pgliteStore(): Promise<Store> {
  const dir = mkdtempSync(join(tmpdir(), 'cardport-fault-'));
  const dataDir = join(dir, 'pgdata');
  return {
    name: 'a PGlite data folder',
    env: { FIXTURE_DATA_DIR: dataDir },
    open: () => openDb({ dataDir }),
    close: (db) => db.close(),
    dispose: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

async function postgresStore(): Promise<Store> {
  const kind = testDbKinds().find((k) => k.name === 'postgres')!;
  const testDb = await kind.open();
  const [row] = await testDb.db.query<{ schema: string }>('SELECT current_schema() AS schema');
  return {
    name: 'PostgreSQL',
    env: { FIXTURE_DATABASE_URL: process.env['DATABASE_URL']!, FIXTURE_SCHEMA: row!.schema },
    open: async () => testDb.db,
    close: async () => {},
    dispose: () => testDb.dispose(),
  };
}

function spawnFixture(env: Record<string, string>): { child: ChildProcess; lines: string[] } {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture], {
    env: { ...process.env, ...env, FIXTURE_NOW: String(epoch) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  child.stdout
    ?.setEncoding('utf8')
    .on('data', (chunk: string) => lines.push(...chunk.split('\n').filter(Boolean)));
  return { child, lines };
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

const stores: (() => Promise<Store>)[] = [pgliteStore];
if (process.env['DATABASE_URL']) stores.push(postgresStore);

for (const makeStore of stores) {
  describe(`a delivery worker killed by SIGKILL (${makeStore === pgliteStore ? 'PGlite' : 'PostgreSQL'})`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    after(async () => {
      for (const c of cleanups.reverse()) await c();
    });

    it('loses no job: after its lease expires, a restarted worker delivers each job exactly once', async () => {
      const store = await makeStore();
      cleanups.push(() => store.dispose());
      // The receiver never answers the doomed worker; once it is dead, it answers 200.
      let answering = false;
      const hung: ServerResponse[] = [];
      const answered = new Map<number, number>();
      const receiver: Receiver = await startReceiver((req, res) => {
        if (!answering) {
          hung.push(res);
          return;
        }
        const n = (req.json as { order: number }).order;
        answered.set(n, (answered.get(n) ?? 0) + 1);
        res.writeHead(200).end();
      });
      cleanups.push(() => receiver.close());

      let db = await store.open();
      await migrate(db);
      await db.exec('CREATE TABLE fault_orders (id TEXT PRIMARY KEY, state TEXT NOT NULL)');
      const enqueuer = createDelivery({
        db,
        clock: new ManualClock(epoch),
        log: silentLogger,
        resolveIdentity: async () => undefined,
      });
      const jobs = 3;
      for (let n = 0; n < jobs; n++) {
        await db.transaction(async (tx) => {
          await tx.query("INSERT INTO fault_orders (id, state) VALUES ($1, 'PROVISIONED')", [`order-${n}`]);
          await enqueuer.enqueue(tx, {
            kind: 'fault.notification',
            partnerId: null,
            method: 'POST',
            url: `${receiver.url}/notifications`,
            body: { order: n },
          });
        });
      }
      await enqueuer.close();
      await store.close(db);

      const { child } = spawnFixture({ ...store.env, FIXTURE_MODE: 'work' });
      cleanups.push(() => kill(child));
      await waitFor(() => receiver.requests.length === jobs, 'the doomed worker to send every job', 60_000);
      await kill(child);
      for (const res of hung) res.destroy();

      db = await store.open();
      const inFlight = await db.query<{ status: string; attempts: number }>(
        'SELECT status, attempts FROM deliveries ORDER BY id',
      );
      assert.deepEqual(
        inFlight.map((r) => [r.status, r.attempts]),
        Array.from({ length: jobs }, () => ['in_flight', 1]),
        'the killed worker left its jobs leased',
      );
      answering = true;
      // Lease time is real time; this worker's lease clock stands beyond the dead worker's lease.
      const leaseClock = new ManualClock(Date.now());
      const restarted: Delivery = createDelivery({
        db,
        clock: new ManualClock(epoch),
        leaseClock,
        log: silentLogger,
        resolveIdentity: async () => undefined,
        workerName: 'restarted-worker',
      });
      cleanups.push(() => restarted.close());
      assert.equal(await restarted.runDue(), 0, 'a leased job is not taken while its lease runs');
      // The fixture's lease: its timeout (60 s) + 30 s, counted from a moment before this clock's start.
      leaseClock.advance(90_000);
      assert.equal(await restarted.runDue(), jobs);
      assert.deepEqual(
        [...answered.entries()].sort(),
        Array.from({ length: jobs }, (_, n) => [n, 1]),
        'each job reached the receiver exactly once more',
      );
      const rows = await db.query<{ status: string; outcomes: string }>(
        `SELECT d.status, string_agg(a.worker || ':' || a.outcome, ',' ORDER BY a.attempt) AS outcomes
           FROM deliveries d JOIN delivery_attempts a ON a.delivery_id = d.id GROUP BY d.id, d.status`,
      );
      assert.equal(rows.length, jobs);
      for (const r of rows) {
        assert.equal(r.status, 'delivered');
        assert.equal(r.outcomes, 'doomed-worker:lease_expired,restarted-worker:delivered');
      }
      const orders = await db.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM fault_orders');
      assert.equal(orders[0]?.n, jobs);
      await restarted.close();
      await store.close(db);
    });

    it('keeps a state change and its job together when the process dies before the commit', async () => {
      const store = await makeStore();
      cleanups.push(() => store.dispose());
      const receiver = await startReceiver();
      cleanups.push(() => receiver.close());
      let db = await store.open();
      await migrate(db);
      await db.exec('CREATE TABLE fault_orders (id TEXT PRIMARY KEY, state TEXT NOT NULL)');
      await store.close(db);

      const { child, lines } = spawnFixture({
        ...store.env,
        FIXTURE_MODE: 'hang-in-transaction',
        FIXTURE_URL: receiver.url,
      });
      cleanups.push(() => kill(child));
      await waitFor(
        () => lines.includes('in-transaction'),
        'the child to write inside its transaction',
        60_000,
      );
      await kill(child);

      db = await store.open();
      const orders = await db.query('SELECT id FROM fault_orders');
      const jobs = await db.query('SELECT id FROM deliveries');
      assert.deepEqual([orders.length, jobs.length], [0, 0], 'neither the state change nor its job survived');
      const delivery = createDelivery({
        db,
        clock: new ManualClock(epoch),
        log: silentLogger,
        resolveIdentity: async () => undefined,
      });
      cleanups.push(() => delivery.close());
      await db.transaction(async (tx) => {
        await tx.query("INSERT INTO fault_orders (id, state) VALUES ('retried', 'PROVISIONED')");
        await delivery.enqueue(tx, {
          kind: 'fault.notification',
          partnerId: null,
          method: 'POST',
          url: receiver.url,
        });
      });
      assert.equal(await delivery.runDue(), 1, 'the database is usable after the crash');
      assert.equal(receiver.requests.length, 1, 'the uncommitted job was never sent');
      await delivery.close();
      await store.close(db);
    });
  });
}

test('two workers on one PostgreSQL deliver every job exactly once and never one job twice at a time (PostgreSQL only)', {
  skip: !process.env['DATABASE_URL'] && 'needs DATABASE_URL (CI sets it)',
}, async () => {
  const kind = testDbKinds().find((k) => k.name === 'postgres')!;
  const testDb = await kind.open();
  const inFlight = new Set<number>();
  const delivered = new Map<number, number>();
  const overlaps: number[] = [];
  const receiver = await startReceiver((req, res) => {
    const n = (req.json as { n: number }).n;
    if (inFlight.has(n)) overlaps.push(n);
    inFlight.add(n);
    // Answer a little later, so that attempts of both workers overlap in time.
    setTimeout(() => {
      inFlight.delete(n);
      delivered.set(n, (delivered.get(n) ?? 0) + 1);
      res.writeHead(200).end();
    }, n % 7);
  });
  const clock = new ManualClock(epoch);
  const workers = [testDb.db, await testDb.openAnother()].map((db, i) =>
    createDelivery({
      db,
      clock,
      log: silentLogger,
      resolveIdentity: async () => undefined,
      workerName: `w${i}`,
    }),
  );
  try {
    const jobs = 120;
    for (let n = 0; n < jobs; n++) {
      await workers[0]!.enqueue(testDb.db, {
        kind: 'fault.shared',
        partnerId: null,
        method: 'POST',
        url: receiver.url,
        body: { n },
      });
    }
    for (const w of workers) w.start({ concurrency: 8, pollMs: 10 });
    await waitFor(async () => {
      const [row] = await testDb.db.query<{ n: number }>(
        "SELECT COUNT(*)::int AS n FROM deliveries WHERE status = 'delivered'",
      );
      return row?.n === jobs;
    }, 'every job to be delivered');
    await Promise.all(workers.map((w) => w.stop()));
    assert.deepEqual(overlaps, [], 'no job was in flight twice at once');
    assert.equal(delivered.size, jobs);
    assert.ok(
      [...delivered.values()].every((count) => count === 1),
      'each job reached the receiver once',
    );
    const attempts = await testDb.db.query<{ worker: string; n: number }>(
      "SELECT worker, COUNT(*)::int AS n FROM delivery_attempts WHERE outcome = 'delivered' GROUP BY worker",
    );
    assert.equal(
      attempts.reduce((sum, r) => sum + r.n, 0),
      jobs,
    );
    assert.equal(attempts.length, 2, 'both workers took a share of the queue');
  } finally {
    await Promise.all(workers.map((w) => w.close()));
    await receiver.close();
    await testDb.dispose();
  }
});
