// Browser tests' harness: Debian's Chromium driven by playwright-core, and a whole platform
// listening on 127.0.0.1 (port 0) with an in-memory database. A missing Chromium fails the test
// with install instructions: browser tests are never skipped, in CI or anywhere else.
import { randomBytes } from 'node:crypto';
import { accessSync, constants } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { type Browser, chromium } from 'playwright-core';
import { type App, assembleApp } from '../../packages/platform/src/app.ts';
import { type Clock, ManualClock, SandboxClock } from '../../packages/platform/src/core/clock.ts';
import type { Config } from '../../packages/platform/src/core/config.ts';
import { type Db, openDb } from '../../packages/platform/src/core/db.ts';
import type { Delivery } from '../../packages/platform/src/core/delivery.ts';
import type { DomainModule } from '../../packages/platform/src/core/domain.ts';
import { KeyStore } from '../../packages/platform/src/core/keystore.ts';
import { migrate } from '../../packages/platform/src/core/migrate.ts';
import { silentLogger, testConfig } from '../../packages/platform/src/core/test-kit.ts';

export const defaultChromiumPath = '/usr/bin/chromium';

/** ARCHITECTURE.md's flags for Debian's Chromium; playwright adds --headless and a fresh profile. */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export class ChromiumNotFoundError extends Error {
  override readonly name = 'ChromiumNotFoundError';
}

/** CHROMIUM_PATH, or Debian's /usr/bin/chromium. */
export function chromiumPath(env: Record<string, string | undefined> = process.env): string {
  return env['CHROMIUM_PATH'] || defaultChromiumPath;
}

function installHint(path: string): string {
  return (
    `Chromium was not found at ${path}, and browser tests need it (they are never skipped). ` +
    'Install it with `sudo apt-get install chromium` (Debian/Ubuntu), or set CHROMIUM_PATH to a ' +
    'Chromium or Chrome binary. `.ci/run` installs it on a fresh machine.'
  );
}

/** Throws ChromiumNotFoundError, saying how to install it, when no runnable Chromium is at `path`. */
export function assertChromium(path = chromiumPath()): string {
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw new ChromiumNotFoundError(installHint(path));
  }
  return path;
}

/**
 * Launches headless Chromium (fresh profile). Fails, never skips, when Chromium is missing.
 * Close it in an `after` hook.
 */
export async function launchBrowser(
  options: { env?: Record<string, string | undefined> } = {},
): Promise<Browser> {
  const executablePath = assertChromium(chromiumPath(options.env));
  try {
    return await chromium.launch({ executablePath, headless: true, args: chromiumArgs, timeout: 60_000 });
  } catch (err) {
    throw new ChromiumNotFoundError(
      `Chromium at ${executablePath} did not start: ${(err as Error).message.split('\n')[0]}. ` +
        'Reinstall it (`sudo apt-get install --reinstall chromium`) or point CHROMIUM_PATH at a working binary.',
    );
  }
}

export interface TestPlatform {
  /** Base URL of the main listener, e.g. http://127.0.0.1:43121 (also the config's publicUrl). */
  url: string;
  /** Base URL of the client-certificate listener. */
  mtlsUrl: string;
  app: App;
  config: Config;
  db: Db;
  keys: KeyStore;
  delivery: Delivery;
  clock: Clock;
  adminToken: string;
  /** Calls the admin API like the CLI does; throws on a non-2xx answer. */
  admin<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T>;
  close(): Promise<void>;
}

export interface TestPlatformOptions {
  /** A ManualClock at real time by default; pass a SandboxClock to test `cardport clock`. */
  clock?: ManualClock | SandboxClock;
  /** Domains to mount; all of them by default. */
  modules?: DomainModule[];
}

/** A whole platform (every domain, both listeners) on 127.0.0.1, port 0, in-memory PGlite. */
export async function startTestPlatform(options: TestPlatformOptions = {}): Promise<TestPlatform> {
  const clock = options.clock ?? new ManualClock(Date.now());
  const config = testConfig({ port: 0, mtlsPort: 0 });
  const adminToken = 'test-admin-token';
  const db = await openDb();
  const closers: (() => unknown)[] = [() => db.close(), () => config.cleanup()];
  const close = async () => {
    for (const c of closers.splice(0)) await Promise.resolve(c()).catch(() => {});
  };
  try {
    await migrate(db);
    if (clock instanceof SandboxClock) await clock.load(db);
    const keys = new KeyStore(randomBytes(32), clock);
    const app = await assembleApp({
      config,
      db,
      clock,
      log: silentLogger,
      keys,
      adminToken,
      ...(clock instanceof SandboxClock ? { sandboxClock: clock } : {}),
      ...(options.modules ? { modules: options.modules } : {}),
    });
    const { delivery } = app.ctx;
    closers.unshift(() => delivery.close());
    closers.unshift(
      () => app.main.close(),
      () => app.mtls.close(),
    );
    await app.main.listen({ host: '127.0.0.1', port: 0 });
    await app.mtls.listen({ host: '127.0.0.1', port: 0 });
    const url = `http://127.0.0.1:${(app.main.server.address() as AddressInfo).port}`;
    const mtlsUrl = `https://127.0.0.1:${(app.mtls.server.address() as AddressInfo).port}`;
    // The port is known only now; domains read publicUrl per request, so links use the real one.
    config.publicUrl = url;
    for (const m of app.modules) await m.start?.(app.ctx);
    closers.unshift(async () => {
      for (const m of [...app.modules].reverse()) await m.stop?.(app.ctx);
    });
    return {
      url,
      mtlsUrl,
      app,
      config,
      db,
      keys,
      delivery,
      clock,
      adminToken,
      async admin<T>(method: string, path: string, body?: unknown): Promise<T> {
        const res = await fetch(`${url}/admin/v1${path}`, {
          method,
          headers: {
            authorization: `Bearer ${adminToken}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        const text = await res.text();
        if (!res.ok)
          throw new Error(`${method} /admin/v1${path} answered ${res.status}: ${text.slice(0, 500)}`);
        return (text ? JSON.parse(text) : {}) as T;
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
