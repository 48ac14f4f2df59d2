// Shared by the packaging tests: build and pack the public packages once per process, install
// tarballs outside the repository, and run the installed sandbox.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = new URL('../../', import.meta.url).pathname;
export const publicPackages = ['protocol', 'jose', 'sdk', 'browser', 'platform'] as const;

/**
 * The environment of a process outside the repository: without the `cardport-source` condition
 * the test runner sets (installed packages must resolve to their dist/), and on the embedded
 * database (these tests are about the packages, not the database), as a shell outside any test
 * runner would be.
 */
export function installedEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete env['NODE_OPTIONS'];
  // Set by node --test for its children: a partner's own `node --test` must run as a fresh runner.
  delete env['NODE_TEST_CONTEXT'];
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
 * Installs @cardport/platform and @cardport/sdk (a partner's project has both) from their
 * tarballs, with those of their Cardport dependencies, into the empty folder `dir`, and starts
 * `cardport up` from there on free ports, with its home beside the folder.
 */
export async function startInstalledSandbox(
  dir: string,
  tarballs: Record<string, string>,
): Promise<InstalledSandbox> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{"name":"sandbox","private":true}');
  const wanted = ['platform', 'sdk', 'jose', 'protocol'].map((n) => tarballs[n] as string);
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', ...wanted], {
    cwd: dir,
    env: installedEnv(),
  });
  const home = `${dir}-home`;
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

/** Two ports free now (for a process that needs fixed ports, like the docs' CI recipe). */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => {
      const server = createServer();
      return new Promise<Server>((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
    }),
  );
  const ports = servers.map((s) => (s.address() as AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

/** The first fenced block of `language` after the heading `heading` in a Markdown page. */
export function fencedBlockAfter(markdown: string, heading: string, language: string): string {
  const start = markdown.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`no heading "${heading}"`);
  const match = new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\`\\n`).exec(markdown.slice(start));
  if (!match?.[1]) throw new Error(`no ${language} block after "${heading}"`);
  return match[1];
}
