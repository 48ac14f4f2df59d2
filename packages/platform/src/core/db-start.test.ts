import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { type Config, loadConfig } from './config.ts';
import { openPlatformData } from './db-start.ts';
import { dataDir, HomeError } from './home.ts';
import { listMigrations } from './migrate.ts';

function homeConfig(): { config: Config; home: string } {
  const home = mkdtempSync(join(tmpdir(), 'cardport-db-start-'));
  return { home, config: loadConfig({ CARDPORT_HOME: home, CARDPORT_PORT: '0', CARDPORT_MTLS_PORT: '0' }) };
}

test('opens and migrates the home database, then reopens it with nothing left to apply', async () => {
  const { home, config } = homeConfig();
  try {
    const first = await openPlatformData(config);
    try {
      assert.deepEqual(
        first.applied,
        listMigrations().map((m) => m.id),
      );
      assert.equal(first.masterKey.length, 32);
      assert.ok(first.adminToken.length > 0);
    } finally {
      await first.db.close();
    }
    const second = await openPlatformData(config);
    try {
      assert.deepEqual(second.applied, []);
      assert.deepEqual(second.masterKey, first.masterKey);
      assert.equal(second.adminToken, first.adminToken);
    } finally {
      await second.db.close();
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test('refuses a broken master key with a HomeError before it opens the database', async () => {
  const { home, config } = homeConfig();
  try {
    writeFileSync(join(home, 'master-key'), 'not hex\n');
    await assert.rejects(openPlatformData(config), HomeError);
    assert.equal(existsSync(dataDir(home)), false, 'the database folder was created');
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
