import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openDb } from './db.ts';
import {
  adminTokenFromHome,
  dataDir,
  ensureHome,
  HomeError,
  makeHomePrivate,
  masterKeyFromHome,
  masterKeyPath,
  readRuntime,
  runtimePath,
  writeRuntime,
} from './home.ts';

const mode = (path: string) => statSync(path).mode & 0o777;

function walk(dir: string): string[] {
  const out = [dir];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

describe('the home folder', () => {
  const homes: string[] = [];
  const newHome = () => {
    const h = mkdtempSync(join(tmpdir(), 'cardport-home-'));
    homes.push(h);
    return h;
  };
  after(() => {
    for (const h of homes) rmSync(h, { recursive: true, force: true });
  });

  it('makes an existing home folder private (0700)', () => {
    const home = newHome();
    chmodSync(home, 0o755);
    ensureHome(home);
    assert.equal(mode(home), 0o700);
  });

  it("makes PGlite's files and folders private even when they were created world-writable", async () => {
    const home = newHome();
    ensureHome(home);
    const db = await openDb({ dataDir: dataDir(home) });
    await db.exec('CREATE TABLE t (x INT); INSERT INTO t VALUES (1)');
    await db.close();
    const entries = walk(home);
    assert.ok(entries.length > 20, 'PGlite wrote its data folder');
    // What the attack run found: files 0666 in a home that already existed.
    for (const p of entries) chmodSync(p, statSync(p).isDirectory() ? 0o777 : 0o666);
    writeFileSync(join(home, 'notes.txt'), 'a file of the user', { mode: 0o644 });
    chmodSync(join(home, 'notes.txt'), 0o644);
    makeHomePrivate(home);
    assert.equal(mode(join(home, 'notes.txt')), 0o644, 'what the platform did not write is left alone');
    rmSync(join(home, 'notes.txt'));
    for (const p of walk(home)) assert.equal(mode(p), statSync(p).isDirectory() ? 0o700 : 0o600, p);
  });

  it('creates the master key and admin token as complete 0600 files, leaving no temp file', () => {
    const home = newHome();
    const key = masterKeyFromHome(home);
    assert.equal(key.length, 32);
    assert.deepEqual(masterKeyFromHome(home), key, 'read back, not replaced');
    assert.equal(readFileSync(masterKeyPath(home), 'utf8'), `${key.toString('hex')}\n`);
    const token = adminTokenFromHome(home);
    assert.match(token, /^[0-9a-f]{48}$/);
    for (const f of ['master-key', 'admin-token']) assert.equal(mode(join(home, f)), 0o600);
    assert.deepEqual(readdirSync(home).sort(), ['admin-token', 'master-key']);
  });

  it('names the file and says what to do when the master key is empty or not 64 hex characters', () => {
    const home = newHome();
    writeFileSync(masterKeyPath(home), '', { mode: 0o600 });
    assert.throws(
      () => masterKeyFromHome(home),
      (err) =>
        err instanceof HomeError &&
        err.message.startsWith(`${masterKeyPath(home)} is empty`) &&
        /delete the file/.test(err.message) &&
        /CARDPORT_MASTER_KEY/.test(err.message),
    );
    writeFileSync(masterKeyPath(home), 'not-a-key\n');
    assert.throws(
      () => masterKeyFromHome(home),
      (err) =>
        err instanceof HomeError &&
        err.message.startsWith(`${masterKeyPath(home)} must hold 64 hex characters`) &&
        /Restore it from a backup/.test(err.message) &&
        !err.message.includes('not-a-key'),
    );
  });

  it('replaces runtime.json atomically with a private file', () => {
    const home = newHome();
    writeFileSync(runtimePath(home), '{}', { mode: 0o644 });
    const record = { url: 'http://127.0.0.1:1', mtlsUrl: 'https://127.0.0.1:2', pid: 1, startedAt: 'now' };
    writeRuntime(home, record);
    assert.deepEqual(readRuntime(home), record);
    assert.equal(mode(runtimePath(home)), 0o600);
    assert.deepEqual(readdirSync(home), ['runtime.json']);
  });
});
