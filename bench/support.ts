// Shared pieces of the benchmarks: the same-run baseline and the measuring loop.
import { spawnSync } from 'node:child_process';
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

/** Runs `op` (sync or async) for `seconds` after a warm-up; returns operations per second. */
export async function measureOpsPerSecond(
  op: () => unknown,
  seconds: number,
  { warmup = 50, batch = 20 }: { warmup?: number; batch?: number } = {},
): Promise<number> {
  for (let i = 0; i < warmup; i++) await op();
  let count = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  let now = start;
  while (now < end) {
    for (let i = 0; i < batch; i++) await op();
    count += batch;
    now = performance.now();
  }
  return count / ((now - start) / 1000);
}
