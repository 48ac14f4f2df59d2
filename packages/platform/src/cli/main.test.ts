import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { main } from './main.ts';

function capture(env: Record<string, string | undefined> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t), env }, out, err };
}

test('without arguments it prints the usage and exits 2', async () => {
  const c = capture();
  assert.equal(await main([], c.io), 2);
  assert.match(c.out.join('\n'), /Usage: cardport <command>/);
});

test('every command has --help describing --json', async () => {
  for (const name of [['up'], ['clock', 'show'], ['clock', 'advance']]) {
    const c = capture();
    assert.equal(await main([...name, '--help'], c.io), 0);
    assert.match(c.out.join('\n'), new RegExp(`Usage: cardport ${name.join(' ')}`));
    assert.match(c.out.join('\n'), /--json/);
  }
});

test('an unknown command exits 2 and suggests the commands of that group', async () => {
  const c = capture();
  assert.equal(await main(['clock', 'rewind'], c.io), 2);
  assert.match(c.err.join('\n'), /cardport clock advance/);
});

test('an unknown flag is a usage error on stderr, with JSON when --json is given', async () => {
  const c = capture();
  assert.equal(await main(['clock', 'show', '--bogus', '--json'], c.io), 2);
  assert.equal(c.out.length, 0);
  assert.match(JSON.parse(c.err.join('')).error.message, /bogus/);
});

test('commands that need the platform say how to start one when none is running', async () => {
  const c = capture({ CARDPORT_HOME: '/nonexistent/cardport-home' });
  assert.equal(await main(['clock', 'show'], c.io), 1);
  assert.match(c.err.join('\n'), /cardport up/);
});

test('up refuses a bad configuration naming the variable', async () => {
  const c = capture({ CARDPORT_PORT: 'eighty' });
  assert.equal(await main(['up'], c.io), 2);
  assert.match(c.err.join('\n'), /CARDPORT_PORT/);
});

test('--version prints the version of the platform package', async () => {
  const c = capture();
  assert.equal(await main(['--version'], c.io), 0);
  assert.match(c.out.join('\n'), /^cardport \d+\.\d+\.\d+/);
  const j = capture();
  assert.equal(await main(['--version', '--json'], j.io), 0);
  assert.match(JSON.parse(j.out.join('')).version, /^\d+\.\d+\.\d+/);
});

test('up with an empty master-key left by a crash exits 2 naming the file and what to do', async () => {
  const home = mkdtempSync(join(tmpdir(), 'cardport-cli-home-'));
  try {
    writeFileSync(join(home, 'master-key'), '');
    const c = capture({ CARDPORT_HOME: home, CARDPORT_PORT: '0', CARDPORT_MTLS_PORT: '0' });
    assert.equal(await main(['up'], c.io), 2);
    const message = c.err.join('\n');
    assert.match(message, new RegExp(`${join(home, 'master-key')} is empty`));
    assert.match(message, /delete the file and run cardport up again/);
    assert.doesNotMatch(message, /unexpected error/);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
