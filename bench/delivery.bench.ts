// Durable delivery throughput: jobs per second from enqueue (each in its own transaction, as a
// state change would) to the receiver's 2xx and the job marked delivered, on PGlite (a data
// folder) and on PostgreSQL when DATABASE_URL is set. Baselines measured in the same run, rounds
// interleaved (median of 3): the same database's own INSERT+UPDATE pairs (one autocommit INSERT
// and one autocommit UPDATE per job, `concurrency` at a time: the least a durable job can cost),
// and plain HTTP POSTs to the same loopback receiver. The event loop's delay (monitorEventLoopDelay)
// is recorded during the durable runs.
// Run: node --import tsx bench/delivery.bench.ts [jobs, default 2000] [producers, default 8]
//      [worker concurrency, default 64]
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { ManualClock } from '../packages/platform/src/core/clock.ts';
import { type Db, openDb } from '../packages/platform/src/core/db.ts';
import { createDelivery } from '../packages/platform/src/core/delivery.ts';
import { silentLogger } from '../packages/platform/src/core/logger.ts';
import { migrate } from '../packages/platform/src/core/migrate.ts';
import { loopStallGoalMs, postgresCpuMs, reportGoal } from './support.ts';

const jobs = Number(process.argv[2] ?? 2000);
const concurrency = Number(process.argv[3] ?? 8);
if (!(Number.isInteger(jobs) && jobs > 0 && jobs <= 100_000))
  throw new TypeError('jobs: an integer 1-100000');
if (!(Number.isInteger(concurrency) && concurrency > 0 && concurrency <= 64)) {
  throw new TypeError('concurrency: an integer 1-64');
}
const workers = Number(process.argv[4] ?? 64);
if (!(Number.isInteger(workers) && workers > 0 && workers <= 256)) {
  throw new TypeError('worker concurrency: an integer 1-256');
}
const rounds = 3;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

/** Runs `step(i)` for i = 0…count-1, `concurrency` at a time; answers steps per second. */
async function timedLoops(count: number, step: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await step(next++);
    }),
  );
  return count / ((performance.now() - start) / 1000);
}

/** Baseline: `count` INSERT+UPDATE pairs (each its own autocommit statement), `concurrency` at a time. */
async function insertUpdatePairs(db: Db, count: number): Promise<number> {
  await db.exec(
    'CREATE TABLE IF NOT EXISTS bench_pairs (id TEXT PRIMARY KEY, body TEXT NOT NULL, status TEXT NOT NULL)',
  );
  const payload = JSON.stringify(body);
  const rate = await timedLoops(count, async (i) => {
    const id = `p${i}_${randomBytes(4).toString('hex')}`;
    await db.query("INSERT INTO bench_pairs (id, body, status) VALUES ($1, $2, 'pending')", [id, payload]);
    await db.query("UPDATE bench_pairs SET status = 'delivered' WHERE id = $1", [id]);
  });
  await db.exec('DELETE FROM bench_pairs');
  return rate;
}

/**
 * Second baseline: `count` transactions of one INSERT each (BEGIN, INSERT, COMMIT), `concurrency`
 * at a time: what writing a job in its caller's transaction costs before any delivery work.
 */
async function insertTransactions(db: Db, count: number): Promise<number> {
  await db.exec('CREATE TABLE IF NOT EXISTS bench_tx (id TEXT PRIMARY KEY, body TEXT NOT NULL)');
  const payload = JSON.stringify(body);
  const rate = await timedLoops(count, (i) =>
    db.transaction((tx) =>
      tx.query('INSERT INTO bench_tx (id, body) VALUES ($1, $2)', [
        `t${i}_${randomBytes(4).toString('hex')}`,
        payload,
      ]),
    ),
  );
  await db.exec('DELETE FROM bench_tx');
  return rate;
}

const body = { event: { regId: 'bench', type: 'WA_PROVISIONED' }, user: { id: 'u' }, wallet: { id: 'w' } };

