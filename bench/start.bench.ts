// Start time and memory of `cardport up` (issue 13): warm start to /healthz (< 2 s), RSS idle
// without demos on PGlite (≤ 250 MB), RSS under load (≤ 300 MB), and each demo's RSS (≤ 80 MB).
// Two ways to run the same platform are compared, interleaved round by round:
//   - source: `bin/cardport.js up` in the repository, which runs the TypeScript through tsx (what
//     `npm start` does today);
//   - dist: the compiled JavaScript of `npm run build`, as the installed package runs it
//     (bin/cardport.js imports dist/cli/main.mjs when src/ is absent).
// RSS is the process's (PGlite's worker thread included), read from /proc. The load is Web
// Checkout's transaction create (validation, the service from the row cache, one INSERT, the
// request log), autocannon with 16 connections. `node --import tsx bench/start.bench.ts`;
// BENCH_ROUNDS (default 3), BENCH_SKIP_BUILD=1 to reuse an existing dist/.
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

type Mode = 'source' | 'dist';

interface Up {
  child: ChildProcess;
  url: string;
  demos: { name: string; url: string }[];
  startMs: number;
  /** CPU time the process spent until /healthz answered (user + system, all threads). */
  startCpuMs: number;
}

function commandOf(mode: Mode, flags: string[]): { args: string[]; env: NodeJS.ProcessEnv } {
  // The bench runs with the `cardport-source` condition (scripts/run-bench.mjs); the compiled
  // platform must resolve the other packages to their dist/ like an installed one.
  const nodeOptions = (process.env['NODE_OPTIONS'] ?? '').replace('--conditions=cardport-source', '').trim();
  if (mode === 'source') {
    return { args: [join(root, 'packages/platform/bin/cardport.js'), 'up', '--json', ...flags], env: {} };
  }
  const launcher = `const { main } = await import(${JSON.stringify(join(root, 'packages/platform/dist/cli/main.mjs'))});
process.exitCode = await main(process.argv.slice(1));`;
  return {
    args: ['--input-type=module', '-e', launcher, 'up', '--json', ...flags],
    env: { NODE_OPTIONS: nodeOptions },
  };
}

