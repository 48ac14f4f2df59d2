import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { AppState } from './app-state.ts';
import type { Queryable } from './db.ts';
import { batchedInserts, groupCommit } from './group-commit.ts';
import { col, table } from './rows.ts';
import { silentLogger, testDbKinds } from './test-kit.ts';

/** A promise the test resolves by hand: a statement that is still running. */
function gate(): { promise: Promise<void>; open(): void } {
  let open = () => {};
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

describe('group commit', () => {
  test('writes the first item at once when idle, with no timer in between', async () => {
    const singles: number[] = [];
    const gc = groupCommit<number, number>({
      writeBatch: async () => assert.fail('a lone item is no batch'),
      writeOne: async (n) => {
        singles.push(n);
        return n * 10;
      },
    });
    const answer = gc.write(1);
    // Called synchronously inside write(): nothing waits for a tick or a timer.
    assert.deepEqual(singles, [1]);
    assert.equal(await answer, 10);
  });

  test('items arriving during a write go together in the next statement, at most maxBatch each', async () => {
    const first = gate();
    const batches: number[][] = [];
    const gc = groupCommit<number, string>({
      maxBatch: 3,
      writeBatch: async (items) => {
        batches.push([...items]);
        return items.map((n) => `b${n}`);
      },
      writeOne: async (n) => {
        batches.push([n]);
        if (n === 0) await first.promise;
        return `o${n}`;
      },
    });
    const answers = [0, 1, 2, 3, 4, 5, 6].map((n) => gc.write(n));
    assert.equal(gc.inFlight, 1);
    assert.equal(gc.waiting, 6, 'the others wait for the running statement');
    first.open();
    assert.deepEqual(await Promise.all(answers), ['o0', 'b1', 'b2', 'b3', 'b4', 'b5', 'b6']);
    assert.deepEqual(batches, [[0], [1, 2, 3], [4, 5, 6]]);
  });

  test('answers nobody before the statement that wrote their item has finished', async () => {
    const statement = gate();
    let finished = false;
    const gc = groupCommit<number, number>({
      writeBatch: async (items) => {
        await statement.promise;
        finished = true;
        return items;
      },
      writeOne: async (n) => {
        await statement.promise;
        finished = true;
        return n;
      },
    });
    const answered: number[] = [];
    const all = [1, 2].map((n) => gc.write(n).then((v) => answered.push(v)));
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(answered, [], 'nothing answered while the statement runs');
    statement.open();
    await Promise.all(all);
    assert.equal(finished, true);
    assert.deepEqual(answered.sort(), [1, 2]);
  });

  test('answers a written batch a chunk per turn of the event loop, and starts the next batch meanwhile', async () => {
    const first = gate();
    const batches: number[][] = [];
    const gc = groupCommit<number, number>({
      answerChunk: 4,
      writeBatch: async (items) => {
        batches.push([...items]);
        return items;
      },
      writeOne: async (n) => {
        await first.promise;
        return n;
      },
    });
    const answered: number[] = [];
    const track = (n: number) => gc.write(n).then((v) => answered.push(v));
    const all = [track(0)];
    // Ten items arrive while the lone first one is written: they go together next.
    for (let n = 1; n <= 10; n++) all.push(track(n));
    first.open();
    await new Promise<void>((resolve) => setImmediate(resolve));
    // One turn after the batch was written: its first chunk only (plus the lone first item).
    assert.deepEqual(batches, [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]]);
    assert.ok(answered.length < 11, `answered ${answered.length} in one turn`);
    const later = track(11);
    assert.equal(gc.inFlight, 1, 'a new item is written while the previous batch is still being answered');
    await Promise.all([...all, later]);
    assert.deepEqual(
      [...answered].sort((a, b) => a - b),
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
    );
  });

  test('a failed batch is written again one item at a time: each caller gets its own answer', async () => {
    const block = gate();
    const seenErrors: number[] = [];
    const gc = groupCommit<number, number>({
      writeBatch: async (items) => {
        if (items.includes(13)) throw new Error('the batch holds a bad row');
        return items;
      },
      writeOne: async (n) => {
        if (n === 0) await block.promise;
        if (n === 13) throw new Error(`row ${n} refused`);
        return n;
      },
      onBatchError: (_err, size) => seenErrors.push(size),
    });
    const head = gc.write(0);
    const rest = [11, 12, 13, 14].map((n) =>
      gc.write(n).then(
        (v) => ({ ok: v }),
        (e: Error) => ({ err: e.message }),
      ),
    );
    block.open();
    assert.equal(await head, 0);
    assert.deepEqual(await Promise.all(rest), [
      { ok: 11 },
      { ok: 12 },
      { err: 'row 13 refused' },
      { ok: 14 },
    ]);
    assert.deepEqual(seenErrors, [4]);
  });

  test('treats a batch answering the wrong number of outcomes as failed, never misassigns answers', async () => {
    const block = gate();
    const gc = groupCommit<number, number>({
      writeBatch: async (items) => items.slice(1),
      writeOne: async (n) => {
        if (n === 0) await block.promise;
        return -n;
      },
    });
    const head = gc.write(0);
    const rest = [1, 2, 3].map((n) => gc.write(n));
    block.open();
    await head;
    assert.deepEqual(await Promise.all(rest), [-1, -2, -3]);
  });

  test('runs up to `concurrency` statements at once', async () => {
    const blocks = [gate(), gate()];
    let running = 0;
    let most = 0;
    const gc = groupCommit<number, number>({
      concurrency: 2,
      maxBatch: 2,
      writeBatch: async (items) => items,
      writeOne: async (n) => {
        running++;
        most = Math.max(most, running);
        await blocks[n]?.promise;
        running--;
        return n;
      },
    });
    const a = gc.write(0);
    const b = gc.write(1);
    assert.equal(gc.inFlight, 2);
    blocks[0]?.open();
    blocks[1]?.open();
    assert.deepEqual(await Promise.all([a, b]), [0, 1]);
    assert.equal(most, 2);
  });

  test('refuses a batch size or concurrency below one', () => {
    const io = { writeBatch: async (x: readonly number[]) => x, writeOne: async (x: number) => x };
    assert.throws(() => groupCommit({ ...io, maxBatch: 0 }), RangeError);
    assert.throws(() => groupCommit({ ...io, concurrency: 0.5 }), RangeError);
    assert.throws(() => groupCommit({ ...io, answerChunk: 0 }), RangeError);
  });

  test('whatever the arrivals, sizes and failures: every item is answered once, with its own outcome', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ bad: fc.boolean(), delay: fc.nat(3) }), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 3 }),
        async (items, maxBatch, concurrency) => {
          const written = new Map<number, number>();
          const tick = (n: number) => new Promise<void>((resolve) => setImmediate(resolve)).then(() => n);
          const gc = groupCommit<number, number>({
            maxBatch,
            concurrency,
            writeBatch: async (ids) => {
              assert.ok(ids.length <= maxBatch, 'a batch never exceeds maxBatch');
              if (ids.some((id) => items[id]?.bad)) throw new Error('batch refused');
              await tick(0);
              for (const id of ids) written.set(id, (written.get(id) ?? 0) + 1);
              return ids.map((id) => id * 2);
            },
            writeOne: async (id) => {
              await tick(0);
              if (items[id]?.bad) throw new Error(`item ${id} refused`);
              written.set(id, (written.get(id) ?? 0) + 1);
              return id * 2;
            },
          });
          const answers = await Promise.all(
            items.map(async (item, id) => {
              for (let i = 0; i < item.delay; i++) await tick(0);
              return gc.write(id).then(
                (v) => ({ ok: v }),
                (e: Error) => ({ err: e.message }),
              );
            }),
          );
          answers.forEach((answer, id) => {
            if (items[id]?.bad) assert.deepEqual(answer, { err: `item ${id} refused` });
            else {
              assert.deepEqual(answer, { ok: id * 2 });
              assert.equal(written.get(id), 1, 'each good item is written exactly once');
            }
          });
          assert.equal(gc.waiting, 0);
        },
      ),
      { numRuns: 150, seed: 1309 },
    );
  });
});