/** A loopback receiver answering 200 at once. */
async function startReceiver(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/notifications`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Baseline: `count` POSTs of the same body, `concurrency` at a time, on a keep-alive agent. */
async function plainPosts(url: string, count: number): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const payload = JSON.stringify(body);
  const post = () =>
    new Promise<void>((resolve, reject) => {
      const req = http.request(
        url,
        {
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': payload.length },
        },
        (res) => {
          res.resume();
          res.on('end', () =>
            res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`)),
          );
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        next++;
        await post();
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  agent.destroy();
  return count / seconds;
}

/** Enqueues `count` jobs (one transaction each) while the worker runs; returns jobs/s once all are delivered. */
async function durable(
  db: Db,
  url: string,
  count: number,
): Promise<{ rate: number; loopMaxMs: number; loopP99Ms: number }> {
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const delivery = createDelivery({
    db,
    clock: new ManualClock(Date.now()),
    log: silentLogger,
    resolveIdentity: async () => undefined,
  });
  let delivered = 0;
  let done: () => void = () => {};
  const allDelivered = new Promise<void>((resolve) => {
    done = resolve;
  });
  delivery.registerKind('bench.notification', {
    onDelivered: async () => {
      delivered++;
      if (delivered === count) done();
    },
  });
  delivery.start({ concurrency: workers, pollMs: 1000 });
  const start = performance.now();
  // Jobs come from concurrent requests, as state changes do: `concurrency` producers.
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        next++;
        await db.transaction((tx) =>
          delivery.enqueue(tx, { kind: 'bench.notification', partnerId: null, method: 'POST', url, body }),
        );
      }
    }),
  );
  await allDelivered;
  await delivery.stop();
  const seconds = (performance.now() - start) / 1000;
  const [row] = await db.query<{ n: number }>(
    "SELECT COUNT(*)::int AS n FROM deliveries WHERE status = 'delivered' AND kind = 'bench.notification'",
  );
  await delivery.close();
  if (Number(row?.n) < count) throw new Error(`only ${row?.n} of ${count} jobs are marked delivered`);
  await db.query("DELETE FROM deliveries WHERE kind = 'bench.notification'");
  loop.disable();
  return { rate: count / seconds, loopMaxMs: loop.max / 1e6, loopP99Ms: loop.percentile(99) / 1e6 };
}

interface Store {
  name: string;
  open(): Promise<Db>;
  dispose(db: Db): Promise<void>;
}

const stores: Store[] = [
  {
    name: 'PGlite (data folder)',
    async open() {
      const dir = mkdtempSync(join(tmpdir(), 'cardport-bench-'));
      const db = await openDb({ dataDir: join(dir, 'pgdata') });
      await migrate(db);
      return Object.assign(db, { benchDir: dir });
    },
    async dispose(db) {
      await db.close();
      rmSync((db as Db & { benchDir: string }).benchDir, { recursive: true, force: true });
    },
  },
];
const databaseUrl = process.env['DATABASE_URL'];
if (databaseUrl) {
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  stores.push({
    name: 'PostgreSQL',
    async open() {
      const admin = await openDb({ url: databaseUrl, maxConnections: 1 });
      await admin.query(`CREATE SCHEMA ${schema}`);
      await admin.close();
      const db = await openDb({ url: databaseUrl, schema, maxConnections: concurrency + 4 });
      await migrate(db);
      return db;
    },
    async dispose(db) {
      await db.close();
      const admin = await openDb({ url: databaseUrl, maxConnections: 1 });
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.close();
    },
  });
}

