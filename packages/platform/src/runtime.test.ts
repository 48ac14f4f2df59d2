import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from './core/config.ts';
import { openPlatformData } from './core/db-start.ts';
import { createLogger } from './core/logger.ts';
import { startDemos, startPlatform } from './runtime.ts';

const here = new URL('.', import.meta.url).pathname;

test("sends a demo's own lines to the output it is given, prefixed with its name, and keeps the ready line for itself", async () => {
  const lines: string[] = [];
  const started = await startDemos(
    {
      home: here,
      host: '127.0.0.1',
      port: 0,
      mtlsPort: 0,
      publicUrl: '',
      databaseUrl: undefined,
      masterKey: undefined,
      logLevel: 'silent',
    },
    'http://127.0.0.1:1',
    0,
    createLogger({ level: 'silent' }),
    (line) => lines.push(line),
    [{ name: 'fixture', entry: `${here}demo-output.fixture.ts`, dir: here }],
  );
  try {
    assert.deepEqual(started.demos, [{ name: 'fixture', url: 'http://127.0.0.1:9' }]);
    assert.deepEqual(lines, ['[fixture] fixture: a human line before the ready line']);
  } finally {
    await started.stop();
  }
});

test('starts on a database opened before it was called (as cardport up does) and closes that database on close', async () => {
  const home = mkdtempSync(join(tmpdir(), 'cardport-runtime-'));
  try {
    const config = loadConfig({
      CARDPORT_HOME: home,
      CARDPORT_PORT: '0',
      CARDPORT_MTLS_PORT: '0',
      CARDPORT_LOG_LEVEL: 'silent',
    });
    const data = openPlatformData(config);
    const platform = await startPlatform(config, { data, worker: false });
    const { db } = await data;
    try {
      const health = await fetch(`${platform.url}/healthz`);
      assert.equal(health.status, 200);
      assert.equal(platform.app.ctx.db, db);
    } finally {
      await platform.close();
    }
    await assert.rejects(db.query('SELECT 1'));
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
