#!/usr/bin/env node
// Runs the benchmarks under bench/ one after another (never in parallel: they measure the machine).
// Each prints a markdown table with its ratio to a baseline measured in the same run.
// `npm run bench -- mtls` runs only the benchmarks whose file name contains "mtls".
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const filters = process.argv.slice(2);
const files = readdirSync(new URL('../bench/', import.meta.url))
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
let failed = 0;
for (const file of files) {
  console.log(`\n## ${file}\n`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', `bench/${file}`], {
    cwd: root,
    stdio: 'inherit',
    // Workspace packages resolve to their sources (see scripts/run-tests.mjs), in child processes too.
    env: {
      ...process.env,
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --conditions=cardport-source`.trim(),
    },
  });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
