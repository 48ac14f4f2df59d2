// Helpers for this package's tests only (not exported from index.ts): keys generated at test
// time and the independent implementations we cross-check against.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JoseError, type JoseErrorCode } from './errors.ts';
import { encodeBase64url } from './internal/base64url.ts';

export const PYTHON = '/usr/bin/python3';
export const JOSE_CLI = '/usr/bin/jose';

/** A fresh RSA-2048 key pair. */
export function generateRsaKeyPair(): { publicKey: KeyObject; privateKey: KeyObject } {
  return generateKeyPairSync('rsa', { modulusLength: 2048 });
}

/** PEM of a key: SPKI for public keys, PKCS#8 for private keys. */
export function pem(key: KeyObject): string {
  return key.type === 'private'
    ? key.export({ type: 'pkcs8', format: 'pem' }).toString()
    : key.export({ type: 'spki', format: 'pem' }).toString();
}

/** One real credential vector of PROTOCOLS.md 4.2. */
export interface CredentialVector {
  readonly name: string;
  readonly source: string;
  readonly jwe: string;
  readonly privateKeyPem: string;
  readonly plaintext: string;
  readonly protectedHeader: Record<string, string>;
}

/** The real Web Checkout credential vectors, read from the shared folder beside the repository. */
export function readCredentialVectors(): CredentialVector[] {
  const url = new URL('../../../../shared/vectors/web-checkout-credentials.json', import.meta.url);
  const file = JSON.parse(readFileSync(url, 'utf8')) as { vectors: CredentialVector[] };
  return file.vectors;
}

/** Splits a compact token and decodes its first part as the protected header object. */
export function decodeHeader(token: string): Record<string, unknown> {
  const [first = ''] = token.split('.');
  return JSON.parse(Buffer.from(first, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** base64url of the JSON of `value`, to build hand-crafted tokens. */
export function b64json(value: unknown): string {
  return encodeBase64url(JSON.stringify(value));
}

let pythonChecked = false;

/**
 * Runs `script` with Debian's python3, passing `input` as JSON on stdin and parsing its stdout
 * as JSON. Fails loudly (never skips) when jwcrypto or cryptography is missing.
 */
export function runPython(script: string, input: unknown): unknown {
  if (!pythonChecked) {
    const probe = spawnSync(PYTHON, ['-c', 'import jwcrypto, cryptography'], { encoding: 'utf8' });
    if (probe.status !== 0) {
      throw new Error(
        `python3-jwcrypto and python3-cryptography are required for the interop tests (apt-get install python3-jwcrypto python3-cryptography): ${probe.error?.message ?? probe.stderr}`,
      );
    }
    pythonChecked = true;
  }
  const result = spawnSync(PYTHON, ['-c', script], { input: JSON.stringify(input), encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`python3 failed: ${result.error?.message ?? result.stderr}`);
  return JSON.parse(result.stdout) as unknown;
}

/** Runs the Debian `jose` CLI; returns its exit status and output. */
export function runJoseCli(args: readonly string[], input = ''): { status: number | null; stdout: string } {
  const result = spawnSync(JOSE_CLI, args, { input, encoding: 'utf8' });
  if (result.error !== undefined) throw new Error(`cannot run ${JOSE_CLI}: ${result.error.message}`);
  return { status: result.status, stdout: result.stdout };
}

/** Runs `fn` with a fresh temporary directory that is removed afterwards. */
export function withTempDir<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'cardport-jose-'));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Writes `key` as a JWK file for the jose CLI and returns its path. */
export function writeJwk(dir: string, name: string, key: KeyObject): string {
  const path = join(dir, `${name}.jwk`);
  writeFileSync(path, JSON.stringify(key.export({ format: 'jwk' })));
  return path;
}

function checkJoseError(caught: unknown, code: JoseErrorCode, member: string | undefined): JoseError {
  assert.ok(caught instanceof JoseError, `expected JoseError ${code}, got ${String(caught)}`);
  assert.equal(caught.code, code);
  if (member !== undefined) assert.equal(caught.member, member);
  return caught;
}

/** Asserts that `fn` throws a JoseError with `code` (and `member`); returns it. */
export function expectJoseError(fn: () => unknown, code: JoseErrorCode, member?: string): JoseError {
  try {
    fn();
  } catch (err) {
    return checkJoseError(err, code, member);
  }
  assert.fail(`expected JoseError ${code}, but nothing was thrown`);
}

/** Asserts that `promise` rejects with a JoseError with `code` (and `member`); returns it. */
export async function expectJoseRejection(
  promise: Promise<unknown>,
  code: JoseErrorCode,
  member?: string,
): Promise<JoseError> {
  try {
    await promise;
  } catch (err) {
    return checkJoseError(err, code, member);
  }
  assert.fail(`expected JoseError ${code}, but the promise resolved`);
}
