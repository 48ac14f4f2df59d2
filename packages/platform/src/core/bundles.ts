import { existsSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';

// The browser libraries (packages/browser) are TypeScript; the platform serves them as single
// minified files. The published package carries them prebuilt (dist/browser/, written at pack
// time by scripts/build-platform.mjs), so an installed platform needs no bundler. Inside the
// repository there is no such folder: the platform bundles the sources with esbuild on first
// request and keeps them in memory, so the served file always matches the source.

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

/** Bundles `packages/browser/src/<entry>` into one minified IIFE with esbuild (loaded on demand). */
export async function compileBrowserBundle(entry: string, srcDir: URL = browserSrc): Promise<string> {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [new URL(entry, srcDir).pathname],
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['es2019', 'chrome80', 'safari13', 'firefox78'],
    conditions: ['cardport-source'],
    write: false,
    legalComments: 'none',
  });
  return result.outputFiles[0]?.text ?? '';
}

async function loadBundle(entry: string): Promise<Bundle> {
  const prebuilt = new URL(prebuiltName(entry), prebuiltDir);
  const code = existsSync(prebuilt) ? readFileSync(prebuilt, 'utf8') : await compileBrowserBundle(entry);
  return {
    code,
    gzipBytes: gzipSync(code).length,
    etag: `"${Buffer.from(String(code.length) + code.slice(-32)).toString('base64url')}"`,
  };
}

const cache = new Map<string, Promise<Bundle>>();

/** The bundle of `packages/browser/src/<entry>`: prebuilt when shipped, else built (cached per entry). */
export function browserBundle(entry: string): Promise<Bundle> {
  let bundle = cache.get(entry);
  if (!bundle) {
    bundle = loadBundle(entry);
    // A failed build is not cached: the next request tries again (and reports the error).
    bundle.catch(() => cache.delete(entry));
    cache.set(entry, bundle);
  }
  return bundle;
}

/** Entries the platform serves; scripts/build-platform.mjs prebuilds exactly these. */
export const browserEntries = ['s2p.ts', 'web-checkout.ts', 'add-to-wallet.ts'] as const;

/** Serves a browser bundle at `path` with caching headers and CORS (partners' pages load it). */
export function serveBrowserBundle(
  app: FastifyInstance,
  path: string,
  entry: (typeof browserEntries)[number],
): void {
  app.get(path, async (req, reply) => {
    const b = await browserBundle(entry);
    if (req.headers['if-none-match'] === b.etag) return reply.code(304).send();
    return reply
      .type('text/javascript; charset=utf-8')
      .header('etag', b.etag)
      .header('cache-control', 'public, max-age=300')
      .header('access-control-allow-origin', '*')
      .header('x-content-type-options', 'nosniff')
      .send(b.code);
  });
}
