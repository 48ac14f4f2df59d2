import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Fastify from 'fastify';
import { ManualClock } from '../core/clock.ts';
import type { Db, Queryable } from '../core/db.ts';
import { silentLogger } from '../core/logger.ts';
import { testDbKinds } from '../core/test-kit.ts';
import { listRequestLog, pruneRequestLog, recordRequests, requestLogWriter } from './request-log.ts';
import { RowBatch } from './row-batch.ts';

const epoch = Date.UTC(2026, 0, 1);

/** The database, with every INSERT INTO request_log counted (the statements still run for real). */
function countingInserts(db: Db): { db: Db; inserts: number[] } {
  const inserts: number[] = [];
  const counted = Object.create(db) as Db;
  counted.query = ((sql: string, params?: readonly unknown[]) => {
    if (sql.startsWith('INSERT INTO request_log')) inserts.push((params?.length ?? 0) / 15);
    return db.query(sql, params);
  }) as Db['query'];
  return { db: counted, inserts };
}

async function countRows(q: Queryable): Promise<number> {
  const [row] = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM request_log');
  return row?.n ?? 0;
}

for (const kind of testDbKinds()) {
  describe(`request log batching (${kind.name})`, () => {
    it('writes the calls answered during one write together, in one multi-row INSERT, in order', async () => {
      const { db, dispose } = await kind.open();
      try {
        const counted = countingInserts(db);
        const app = Fastify();
        recordRequests(
          app,
          { db: counted.db, clock: new ManualClock(epoch), log: silentLogger },
          'web-checkout',
        );
        app.post('/ops/v1/echo/:n', async (req) => ({ resultCode: '0', n: (req.params as { n: string }).n }));
        await Promise.all(
          Array.from({ length: 40 }, (_, n) =>
            app.inject({
              method: 'POST',
              url: `/ops/v1/echo/${n}`,
              headers: { 'request-id': `req-${n}` },
              payload: {},
            }),
          ),
        );
        await app.close();
        const entries = await listRequestLog(db, { limit: 100 });
        assert.equal(entries.length, 40);
        assert.equal(
          counted.inserts.reduce((a, b) => a + b, 0),
          40,
        );
        assert.ok(
          counted.inserts.length < 40 && counted.inserts.some((rows) => rows > 1),
          `rows per INSERT: ${counted.inserts.join(', ')}`,
        );
        // Newest first; every call once, with its own request id and path.
        const oldestFirst = [...entries].reverse();
        assert.deepEqual(new Set(oldestFirst.map((e) => e.requestId)).size, 40);
        for (const e of oldestFirst) assert.equal(e.path, `/ops/v1/echo/${e.requestId.slice(4)}`);
        assert.deepEqual(
          oldestFirst.map((e) => e.id),
          [...oldestFirst.map((e) => e.id)].sort((x, y) => x - y),
        );
      } finally {
        await dispose();
      }
    });

    it('writes every entry still queued when the app closes: a clean shutdown loses none', async () => {
      const { db, dispose } = await kind.open();
      try {
        const app = Fastify();
        recordRequests(app, { db, clock: new ManualClock(epoch), log: silentLogger }, 's2p');
        app.get('/ext/v1/ping', async () => ({ ok: true }));
        await Promise.all(
          Array.from({ length: 60 }, () => app.inject({ method: 'GET', url: '/ext/v1/ping' })),
        );
        // Closed at once: entries are still being built and queued.
        await app.close();
        assert.equal(await countRows(db), 60);
      } finally {
        await dispose();
      }
    });

    it("prunes each partner's entries beyond the count bound and every entry beyond the age bound", async () => {
      const { db, dispose } = await kind.open();
      try {
        const writer = requestLogWriter(
          { db, clock: new ManualClock(epoch), log: silentLogger },
          { maxBatch: 200, maxQueue: 1000, pruneEvery: 1_000_000 },
        );
        const row = (partnerId: string | null, at: number, n: number) =>
          [
            `r-${n}`,
            's2p',
            partnerId,
            'GET',
            '/x',
            '/x',
            200,
            1,
            '{}',
            '{}',
            '[]',
            null,
            [],
            at,
            null,
          ] as Parameters<typeof writer.push>[0];
        for (let n = 0; n < 5; n++) writer.push(row('1'.repeat(32), epoch, n));
        for (let n = 5; n < 10; n++) writer.push(row('2'.repeat(32), epoch, n));
        writer.push(row(null, epoch - 8 * 24 * 3_600_000, 10));
        await writer.flush();
        await pruneRequestLog(db, epoch, ['1'.repeat(32)], { perPartner: 2, maxAgeMs: 7 * 24 * 3_600_000 });
        const left = await listRequestLog(db, { limit: 100 });
        assert.deepEqual(
          left.map((e) => e.requestId),
          ['r-9', 'r-8', 'r-7', 'r-6', 'r-5', 'r-4', 'r-3'],
        );
      } finally {
        await dispose();
      }
    });
  });
}

describe('RowBatch', () => {
  it('writes a row at once when idle, and the rows pushed meanwhile together in the next write', async () => {
    const writes: number[][] = [];
    let release: () => void = () => {};
    const batch = new RowBatch<number>(
      async (rows) => {
        writes.push(rows);
        if (writes.length === 1) await new Promise<void>((r) => (release = r));
      },
      {
        maxBatch: 100,
        maxQueue: 100,
        onError: (err) => assert.fail(String(err)),
        onDropped: (n) => assert.fail(`${n} dropped`),
      },
    );
    batch.push(1);
    assert.deepEqual(writes, [[1]], 'the first row left without waiting');
    for (let n = 2; n <= 5; n++) batch.push(n);
    assert.equal(batch.queued, 4);
    release();
    await batch.flush();
    assert.deepEqual(writes, [[1], [2, 3, 4, 5]]);
  });

  it('drops and counts rows beyond its bound, and says so once it has room', async () => {
    const dropped: number[] = [];
    let release: () => void = () => {};
    const written: number[] = [];
    const batch = new RowBatch<number>(
      async (rows) => {
        written.push(...rows);
        if (written.length === 1) await new Promise<void>((r) => (release = r));
      },
      {
        maxBatch: 2,
        maxQueue: 3,
        onError: (err) => assert.fail(String(err)),
        onDropped: (n) => dropped.push(n),
      },
    );
    for (let n = 1; n <= 10; n++) batch.push(n);
    release();
    await batch.flush();
    assert.deepEqual(written, [1, 2, 3, 4]);
    assert.deepEqual(dropped, [6]);
  });

  it('reports a failed write with its row count and goes on with the next rows', async () => {
    const errors: [string, number][] = [];
    const written: number[] = [];
    const batch = new RowBatch<number>(
      async (rows) => {
        if (rows.includes(1)) throw new Error('database gone');
        written.push(...rows);
      },
      {
        maxBatch: 10,
        maxQueue: 10,
        onError: (err, n) => errors.push([(err as Error).message, n]),
        onDropped: (n) => assert.fail(`${n} dropped`),
      },
    );
    batch.push(1);
    batch.push(2);
    batch.push(3);
    await batch.flush();
    assert.deepEqual(errors, [['database gone', 1]]);
    assert.deepEqual(written, [2, 3]);
  });
});
