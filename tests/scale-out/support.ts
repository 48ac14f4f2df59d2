// Helpers of the scale-out test: real `cardport up` processes on one PostgreSQL schema, the CLI
// against one of them, raw mutual-TLS calls, and an HTTP receiver that counts what it gets.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { main } from '../../packages/platform/src/cli/main.ts';
import { upEnv } from '../support/up-env.ts';

const bin = new URL('../../packages/platform/bin/cardport.js', import.meta.url).pathname;

export interface UpProcess {
  name: string;
  child: ChildProcess;
  url: string;
  mtlsUrl: string;
  stderr: string[];
  stop(): Promise<void>;
}

/** DATABASE_URL naming one schema: every connection of a process sets its search_path to it. */
export function urlWithSchema(url: string, schema: string): string {
  const options = encodeURIComponent(`-c search_path=${schema}`);
  return `${url}${url.includes('?') ? '&' : '?'}options=${options}`;
}

/** Starts `cardport up --json` (an API process and its delivery worker) and waits for its URLs. */
export function startUp(name: string, home: string, vars: Record<string, string>): Promise<UpProcess> {
  // `vars` names the shared PostgreSQL (DATABASE_URL) on top of the usual test process environment.
  const env = upEnv(home, vars);
  const child = spawn(process.execPath, [bin, 'up', '--json'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const stderr: string[] = [];
  child.stderr!.on('data', (d: Buffer) => stderr.push(d.toString()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) => {
      const info = JSON.parse(line) as { url: string; mtlsUrl: string };
      resolve({ name, child, url: info.url, mtlsUrl: info.mtlsUrl, stderr, stop });
    });
    child.once('exit', (code) => reject(new Error(`${name}: up exited with ${code}: ${stderr.join('')}`)));
  });
}

/** Runs one `cardport` command in this process against the platform at `url`; its JSON answer. */
export async function cli(home: string, url: string, ...args: string[]): Promise<Record<string, unknown>> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main([...args, '--json'], {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    env: { CARDPORT_HOME: home, CARDPORT_URL: url },
  });
  assert.equal(code, 0, `cardport ${args.join(' ')}: ${err.join('\n')}`);
  return JSON.parse(out.join('')) as Record<string, unknown>;
}

export interface Answer {
  status: number;
  json: unknown;
}

export interface MtlsIdentity {
  cert: string;
  key: string;
  ca: string;
}

/** One HTTPS call with a client certificate, on a fresh connection (no TLS session reuse). */
export function mtls(
  base: string,
  method: string,
  path: string,
  tls: MtlsIdentity,
  headers: Record<string, string>,
  body?: unknown,
): Promise<Answer> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = https.request(
      new URL(path, base),
      {
        method,
        ...tls,
        agent: false,
        headers: { ...headers, ...(payload ? { 'content-type': 'application/json' } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : null });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** A plain HTTP call with a JSON body (or none). */
export async function call(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: unknown,
): Promise<Answer> {
  const res = await fetch(new URL(path, base), {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

export interface CountingReceiver {
  url: string;
  /** How many times each key (the request path without its query) arrived. */
  counts: Map<string, number>;
  /** Keys that arrived while an earlier request with the same key was still being answered. */
  overlaps: string[];
  close(): Promise<void>;
}

/** An HTTP server that answers 200 after `holdMs`, counting requests per path. */
export async function startCountingReceiver(holdMs: number): Promise<CountingReceiver> {
  const counts = new Map<string, number>();
  const inFlight = new Set<string>();
  const overlaps: string[] = [];
  const server = http.createServer((req, res) => {
    const key = (req.url ?? '').split('?')[0] ?? '';
    req.resume();
    req.on('end', () => {
      if (inFlight.has(key)) overlaps.push(key);
      inFlight.add(key);
      counts.set(key, (counts.get(key) ?? 0) + 1);
      // Answer a little later, so that two attempts of one job would overlap in time.
      setTimeout(() => {
        inFlight.delete(key);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      }, holdMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    overlaps,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Polls `check` every 100 ms until it returns true, or fails after `limitMs` with `what`. */
export async function until(what: string, check: () => Promise<boolean> | boolean, limitMs = 30_000) {
  const deadline = Date.now() + limitMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A body without the ids that differ per call by design (request ids). */
export function withoutRequestIds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutRequestIds);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([k]) => !/^(request-?id|x-request-id)$/i.test(k))
      .map(([k, v]) => [k, withoutRequestIds(v)]),
  );
}
