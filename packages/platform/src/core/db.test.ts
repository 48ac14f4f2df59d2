import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openDb } from './db.ts';
import { listMigrations, migrate } from './migrate.ts';
import { testDbKinds } from './test-kit.ts';

test('migration files are numbered, unique and in order', () => {
  const ids = listMigrations().map((m) => m.id);
  assert.ok(ids.length >= 1);
  assert.deepEqual([...ids].sort(), ids);
  assert.equal(new Set(ids.map((id) => id.slice(0, 4))).size, ids.length, 'two migrations share a number');
});

for (const kind of testDbKinds()) {
  test(`[${kind.name}] migrating twice applies nothing the second time`, async () => {
    const t = await kind.open();
    try {
      assert.deepEqual(await migrate(t.db), []);
    } finally {
      await t.dispose();
    }
  });

  test(`[${kind.name}] a transaction that throws writes nothing; one that returns writes everything`, async () => {
    const t = await kind.open();
    try {
      await t.db.exec('CREATE TABLE tx_probe (id INT PRIMARY KEY, note TEXT)');
      await assert.rejects(
        t.db.transaction(async (tx) => {
          await tx.query('INSERT INTO tx_probe VALUES (1, $1)', ['first']);
          await tx.query('INSERT INTO tx_probe VALUES (2, $1)', ['second']);
          throw new Error('crash between the state change and its outbound job');
        }),
        /crash/,
      );
      assert.equal((await t.db.query('SELECT * FROM tx_probe')).length, 0);
      await t.db.transaction(async (tx) => {
        await tx.query('INSERT INTO tx_probe VALUES (1, $1)', ['first']);
        await tx.query('INSERT INTO tx_probe VALUES (2, $1)', ['second']);
      });
      assert.equal((await t.db.query('SELECT * FROM tx_probe')).length, 2);
    } finally {
      await t.dispose();
    }
  });

  test(`[${kind.name}] a transaction runs its after-commit callbacks once committed, and never after a rollback`, async () => {
    const t = await kind.open();
    try {
      await t.db.exec('CREATE TABLE commit_probe (id INT PRIMARY KEY)');
      const seen: string[] = [];
      await t.db.transaction(async (tx) => {
        await tx.query('INSERT INTO commit_probe VALUES (1)');
        tx.afterCommit?.(() => seen.push('first'));
        tx.afterCommit?.(() => {
          throw new Error('a failing observer');
        });
        tx.afterCommit?.(() => seen.push('third'));
        assert.deepEqual(seen, [], 'nothing runs before the commit');
      });
      assert.deepEqual(seen, ['first', 'third']);
      await assert.rejects(
        t.db.transaction(async (tx) => {
          await tx.query('INSERT INTO commit_probe VALUES (2)');
          tx.afterCommit?.(() => seen.push('rolled back'));
          throw new Error('abort');
        }),
        /abort/,
      );
      assert.deepEqual(seen, ['first', 'third']);
      assert.equal(t.db.afterCommit, undefined, 'the database itself commits every statement on its own');
    } finally {
      await t.dispose();
    }
  });

  test(`[${kind.name}] BIGINT epoch milliseconds and JSONB come back as numbers and objects`, async () => {
    const t = await kind.open();
    try {
      const [row] = await t.db.query<{ ms: number; doc: { a: number[] } }>(
        'SELECT $1::bigint AS ms, $2::jsonb AS doc',
        [1_795_000_000_123, JSON.stringify({ a: [1, 2] })],
      );
      assert.equal(row?.ms, 1_795_000_000_123);
      assert.deepEqual(row?.doc, { a: [1, 2] });
    } finally {
      await t.dispose();
    }
  });
}

if (process.env['DATABASE_URL']) {
  test('[postgres] several processes migrating one database at once apply each migration exactly once', async () => {
    const kind = testDbKinds().find((k) => k.name === 'postgres')!;
    const t = await kind.open();
    try {
      const others = await Promise.all([t.openAnother(), t.openAnother(), t.openAnother()]);
      const results = await Promise.all(others.map((db) => migrate(db)));
      assert.deepEqual(results, [[], [], []]);
      const rows = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM cardport_migrations');
      assert.equal(rows[0]?.n, listMigrations().length);
    } finally {
      await t.dispose();
    }
  });
}

test('the embedded database starts with a small shared buffer pool, keeping the process lean', async () => {
  const db = await openDb();
  try {
    const [row] = await db.query<{ shared_buffers: string }>('SHOW shared_buffers');
    assert.equal(row?.shared_buffers, '16MB');
  } finally {
    await db.close();
  }
});
