// The first half of a start: the home folder's secrets and the migrated database. Apart from
// runtime.ts so that `cardport up` can begin it before it loads the platform's modules: PGlite
// opens in its own thread (about 0.85 s) while this thread loads Fastify and every domain.
// It imports nothing but core modules that load in milliseconds (no server, no domain, no pg).
import type { Config } from './config.ts';
import { type Db, openDb } from './db.ts';
import { adminTokenFromHome, dataDir, ensureHome, makeHomePrivate, masterKeyFromHome } from './home.ts';
import { migrate } from './migrate.ts';

export interface PlatformData {
  db: Db;
  /** The migrations this start applied (empty on a warm home). */
  applied: string[];
  masterKey: Buffer;
  adminToken: string;
}

/** Opens the configured database: PostgreSQL through DATABASE_URL, else PGlite in the home folder. */
export function openConfiguredDb(config: Config): Promise<Db> {
  return openDb(config.databaseUrl ? { url: config.databaseUrl } : { dataDir: dataDir(config.home) });
}

/**
 * Makes the home folder (private), reads or makes its master key and admin token, opens the
 * database and applies the migrations. A home problem rejects with a HomeError before the database
 * opens; a failed migration closes the database before rejecting.
 */
export async function openPlatformData(config: Config): Promise<PlatformData> {
  // Files this process creates are private (PGlite's data files follow the umask); those made
  // before, with another umask, are made private once the database is open.
  process.umask(0o077);
  ensureHome(config.home);
  const masterKey = config.masterKey ?? masterKeyFromHome(config.home);
  const adminToken = adminTokenFromHome(config.home);
  const opening = openConfiguredDb(config);
  try {
    // While PGlite starts in its own thread: this walks every file of its data folder (a tenth of a
    // second or more), and the files PGlite makes meanwhile follow the umask above.
    makeHomePrivate(config.home);
  } catch (err) {
    await opening.then((db) => db.close()).catch(() => {});
    throw err;
  }
  const db = await opening;
  try {
    const applied = await migrate(db);
    return { db, applied, masterKey, adminToken };
  } catch (err) {
    await db.close().catch(() => {});
    throw err;
  }
}
