import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLogger } from './core/logger.ts';
import { startDemos } from './runtime.ts';

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
