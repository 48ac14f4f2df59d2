#!/usr/bin/env node
// `npm start`: the sandbox with its demo partners (`cardport up --demo`, extra arguments passed
// on), on the fastest path available without waiting for a build:
//   - the demos are rebuilt when stale (scripts/build-demos.mjs, esbuild, under a second) and run
//     compiled; if that build fails they run from their sources through tsx, as before;
//   - the platform runs compiled (packages/platform/dist, made by `npm run build`) while that build
//     is newer than every source it was made from, else from its sources through tsx. It is never
//     built here: a first start on a fresh clone would wait for a build of about 30 s or more.
// The choice is printed on stderr (stdout stays the CLI's own, JSON lines with --json).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildDemos } from './build-demos.mjs';
import { builtStampPath, platformSources } from './build-stamp.mjs';

const root = new URL('..', import.meta.url).pathname;
const say = (line) => process.stderr.write(`npm start: ${line}\n`);

try {
  const built = await buildDemos({ staleOnly: true });
  if (built.length) say(`demos built (${built.join(', ')})`);
} catch (err) {
  say(`the demos could not be built, they run from their sources: ${err.message}`);
}

/** The newest modification time under `path` (a file or a folder tree), skipping dist and node_modules. */
function newest(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const name of readdirSync(path)) {
    if (name === 'node_modules' || name === 'dist') continue;
    max = Math.max(max, newest(join(path, name)));
  }
  return max;
}

const stamp = builtStampPath(root);
// A process that resolves the workspace packages to their TypeScript sources (the tests' and the
// benches' NODE_OPTIONS) cannot load the compiled platform, which imports their dist/.
const sourceCondition = [...process.execArgv, process.env['NODE_OPTIONS'] ?? ''].some((a) =>
  a.includes('cardport-source'),
);
const compiled =
  !sourceCondition &&
  existsSync(stamp) &&
  platformSources(root).every((path) => newest(path) <= statSync(stamp).mtimeMs);
if (compiled) {
  process.env['CARDPORT_RUN'] = 'dist';
  say('running the compiled platform (packages/platform/dist)');
} else if (sourceCondition) {
  say('the packages resolve to their sources (--conditions=cardport-source): running them through tsx');
} else {
  say(
    existsSync(stamp)
      ? 'sources changed since `npm run build`: running them through tsx'
      : 'running the sources through tsx (`npm run build` once makes the start faster and leaner)',
  );
}
process.argv.splice(2, 0, 'up', '--demo');
await import('../packages/platform/bin/cardport.js');
