// The kill -9 test under fuzzing (issue 9), the process-level companion of
// packages/platform/src/core/delivery-fault.test.ts: `cardport up` takes fuzzed requests on the
// main listener while acknowledged changes (wallet sign-ups) are made beside them, is killed with
// SIGKILL mid-flight, and restarted: every acknowledged change is there, and no fuzzed answer before
// the kill was a 5xx or outside its family format.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import fc from 'fast-check';
import { upEnv } from '../support/up-env.ts';
import { type FuzzAnswer, type FuzzRequest, formatProblem, fuzzRequest } from './harness.ts';

const bin = new URL('../../packages/platform/bin/cardport.js', import.meta.url).pathname;

function startUp(home: string): Promise<{ child: ChildProcess; url: string }> {
  const env = upEnv(home);
  const child = spawn(process.execPath, [bin, 'up', '--json'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const stderr: string[] = [];
  child.stderr!.on('data', (d: Buffer) => stderr.push(d.toString()));
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) =>
      resolve({ child, url: (JSON.parse(line) as { url: string }).url }),
    );
    child.once('exit', (code) => reject(new Error(`up exited with ${code}: ${stderr.join('')}`)));
  });
}

function send(
  agent: http.Agent,
  url: string,
  req: Omit<FuzzRequest, 'listener' | 'family'>,
): Promise<FuzzAnswer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const r = http.request(
      {
        host: hostname,
        port,
        agent,
        method: req.method,
        path: req.path,
        headers: { ...req.headers, ...(req.body ? { 'content-length': String(req.body.length) } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), ms: 0 }),
        );
        res.on('error', reject);
      },
    );
    r.on('error', reject);
    r.end(req.body);
  });
}

const json = (body: unknown) => ({
  headers: { 'content-type': 'application/json' },
  body: Buffer.from(JSON.stringify(body)),
});

test('cardport up loses no acknowledged change when killed with SIGKILL while being fuzzed', async () => {
  const home = mkdtempSync(join(tmpdir(), 'cardport-fuzz-crash-'));
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  try {
    const first = await startUp(home);
    const me = await send(agent, first.url, {
      method: 'POST',
      path: '/wallet/api/accounts',
      ...json({ email: 'fuzzer@example.com' }),
    });
    assert.equal(me.status, 201, me.body.toString());
    const token = (JSON.parse(me.body.toString()) as { token: string }).token;
    const ids = {
      partnerId: 'p'.repeat(32),
      serviceId: 's'.repeat(10),
      transactionId: 'a'.repeat(22),
      walletToken: token,
    };
    const requests = fc
      .sample(fuzzRequest(ids), { seed: 909, numRuns: 4000 })
      .filter((r) => r.listener === 'main');

    const acknowledged: string[] = [];
    const problems: string[] = [];
    let fuzzed = 0;
    let killed = false;
    const fuzzing = (async () => {
      for (const req of requests) {
        if (killed) return;
        try {
          const res = await send(agent, first.url, req);
          fuzzed += 1;
          const problem = formatProblem(req, res);
          if (problem && !killed)
            problems.push(`${problem}: ${req.method} ${req.path.slice(0, 120)} → ${res.status}`);
        } catch {
          // The connection died with the process.
        }
      }
    })();
    const writing = (async () => {
      for (let n = 0; !killed; n++) {
        const email = `ack-${n}@example.com`;
        try {
          const res = await send(agent, first.url, {
            method: 'POST',
            path: '/wallet/api/accounts',
            ...json({ email }),
          });
          if (res.status === 201) acknowledged.push(email);
        } catch {
          // Not acknowledged: the process died first.
        }
      }
    })();
    // Kill in the middle of both streams: after enough of each, with requests in flight.
    while (acknowledged.length < 25 || fuzzed < 300) await new Promise((r) => setTimeout(r, 20));
    killed = true;
    first.child.kill('SIGKILL');
    await Promise.all([fuzzing, writing]);
    agent.destroy();

    assert.deepEqual(problems, [], 'every fuzzed answer before the kill was below 500 and in format');
    const second = await startUp(home);
    try {
      const adminToken = readFileSync(join(home, 'admin-token'), 'utf8').trim();
      for (const email of acknowledged) {
        const res = await fetch(`${second.url}/admin/v1/wallet/accounts/${encodeURIComponent(email)}`, {
          headers: { authorization: `Bearer ${adminToken}` },
        });
        assert.equal(res.status, 200, `${email} was acknowledged before the kill`);
      }
    } finally {
      second.child.kill('SIGTERM');
      await new Promise((r) => second.child.once('exit', r));
    }
  } finally {
    agent.destroy();
    rmSync(home, { recursive: true, force: true });
  }
});
