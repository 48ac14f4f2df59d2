#!/usr/bin/env node
import { cpSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
// Builds @cardport/platform for publishing: compiles src/ to dist/ with tsdown in unbundle mode
// (one .mjs per .ts, so each module finds the page assets it reads beside it, and a compiled
// pages/checkout.ts never collides with the page script pages/checkout.js), copies the assets (pages' scripts and styles,
// site assets), prebuilds the browser bundles the platform serves (dist/browser/) and the page
// scripts (each `src/**/<name>.browser.ts` to `dist/**/<name>.browser.js`, where core/bundles.ts
// looks for it), and copies the guides (dist/docs/). The installed package then runs on Node alone: no tsx, no esbuild.
import { build } from 'tsdown';

const root = new URL('..', import.meta.url).pathname;
const pkg = join(root, 'packages/platform');
const src = join(pkg, 'src');
const dist = join(pkg, 'dist');

rmSync(dist, { recursive: true, force: true });
await build({
  cwd: pkg,
  name: '@cardport/platform',
  config: false,
  entry: [
    'src/**/*.ts',
    '!src/**/*.test.ts',
    '!src/**/*.fixture.ts',
    '!src/**/test-support.ts',
    '!src/**/*-test-support.ts',
    // Page scripts run in the browser: bundled below, not compiled as Node modules.
    '!src/**/*.browser.ts',
    '!src/**/pages/browser/**',
  ],
  unbundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  fixedExtension: true,
  dts: false,
  sourcemap: true,
  tsconfig: join(root, 'tsconfig.build.json'),
  // Loaded only inside the repository (bundling browser sources on demand, running the demos).
  deps: { neverBundle: ['esbuild', 'tsx'] },
  clean: true,
  logLevel: 'warn',
  checks: { pluginTimings: false },
});

// The declarations of the public entry @cardport/platform/testing (dist/testing/index.d.mts);
// the modules themselves are the unbundled ones above.
await build({
  cwd: pkg,
  name: '@cardport/platform/testing',
  config: false,
  entry: { 'testing/index': 'src/testing/index.ts' },
  format: 'esm',
  platform: 'node',
  target: 'node20',
  fixedExtension: true,
  dts: { emitDtsOnly: true },
  tsconfig: join(root, 'tsconfig.build.json'),
  clean: false,
  logLevel: 'warn',
  checks: { pluginTimings: false },
});

// Non-TypeScript files under src/ (pages/*.js|css, site/assets/*) go beside the compiled modules.
const pageScripts = [];
function copyAssets(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) copyAssets(path);
    else if (name.endsWith('.browser.ts')) pageScripts.push(path);
    else if (!name.endsWith('.ts')) {
      const target = join(dist, relative(src, path));
      mkdirSync(join(target, '..'), { recursive: true });
      cpSync(path, target);
    }
  }
}
copyAssets(src);

const { browserEntries, compileBrowserBundle, compileBundle, prebuiltName, prebuiltPageScript } =
  await import(join(dist, 'core/bundles.mjs'));
mkdirSync(join(dist, 'browser'), { recursive: true });
for (const entry of browserEntries) {
  writeFileSync(join(dist, 'browser', prebuiltName(entry)), await compileBrowserBundle(entry));
}
for (const path of pageScripts) {
  const target = prebuiltPageScript(pathToFileURL(join(dist, relative(src, path))));
  mkdirSync(new URL('.', target), { recursive: true });
  writeFileSync(target, await compileBundle(pathToFileURL(path)));
}

mkdirSync(join(dist, 'docs'), { recursive: true });
for (const name of readdirSync(join(root, 'docs'))) {
  if (name.endsWith('.md')) cpSync(join(root, 'docs', name), join(dist, 'docs', name));
}
