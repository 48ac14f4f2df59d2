#!/usr/bin/env node
// Runs every *.test.ts with Node's test runner through tsx. Node 20 expands no globs, so the
// files are listed here. Optional arguments narrow the run to paths containing any of them.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const roots = ['packages', 'examples', 'tests'];
const skipDirs = new Set(['node_modules', 'dist', '.cardport']);

function walk(dir, out) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    if (skipDirs.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (name.endsWith('.test.ts')) out.push(relative(root, path));
  }
  return out;
}

const filters = process.argv.slice(2);
const files = roots
  .flatMap((r) => walk(join(root, r), []))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
// Workspace packages resolve to their TypeScript sources through the `cardport-source` export
// condition, here and in every process a test starts (NODE_OPTIONS is inherited).
function sourceEnv() {
  const flag = '--conditions=cardport-source';
  const current = process.env.NODE_OPTIONS ?? '';
  return { ...process.env, NODE_OPTIONS: current.includes(flag) ? current : `${current} ${flag}`.trim() };
}

const concurrency = Math.max(2, availableParallelism());
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-timeout=300000', ...files],
  { cwd: root, stdio: 'inherit', env: sourceEnv() },
);
process.exit(result.status ?? 1);
