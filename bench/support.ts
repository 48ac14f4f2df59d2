// Shared pieces of the benchmarks: the same-run baseline and the measuring loop.
import { fork, spawnSync } from 'node:child_process';
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

/** OpenSSL's RSA-2048 private-key (sign) operations per second, single-threaded, measured now. */
export function opensslRsa2048PrivateOps(seconds: number): number {
  const run = spawnSync('openssl', ['speed', '-seconds', String(Math.ceil(seconds)), 'rsa2048'], {
    encoding: 'utf8',
  });
  const line = run.stdout?.split('\n').find((l) => l.startsWith('rsa 2048 bits'));
  const signPerSecond = Number(line?.trim().split(/\s+/)[5]);
  if (!Number.isFinite(signPerSecond)) throw new Error(`cannot read openssl speed output: ${run.stderr}`);
  return signPerSecond;
}

/**
 * Runs `op` (sync or async) for `seconds` after a warm-up; returns operations per second. With
 * `inFlight` > 1, that many loops run at once (as a server's concurrent requests do), so an
 * operation's database round trip can overlap another's computation.
 */
export async function measureOpsPerSecond(
  op: () => unknown,
  seconds: number,
  { warmup = 50, batch = 20, inFlight = 1 }: { warmup?: number; batch?: number; inFlight?: number } = {},
): Promise<number> {
  for (let i = 0; i < warmup; i++) await op();
  let count = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  let now = start;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (performance.now() < end) {
        for (let i = 0; i < batch; i++) await op();
        count += batch;
      }
    }),
  );
  now = performance.now();
  return count / ((now - start) / 1000);
}

export interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}

/** Runs autocannon (in this process) and refuses a run with any non-2xx, error or timeout. */
export async function autocannonRun(label: string, opts: Record<string, unknown>): Promise<AutocannonResult> {
  const autocannon = createRequire(import.meta.url)('autocannon') as (
    o: Record<string, unknown>,
  ) => Promise<AutocannonResult>;
  const result = await autocannon(opts);
  if (result.non2xx || result.errors || result.timeouts) {
    throw new Error(
      `${label}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`,
    );
  }
  return result;
}

/**
 * Runs `script --serve` in a child process (so the load generator does not share the servers'
 * event loop), waits for the targets it sends, and gives them to `run`; stops the child after.
 */
export async function withServerChild<T>(
  script: string,
  run: (targets: T, ask: (request: Record<string, unknown>) => Promise<unknown>) => Promise<void>,
): Promise<void> {
  const child = fork(script, ['--serve'], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const targets = await new Promise<T>((resolve, reject) => {
      child.once('message', (m) => resolve(m as T));
      child.once('exit', (code) => reject(new Error(`server process exited early (${code})`)));
    });
    // One request at a time to the server process, answered by one message (see s2p.bench.ts).
    const ask = (request: Record<string, unknown>) =>
      new Promise<unknown>((resolve) => {
        child.once('message', resolve);
        child.send(request);
      });
    await run(targets, ask);
  } finally {
    if (child.exitCode === null) {
      child.send('stop');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  }
}

export interface GoalResult {
  /** The path or resource, with its database: "Web Checkout create, PGlite". */
  path: string;
  /** The goal as issue 13 words it: "≥ 0.6× the INSERT alone". */
  goal: string;
  /** What was measured, with its unit: "0.21× (243/s)". */
  measured: string;
  met: boolean;
}

/**
 * Prints one goal's outcome under the bench's table and, when `npm run bench` runs the suite
 * (BENCH_GOALS_FILE set by scripts/run-bench.mjs), records it for the summary printed at the end.
 */
export function reportGoal(result: GoalResult): void {
  console.log(
    `Goal: ${result.path}: ${result.goal}; measured ${result.measured}: ${result.met ? 'met' : 'NOT met'}.`,
  );
  const file = process.env['BENCH_GOALS_FILE'];
  if (file) appendFileSync(file, `${JSON.stringify(result)}\n`);
}

/** The event-loop goal of issue 13: no stall over 20 ms under load. */
export const loopStallGoalMs = 20;

/**
 * A CPU profile of a measured load in a server process, written only when BENCH_SERVER_PROFILE
 * names a folder: `profileLoad()` at the start of the load, and the function it returns at its
 * end writes `<folder>/<name>-<n>.cpuprofile` (open it in Chrome's DevTools, or sum self time).
 * Nothing is measured or loaded otherwise.
 */
export async function profileLoad(name: string): Promise<() => Promise<void>> {
  const folder = process.env['BENCH_SERVER_PROFILE'];
  if (!folder) return async () => {};
  const { Session } = await import('node:inspector/promises');
  const { mkdirSync, writeFileSync } = await import('node:fs');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    mkdirSync(folder, { recursive: true });
    writeFileSync(`${folder}/${name}-${Date.now()}.cpuprofile`, JSON.stringify(profile));
    session.disconnect();
  };
}

/**
 * CPU time (user + system, ms) of every local PostgreSQL server process, read from /proc: the
 * database's share of a load, next to the server's `process.cpuUsage()`. 0 where /proc is absent.
 */
export function postgresCpuMs(): number {
  let ticks = 0;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return 0;
  }
  for (const pid of entries) {
    if (!/^\d+$/.test(pid)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue;
    }
    const close = stat.lastIndexOf(')');
    if (!stat.slice(stat.indexOf('(') + 1, close).startsWith('postgres')) continue;
    const fields = stat.slice(close + 2).split(' ');
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return (ticks * 1000) / 100;
}

/** CPU time (ms) of this process so far, all threads. */
export function processCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}
