// Web Checkout throughput. (1) The SDK's decryptCredentials on one core, as a ratio to OpenSSL's
// RSA-2048 private-key operations per second measured in the same run. (2) POST /ops/v1/transactions
// per second and p99 on the platform (PGlite in memory, or PostgreSQL when DATABASE_URL is set),
// against the same database's INSERT of a transaction row alone (16 concurrent loops, in process)
// and HEAD /ops/v1/internal/health on the same app; median of 3 interleaved rounds, with the server's
// event-loop delay (monitorEventLoopDelay, p99 and max) under the create load. The load generator
// (the autocannon CLI) runs in a child process.
// Run: node --import tsx bench/web-checkout.bench.ts [seconds per case, default 3]
import { spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { decryptCredential, encryptCredential } from '../packages/jose/src/index.ts';
import { testDbKinds } from '../packages/platform/src/core/test-kit.ts';
import { startTestPlatform } from '../packages/platform/src/testing/index.ts';
import { tspModule } from '../packages/platform/src/tsp/index.ts';
import { walletModule } from '../packages/platform/src/wallet/module.ts';
import { webCheckoutModule } from '../packages/platform/src/web-checkout/module.ts';
import * as checkoutStore from '../packages/platform/src/web-checkout/store.ts';
import {
  createTransactionBody,
  onboardCheckoutPartner,
} from '../packages/platform/src/web-checkout/test-support.ts';
import { decryptCredentials } from '../packages/sdk/src/index.ts';
import {
  loopStallGoalMs,
  measureOpsPerSecond,
  opensslRsa2048PrivateOps,
  profileLoad,
  reportGoal,
} from './support.ts';

const seconds = Number(process.argv[2] ?? 3);
if (!(seconds > 0)) throw new TypeError('seconds per case must be a positive number');
const measure = (op: () => unknown) => measureOpsPerSecond(op, seconds, { warmup: 50, batch: 20 });

interface CannonResult {
  requests: { average: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}

function cannon(url: string, opts: { method: string; body?: string }): Promise<CannonResult> {
  const args = ['-j', '-c', '16', '-d', String(seconds), '-m', opts.method];
  if (opts.body) args.push('-H', 'content-type=application/json', '-b', opts.body);
  args.push(url);
  return new Promise((resolve, reject) => {
    const child = spawn(new URL('../node_modules/.bin/autocannon', import.meta.url).pathname, args, {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.on('error', reject);
    child.on('exit', () => {
      try {
        resolve(JSON.parse(out) as CannonResult);
      } catch (err) {
        reject(err);
      }
    });
  });
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

// (1) credential decryption
const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwe = encryptCredential(
  {
    amount: '106000',
    cryptogram: 'AwAABCQACCDLHvYBtQ9EgUUQYaA=',
    currency_code: 'USD',
    eci_indicator: '05',
    tokenPanExpiration: '1127',
    utc: String(Date.now()),
    tokenPAN: '4558386640000312',
  },
  merchant.publicKey,
);
const openssl = opensslRsa2048PrivateOps(seconds);
const decrypts = await measure(() => decryptCredentials(jwe, merchant.privateKey));
const joseDecrypts = await measure(() => decryptCredential(jwe, merchant.privateKey));
console.log(`OpenSSL RSA-2048 private ops/s (same run): ${fmt(openssl)}\n`);
console.log('| operation | ops/s | ratio to OpenSSL RSA-2048 private ops |');
console.log('|---|---:|---:|');
console.log(
  `| @cardport/jose decryptCredential (no payload checks) | ${fmt(joseDecrypts)} | ${(joseDecrypts / openssl).toFixed(2)} |`,
);
console.log(
  `| SDK decryptCredentials (RSA1_5 unwrap + AES-128-GCM, empty AAD, payload checks) | ${fmt(decrypts)} | ${(decrypts / openssl).toFixed(2)} |`,
);

// (2) transaction creation
// PostgreSQL when DATABASE_URL is set, else PGlite in memory.
const kind = testDbKinds().at(-1);
const p = await startTestPlatform({
  modules: [walletModule, tspModule, webCheckoutModule],
  ...(kind ? { kind } : {}),
});
try {
  const { url } = await p.listen();
  const shop = await onboardCheckoutPartner(p);
  const body = JSON.stringify(createTransactionBody(shop.service.serviceId));
  // First request makes the rotation slot's RSA key; keep it out of the measurement.
  await fetch(`${url}/ops/v1/transactions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  const [template] = await p.db.query<{ transaction_id: string }>(
    'SELECT transaction_id FROM checkout_transactions LIMIT 1',
  );
  const row = await checkoutStore.getTransaction(p.db, template?.transaction_id ?? '');
  if (!row) throw new Error('no transaction to copy');
  /** The INSERT alone: 16 concurrent loops of the same statement, fresh ids, for `seconds`. */
  const insertAlone = async (): Promise<number> => {
    let count = 0;
    const end = performance.now() + seconds * 1000;
    const start = performance.now();
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (performance.now() < end) {
          await checkoutStore.insertTransaction(p.db, {
            ...row,
            transactionId: randomBytes(11).toString('hex'),
          });
          count++;
        }
      }),
    );
    return count / ((performance.now() - start) / 1000);
  };
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
  const inserts: number[] = [];
  const healths: CannonResult[] = [];
  const creates: CannonResult[] = [];
  const ratios: number[] = [];
  const loopP99: number[] = [];
  const loopMax: number[] = [];
  for (let round = 0; round < 3; round++) {
    inserts.push(await insertAlone());
    healths.push(await cannon(`${url}/ops/v1/internal/health`, { method: 'HEAD' }));
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const endProfile = await profileLoad('web-checkout-create');
    const create = await cannon(`${url}/ops/v1/transactions`, { method: 'POST', body });
    await endProfile();
    loop.disable();
    creates.push(create);
    loopP99.push(loop.percentile(99) / 1e6);
    loopMax.push(loop.max / 1e6);
    ratios.push(create.requests.average / (inserts[round] ?? Number.NaN));
  }
  const byRate = (rs: CannonResult[]) =>
    [...rs].sort((a, b) => a.requests.average - b.requests.average)[1] as CannonResult;
  const health = byRate(healths);
  const create = byRate(creates);
  console.log(
    `\n| request (16 connections, ${kind?.name ?? 'pglite'}, median of 3 interleaved rounds) | per second | ratio | p50 | p99 | non-2xx |`,
  );
  console.log('|---|---:|---:|---:|---:|---:|');
  console.log(
    `| INSERT of a transaction row alone (baseline, in process) | ${fmt(median(inserts))} | 1.00 | | | |`,
  );
  console.log(
    `| HEAD /ops/v1/internal/health | ${fmt(health.requests.average)} | | ${health.latency.p50} ms | ${health.latency.p99} ms | ${health.non2xx} |`,
  );
  console.log(
    `| POST /ops/v1/transactions | ${fmt(create.requests.average)} | ${median(ratios).toFixed(2)} | ${create.latency.p50} ms | ${create.latency.p99} ms | ${create.non2xx + create.errors} |`,
  );
  console.log(
    `\nServer event-loop delay under the create load: p99 ${median(loopP99).toFixed(1)} ms, max ${Math.max(...loopMax).toFixed(1)} ms.`,
  );
  const db = kind?.name === 'postgres' ? 'PostgreSQL' : 'PGlite';
  reportGoal({
    path: `Web Checkout create, ${db}`,
    goal: '≥ 0.6× the INSERT alone',
    measured: `${median(ratios).toFixed(2)}× (${fmt(create.requests.average)}/s, p99 ${create.latency.p99} ms)`,
    met: median(ratios) >= 0.6,
  });
  reportGoal({
    path: `event loop under the Web Checkout create load, ${db}`,
    goal: `no stall over ${loopStallGoalMs} ms`,
    measured: `max ${Math.max(...loopMax).toFixed(0)} ms, p99 ${median(loopP99).toFixed(0)} ms`,
    met: Math.max(...loopMax) <= loopStallGoalMs,
  });
} finally {
  await p.close();
}
