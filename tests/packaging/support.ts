// Shared by the packaging tests: build and pack the public packages once per process, install
// tarballs outside the repository, and run the installed sandbox.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = new URL('../../', import.meta.url).pathname;
export const publicPackages = ['protocol', 'jose', 'sdk', 'browser', 'platform'] as const;

/**
 * The environment of a process outside the repository: without the `cardport-source` condition
 * the test runner sets (installed packages must resolve to their dist/), and on the embedded
 * database (these tests are about the packages, not the database).
 */
export function installedEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete env['NODE_OPTIONS'];
  delete env['DATABASE_URL'];
  return env;
}

/** Builds every public package and packs it into `dir`; returns the tarball path per package. */
export async function packPublicPackages(dir: string): Promise<Record<string, string>> {
  mkdirSync(dir, { recursive: true });
  await run(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, env: installedEnv() });
  const args = publicPackages.flatMap((name) => ['-w', `@cardport/${name}`]);
  const { stdout } = await run(
    'npm',
    ['pack', '--ignore-scripts', '--json', '--pack-destination', dir, ...args],
    {
      cwd: root,
      env: installedEnv(),
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const packed = JSON.parse(stdout) as { name: string; filename: string }[];
  return Object.fromEntries(packed.map((p) => [p.name.replace('@cardport/', ''), join(dir, p.filename)]));
}

export interface InstalledSandbox {
  dir: string;
  home: string;
  url: string;
  mtlsUrl: string;
  /** Runs the installed `cardport` CLI with `--json` against this sandbox; returns its output. */
  cli(...args: string[]): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}

/**
 * Installs @cardport/platform from its tarball (with the tarballs of its Cardport dependencies)
 * into the empty folder `dir`, and starts `cardport up` from there on free ports.
 */
export async function startInstalledSandbox(
  dir: string,
  tarballs: Record<string, string>,
): Promise<InstalledSandbox> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{"name":"sandbox","private":true}');
  const wanted = ['platform', 'jose', 'protocol'].map((n) => tarballs[n] as string);
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', ...wanted], {
    cwd: dir,
    env: installedEnv(),
  });
  const home = join(dir, '.cardport');
  const bin = join(dir, 'node_modules/.bin/cardport');
  const env = installedEnv({
    CARDPORT_HOME: home,
    CARDPORT_PORT: '0',
    CARDPORT_MTLS_PORT: '0',
    CARDPORT_LOG_LEVEL: 'warn',
  });
  const child: ChildProcess = spawn(bin, ['up', '--json'], {
    cwd: dir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stderr: string[] = [];
  child.stderr?.on('data', (d: Buffer) => stderr.push(d.toString()));
  const info = await new Promise<{ url: string; mtlsUrl: string }>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const parsed = JSON.parse(line) as { url?: string; mtlsUrl?: string };
        if (parsed.url && parsed.mtlsUrl) resolve({ url: parsed.url, mtlsUrl: parsed.mtlsUrl });
      } catch {
        // a log line
      }
    });
    child.once('exit', (code) => reject(new Error(`cardport up exited with ${code}: ${stderr.join('')}`)));
  });
  return {
    dir,
    home,
    ...info,
    async cli(...args) {
      const { stdout } = await run(bin, [...args, '--json'], {
        cwd: dir,
        env: installedEnv({ CARDPORT_HOME: home }),
      });
      return JSON.parse(stdout) as Record<string, unknown>;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
