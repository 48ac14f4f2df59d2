// @ts-check
// The embedded database's own thread. PGlite runs PostgreSQL as WebAssembly, synchronously, in
// the thread that calls it; here it runs in a worker so a slow query never stalls the servers'
// event loop. Plain JavaScript on purpose: it needs no TypeScript loader in any runtime (tsx,
// compiled, or a worker that inherits no loader hooks). The protocol is private to db.ts:
//   in:  { id, op: 'query', sql, params } | { id, op: 'exec', sql } | { id, op: 'close' }
//   out: { id, rows } | { id, error: { message, code, ... } }
import { mkdirSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';

const int8 = 20;
/** @type {{ dataDir?: string, sharedBuffers: string }} */
const options = workerData;

/** Error fields that name things, never values: bound parameters, detail and where stay behind. */
const errorFields = ['code', 'severity', 'constraint', 'table', 'column', 'schema', 'dataType', 'routine'];

/** @param {unknown} err */
function serializeError(err) {
  /** @type {Record<string, unknown>} */
  const out = { message: err instanceof Error ? err.message : String(err) };
  if (err && typeof err === 'object') {
    for (const key of errorFields) {
      const value = /** @type {Record<string, unknown>} */ (err)[key];
      if (typeof value === 'string') out[key] = value;
    }
  }
  return out;
}

async function open() {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  return PGlite.create(options.dataDir, {
    // Epoch-millisecond columns are BIGINT; as numbers they stay exact up to 2^53.
    parsers: { [int8]: (/** @type {string} */ v) => Number(v) },
    startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${options.sharedBuffers}`],
  });
}

const port = parentPort;
if (!port) throw new Error('pglite-worker.mjs runs only as a worker thread');

const ready = open();
ready.then(
  () => port.postMessage({ id: 0 }),
  (err) => port.postMessage({ id: 0, error: serializeError(err) }),
);

port.on('message', async (/** @type {{ id: number, op: string, sql?: string, params?: unknown[] }} */ m) => {
  try {
    const db = await ready;
    if (m.op === 'query') {
      const result = await db.query(/** @type {string} */ (m.sql), m.params);
      port.postMessage({ id: m.id, rows: result.rows });
    } else if (m.op === 'exec') {
      await db.exec(/** @type {string} */ (m.sql));
      port.postMessage({ id: m.id, rows: [] });
    } else if (m.op === 'close') {
      await db.close();
      port.postMessage({ id: m.id, rows: [] });
    }
  } catch (err) {
    port.postMessage({ id: m.id, error: serializeError(err) });
  }
});