for (const kind of testDbKinds()) {
  describe(`[${kind.name}] batched inserts of whole rows`, () => {
    const probes = table('batch_probe', { id: col.text('id'), n: col.number('n') });
    const key = batchedInserts('test.batchProbe', probes);

    test('writes concurrent rows with fewer statements than rows; a refused row fails only its caller', async () => {
      const t = await kind.open();
      try {
        await t.db.exec('CREATE TABLE batch_probe (id TEXT PRIMARY KEY, n BIGINT NOT NULL)');
        await t.db.query("INSERT INTO batch_probe VALUES ('taken', 0)");
        let statements = 0;
        const db: Queryable = {
          query: (sql, params) => {
            if (sql.startsWith('INSERT')) statements++;
            return t.db.query(sql, params);
          },
          exec: (sql) => t.db.exec(sql),
        };
        const inserts = new AppState().get(key);
        const deps = { db, log: silentLogger };
        await Promise.all(['a', 'b', 'c', 'd', 'e', 'f'].map((id, n) => inserts.insert(deps, { id, n })));
        // The first row alone, then the five that waited for it together.
        assert.equal(statements, 2);
        const ids = ['g', 'taken', 'h', 'i'];
        const outcomes = await Promise.allSettled(
          ids.map((id, n) => inserts.insert(deps, { id, n: 10 + n })),
        );
        assert.deepEqual(
          outcomes.map((o) => o.status),
          ['fulfilled', 'rejected', 'fulfilled', 'fulfilled'],
        );
        const rows = await t.db.query<{ id: string; n: number }>('SELECT id, n FROM batch_probe ORDER BY id');
        assert.deepEqual(
          rows.map((r) => `${r.id}${Number(r.n)}`),
          ['a0', 'b1', 'c2', 'd3', 'e4', 'f5', 'g10', 'h12', 'i13', 'taken0'],
        );
      } finally {
        await t.dispose();
      }
    });
  });
}
