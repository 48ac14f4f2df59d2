// A delivery worker in its own process, for the fault tests (delivery-fault.test.ts): the test
// SIGKILLs it mid-delivery or mid-transaction. Configured by environment:
//   FIXTURE_DATA_DIR (PGlite folder) or FIXTURE_DATABASE_URL + FIXTURE_SCHEMA (PostgreSQL),
//   FIXTURE_MODE: 'work' (run the worker) or 'hang-in-transaction' (write a state change and its
//   job, then never commit), FIXTURE_URL: the receiver, for the second mode.
// It reports on stdout, one line per event.
import { openDb } from './db.ts';
import { createDelivery } from './delivery.ts';
import { silentLogger } from './logger.ts';

const env = process.env;
const db = await openDb({
  url: env['FIXTURE_DATABASE_URL'],
  dataDir: env['FIXTURE_DATA_DIR'],
  schema: env['FIXTURE_SCHEMA'],
});
const delivery = createDelivery({
  db,
  clock: { now: () => Number(env['FIXTURE_NOW'] ?? Date.now()) },
  log: silentLogger,
  resolveIdentity: async () => undefined,
  // Long enough that the receiver's silence, not the timeout, ends this process.
  timeoutMs: 60_000,
  workerName: 'doomed-worker',
});

if (env['FIXTURE_MODE'] === 'hang-in-transaction') {
  await db.transaction(async (tx) => {
    await tx.query("INSERT INTO fault_orders (id, state) VALUES ('uncommitted', 'PROVISIONED')");
    await delivery.enqueue(tx, {
      kind: 'fault.notification',
      partnerId: null,
      method: 'POST',
      url: `${env['FIXTURE_URL']}/notifications`,
      body: { order: 'uncommitted' },
    });
    process.stdout.write('in-transaction\n');
    await new Promise(() => {}); // killed here, before COMMIT
  });
} else {
  delivery.start({ pollMs: 20, concurrency: 8 });
  process.stdout.write('worker-started\n');
}
