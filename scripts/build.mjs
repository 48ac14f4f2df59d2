#!/usr/bin/env node
// Builds the publishable packages. The four libraries (protocol, jose, sdk, browser) are bundled
// with tsdown into dist/: ESM (.js) and CommonJS (.cjs) entry points, their declarations (.d.ts,
// .d.cts) and source maps; the browser library also gets a minified script-tag bundle. The
// platform is compiled file by file with tsc (scripts/build-platform.mjs), because it reads its
// page assets and migrations relative to its own modules.
// The demo partners (examples/*) are bundled too (scripts/build-demos.mjs), so that `cardport up
// --demo` runs them on Node alone; `npm start` rebuilds them itself when they are stale.
// Inside the repository nothing else needs this: every package.json maps the `cardport-source`
// export condition to src/, which tsc, tsx and the tests use.
import { spawnSync } from 'node:child_process';
import { build } from 'tsdown';

const root = new URL('..', import.meta.url).pathname;
const only = process.argv.slice(2);

/** @type {Record<string, import('tsdown').UserConfig>} */
const libraries = {
  protocol: {},
  jose: {},
  sdk: {},
  browser: {
    platform: 'browser',
    format: {
      esm: {},
      cjs: {},
      // <script src=".../cardport-browser.min.js">: sets window.spay, window.SamsungPay and
      // window.cardport like the hosted libraries, and exposes everything as window.CardportBrowser.
      iife: { globalName: 'CardportBrowser', minify: true, dts: false, target: ['es2019'] },
    },
  },
};

const selected = Object.keys(libraries).filter((name) => only.length === 0 || only.includes(name));
for (const name of selected) {
  const cwd = `${root}packages/${name}`;
  await build({
    cwd,
    name: `@cardport/${name}`,
    config: false,
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    platform: 'node',
    target: 'node20',
    fixedExtension: false,
    outExtensions: ({ format }) =>
      format === 'iife'
        ? { js: '.min.js' }
        : format === 'cjs'
          ? { js: '.cjs', dts: '.d.cts' }
          : { js: '.js' },
    dts: { sourcemap: true },
    sourcemap: true,
    tsconfig: `${root}tsconfig.build.json`,
    clean: true,
    logLevel: 'warn',
    checks: { pluginTimings: false, legacyCjs: false },
    ...libraries[name],
  });
}

if (only.length === 0 || only.includes('platform')) {
  const r = spawnSync(process.execPath, [`${root}scripts/build-platform.mjs`], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

if (only.length === 0 || only.includes('demos')) {
  const { buildDemos } = await import('./build-demos.mjs');
  await buildDemos();
}

if (only.length === 0) {
  // Everything is built: npm start may run the compiled platform until a source changes.
  const { writeFileSync } = await import('node:fs');
  const { builtStampPath } = await import('./build-stamp.mjs');
  writeFileSync(builtStampPath(root), `${new Date().toISOString()}\n`);
}
