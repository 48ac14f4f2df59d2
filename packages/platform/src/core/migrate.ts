import { readdirSync, readFileSync } from 'node:fs';
import type { Db } from './db.ts';

const migrationsDir = new URL('../../migrations/', import.meta.url);

/** The migration files, in order: `NNNN_name.sql`, one set for PGlite and PostgreSQL alike. */
export function listMigrations(): { id: string; sql: string }[] {
  return readdirSync(migrationsDir)
    .filter((name) => /^\d{4}_[a-z0-9_-]+\.sql$/.test(name))
    .sort()
    .map((name) => ({
      id: name.replace(/\.sql$/, ''),
      sql: readFileSync(new URL(name, migrationsDir), 'utf8'),
    }));
}

/**
 * Applies the migrations not yet applied. Several processes starting at once on one PostgreSQL
 * serialize on an advisory lock, so each migration runs exactly once.
 */
export async function migrate(db: Db): Promise<string[]> {
  const applied: string[] = [];
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(7317001)');
    await tx.query(
      'CREATE TABLE IF NOT EXISTS cardport_migrations (id TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())',
    );
    const done = new Set(
      (await tx.query<{ id: string }>('SELECT id FROM cardport_migrations')).map((r) => r.id),
    );
    for (const m of listMigrations()) {
      if (done.has(m.id)) continue;
      await tx.exec(m.sql);
      await tx.query('INSERT INTO cardport_migrations (id) VALUES ($1)', [m.id]);
      applied.push(m.id);
    }
  });
  return applied;
}
