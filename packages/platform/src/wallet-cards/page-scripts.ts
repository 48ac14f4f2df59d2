// The scripts of Add to Wallet's pages are TypeScript (pages/<name>.browser.ts), bundled by esbuild
// into one minified IIFE each, the way core/bundles.ts builds the browser libraries. The published
// package carries them prebuilt beside the compiled pages (pages/<name>.js, written by
// scripts/build-platform.mjs), so an installed platform needs no bundler; inside the repository
// they are built on first request and kept for the app's life (ctx.state), so the served script
// always matches its source.
import { existsSync, readFileSync } from 'node:fs';
import { appStateKey } from '../core/app-state.ts';
import { compileBrowserBundle } from '../core/bundles.ts';

const pagesDir = new URL('./pages/', import.meta.url);

/** The page scripts served under /atw/assets/<name>.js. */
export const pageScriptNames = ['landing', 'pass'] as const;
export type PageScriptName = (typeof pageScriptNames)[number];

/** The app's built page scripts, by name. */
export const pageScriptsKey = appStateKey(
  'wallet-cards.page-scripts',
  () => new Map<PageScriptName, Promise<string>>(),
);

/** The bundled script of `pages/<name>.browser.ts`: prebuilt when shipped, else built once per app. */
export function pageScript(
  built: Map<PageScriptName, Promise<string>>,
  name: PageScriptName,
): Promise<string> {
  let script = built.get(name);
  if (!script) {
    const prebuilt = new URL(`${name}.js`, pagesDir);
    script = existsSync(prebuilt)
      ? Promise.resolve(readFileSync(prebuilt, 'utf8'))
      : compileBrowserBundle(`${name}.browser.ts`, pagesDir);
    // A failed build is not kept: the next request tries again (and reports the error).
    script.catch(() => built.delete(name));
    built.set(name, script);
  }
  return script;
}
