import { randomBytes, timingSafeEqual } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  fsyncSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';

// The sandbox home folder: embedded database, master key, admin token and what `up` recorded.
// It is private to its user: the folder and every folder below are 0700, every file 0600, PGlite's
// included (docs/operations.md). Secret files are written whole or not at all (temp + rename).

/** A home folder problem the operator must fix; the message names the file and what to do. */
export class HomeError extends Error {
  override readonly name = 'HomeError';
}

/** Creates the home folder if needed and makes it private (0700) even when it already existed. */
export function ensureHome(home: string): void {
  mkdirSync(home, { recursive: true, mode: 0o700 });
  chmodSync(home, 0o700);
}

/**
 * Makes a folder tree private: folders 0700, files 0600 (symbolic links are left alone). Run on
 * the home folder at start, while PGlite opens its data folder (the files it makes follow the
 * umask, set before), so entries may vanish during the walk.
 */
export function makePrivate(dir: string): void {
  const stack = [dir];
  while (stack.length > 0) {
    const current = stack.pop() as string;
    let st: ReturnType<typeof lstatSync>;
    try {
      st = lstatSync(current);
    } catch {
      continue; // removed meanwhile (PGlite rotates files)
    }
    if (st.isSymbolicLink()) continue;
    if (st.isDirectory()) {
      if ((st.mode & 0o777) !== 0o700) chmodSync(current, 0o700);
      let names: string[];
      try {
        names = readdirSync(current);
      } catch {
        continue; // removed meanwhile (the database may be starting)
      }
      for (const name of names) stack.push(join(current, name));
    } else if ((st.mode & 0o777) !== 0o600) {
      chmodSync(current, 0o600);
    }
  }
}

/**
 * Makes the platform's own entries of a home folder private: the folder, `master-key`,
 * `admin-token`, `runtime.json` and the whole PGlite data folder. Anything else a user keeps in
 * CARDPORT_HOME is left alone.
 */
export function makeHomePrivate(home: string): void {
  ensureHome(home);
  for (const name of ['master-key', 'admin-token', 'runtime.json']) {
    try {
      chmodSync(join(home, name), 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  makePrivate(dataDir(home));
}

function tempPath(path: string): string {
  return `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
}

function writeTemp(path: string, text: string): string {
  const tmp = tempPath(path);
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return tmp;
}

/** Writes a private file atomically: readers see the old content or the new one, never a part. */
export function writePrivateFile(path: string, text: string): void {
  const tmp = writeTemp(path, text);
  try {
    renameSync(tmp, path);
  } catch (err) {
    unlinkSync(tmp);
    throw err;
  }
}

/**
 * Creates a private file atomically unless it exists: the complete file appears under its name
 * (a hard link of a finished temp file) or not at all. False when another process created it first.
 */
function createPrivateFile(path: string, text: string): boolean {
  const tmp = writeTemp(path, text);
  try {
    linkSync(tmp, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    unlinkSync(tmp);
  }
}

function readOrCreateSecret(path: string, bytes: number): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const value = randomBytes(bytes).toString('hex');
  return createPrivateFile(path, `${value}\n`) ? value : readFileSync(path, 'utf8').trim();
}

export function masterKeyPath(home: string): string {
  return join(home, 'master-key');
}

export function masterKeyFromHome(home: string): Buffer {
  const path = masterKeyPath(home);
  const hex = readOrCreateSecret(path, 32);
  if (hex === '') {
    throw new HomeError(
      `${path} is empty (a start was probably interrupted while writing it). If this home holds no data you need, delete the file and run cardport up again: a new key is made. Otherwise restore the file from a backup (the keys in the database are sealed with it), or set CARDPORT_MASTER_KEY.`,
    );
  }
  const key = /^[0-9a-fA-F]{64}$/.test(hex) ? Buffer.from(hex, 'hex') : undefined;
  if (!key) {
    throw new HomeError(
      `${path} must hold 64 hex characters (a 32-byte key) and holds ${hex.length} other characters. Restore it from a backup, or set CARDPORT_MASTER_KEY; if this home holds no data you need, delete the file and a new key is made.`,
    );
  }
  return key;
}

export function adminTokenPath(home: string): string {
  return join(home, 'admin-token');
}

export function adminTokenFromHome(home: string): string {
  const token = readOrCreateSecret(adminTokenPath(home), 24);
  if (token === '') {
    throw new HomeError(
      `${adminTokenPath(home)} is empty: delete it and run cardport up again to make a new admin token.`,
    );
  }
  return token;
}

export function dataDir(home: string): string {
  return join(home, 'pgdata');
}

export interface RuntimeRecord {
  url: string;
  mtlsUrl: string;
  pid: number;
  startedAt: string;
}

export function runtimePath(home: string): string {
  return join(home, 'runtime.json');
}

export function writeRuntime(home: string, record: RuntimeRecord): void {
  writePrivateFile(runtimePath(home), `${JSON.stringify(record, null, 2)}\n`);
}

export function readRuntime(home: string): RuntimeRecord | undefined {
  try {
    return JSON.parse(readFileSync(runtimePath(home), 'utf8')) as RuntimeRecord;
  } catch {
    return undefined;
  }
}

export function tokensEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