async function startUp(mode: Mode, home: string, flags: string[] = []): Promise<Up> {
  const { args, env } = commandOf(mode, flags);
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
  const child = spawn(process.execPath, args, { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
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
      child.once('exit', (code) => reject(new Error(`${mode}: up exited with ${code}: ${stderr.join('')}`)));
    },
  );
  const health = await fetch(`${info.url}/healthz`);
  if (health.status !== 200) throw new Error(`${mode}: /healthz answered ${health.status}`);
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
  const home = join(work, `home-${mode}`);
  const up = await startUp(mode, home);
  try {
    const firstRssMb = rssMb(up.child.pid!);
    const partner = await run(
      home,
      up.url,
      'partner',
      'create',
      '--name',
      `Bench ${mode}`,
      '--out',
      join(work, `partner-${mode}`),
    );
    const merchant = await generateMerchantKey({ commonName: 'Bench merchant' });
    const csr = join(work, `merchant-${mode}.csr`);
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
    const result = await autocannonRun(`${mode} transactions`, {
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
                orderNumber: `bench-${mode}-${n++}`,
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

if (
  process.env['BENCH_SKIP_BUILD'] !== '1' ||
  !existsSync(join(root, 'packages/platform/dist/cli/main.mjs'))
) {
  console.log('building dist/ (npm run build)…');
  const built = spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], {
    cwd: root,
    stdio: 'inherit',
  });
  if (built.status !== 0) throw new Error('npm run build failed');
}

const work = mkdtempSync(join(tmpdir(), 'cardport-start-bench-'));
try {
  const modes: Mode[] = ['source', 'dist'];
  const prepared = {} as Record<Mode, Awaited<ReturnType<typeof prepare>>>;
  for (const mode of modes) prepared[mode] = await prepare(mode, work);
  const results: Record<Mode, Round[]> = { source: [], dist: [] };
  for (let i = 0; i < rounds; i++) {
    for (const mode of i % 2 ? [...modes].reverse() : modes) {
      results[mode].push(await measure(mode, prepared[mode].home, prepared[mode].serviceId));
    }
  }

  // The demos, started by `up --demo` from the repository (they exist only there).
  // The source home is warm by now: the platform's own figure is comparable with the rows above.
  const demoUp = await startUp('source', prepared.source.home, ['--demo']);
  let demoRows: string[] = [];
  const demoMb: { name: string; mb: number }[] = [];
  try {
    await new Promise((r) => setTimeout(r, idleSettleMs));
    demoRows = childrenOf(demoUp.child.pid!).map((pid) => {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
      const name = /examples\/([a-z-]+)\//.exec(cmd)?.[1] ?? `pid ${pid}`;
      const mb = rssMb(pid);
      demoMb.push({ name, mb });
      return `| demo ${name} (tsx) | ${fmt(mb)} MB | ≤ ${goals.demoMb} MB | ${fmt(mb / goals.demoMb, 2)} |`;
    });
    demoRows.push(`| platform with --demo (source) | ${fmt(rssMb(demoUp.child.pid!))} MB | — | — |`);
  } finally {
    await stop(demoUp.child);
  }

  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  console.log(`\n${rounds} interleaved rounds, medians; machine load average ${load} (at the end)\n`);
  console.log('| measure | source (tsx) | dist (compiled) | goal | dist / goal |');
  console.log('|---|---:|---:|---:|---:|');
  const row = (label: string, pick: (r: Round) => number, unit: string, goal: number, digits = 0) => {
    const s = median(results.source.map(pick));
    const d = median(results.dist.map(pick));
    console.log(
      `| ${label} | ${fmt(s, digits)} ${unit} | ${fmt(d, digits)} ${unit} | ${goal ? `${fmt(goal)} ${unit}` : '—'} | ${goal ? fmt(d / goal, 2) : '—'} |`,
    );
  };
  row('warm start to /healthz (wall clock)', (r) => r.startMs, 'ms', goals.warmStartMs);
  row('CPU time of that start (all threads)', (r) => r.startCpuMs, 'ms', 0);
  row(`RSS idle (${idleSettleMs / 1000} s after /healthz)`, (r) => r.idleMb, 'MB', goals.idleMb);
  row(`RSS peak under load (${loadSeconds} s of transaction creates)`, (r) => r.loadMb, 'MB', goals.loadMb);
  row('transactions/s under that load', (r) => r.loadRps, '/s', 0);
  row('p99 under that load', (r) => r.loadP99, 'ms', 0);
  console.log(
    `| first start (initdb) | ${fmt(prepared.source.firstStartMs)} ms, ${fmt(prepared.source.firstRssMb)} MB | ${fmt(prepared.dist.firstStartMs)} ms, ${fmt(prepared.dist.firstRssMb)} MB | — | — |`,
  );
  console.log('\n| demo process | RSS idle | goal | ratio |');
  console.log('|---|---:|---:|---:|');
  for (const r of demoRows) console.log(r);
  console.log('');
  for (const mode of modes) {
    const label = mode === 'source' ? 'from sources (tsx)' : 'compiled (dist)';
    const start = median(results[mode].map((r) => r.startMs));
    const idle = median(results[mode].map((r) => r.idleMb));
    const peak = median(results[mode].map((r) => r.loadMb));
    reportGoal({
      path: `warm start to /healthz, ${label}`,
      goal: '< 2 s',
      measured: `${fmt(start)} ms`,
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
      path: `demo ${d.name} (tsx)`,
      goal: `≤ ${goals.demoMb} MB RSS`,
      measured: `${fmt(d.mb)} MB`,
      met: d.mb <= goals.demoMb,
    });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
