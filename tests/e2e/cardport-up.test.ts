// The `cardport up` process as a user runs it: prints its URLs, answers /healthz, drains on
// SIGTERM, and keeps every acknowledged change across a SIGKILL and a restart.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { main } from '../../packages/platform/src/cli/main.ts';
import { upEnv } from '../support/up-env.ts';

const bin = new URL('../../packages/platform/bin/cardport.js', import.meta.url).pathname;

interface Started {
  child: ChildProcess;
  info: { url: string; mtlsUrl: string; home: string; demos: { name: string; url: string }[] };
  stderr: string[];
}

function startUp(home: string, ...flags: string[]): Promise<Started> {
  // The embedded database only: this test is about the process, and PGlite is what `npm start` uses.
  const env = upEnv(home);
  const child = spawn(process.execPath, [bin, 'up', '--json', ...flags], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stderr: string[] = [];
  child.stderr!.on('data', (d: Buffer) => stderr.push(d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`up did not start in 150 s: ${stderr.join('')}`)),
      150_000,
    );
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      resolve({ child, info: JSON.parse(line), stderr });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`up exited with ${code}: ${stderr.join('')}`));
    });
  });
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

async function cli(home: string, url: string, ...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main([...args, '--json'], {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    env: { CARDPORT_HOME: home, CARDPORT_URL: url },
  });
  assert.equal(code, 0, err.join('\n'));
  return JSON.parse(out.join('')) as Record<string, unknown>;
}

test('cardport up serves /healthz, drains on SIGTERM, and keeps acknowledged changes across SIGKILL', async () => {
  const home = mkdtempSync(join(tmpdir(), 'cardport-up-'));
  try {
    const first = await startUp(home);
    assert.match(first.info.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.match(first.info.mtlsUrl, /^https:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetch(`${first.info.url}/healthz`);
    assert.equal(health.status, 200);

    // An acknowledged change, then SIGKILL: nothing acknowledged may be lost.
    const advanced = await cli(home, first.info.url, 'clock', 'advance', '2h');
    assert.equal(advanced['offsetMs'], 7_200_000);
    first.child.kill('SIGKILL');
    assert.equal((await exited(first.child)).signal, 'SIGKILL');

    const second = await startUp(home);
    const shown = await cli(home, second.info.url, 'clock', 'show');
    assert.equal(shown['offsetMs'], 7_200_000);

    // SIGTERM drains and exits cleanly.
    second.child.kill('SIGTERM');
    const end = await exited(second.child);
    assert.equal(end.code, 0, second.stderr.join(''));
    await assert.rejects(fetch(`${second.info.url}/healthz`));
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test('npm start (cardport up --demo) starts every demo partner, and each one answers', async () => {
  const home = mkdtempSync(join(tmpdir(), 'cardport-demo-'));
  try {
    const up = await startUp(home, '--demo');
    try {
      const names = up.info.demos.map((d) => d.name).sort();
      assert.deepEqual(names, ['bank', 'issuer', 'shop']);
      for (const demo of up.info.demos) {
        const res = await fetch(demo.url);
        assert.equal(res.status, 200, `${demo.name} at ${demo.url}`);
      }
      const landing = await (await fetch(`${up.info.url}/`)).text();
      for (const demo of up.info.demos)
        assert.ok(landing.includes(demo.url), `landing page links ${demo.name}`);
    } finally {
      up.child.kill('SIGTERM');
      assert.equal((await exited(up.child)).code, 0, up.stderr.join(''));
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test('cardport up --demo --json prints only JSON lines on stdout, from start to shutdown', async () => {
  const home = mkdtempSync(join(tmpdir(), 'cardport-demo-json-'));
  const env = upEnv(home);
  const child = spawn(process.execPath, [bin, 'up', '--demo', '--json'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  child.stderr!.on('data', (d: Buffer) => stderr.push(d.toString()));
  try {
    // Every stdout line, read until the platform's line (which lists the demos once they are up).
    const summary = await new Promise<{ url: string; demos: { name: string; url: string }[] }>(
      (resolve, reject) => {
        createInterface({ input: child.stdout! }).on('line', (line) => {
          stdout.push(line);
          try {
            const parsed = JSON.parse(line) as { url?: string; demos?: { name: string; url: string }[] };
            if (parsed.url && parsed.demos)
              resolve(parsed as { url: string; demos: { name: string; url: string }[] });
          } catch {
            // Checked below, with every other line.
          }
        });
        child.once('exit', (code) => reject(new Error(`up exited with ${code}: ${stderr.join('')}`)));
      },
    );
    assert.deepEqual(summary.demos.map((d) => d.name).sort(), ['bank', 'issuer', 'shop']);
    // The demos at work print too: each one serves its page.
    for (const demo of summary.demos) assert.equal((await fetch(demo.url)).status, 200, demo.name);
  } finally {
    child.kill('SIGTERM');
    await exited(child);
    rmSync(home, { recursive: true, force: true });
  }
  assert.ok(stdout.length >= 1);
  for (const line of stdout) assert.doesNotThrow(() => JSON.parse(line), `stdout line is not JSON: ${line}`);
});
