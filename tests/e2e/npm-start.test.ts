// `npm start` (scripts/start.mjs) as a newcomer runs it: the sandbox with every demo partner, the
// demos compiled (rebuilt by npm start itself when stale) and each one answering; stderr says which
// platform ran, compiled or from sources.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { upEnv } from '../support/up-env.ts';

const root = new URL('../../', import.meta.url).pathname;

test('npm start runs every demo partner compiled, each answers, and says which platform it runs', async () => {
  const home = mkdtempSync(join(tmpdir(), 'cardport-npm-start-'));
  // As from a shell: no source condition in NODE_OPTIONS (the test runner sets one).
  const env = upEnv(home, {
    NODE_OPTIONS: (process.env['NODE_OPTIONS'] ?? '').replace('--conditions=cardport-source', '').trim(),
  });
  const child = spawn(process.execPath, [join(root, 'scripts/start.mjs'), '--json'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stderr: string[] = [];
  child.stderr!.on('data', (d: Buffer) => stderr.push(d.toString()));
  try {
    const info = await new Promise<{ demos: { name: string; url: string }[] }>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`npm start did not start in 150 s: ${stderr.join('')}`)),
        150_000,
      );
      createInterface({ input: child.stdout! }).once('line', (line) => {
        clearTimeout(timer);
        resolve(JSON.parse(line));
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`npm start exited with ${code}: ${stderr.join('')}`));
      });
    });
    assert.deepEqual(info.demos.map((d) => d.name).sort(), ['bank', 'issuer', 'shop']);
    for (const demo of info.demos) {
      const res = await fetch(demo.url);
      assert.equal(res.status, 200, `${demo.name} at ${demo.url}`);
    }
    const demoCommands = readdirSync(`/proc/${child.pid}/task`)
      .flatMap((tid) => readFileSync(`/proc/${child.pid}/task/${tid}/children`, 'utf8').trim().split(/\s+/))
      .filter(Boolean)
      .map((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' '))
      .filter((cmd) => cmd.includes('/examples/'));
    assert.deepEqual(
      demoCommands.map((cmd) => /examples\/([a-z]+)\/dist\/main\.js/.exec(cmd)?.[1]).sort(),
      ['bank', 'issuer', 'shop'],
      demoCommands.join('\n'),
    );
    assert.match(
      stderr.join(''),
      /npm start: .*running (the compiled platform|the sources through tsx|them through tsx)/,
    );
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(home, { recursive: true, force: true });
  }
});
