// Web Checkout throughput. (1) The SDK's decryptCredentials on one core, as a ratio to OpenSSL's
// RSA-2048 private-key operations per second measured in the same run. (2) POST /ops/v1/transactions
// per second and p99 on the platform (PGlite in memory), against HEAD /ops/v1/internal/health on
// the same app; the load generator (the autocannon CLI) runs in a child process.
// Run: node --import tsx bench/web-checkout.bench.ts [seconds per case, default 3]
import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { decryptCredential, encryptCredential } from '../packages/jose/src/index.ts';
import { testDbKinds } from '../packages/platform/src/core/test-support.ts';
import { startTestPlatform } from '../packages/platform/src/partners/test-support.ts';
import { tspModule } from '../packages/platform/src/tsp/module.ts';
import { walletModule } from '../packages/platform/src/wallet/module.ts';
import { webCheckoutModule } from '../packages/platform/src/web-checkout/module.ts';
import {
  createTransactionBody,
  onboardCheckoutPartner,
} from '../packages/platform/src/web-checkout/test-support.ts';
import { decryptCredentials } from '../packages/sdk/src/index.ts';
import { measureOpsPerSecond, opensslRsa2048PrivateOps } from './support.ts';

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
  const health = await cannon(`${url}/ops/v1/internal/health`, { method: 'HEAD' });
  const create = await cannon(`${url}/ops/v1/transactions`, { method: 'POST', body });
  console.log(
    `\n| request (16 connections, ${kind?.name ?? 'pglite'}) | requests/s | ratio to health | p50 | p99 | non-2xx |`,
  );
  console.log('|---|---:|---:|---:|---:|---:|');
  console.log(
    `| HEAD /ops/v1/internal/health | ${fmt(health.requests.average)} | 1.00 | ${health.latency.p50} ms | ${health.latency.p99} ms | ${health.non2xx} |`,
  );
  console.log(
    `| POST /ops/v1/transactions | ${fmt(create.requests.average)} | ${(create.requests.average / health.requests.average).toFixed(2)} | ${create.latency.p50} ms | ${create.latency.p99} ms | ${create.non2xx} |`,
  );
} finally {
  await p.close();
}
