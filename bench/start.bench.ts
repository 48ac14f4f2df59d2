// Start time and memory of `cardport up` (issue 13): warm start to /healthz (< 2 s), RSS idle
// without demos on PGlite (≤ 250 MB), RSS under load (≤ 300 MB), and each demo's RSS (≤ 80 MB).
// Ways to run the platform, compared interleaved round by round:
//   - source: `bin/cardport.js up` in the repository, the TypeScript through tsx (what `npm start`
//     runs while no up-to-date `npm run build` exists);
//   - dist: the compiled JavaScript of `npm run build` (what the installed package runs, and what
//     `npm start` runs once the build is up to date: CARDPORT_RUN=dist, scripts/start.mjs);
//   - with BENCH_BEFORE_ROOT=<another checkout, npm ci done> the same two for that tree
//     ("before source", "before dist"), to measure a change against its base in the same session.
// The demos are measured the way each tree's `npm start` runs them (its package.json `start`
// script, with --json and free ports): here scripts/start.mjs, the demos compiled. Each is
// measured on its second start (the first onboards it: keys and certificates).
// RSS is the process's (PGlite's worker thread included), read from /proc. The load is Web
// Checkout's transaction create (validation, the service from the row cache, one INSERT, the
// request log), autocannon with 16 connections. `node --import tsx bench/start.bench.ts`;
// BENCH_ROUNDS (default 3), BENCH_SKIP_BUILD=1 to reuse an existing dist/.
// Just over 400 lines: one script measures the four goals together, in interleaved rounds
// (splitting it would split the rounds that make the figures comparable).
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { generateMerchantKey } from '@cardport/sdk';
import { main as cli } from '../packages/platform/src/cli/main.ts';
import { autocannonRun, reportGoal } from './support.ts';

const root = new URL('..', import.meta.url).pathname;
const rounds = Number(process.env['BENCH_ROUNDS'] ?? 3);
const idleSettleMs = 10_000;
const loadSeconds = 5;
const goals = { warmStartMs: 2000, idleMb: 250, loadMb: 300, demoMb: 80 };

interface Tree {
  label: string;
  root: string;
}
const trees: Tree[] = [
  { label: '', root },
  ...(process.env['BENCH_BEFORE_ROOT'] ? [{ label: 'before ', root: process.env['BENCH_BEFORE_ROOT'] }] : []),
];
/** A way to run the platform: a tree and source or dist. */
interface Mode {
  name: string;
  tree: Tree;
  kind: 'source' | 'dist';
}
// BENCH_KINDS=dist measures the compiled platform only (default: source,dist).
const kinds = (process.env['BENCH_KINDS'] ?? 'source,dist').split(',') as ('source' | 'dist')[];
const modes: Mode[] = trees.flatMap((tree) =>
  kinds.map((kind) => ({ name: `${tree.label}${kind}`, tree, kind })),
);

interface Up {
  child: ChildProcess;
  url: string;
  demos: { name: string; url: string }[];
  startMs: number;
  /** CPU time the process spent until /healthz answered (user + system, all threads). */
  startCpuMs: number;
}

// The bench runs with the `cardport-source` condition (scripts/run-bench.mjs); the compiled
// platform must resolve the other packages to their dist/ like an installed one, and `npm start`
// runs without it.
const plainNodeOptions = (process.env['NODE_OPTIONS'] ?? '')
  .replace('--conditions=cardport-source', '')
  .trim();

function commandOf(mode: Mode, flags: string[]): { args: string[]; env: NodeJS.ProcessEnv } {
  if (mode.kind === 'source') {
    return {
      args: [join(mode.tree.root, 'packages/platform/bin/cardport.js'), 'up', '--json', ...flags],
      env: {},
    };
  }
  const launcher = `const { main } = await import(${JSON.stringify(join(mode.tree.root, 'packages/platform/dist/cli/main.mjs'))});
process.exitCode = await main(process.argv.slice(1));`;
  return {
    args: ['--input-type=module', '-e', launcher, 'up', '--json', ...flags],
    env: { NODE_OPTIONS: plainNodeOptions },
  };
}

