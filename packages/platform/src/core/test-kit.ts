// Shared helpers for tests of the platform and of partners' code: real databases (PGlite, and
// PostgreSQL when DATABASE_URL is set), real keys, a manual clock. Nothing here mocks the database
// or crypto. Published as part of @cardport/platform/testing (src/testing/index.ts).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from './clock.ts';
import type { Config } from './config.ts';
import { type Db, openDb } from './db.ts';
import { KeyStore } from './keystore.ts';
import { silentLogger } from './logger.ts';
import { migrate } from './migrate.ts';

export interface TestDbKind {
  name: 'pglite' | 'postgres';
  /** Opens a fresh, migrated, isolated database. Close it with `dispose`. */
  open(): Promise<TestDb>;
}

export interface TestDb {
  db: Db;
  /** For PostgreSQL: opens another pool on the same schema (a second "process"). */
  openAnother(): Promise<Db>;
  dispose(): Promise<void>;
}

/** PGlite always; PostgreSQL too when DATABASE_URL is set (CI sets it). */
export function testDbKinds(): TestDbKind[] {
  const kinds: TestDbKind[] = [{ name: 'pglite', open: openPgliteTestDb }];
  const url = process.env['DATABASE_URL'];
  if (url) kinds.push({ name: 'postgres', open: () => openPostgresTestDb(url) });
  return kinds;
}

async function openPgliteTestDb(): Promise<TestDb> {
  const db = await openDb();
  await migrate(db);
  return {
    db,
    openAnother: () =>
      Promise.reject(new Error('PGlite is one process: use PostgreSQL for multi-process tests')),
    dispose: () => db.close(),
  };
}

async function openPostgresTestDb(url: string): Promise<TestDb> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = await openDb({ url, maxConnections: 1 });
  await admin.query(`CREATE SCHEMA ${schema}`);
  const db = await openDb({ url, schema });
  await migrate(db);
  const others: Db[] = [];
  return {
    db,
    async openAnother() {
      const other = await openDb({ url, schema });
      others.push(other);
      return other;
    },
    async dispose() {
      await Promise.all([db, ...others].map((d) => d.close()));
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.close();
    },
  };
}

/** A temporary home folder with a config pointing at it (port 0: no fixed ports in tests). */
export function testConfig(overrides: Partial<Config> = {}): Config & { cleanup(): void } {
  const home = mkdtempSync(join(tmpdir(), 'cardport-test-'));
  return {
    home,
    host: '127.0.0.1',
    port: 0,
    mtlsPort: 0,
    publicUrl: 'http://127.0.0.1:8080',
    databaseUrl: undefined,
    masterKey: randomBytes(32),
    logLevel: 'silent',
    ...overrides,
    cleanup: () => rmSync(home, { recursive: true, force: true }),
  };
}

export function testKeyStore(clock = new ManualClock()): KeyStore {
  return new KeyStore(randomBytes(32), clock);
}

export { ManualClock, silentLogger };
