import { Worker } from 'node:worker_threads';
import type pg from 'pg';
import { AppState } from './app-state.ts';

/** Anything that runs SQL: the database itself or an open transaction. Store functions take this. */
export interface Queryable {
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<R[]>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /**
   * Inside a transaction: runs `fn` once the transaction has committed (never after a rollback).
   * Absent on the database itself, where every statement commits on its own.
   */
  afterCommit?(fn: () => void): void;
}

/** Runs the callbacks a transaction registered, once it has committed; one failing never stops the rest. */
function runAfterCommit(callbacks: (() => void)[]): void {
  for (const fn of callbacks) {
    try {
      fn();
    } catch {
      // The transaction has committed: a failing observer cannot undo it or fail its caller.
    }
  }
}

export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /**
   * What this process keeps about this database: short-lived caches of its rows (see
   * partners/lookup-cache.ts), owned by the handle and gone with it. Never read inside a
   * transaction.
   */
  readonly state: AppState;
  /** Runs `fn` in one transaction: everything it writes commits together or not at all. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * PostgreSQL only: calls `onNotify` on every NOTIFY on `channel` (from any process), on a
   * connection of its own that reconnects after a failure. Resolves to the function that stops it.
   */
  listen?(channel: string, onNotify: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface OpenDbOptions {
  /** A PostgreSQL connection string; when absent the embedded PGlite is used. */
  url?: string | undefined;
  /** PGlite data folder; when absent (and no url) the database lives in memory. */
  dataDir?: string | undefined;
  /** PostgreSQL only: the schema every connection uses (tests isolate themselves this way). */
  schema?: string | undefined;
  /** PostgreSQL only: pool size. */
  maxConnections?: number | undefined;
}

const int8 = 20;
/**
 * PGlite's default shared_buffers (128 MB) lives in WASM memory; a sandbox's working set is a few
 * MB, and 16 MB measured about 120 MB less resident memory idle.
 */
const pgliteSharedBuffers = '16MB';

export async function openDb(options: OpenDbOptions = {}): Promise<Db> {
  return options.url ? openPostgres(options.url, options) : openPglite(options.dataDir);
}

/** A database error from the embedded database's thread, with PostgreSQL's fields (code, ...). */
export class EmbeddedDbError extends Error {
  readonly code: string | undefined;
  constructor(fields: Record<string, unknown>) {
    super(typeof fields['message'] === 'string' ? fields['message'] : 'database error');
    this.name = 'EmbeddedDbError';
    Object.assign(this, fields);
    this.code = typeof fields['code'] === 'string' ? fields['code'] : undefined;
  }
}

type WorkerReply = { id: number; rows?: unknown[]; error?: Record<string, unknown> };

/**
 * PGlite in a worker thread (`pglite-worker.mjs`): PostgreSQL-in-WebAssembly runs synchronously in
 * the thread that calls it, so on the servers' thread every queued query stalled every request.
 * PGlite is one connection: one mutex orders plain queries and whole transactions, as PGlite's
 * own `transaction()` does.
 */
async function openPglite(dataDir: string | undefined): Promise<Db> {
  const worker = new Worker(new URL('./pglite-worker.mjs', import.meta.url), {
    workerData: { dataDir, sharedBuffers: pgliteSharedBuffers },
    // The worker is plain JavaScript: it needs no TypeScript loader, whatever runs the parent.
    execArgv: [],
  });
  const pending = new Map<number, { resolve: (rows: unknown[]) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let failure: Error | undefined;
  const settle = (m: WorkerReply) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (pending.size === 0) worker.unref();
    if (m.error) p.reject(new EmbeddedDbError(m.error));
    else p.resolve(m.rows ?? []);
  };
  const failAll = (err: Error) => {
    failure ??= err;
    for (const p of pending.values()) p.reject(failure);
    pending.clear();
  };
  worker.on('message', settle);
  worker.on('error', failAll);
  worker.on('exit', () => failAll(new Error('the embedded database thread has stopped')));
  const send = (op: 'query' | 'exec' | 'close', sql?: string, params?: readonly unknown[]) =>
    new Promise<unknown[]>((resolve, reject) => {
      if (failure) return reject(failure);
      const id = nextId++;
      // Referenced only while a reply is awaited: an idle database never keeps the process alive.
      if (pending.size === 0) worker.ref();
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, op, sql, params });
    });
  await new Promise<void>((resolve, reject) => {
    pending.set(0, { resolve: () => resolve(), reject });
  });

  // One connection: a plain query waits for an open transaction, as on PGlite's own thread.
  let tail: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => {});
    return run;
  };
  const direct: Queryable = {
    query: async <R>(sql: string, params?: readonly unknown[]) => (await send('query', sql, params)) as R[],
    exec: async (sql) => {
      await send('exec', sql);
    },
  };
  return {
    kind: 'pglite',
    state: new AppState(),
    query: (sql, params) => exclusive(() => direct.query(sql, params)),
    exec: (sql) => exclusive(() => direct.exec(sql)),
    transaction: (fn) =>
      exclusive(async () => {
        const committed: (() => void)[] = [];
        await direct.exec('BEGIN');
        try {
          const result = await fn({ ...direct, afterCommit: (f) => committed.push(f) });
          await direct.exec('COMMIT');
          runAfterCommit(committed);
          return result;
        } catch (err) {
          await direct.exec('ROLLBACK').catch(() => {});
          throw err;
        }
      }),
    close: () =>
      exclusive(async () => {
        if (!failure) await send('close').catch(() => {});
        await worker.terminate();
      }),
  };
}