/** A tree's `npm start`, run as npm would (its package.json `start` script), with --json added. */
function npmStartOf(tree: Tree): { args: string[]; env: NodeJS.ProcessEnv } {
  const pkg = JSON.parse(readFileSync(join(tree.root, 'package.json'), 'utf8')) as {
    scripts: { start: string };
  };
  const [node, ...args] = pkg.scripts.start.split(/\s+/);
  if (node !== 'node') throw new Error(`${tree.root}: npm start is not a node command: ${pkg.scripts.start}`);
  return {
    args: [...args.map((a) => (a.includes('/') ? join(tree.root, a) : a)), '--json'],
    env: { NODE_OPTIONS: plainNodeOptions },
  };
}

async function startUp(
  mode: Mode,
  home: string,
  command: { args: string[]; env: NodeJS.ProcessEnv } = commandOf(mode, []),
): Promise<Up> {
  const { args, env } = command;
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    ...env,
    CARDPORT_HOME: home,
    CARDPORT_PORT: '0',
    CARDPORT_MTLS_PORT: '0',
    CARDPORT_LOG_LEVEL: 'warn',
  };
  delete childEnv['DATABASE_URL'];
  const t0 = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: mode.tree.root,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stderr: string[] = [];
  child.stderr!.on('data', (d: Buffer) => stderr.push(d.toString()));
  const info = await new Promise<{ url: string; demos?: { name: string; url: string }[] }>(
    (resolve, reject) => {
      createInterface({ input: child.stdout! }).on('line', (line) => {
        try {
          const parsed = JSON.parse(line) as { url?: string };
          if (parsed.url) resolve(parsed as { url: string });
        } catch {
          // a demo's line
        }
      });
      child.once('exit', (code) =>
        reject(new Error(`${mode.name}: up exited with ${code}: ${stderr.join('')}`)),
      );
    },
  );
  const health = await fetch(`${info.url}/healthz`);
  if (health.status !== 200) throw new Error(`${mode.name}: /healthz answered ${health.status}`);
  const startMs = performance.now() - t0;
  return { child, url: info.url, demos: info.demos ?? [], startMs, startCpuMs: cpuMs(child.pid!) };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** Resident set size of a process in MB (VmRSS), from /proc. */
function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
  return kb / 1024;
}

/** CPU time of a process in ms (utime + stime of /proc/PID/stat, in clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** The direct children of a process (its demos), from /proc. */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    const text = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
    if (text) out.push(...text.split(/\s+/).map(Number));
  }
  return out;
}

/** The CLI in this process against a running platform; its JSON answer. */
async function run(home: string, url: string, ...args: string[]): Promise<Record<string, unknown>> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await cli([...args, '--json'], {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    env: { CARDPORT_HOME: home, CARDPORT_URL: url },
  });
  if (code !== 0) throw new Error(`cardport ${args.join(' ')}: ${err.join('\n')}`);
  return JSON.parse(out.join('')) as Record<string, unknown>;
}

/** First start of a home (PGlite's initdb), then a partner and a checkout service to load. */
async function prepare(
  mode: Mode,
  work: string,
): Promise<{ home: string; serviceId: string; firstStartMs: number; firstRssMb: number }> {
  const home = join(work, `home-${mode.name.replace(' ', '-')}`);
  const up = await startUp(mode, home);
  try {
    const firstRssMb = rssMb(up.child.pid!);
    const partner = await run(
      home,
      up.url,
      'partner',
      'create',
      '--name',
      `Bench ${mode.name}`,
      '--out',
      join(work, `partner-${home.slice(work.length + 6)}`),
    );
    const merchant = await generateMerchantKey({ commonName: 'Bench merchant' });
    const csr = join(work, `merchant-${home.slice(work.length + 6)}.csr`);
    writeFileSync(csr, merchant.csrPem);
    const service = await run(
      home,
      up.url,
      'service',
      'create',
      '--partner',
      partner['partnerId'] as string,
      '--name',
      'Bench shop',
      '--csr',
      csr,
      '--domain',
      'shop.example',
    );
    return { home, serviceId: service['serviceId'] as string, firstStartMs: up.startMs, firstRssMb };
  } finally {
    await stop(up.child);
  }
}

