import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import type { FastifyInstance } from 'fastify';

// The browser libraries (packages/browser) are TypeScript; the platform serves them as single
// minified files, bundled with esbuild on first request and kept in memory. No build step is
// needed before `npm start`, and the served file always matches the source.

const browserSrc = new URL('../../../browser/src/', import.meta.url);

export interface Bundle {
  code: string;
  etag: string;
  gzipBytes: number;
}

const cache = new Map<string, Promise<Bundle>>();

/** Bundles `packages/browser/src/<entry>` into one minified IIFE (cached per entry). */
export function browserBundle(entry: string): Promise<Bundle> {
  let bundle = cache.get(entry);
  if (!bundle) {
    bundle = build({
      entryPoints: [new URL(entry, browserSrc).pathname],
      bundle: true,
      minify: true,
      format: 'iife',
      target: ['es2019', 'chrome80', 'safari13', 'firefox78'],
      write: false,
      legalComments: 'none',
    }).then((result) => {
      const code = result.outputFiles[0]?.text ?? '';
      const gzipBytes = gzipSync(code).length;
      return {
        code,
        gzipBytes,
        etag: `"${Buffer.from(String(code.length) + code.slice(-32)).toString('base64url')}"`,
      };
    });
    // A failed build is not cached: the next request tries again (and reports the error).
    bundle.catch(() => cache.delete(entry));
    cache.set(entry, bundle);
  }
  return bundle;
}

/** Serves a browser bundle at `path` with caching headers and CORS (partners' pages load it). */
export function serveBrowserBundle(app: FastifyInstance, path: string, entry: string): void {
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