async function openPostgres(url: string, options: OpenDbOptions): Promise<Db> {
  // Loaded on first use: a PGlite start never loads the PostgreSQL client.
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === int8
          ? (v: string) => Number(v)
          : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client's error (server restart) must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  const run = async <R>(q: pg.Pool | pg.PoolClient, sql: string, params?: readonly unknown[]) =>
    (await q.query(sql, params as unknown[] | undefined)).rows as R[];
  await run(pool, 'SELECT 1');
  const listeners = new Set<() => Promise<void>>();
  return {
    kind: 'postgres',
    state: new AppState(),
    listen: async (channel, onNotify) => {
      if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new TypeError(`invalid channel name: ${channel}`);
      let client: pg.Client | undefined;
      let stopped = false;
      let retry: NodeJS.Timeout | undefined;
      const connect = async (): Promise<void> => {
        const c = new pg.Client({ connectionString: url });
        client = c;
        c.on('notification', (m) => {
          if (m.channel === channel) onNotify();
        });
        c.on('error', () => {
          // Reconnect shortly; meanwhile the caller's own polling covers missed notifications.
          if (client === c) client = undefined;
          c.end().catch(() => {});
          if (!stopped) retry = setTimeout(() => void connect().catch(() => {}), 1000).unref();
        });
        await c.connect();
        await c.query(`LISTEN ${channel}`);
        // Anything committed while (re)connecting: one wake-up to look.
        onNotify();
      };
      await connect();
      const stop = async () => {
        stopped = true;
        clearTimeout(retry);
        listeners.delete(stop);
        const c = client;
        client = undefined;
        await c?.end().catch(() => {});
      };
      listeners.add(stop);
      return stop;
    },
    query: (sql, params) => run(pool, sql, params),
    exec: async (sql) => {
      await pool.query(sql);
    },
    async transaction(fn) {
      const client = await pool.connect();
      const committed: (() => void)[] = [];
      try {
        await client.query('BEGIN');
        const result = await fn({
          query: (sql, params) => run(client, sql, params),
          exec: async (sql) => {
            await client.query(sql);
          },
          afterCommit: (f) => committed.push(f),
        });
        await client.query('COMMIT');
        runAfterCommit(committed);
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    close: async () => {
      await Promise.all([...listeners].map((stop) => stop()));
      await pool.end();
    },
  };
}
