// Serves a page script written in TypeScript (`pages/<name>.browser.ts`): the prebuilt
// `<name>.browser.js` beside it when the package ships one, else bundled from the source with
// esbuild on first request and kept in the app's state. The same signature as core/bundles.ts's
// `servePageScript` (helper "core", issue 12): once that is merged, import it from there and
// delete this file.
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { type AppState, appStateKey } from '../core/app-state.ts';
import { compileBrowserBundle } from '../core/bundles.ts';

const scriptsKey = appStateKey('web-checkout.pageScripts', () => new Map<string, Promise<string>>());

function load(source: URL): Promise<string> {
  const prebuilt = new URL(source.href.replace(/\.ts$/, '.js'));
  if (existsSync(prebuilt)) return Promise.resolve(readFileSync(prebuilt, 'utf8'));
  const file = fileURLToPath(source);
  return compileBrowserBundle(basename(file), pathToFileURL(`${dirname(file)}/`));
}

export function servePageScript(app: FastifyInstance, state: AppState, path: string, source: URL): void {
  if (!source.pathname.endsWith('.browser.ts')) {
    throw new Error(`a page script's file name ends with .browser.ts: ${source.pathname}`);
  }
  app.get(path, async (_req, reply) => {
    const scripts = state.get(scriptsKey);
    let code = scripts.get(source.href);
    if (!code) {
      code = load(source);
      // A failed build is not kept: the next request tries again (and reports the error).
      code.catch(() => scripts.delete(source.href));
      scripts.set(source.href, code);
    }
    return reply
      .type('text/javascript; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('x-content-type-options', 'nosniff')
      .send(await code);
  });
}
