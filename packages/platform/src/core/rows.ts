// The one way a store maps rows: a table declares each field's column and type once, and gets
// the decoder, the column list and the INSERT and patch statements from that declaration. Both
// drivers answer BIGINT as a string and PGlite and pg differ on NUMERIC and JSONB; the decoders
// below are the only place where a database value is coerced.
import type { Queryable } from './db.ts';

export interface Column<T> {
  readonly name: string;
  decode(value: unknown): T;
  /** The parameter sent for a value; identity unless the column needs a conversion. */
  encode(value: T): unknown;
}

function column<T>(name: string, decode: (v: unknown) => T, encode: (v: T) => unknown = (v) => v): Column<T> {
  return { name, decode, encode };
}

/** The column types the platform's tables use. */
export const col = {
  text: (name: string) => column<string>(name, (v) => String(v)),
  /** INTEGER, BIGINT (epoch milliseconds) or DOUBLE, read as a JS number. */
  number: (name: string) => column<number>(name, (v) => Number(v)),
  bool: (name: string) => column<boolean>(name, (v) => v === true || v === 't' || v === 'true'),
  /** TEXT[] (both drivers answer an array). */
  textArray: (name: string) => column<string[]>(name, (v) => (Array.isArray(v) ? v.map(String) : [])),
  /** JSONB: PGlite and pg parse it; a string (JSON text) is parsed here. */
  json: <T>(name: string) =>
    column<T>(
      name,
      (v) => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T)),
      (v) => JSON.stringify(v),
    ),
  /** A TEXT column holding one of a closed set of values (a status). */
  oneOf: <const V extends string>(name: string, _values: readonly V[]) =>
    column<V>(name, (v) => String(v) as V),
  /** The same column, NULL allowed. */
  nullable: <T>(c: Column<T>): Column<T | null> =>
    column<T | null>(
      c.name,
      (v) => (v === null || v === undefined ? null : c.decode(v)),
      (v) => (v === null ? null : c.encode(v)),
    ),
};

// biome-ignore lint/suspicious/noExplicitAny: the column map is heterogeneous by design
type Columns = Record<string, Column<any>>;
export type RowOf<C extends Columns> = { [K in keyof C]: C[K] extends Column<infer T> ? T : never };

export interface Table<R> {
  readonly name: string;
  /** `col_a, col_b, …` in field order, for SELECT and RETURNING lists. */
  readonly selectList: string;
  /** The database row (snake_case columns) as the typed row. */
  fromDb(row: Record<string, unknown>): R;
  /** Inserts one row; `suffix` is appended verbatim (`ON CONFLICT … DO NOTHING RETURNING …`). */
  insert(q: Queryable, row: R, suffix?: string): Promise<Record<string, unknown>[]>;
  /**
   * Inserts whole rows (every field; undefined is written as NULL) with one multi-row statement.
   * Keep a batch's parameters (rows × fields) well under PostgreSQL's 65,535.
   */
  insertMany(q: Queryable, rows: readonly R[], suffix?: string): Promise<Record<string, unknown>[]>;
  /**
   * Updates only the fields in `changes` on the rows whose `where` fields all equal the given
   * values; answers the updated rows. Never rewrites a column that did not change.
   */
  patch(q: Queryable, where: Partial<R>, changes: Partial<R>): Promise<R[]>;
}

export function table<C extends Columns>(name: string, columns: C): Table<RowOf<C>> {
  const fields = Object.keys(columns) as (keyof C & string)[];
  const selectList = fields.map((f) => columns[f]?.name).join(', ');
  const encoded = (values: Partial<RowOf<C>>) => {
    const keys = fields.filter((f) => values[f] !== undefined);
    return { keys, params: keys.map((k) => columns[k]?.encode(values[k])) };
  };
  const fromDb = (row: Record<string, unknown>): RowOf<C> => {
    const out: Record<string, unknown> = {};
    for (const f of fields) {
      const c = columns[f];
      if (c) out[f] = c.decode(row[c.name]);
    }
    return out as RowOf<C>;
  };
  return {
    name,
    selectList,
    fromDb,
    async insert(q, row, suffix = '') {
      const { keys, params } = encoded(row);
      const names = keys.map((k) => columns[k]?.name).join(', ');
      const placeholders = keys.map((_, i) => `$${i + 1}`).join(', ');
      return q.query(`INSERT INTO ${name} (${names}) VALUES (${placeholders}) ${suffix}`.trimEnd(), params);
    },
    async insertMany(q, rows, suffix = '') {
      if (rows.length === 0) return [];
      const names = fields.map((f) => columns[f]?.name).join(', ');
      const params: unknown[] = [];
      const tuples = rows.map((row) => {
        const start = params.length;
        for (const f of fields) params.push(row[f] === undefined ? null : columns[f]?.encode(row[f]));
        return `(${fields.map((_, i) => `$${start + i + 1}`).join(', ')})`;
      });
      return q.query(
        `INSERT INTO ${name} (${names}) VALUES ${tuples.join(', ')} ${suffix}`.trimEnd(),
        params,
      );
    },
    async patch(q, where, changes) {
      const set = encoded(changes);
      if (set.keys.length === 0) throw new TypeError(`patch of ${name} with no changes`);
      const cond = encoded(where);
      if (cond.keys.length === 0) throw new TypeError(`patch of ${name} with no condition`);
      const setSql = set.keys.map((k, i) => `${columns[k]?.name} = $${i + 1}`).join(', ');
      const whereSql = cond.keys
        .map((k, i) => `${columns[k]?.name} = $${set.keys.length + i + 1}`)
        .join(' AND ');
      const rows = await q.query(`UPDATE ${name} SET ${setSql} WHERE ${whereSql} RETURNING ${selectList}`, [
        ...set.params,
        ...cond.params,
      ]);
      return rows.map(fromDb);
    },
  };
}
