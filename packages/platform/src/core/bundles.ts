import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { type AppState, appStateKey } from './app-state.ts';

// Browser code is TypeScript; the platform serves it as single minified files. Two kinds:
// - the browser libraries (packages/browser: s2p.js, the Web Checkout SDK, Add to Wallet),
// - page scripts: the script of one server-rendered page, a `<name>.browser.ts` file beside the
//   page in the repository (admin/pages/dashboard.browser.ts, …).
// The published package carries both prebuilt (written at pack time by
// scripts/build-platform.mjs: dist/browser/<entry>.js, and each page script compiled to
// `<name>.browser.js` where its source would be), so an installed platform needs no bundler.
// Inside the repository there are no such files: the platform bundles the sources with esbuild
// on first request and keeps the result in the app's state, so the served file always matches
// its source.

const prebuiltDir = new URL('../browser/', import.meta.url);
const browserSrc = new URL('../../../browser/src/', import.meta.url);

export interface Bundle {
  code: string;
  etag: string;
  gzipBytes: number;
}

/** The file name a prebuilt bundle of `entry` (e.g. `s2p.ts`) has in dist/browser/. */
export function prebuiltName(entry: string): string {
  return entry.replace(/\.ts$/, '.js');
}

/** The suffix of a page script's source; build-platform.mjs bundles every such file. */
export const pageScriptSuffix = '.browser.ts';

/** Where the prebuilt bundle of a page script lives: beside its source, `.js` for `.ts`. */
export function prebuiltPageScript(source: URL): URL {
  return new URL(source.href.replace(/\.ts$/, '.js'));
}

// The browser libraries run on partners' pages, in old browsers too; page scripts run on the
// platform's own pages (the console, the checkout page, the wallet), in current browsers.
const libraryTarget = ['es2019', 'chrome80', 'safari13', 'firefox78'];
const pageTarget = ['es2020'];

/** Bundles one TypeScript entry file into one minified IIFE with esbuild (loaded on demand). */
export async function compileBundle(entryFile: URL, target: string[] = pageTarget): Promise<string> {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [fileURLToPath(entryFile)],
    bundle: true,
    minify: true,
    format: 'iife',
    target,
    conditions: ['cardport-source'],
    write: false,
    legalComments: 'none',
  });
  return result.outputFiles[0]?.text ?? '';
}

/** Bundles `packages/browser/src/<entry>` (the browser libraries). */
export function compileBrowserBundle(entry: string, srcDir: URL = browserSrc): Promise<string> {
  return compileBundle(new URL(entry, srcDir), libraryTarget);
}

function toBundle(code: string): Bundle {
  const digest = createHash('sha256').update(code).digest('base64url').slice(0, 27);
  return { code, gzipBytes: gzipSync(code).length, etag: `"${digest}"` };
}

/** Reads the prebuilt file when it exists, else bundles the source. */
async function loadBundle(prebuilt: URL, source: URL, target: string[]): Promise<Bundle> {
  return toBundle(
    existsSync(prebuilt) ? readFileSync(prebuilt, 'utf8') : await compileBundle(source, target),
  );
}

/** The app's bundles, built once each (keyed by source file). */
export class Bundles {
  readonly #cache = new Map<string, Promise<Bundle>>();

  #get(source: URL, prebuilt: URL, target: string[]): Promise<Bundle> {
    const key = source.href;
    let bundle = this.#cache.get(key);
    if (!bundle) {
      bundle = loadBundle(prebuilt, source, target);
      // A failed build is not cached: the next request tries again (and reports the error).
      bundle.catch(() => this.#cache.delete(key));
      this.#cache.set(key, bundle);
    }
    return bundle;
  }

  /** The bundle of `packages/browser/src/<entry>`: prebuilt when shipped, else built. */
  browser(entry: BrowserEntry): Promise<Bundle> {
    return this.#get(new URL(entry, browserSrc), new URL(prebuiltName(entry), prebuiltDir), libraryTarget);
  }

  /** The bundle of a page script (`new URL('./pages/x.browser.ts', import.meta.url)`). */
  page(source: URL): Promise<Bundle> {
    if (!source.pathname.endsWith(pageScriptSuffix)) {
      throw new Error(`a page script's file name ends with ${pageScriptSuffix}: ${source.pathname}`);
    }
    return this.#get(source, prebuiltPageScript(source), pageTarget);
  }
}

export const bundlesKey = appStateKey('core.bundles', () => new Bundles());

/** Entries the platform serves; scripts/build-platform.mjs prebuilds exactly these. */
export const browserEntries = ['s2p.ts', 'web-checkout.ts', 'add-to-wallet.ts'] as const;
export type BrowserEntry = (typeof browserEntries)[number];

interface ServeOptions {
  /** Allow any origin to load it (partners' pages load the browser libraries). */
  cors?: boolean;
}

function serveBundle(
  app: FastifyInstance,
  path: string,
  bundle: () => Promise<Bundle>,
  { cors = false }: ServeOptions,
): void {
  app.get(path, async (req, reply) => {
    const b = await bundle();
    if (req.headers['if-none-match'] === b.etag) return reply.code(304).send();
    reply
      .type('text/javascript; charset=utf-8')
      .header('etag', b.etag)
      .header('cache-control', 'public, max-age=300')
      .header('x-content-type-options', 'nosniff');
    if (cors) reply.header('access-control-allow-origin', '*');
    return reply.send(b.code);
  });
}

/** Serves a browser library at `path` with caching headers and CORS (partners' pages load it). */
export function serveBrowserBundle(
  app: FastifyInstance,
  state: AppState,
  path: string,
  entry: BrowserEntry,
): void {
  serveBundle(app, path, () => state.get(bundlesKey).browser(entry), { cors: true });
}

/**
 * Serves a page script at `path` (same-origin pages load it: no CORS unless asked):
 * `servePageScript(app, ctx.state, '/admin/assets/dashboard.js', new URL('./pages/dashboard.browser.ts', import.meta.url))`.
 */
export function servePageScript(
  app: FastifyInstance,
  state: AppState,
  path: string,
  source: URL,
  options: ServeOptions = {},
): void {
  // Fail at mount, not on first request, when the source is misnamed.
  if (!source.pathname.endsWith(pageScriptSuffix)) {
    throw new Error(`a page script's file name ends with ${pageScriptSuffix}: ${source.pathname}`);
  }
  serveBundle(app, path, () => state.get(bundlesKey).page(source), options);
}
