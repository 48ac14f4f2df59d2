#!/usr/bin/env node
import { cpSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
// Builds @cardport/platform for publishing: compiles src/ to dist/ with tsdown in unbundle mode
// (one .mjs per .ts, so each module finds the page assets it reads beside it, and a compiled
// pages/checkout.ts never collides with the page script pages/checkout.js), copies the assets (pages' scripts and styles,
// site assets), prebuilds the browser bundles the platform serves (dist/browser/) and copies the
// guides (dist/docs/). The installed package then runs on Node alone: no tsx, no esbuild.
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
    '!src/**/*.browser.ts',
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

// Non-TypeScript files under src/ (pages/*.js|css, site/assets/*) go beside the compiled modules.
function copyAssets(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) copyAssets(path);
    else if (!name.endsWith('.ts')) {
      const target = join(dist, relative(src, path));
      mkdirSync(join(target, '..'), { recursive: true });
      cpSync(path, target);
    }
  }
}
copyAssets(src);

const { browserEntries, compileBrowserBundle, prebuiltName } = await import(join(dist, 'core/bundles.mjs'));
mkdirSync(join(dist, 'browser'), { recursive: true });
for (const entry of browserEntries) {
  writeFileSync(join(dist, 'browser', prebuiltName(entry)), await compileBrowserBundle(entry));
}

// Page scripts (src/**/pages/<name>.browser.ts) are bundled for the browser to <name>.js beside
// the compiled pages (wallet-cards/page-scripts.ts reads them there).
function pageScriptSources(dir) {
  const found = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...pageScriptSources(path));
    else if (name.endsWith('.browser.ts')) found.push(path);
  }
  return found;
}
for (const path of pageScriptSources(src)) {
  const dir = join(dist, relative(src, join(path, '..')));
  const name = path.split('/').pop();
  mkdirSync(dir, { recursive: true });
  const code = await compileBrowserBundle(name, new URL(`file://${join(path, '..')}/`));
  writeFileSync(join(dir, name.replace(/\.browser\.ts$/, '.js')), code);
}

mkdirSync(join(dist, 'docs'), { recursive: true });
for (const name of readdirSync(join(root, 'docs'))) {
  if (name.endsWith('.md')) cpSync(join(root, 'docs', name), join(dist, 'docs', name));
}
