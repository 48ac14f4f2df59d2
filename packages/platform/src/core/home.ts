import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// The sandbox home folder: embedded database, master key, admin token and what `up` recorded.

export function ensureHome(home: string): void {
  mkdirSync(home, { recursive: true, mode: 0o700 });
}

function readOrCreateSecret(path: string, bytes: number): string {
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  const value = randomBytes(bytes).toString('hex');
  writeFileSync(path, `${value}\n`, { mode: 0o600, flag: 'wx' });
  return value;
}

export function masterKeyFromHome(home: string): Buffer {
  const hex = readOrCreateSecret(join(home, 'master-key'), 32);
  const key = Buffer.from(hex, 'hex');
  if (key.length !== 32) throw new Error(`${join(home, 'master-key')} must hold 64 hex characters`);
  return key;
}

export function adminTokenPath(home: string): string {
  return join(home, 'admin-token');
}

export function adminTokenFromHome(home: string): string {
  return readOrCreateSecret(adminTokenPath(home), 24);
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
  writeFileSync(runtimePath(home), `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
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
