import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AppState, appStateKey } from './app-state.ts';
import { col, table } from './rows.ts';
import { testDbKinds } from './test-kit.ts';

const probes = table('row_probe', {
  id: col.text('id'),
  count: col.number('count_big'),
  active: col.bool('active'),
  tags: col.textArray('tags'),
  extra: col.nullable(col.json<{ a: number }>('extra')),
  status: col.oneOf('status', ['OPEN', 'CLOSED'] as const),
  note: col.nullable(col.text('note')),
});

for (const kind of testDbKinds()) {
  describe(`[${kind.name}] a table declared once`, () => {
    test('reads back what it wrote with the declared types, BIGINT and JSONB included', async () => {
      const t = await kind.open();
      try {
        await t.db.exec(
          'CREATE TABLE row_probe (id TEXT PRIMARY KEY, count_big BIGINT NOT NULL, active BOOLEAN NOT NULL, tags TEXT[] NOT NULL, extra JSONB, status TEXT NOT NULL, note TEXT)',
        );
        const row = {
          id: 'p1',
          count: 1_790_000_000_000,
          active: true,
          tags: ['a', 'b'],
          extra: { a: 1 },
          status: 'OPEN' as const,
          note: null,
        };
        await probes.insert(t.db, row);
        const [read] = await t.db.query(`SELECT ${probes.selectList} FROM row_probe`);
        assert.deepEqual(probes.fromDb(read ?? {}), row);
      } finally {
        await t.dispose();
      }
    });

    test('writes many rows in one statement, each read back as it was given', async () => {
      const t = await kind.open();
      try {
        await t.db.exec(
          'CREATE TABLE row_probe (id TEXT PRIMARY KEY, count_big BIGINT NOT NULL, active BOOLEAN NOT NULL, tags TEXT[] NOT NULL, extra JSONB, status TEXT NOT NULL, note TEXT)',
        );
        const rows = [1, 2, 3].map((n) => ({
          id: `p${n}`,
          count: 1_790_000_000_000 + n,
          active: n % 2 === 0,
          tags: [`t${n}`],
          extra: n === 2 ? null : { a: n },
          status: 'OPEN' as const,
          note: n === 3 ? "it's 3" : null,
        }));
        const returned = await probes.insertMany(t.db, rows, 'RETURNING id');
        assert.deepEqual(
          returned.map((r) => r['id']),
          ['p1', 'p2', 'p3'],
        );
        const read = await t.db.query(`SELECT ${probes.selectList} FROM row_probe ORDER BY id`);
        assert.deepEqual(read.map(probes.fromDb), rows);
        assert.deepEqual(await probes.insertMany(t.db, []), [], 'no rows, no statement');
      } finally {
        await t.dispose();
      }
    });

    test('a patch changes only the fields it names and answers the updated row', async () => {
      const t = await kind.open();
      try {
        await t.db.exec(
          'CREATE TABLE row_probe (id TEXT PRIMARY KEY, count_big BIGINT NOT NULL, active BOOLEAN NOT NULL, tags TEXT[] NOT NULL, extra JSONB, status TEXT NOT NULL, note TEXT)',
        );
        await probes.insert(t.db, {
          id: 'p1',
          count: 1,
          active: false,
          tags: [],
          extra: null,
          status: 'OPEN',
          note: 'kept',
        });
        const [patched] = await probes.patch(
          t.db,
          { id: 'p1', status: 'OPEN' },
          { status: 'CLOSED', count: 2 },
        );
        assert.deepEqual(patched, {
          id: 'p1',
          count: 2,
          active: false,
          tags: [],
          extra: null,
          status: 'CLOSED',
          note: 'kept',
        });
        assert.deepEqual(await probes.patch(t.db, { id: 'p1', status: 'OPEN' }, { status: 'CLOSED' }), []);
        await assert.rejects(probes.patch(t.db, { id: 'p1' }, {}), /no changes/);
      } finally {
        await t.dispose();
      }
    });
  });
}

describe('per-app state', () => {
  test('each app creates its own value once, so two apps never share a cache', () => {
    const key = appStateKey('probe.cache', () => new Map<string, number>());
    const one = new AppState();
    const two = new AppState();
    one.get(key).set('x', 1);
    assert.equal(one.get(key).get('x'), 1);
    assert.equal(two.get(key).size, 0);
  });
});
