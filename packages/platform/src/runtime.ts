import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { type App, assembleApp } from './app.ts';
import { SandboxClock } from './core/clock.ts';
import type { Config } from './core/config.ts';
import { openPlatformData, type PlatformData } from './core/db-start.ts';
import { writeRuntime } from './core/home.ts';
import { KeyStore } from './core/keystore.ts';
import { createLogger, type Logger } from './core/logger.ts';
import { type FlowId, registerDemoPartner } from './site/demo-partners.ts';

export interface DemoInfo {
  name: string;
  url: string;
  flow?: FlowId;
}

export interface RunningPlatform {
  app: App;
  url: string;
  mtlsUrl: string;
  demos: DemoInfo[];
  /** Stops accepting, drains in-flight deliveries, stops the demos and closes the database. */
  close(): Promise<void>;
}

export interface StartOptions {
  log?: Logger;
  /** Start the demo partners found under examples/ (default false). */
  demo?: boolean;
  /**
   * Where the demos' own output lines go, each prefixed `[name] ` (default this process's stdout).
   * `cardport up --json` sends them to stderr so that stdout carries JSON lines only.
   */
  demoOutput?: (line: string) => void;
  /** Run the delivery worker in this process (default true). */
  worker?: boolean;
  /**
   * The home and database already being opened by `openPlatformData(config)` (core/db-start.ts):
   * `cardport up` starts it before it loads this module, so that PGlite's start overlaps the
   * loading of the platform's modules. Default: opened here. Closed by `close()` either way.
   */
  data?: Promise<PlatformData>;
}

const repoRoot = new URL('../../../', import.meta.url).pathname;

export { openConfiguredDb } from './core/db-start.ts';

/** Everything `cardport up` does: migrations, keys, listeners, delivery worker, demos. */
export async function startPlatform(config: Config, options: StartOptions = {}): Promise<RunningPlatform> {
  const log = options.log ?? createLogger({ level: config.logLevel });
  const { db, applied, masterKey, adminToken } = await (options.data ?? openPlatformData(config));
  const cleanup: (() => Promise<void> | void)[] = [() => db.close()];
  try {
    if (applied.length) log.info({ applied }, 'migrations applied');
    const clock = new SandboxClock();
    await clock.load(db);
    clock.follow(db);
    cleanup.unshift(() => clock.stop());
    const keys = new KeyStore(masterKey, clock);
    const publicHost = new URL(config.publicUrl).hostname;
    const app = await assembleApp({
      config,
      db,
      clock,
      log,
      keys,
      sandboxClock: clock,
      adminToken,
      hostnames: [...new Set(['127.0.0.1', 'localhost', config.host, publicHost])],
    });
    const { delivery } = app.ctx;
    cleanup.unshift(
      () => app.main.close(),
      () => app.mtls.close(),
    );
    await app.main.listen({ host: config.host, port: config.port });
    await app.mtls.listen({ host: config.host, port: config.mtlsPort });
    const hostForUrl = config.host.includes(':') ? `[${config.host}]` : config.host;
    const mainPort = (app.main.server.address() as AddressInfo).port;
    const mtlsPort = (app.mtls.server.address() as AddressInfo).port;
    const url = config.port === 0 ? `http://${hostForUrl}:${mainPort}` : config.publicUrl;
    // With port 0 the default public URL named no real port: links must point at the one we got.
    if (config.port === 0 && config.publicUrl.endsWith(':0')) config.publicUrl = url;
    const mtlsUrl = `https://${hostForUrl === '0.0.0.0' ? '127.0.0.1' : hostForUrl}:${mtlsPort}`;
    for (const m of app.modules) await m.start?.(app.ctx);
    cleanup.unshift(async () => {
      for (const m of [...app.modules].reverse()) await m.stop?.(app.ctx);
    });
    if (options.worker !== false) {
      delivery.start();
      // Drain first on shutdown: in-flight attempts finish before the database closes.
      cleanup.unshift(() => delivery.stop());
    }
    writeRuntime(config.home, { url, mtlsUrl, pid: process.pid, startedAt: new Date().toISOString() });
    const demos: DemoInfo[] = [];
    if (options.demo) {
      const started = await startDemos(config, url, mainPort, log, options.demoOutput);
      demos.push(...started.demos);
      for (const d of started.demos)
        registerDemoPartner(app.ctx.state, { name: d.name, url: d.url, ...(d.flow ? { flow: d.flow } : {}) });
      cleanup.unshift(() => started.stop());
    }
    let closing: Promise<void> | undefined;
    return {
      app,
      url,
      mtlsUrl,
      demos,
      close() {
        closing ??= runAll(cleanup);
        return closing;
      },
    };
  } catch (err) {
    await runAll(cleanup);
    throw err;
  }
}

