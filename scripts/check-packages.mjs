#!/usr/bin/env node
// Lints what npm would publish: publint on every public package, and arethetypeswrong on the
// libraries (ESM, CommonJS, node10/node16/bundler resolution of their types). Builds first.
// Any problem fails the run.
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const libraries = ['protocol', 'jose', 'sdk', 'browser'];
const all = [...libraries, 'platform'];

function run(cmd, args, cwd = root) {
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`failed: ${cmd} ${args.join(' ')} (in ${cwd})`);
    process.exit(r.status ?? 1);
  }
}

if (!process.argv.includes('--no-build')) run(process.execPath, ['scripts/build.mjs']);
const bin = (name) => `${root}node_modules/.bin/${name}`;
for (const name of all) run(bin('publint'), ['--strict', `packages/${name}`]);
for (const name of libraries) {
  // @cardport/browser/script is the <script> tag bundle (a classic script, not a module).
  const exclude = name === 'browser' ? ['--exclude-entrypoints', './script'] : [];
  run(bin('attw'), ['--pack', `packages/${name}`, '--format', 'ascii', ...exclude]);
}