const receiver = await startReceiver();
try {
  await plainPosts(receiver.url, Math.min(500, jobs)); // warm-up
  const rows: string[] = [];
  const notes: string[] = [];
  for (const store of stores) {
    const db = await store.open();
    try {
      await durable(db, receiver.url, Math.min(200, jobs)); // warm-up
      await insertUpdatePairs(db, Math.min(200, jobs)); // warm-up
      const pairs: number[] = [];
      const transactions: number[] = [];
      const posts: number[] = [];
      const rates: number[] = [];
      const loopMax: number[] = [];
      const loopP99: number[] = [];
      // PostgreSQL's own CPU per job and per pair (µs): what each costs the database server.
      const serverCpu = { pair: [] as number[], job: [] as number[] };
      const perJob = (since: number) => ((postgresCpuMs() - since) * 1000) / jobs;
      for (let round = 0; round < rounds; round++) {
        let cpu = postgresCpuMs();
        pairs.push(await insertUpdatePairs(db, jobs));
        serverCpu.pair.push(perJob(cpu));
        transactions.push(await insertTransactions(db, jobs));
        posts.push(await plainPosts(receiver.url, jobs));
        cpu = postgresCpuMs();
        const r = await durable(db, receiver.url, jobs);
        serverCpu.job.push(perJob(cpu));
        rates.push(r.rate);
        loopMax.push(r.loopMaxMs);
        loopP99.push(r.loopP99Ms);
      }
      const rate = median(rates);
      const ratio = median(rates.map((x, i) => x / (pairs[i] ?? Number.NaN)));
      reportGoal({
        path: `durable delivery, ${store.name}`,
        goal: store.name.startsWith('PostgreSQL')
          ? '≥ 1,000/s and ≥ 0.7× INSERT+UPDATE pairs'
          : '(none: PostgreSQL only)',
        measured: `${rate.toFixed(0)}/s, ${ratio.toFixed(2)}×`,
        met: store.name.startsWith('PostgreSQL') ? rate >= 1000 && ratio >= 0.7 : true,
      });
      reportGoal({
        path: `event loop under the delivery load, ${store.name}`,
        goal: `no stall over ${loopStallGoalMs} ms`,
        measured: `max ${Math.max(...loopMax).toFixed(0)} ms, p99 ${median(loopP99).toFixed(0)} ms`,
        met: Math.max(...loopMax) <= loopStallGoalMs,
      });
      if (store.name.startsWith('PostgreSQL'))
        notes.push(
          `PostgreSQL server CPU: ${median(serverCpu.job).toFixed(0)} µs per durable job (enqueue, claim, attempt record, completion), ${median(serverCpu.pair).toFixed(0)} µs per INSERT+UPDATE pair.`,
        );
      rows.push(
        `| ${store.name} | ${jobs} | ${concurrency}/${workers} | ${rate.toFixed(0)} | ${median(pairs).toFixed(0)} | ${median(rates.map((x, i) => x / (pairs[i] ?? Number.NaN))).toFixed(2)} | ${median(transactions).toFixed(0)} | ${median(rates.map((x, i) => x / (transactions[i] ?? Number.NaN))).toFixed(2)} | ${median(posts).toFixed(0)} | ${median(loopP99).toFixed(0)} ms | ${Math.max(...loopMax).toFixed(0)} ms |`,
      );
    } finally {
      await store.dispose(db);
    }
  }
  console.log(
    [
      `Durable delivery on Node ${process.version}: enqueue (one transaction per job) to receiver 2xx and`,
      `the job recorded delivered; median of ${rounds} interleaved rounds. Ratio: to the same database's`,
      'INSERT+UPDATE pairs in the same round, and to transactions of one INSERT (BEGIN, INSERT, COMMIT: a job',
      "written in its caller's transaction). Event-loop delay measured in this process during the durable runs.",
      '',
      '| store | jobs | producers/workers | durable deliveries/s | INSERT+UPDATE pairs/s | ratio | one-INSERT transactions/s | ratio | plain POSTs/s | loop p99 | loop max |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
      ...rows,
      '',
      ...notes,
    ].join('\n'),
  );
} finally {
  await receiver.close();
}