interface Round {
  startMs: number;
  startCpuMs: number;
  idleMb: number;
  loadMb: number;
  loadRps: number;
  loadP99: number;
}

async function measure(mode: Mode, home: string, serviceId: string): Promise<Round> {
  const up = await startUp(mode, home);
  try {
    const pid = up.child.pid!;
    await new Promise((r) => setTimeout(r, idleSettleMs));
    const idleMb = rssMb(pid);
    let loadMb = idleMb;
    const sampler = setInterval(() => {
      loadMb = Math.max(loadMb, rssMb(pid));
    }, 100);
    let n = 0;
    const result = await autocannonRun(`${mode.name} transactions`, {
      url: `${up.url}/ops/v1/transactions`,
      method: 'POST',
      connections: 16,
      duration: loadSeconds,
      headers: { 'content-type': 'application/json' },
      requests: [
        {
          setupRequest: (req: Record<string, unknown>) => ({
            ...req,
            body: JSON.stringify({
              callback: 'https://shop.example/done',
              paymentDetails: {
                service: { id: serviceId },
                orderNumber: `bench-${n++}`,
                recurring: false,
                protocol: { type: '3DS', version: '80' },
                amount: { option: 'FORMAT_TOTAL_ESTIMATED_AMOUNT', currency: 'USD', total: '12.34' },
                merchant: { name: 'Bench shop' },
                allowedBrands: ['MC'],
              },
            }),
          }),
        },
      ],
    });
    clearInterval(sampler);
    loadMb = Math.max(loadMb, rssMb(pid));
    return {
      startMs: up.startMs,
      startCpuMs: up.startCpuMs,
      idleMb,
      loadMb,
      loadRps: result.requests.average,
      loadP99: result.latency.p99,
    };
  } finally {
    await stop(up.child);
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};
const fmt = (x: number, digits = 0) =>
  x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

for (const tree of trees) {
  if (
    process.env['BENCH_SKIP_BUILD'] === '1' &&
    existsSync(join(tree.root, 'packages/platform/dist/cli/main.mjs'))
  )
    continue;
  console.log(`building ${tree.root} (npm run build)…`);
  const built = spawnSync(process.execPath, [join(tree.root, 'scripts/build.mjs')], {
    cwd: tree.root,
    stdio: 'inherit',
    env: { ...process.env, NODE_OPTIONS: plainNodeOptions },
  });
  if (built.status !== 0) throw new Error(`npm run build failed in ${tree.root}`);
}

const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const work = mkdtempSync(join(tmpdir(), 'cardport-start-bench-'));
try {
  const loadAtStart = loadAverage();
  const prepared = new Map<Mode, Awaited<ReturnType<typeof prepare>>>();
  for (const mode of modes) prepared.set(mode, await prepare(mode, work));
  const results = new Map<Mode, Round[]>(modes.map((m) => [m, []]));
  for (let i = 0; i < rounds; i++) {
    for (const mode of i % 2 ? [...modes].reverse() : modes) {
      const p = prepared.get(mode)!;
      results.get(mode)!.push(await measure(mode, p.home, p.serviceId));
    }
  }

  // The demos, as each tree's `npm start` runs them (they exist only in the repository), on a
  // warm home of that tree. Demo processes are the platform's direct children.
  const demoMb: { tree: Tree; name: string; mb: number; how: string }[] = [];
  const demoPlatform: { tree: Tree; mb: number }[] = [];
  for (const tree of trees) {
    const mode = modes.find((m) => m.tree === tree)!;
    const home = prepared.get(mode)!.home;
    // A first start onboards each demo (keys, certificates): measured on the next, a warm start.
    await stop((await startUp(mode, home, npmStartOf(tree))).child);
    const up = await startUp(mode, home, npmStartOf(tree));
    try {
      await new Promise((r) => setTimeout(r, idleSettleMs));
      for (const pid of childrenOf(up.child.pid!)) {
        const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
        const name = /examples\/([a-z-]+)\//.exec(cmd)?.[1];
        if (!name) continue; // esbuild's service (the sources' on-demand page bundles)
        demoMb.push({ tree, name, mb: rssMb(pid), how: cmd.includes('tsx') ? 'tsx' : 'compiled' });
      }
      demoPlatform.push({ tree, mb: rssMb(up.child.pid!) });
    } finally {
      await stop(up.child);
    }
  }

  console.log(
    `\n${rounds} interleaved rounds, medians; machine load average ${loadAtStart} at the start, ${loadAverage()} at the end\n`,
  );
  console.log(`| measure | ${modes.map((m) => m.name).join(' | ')} | goal |`);
  console.log(`|---|${modes.map(() => '---:|').join('')}---:|`);
  const row = (label: string, pick: (r: Round) => number, unit: string, goal: number, digits = 0) => {
    const cells = modes.map((m) => `${fmt(median(results.get(m)!.map(pick)), digits)} ${unit}`);
    console.log(`| ${label} | ${cells.join(' | ')} | ${goal ? `${fmt(goal)} ${unit}` : '—'} |`);
  };
  row('warm start to /healthz (wall clock)', (r) => r.startMs, 'ms', goals.warmStartMs);
  row('CPU time of that start (all threads)', (r) => r.startCpuMs, 'ms', 0);
  row(`RSS idle (${idleSettleMs / 1000} s after /healthz)`, (r) => r.idleMb, 'MB', goals.idleMb);
  row(`RSS peak under load (${loadSeconds} s of transaction creates)`, (r) => r.loadMb, 'MB', goals.loadMb);
  row('transactions/s under that load', (r) => r.loadRps, '/s', 0);
  row('p99 under that load', (r) => r.loadP99, 'ms', 0);
  console.log(
    `| first start (initdb) | ${modes.map((m) => `${fmt(prepared.get(m)!.firstStartMs)} ms, ${fmt(prepared.get(m)!.firstRssMb)} MB`).join(' | ')} | — |`,
  );
  console.log('\n| demo process (as npm start runs it) | RSS idle | goal | ratio |');
  console.log('|---|---:|---:|---:|');
  for (const d of demoMb) {
    console.log(
      `| ${d.tree.label}demo ${d.name} (${d.how}) | ${fmt(d.mb)} MB | ≤ ${goals.demoMb} MB | ${fmt(d.mb / goals.demoMb, 2)} |`,
    );
  }
  for (const p of demoPlatform)
    console.log(`| ${p.tree.label}platform of that npm start | ${fmt(p.mb)} MB | — | — |`);
  console.log('');
  for (const mode of modes) {
    const label = `${mode.tree.label}${mode.kind === 'source' ? 'from sources (tsx)' : 'compiled (dist)'}`;
    const rs = results.get(mode)!;
    const start = median(rs.map((r) => r.startMs));
    const cpu = median(rs.map((r) => r.startCpuMs));
    const idle = median(rs.map((r) => r.idleMb));
    const peak = median(rs.map((r) => r.loadMb));
    reportGoal({
      path: `warm start to /healthz, ${label}`,
      goal: '< 2 s',
      measured: `${fmt(start)} ms (CPU ${fmt(cpu)} ms, load ${loadAtStart.split(' ')[0]})`,
      met: start < goals.warmStartMs,
    });
    reportGoal({
      path: `memory idle, PGlite, no demos, ${label}`,
      goal: `≤ ${goals.idleMb} MB RSS`,
      measured: `${fmt(idle)} MB`,
      met: idle <= goals.idleMb,
    });
    reportGoal({
      path: `memory under load, PGlite, ${label}`,
      goal: `≤ ${goals.loadMb} MB RSS`,
      measured: `${fmt(peak)} MB`,
      met: peak <= goals.loadMb,
    });
  }
  for (const d of demoMb) {
    reportGoal({
      path: `${d.tree.label}demo ${d.name} (${d.how}, as npm start runs it)`,
      goal: `≤ ${goals.demoMb} MB RSS`,
      measured: `${fmt(d.mb)} MB`,
      met: d.mb <= goals.demoMb,
    });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
