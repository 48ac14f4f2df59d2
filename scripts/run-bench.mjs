#!/usr/bin/env node
// Runs the benchmarks under bench/ one after another (never in parallel: they measure the machine).
// Each prints a markdown table with its ratio to a baseline measured in the same run, and the
// issue 13 goals it measures (bench/support.ts, reportGoal); the runner ends with one table of
// every goal, the value measured and whether it was met.
// The benchmarks that measure one database per run (ATW, Web Checkout, S2P) run on PGlite and,
// when DATABASE_URL is set, again on PostgreSQL; the others cover both databases themselves.
// `npm run bench -- mtls` runs only the benchmarks whose file name contains "mtls".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const filters = process.argv.slice(2);
const files = readdirSync(new URL('../bench/', import.meta.url))
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
const perDatabase = new Set(['atw.bench.ts', 'web-checkout.bench.ts', 's2p.bench.ts']);
const work = mkdtempSync(join(tmpdir(), 'cardport-bench-'));
const goalsFile = join(work, 'goals.jsonl');
const databaseUrl = process.env.DATABASE_URL;
let failed = 0;
for (const file of files) {
  const runs = perDatabase.has(file) ? [undefined, ...(databaseUrl ? [databaseUrl] : [])] : [databaseUrl];
  for (const url of runs) {
    const on = perDatabase.has(file) ? (url ? ' (PostgreSQL)' : ' (PGlite)') : '';
    console.log(`\n## ${file}${on}\n`);
    const env = {
      ...process.env,
      BENCH_GOALS_FILE: goalsFile,
      // Workspace packages resolve to their sources (see scripts/run-tests.mjs), in child processes too.
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --conditions=cardport-source`.trim(),
    };
    if (url) env.DATABASE_URL = url;
    else delete env.DATABASE_URL;
    const r = spawnSync(process.execPath, ['--import', 'tsx', `bench/${file}`], {
      cwd: root,
      stdio: 'inherit',
      env,
    });
    if (r.status !== 0) failed++;
  }
}
if (existsSync(goalsFile)) {
  const goals = readFileSync(goalsFile, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  console.log(
    `\n## Goals (issue 13), load average at the end ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}\n`,
  );
  console.log('| path | goal | measured | met? |');
  console.log('|---|---|---|---|');
  for (const g of goals) console.log(`| ${g.path} | ${g.goal} | ${g.measured} | ${g.met ? 'yes' : 'no'} |`);
}
rmSync(work, { recursive: true, force: true });
process.exit(failed ? 1 : 0);
