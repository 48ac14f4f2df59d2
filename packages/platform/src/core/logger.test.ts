import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { PlatformError } from './errors.ts';
import { createLogger } from './logger.ts';
import { type TestDb, testDbKinds } from './test-kit.ts';

const PAN = '4111111111111111';

function capture() {
  const lines: string[] = [];
  const log = createLogger({
    level: 'info',
    destination: new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    }),
  });
  return { log, text: () => lines.join('') };
}

async function failure(run: () => Promise<unknown>): Promise<Error> {
  try {
    await run();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the statement to fail');
}

for (const kind of testDbKinds()) {
  describe(`the logger redacts values carried by database errors (${kind.name})`, () => {
    let testDb: TestDb;
    before(async () => {
      testDb = await kind.open();
      await testDb.db.exec('CREATE TABLE log_probe (pan TEXT UNIQUE, n INTEGER, card JSONB)');
      await testDb.db.query('INSERT INTO log_probe (pan, n) VALUES ($1, 1)', [PAN]);
    });
    after(async () => {
      await testDb.dispose();
    });

    it('keeps a PAN in params, detail, where or the message out of the log, and keeps the error code', async () => {
      const errors = [
        // unique violation: detail "Key (pan)=(4111…) already exists", params [PAN]
        await failure(() => testDb.db.query('INSERT INTO log_probe (pan, n) VALUES ($1, 2)', [PAN])),
        // data exception: the message quotes the value
        await failure(() => testDb.db.query('INSERT INTO log_probe (n) VALUES ($1)', [`${PAN}99`])),
        // invalid JSON: detail and where quote the text
        await failure(() =>
          testDb.db.query('INSERT INTO log_probe (card) VALUES ($1::jsonb)', [`{"pan":"${PAN}",`]),
        ),
      ];
      const { log, text } = capture();
      // PostgreSQL's errors hold the PAN; the embedded database's thread already leaves params
      // and detail behind (core/pglite-worker.mjs), but its messages may still quote a value.
      const carriers = kind.name === 'postgres' ? errors : errors.slice(1, 2);
      for (const err of carriers)
        assert.match(
          JSON.stringify(Object.entries(err)) + err.message,
          new RegExp(PAN),
          'the raw error holds it',
        );
      for (const err of errors) {
        log.error({ err }, 'query failed');
        log.error({ err: new PlatformError('INTERNAL', 'internal error', { cause: err }) }, 'request failed');
      }
      const out = text();
      assert.doesNotMatch(out, new RegExp(PAN));
      const first = JSON.parse(out.split('\n')[0] as string);
      assert.equal(first.err.code, '23505');
      if (kind.name === 'postgres') assert.equal(first.err.detail, '[redacted]');
      assert.match(first.err.message, /duplicate key/);
    });
  });
}
