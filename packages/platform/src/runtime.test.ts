import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from './core/config.ts';
import { openPlatformData } from './core/db-start.ts';
import { createLogger } from './core/logger.ts';
import { findDemos, startDemos, startPlatform } from './runtime.ts';

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

test("picks a demo's compiled bundle while it is newer than every file it was built from, else its sources", () => {
  const root = mkdtempSync(join(tmpdir(), 'cardport-demos-'));
  try {
    const dir = join(root, 'examples', 'bank');
    mkdirSync(join(dir, 'src'), { recursive: true });
    mkdirSync(join(dir, 'dist'));
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ cardport: { demo: 'src/main.ts', build: 'dist/main.js' } }),
    );
    const source = join(dir, 'src', 'main.ts');
    writeFileSync(source, 'export {};\n');
    const sourceOnly = { name: 'bank', entry: source, dir };
    assert.deepEqual(findDemos(root), [sourceOnly], 'no bundle yet');

    const bundle = join(dir, 'dist', 'main.js');
    writeFileSync(bundle, 'export {};\n');
    writeFileSync(
      `${bundle}.inputs.json`,
      JSON.stringify(['examples/bank/src/main.ts', 'examples/bank/package.json']),
    );
    const built = new Date(Date.now() - 60_000);
    utimesSync(source, new Date(built.getTime() - 1000), new Date(built.getTime() - 1000));
    utimesSync(join(dir, 'package.json'), built, built);
    utimesSync(bundle, built, built);
    assert.deepEqual(findDemos(root), [{ ...sourceOnly, compiled: bundle }], 'an up-to-date bundle');

    utimesSync(source, new Date(), new Date());
    assert.deepEqual(findDemos(root), [sourceOnly], 'a source edited after the build');

    utimesSync(bundle, new Date(), new Date());
    writeFileSync(`${bundle}.inputs.json`, JSON.stringify(['examples/bank/src/gone.ts']));
    assert.deepEqual(findDemos(root), [sourceOnly], 'a source the bundle was built from is gone');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('runs a compiled demo on Node alone, without the TypeScript loader', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cardport-demo-bundle-'));
  try {
    // Plain JavaScript that reports whether a loader hook was given to it: tsx would be in execArgv.
    const bundle = join(dir, 'main.mjs');
    writeFileSync(
      bundle,
      "process.stdout.write(JSON.stringify({ demo: 'compiled', url: 'http://127.0.0.1:9/' + encodeURIComponent(process.execArgv.join(' ') || 'none') }) + '\\n');\n" +
        "const keepAlive = setInterval(() => {}, 60000);\nprocess.on('SIGTERM', () => { clearInterval(keepAlive); process.exit(0); });\n",
    );
    const started = await startDemos(
      {
        home: dir,
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
      () => {},
      [{ name: 'compiled', entry: join(dir, 'missing.ts'), dir, compiled: bundle }],
    );
    try {
      assert.deepEqual(started.demos, [{ name: 'compiled', url: 'http://127.0.0.1:9/none' }]);
    } finally {
      await started.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