async function runAll(steps: (() => Promise<void> | void)[]): Promise<void> {
  for (const step of steps) {
    try {
      await step();
    } catch {
      // Keep shutting down: one failing step must not leave the database open.
    }
  }
}

export interface DemoManifest {
  name: string;
  /** The demo's TypeScript entry, run through tsx. */
  entry: string;
  dir: string;
  /** Its compiled bundle, run on Node alone; set only while it is up to date with its sources. */
  compiled?: string;
}

/**
 * Example partners declare themselves with `"cardport": {"demo": "src/main.ts", "build":
 * "dist/main.js"}` in their package.json. `build` is the bundle of scripts/build-demos.mjs
 * (`npm start` and `npm run build` make it): used when it exists and no file it was built from is
 * newer, else the demo runs from its sources through tsx.
 */
export function findDemos(root = repoRoot): DemoManifest[] {
  const examples = join(root, 'examples');
  if (!existsSync(examples)) return [];
  const found: DemoManifest[] = [];
  for (const name of readdirSync(examples).sort()) {
    const pkgPath = join(examples, name, 'package.json');
    if (!existsSync(pkgPath)) continue;
    const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { cardport?: { demo?: string; build?: string } };
    if (!pkg.cardport?.demo) continue;
    const dir = join(examples, name);
    const compiled = pkg.cardport.build ? join(dir, pkg.cardport.build) : undefined;
    found.push({
      name,
      entry: join(dir, pkg.cardport.demo),
      dir,
      ...(compiled && demoBuildFresh(root, compiled) ? { compiled } : {}),
    });
  }
  return found;
}

/**
 * Whether a demo's bundle exists and none of the files it was built from (listed beside it, in
 * `<bundle>.inputs.json`, relative to the repository) changed since. The same test as
 * scripts/build-demos.mjs's `demoBuildFresh`.
 */
export function demoBuildFresh(root: string, bundle: string): boolean {
  try {
    const built = statSync(bundle).mtimeMs;
    const inputs = JSON.parse(readFileSync(`${bundle}.inputs.json`, 'utf8')) as string[];
    return inputs.every((path) => statSync(join(root, path)).mtimeMs <= built);
  } catch {
    return false; // no bundle, no list, or a source gone: build again or run the sources
  }
}

/**
 * Starts each demo as its own process: demos are partners and meet the platform only on the
 * wire. A demo prints one JSON line `{"demo":"bank","url":"http://...","flow":"save-to-pay"}` once it listens.
 */
export async function startDemos(
  config: Config,
  platformUrl: string,
  mainPort: number,
  log: Logger,
  output: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  manifests: DemoManifest[] = findDemos(),
) {
  const children: ChildProcess[] = [];
  const demos: DemoInfo[] = [];
  // Demos take the ports after the main one (8081, 8082, …), stepping over the mTLS port.
  const demoPorts: number[] = [];
  for (let port = mainPort + 1; config.port !== 0 && demoPorts.length < manifests.length; port++) {
    if (port !== config.mtlsPort) demoPorts.push(port);
  }
  await Promise.all(
    manifests.map(
      (m, i) =>
        new Promise<void>((resolve) => {
          const args = m.compiled ? [m.compiled] : ['--import', 'tsx', m.entry];
          const child = spawn(process.execPath, args, {
            cwd: m.dir,
            env: {
              ...process.env,
              CARDPORT_URL: platformUrl,
              CARDPORT_HOME: config.home,
              PORT: String(demoPorts[i] ?? 0),
            },
            stdio: ['ignore', 'pipe', 'inherit'],
          });
          children.push(child);
          const timer = setTimeout(() => {
            log.warn({ demo: m.name }, 'demo did not report its URL within 60 s');
            resolve();
          }, 60_000);
          const lines = createInterface({ input: child.stdout! });
          lines.on('line', (line) => {
            try {
              const info = JSON.parse(line) as { demo?: string; url?: string; flow?: FlowId };
              if (info.demo && info.url) {
                demos.push({ name: info.demo, url: info.url, ...(info.flow ? { flow: info.flow } : {}) });
                clearTimeout(timer);
                resolve();
                return;
              }
            } catch {
              // Not the ready line: pass the demo's output through.
            }
            output(`[${m.name}] ${line}`);
          });
          child.on('exit', (code) => {
            clearTimeout(timer);
            if (code) log.error({ demo: m.name, code }, 'demo exited');
            resolve();
          });
        }),
    ),
  );
  return {
    demos,
    async stop() {
      await Promise.all(
        children.map(
          (c) =>
            new Promise<void>((resolve) => {
              if (c.exitCode !== null) return resolve();
              c.once('exit', () => resolve());
              c.kill('SIGTERM');
            }),
        ),
      );
    },
  };
}
