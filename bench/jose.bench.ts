// Throughput of the Samsung JOSE profiles on one core, each as a ratio to OpenSSL's own RSA-2048
// private-key operations per second measured in the same run (so the numbers travel between
// machines). Run: node --import tsx bench/jose.bench.ts [seconds per case, default 3]
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import {
  createAuthToken,
  createCdata,
  decryptCredential,
  encryptCredential,
  verifyAuthToken,
  verifyCdata,
} from '../packages/jose/src/index.ts';

const seconds = Number(process.argv[2] ?? 3);
if (!(seconds > 0)) throw new TypeError('seconds per case must be a positive number');

/** OpenSSL's RSA-2048 private-key (sign) operations per second, single-threaded. */
function opensslRsa2048PrivateOps(): number {
  const run = spawnSync('openssl', ['speed', '-seconds', String(Math.ceil(seconds)), 'rsa2048'], {
    encoding: 'utf8',
  });
  const line = run.stdout?.split('\n').find((l) => l.startsWith('rsa 2048 bits'));
  const fields = line?.trim().split(/\s+/);
  const signPerSecond = Number(fields?.[5]);
  if (!Number.isFinite(signPerSecond)) throw new Error(`cannot read openssl speed output: ${run.stderr}`);
  return signPerSecond;
}

/** Runs `op` for `seconds` after a warm-up; returns operations per second. */
async function measure(op: () => unknown): Promise<number> {
  for (let i = 0; i < 50; i++) await op();
  let count = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  let now = start;
  while (now < end) {
    for (let i = 0; i < 20; i++) await op();
    count += 20;
    now = performance.now();
  }
  return count / ((now - start) / 1000);
}

const NOW = Date.now();
const clock = () => NOW;
const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
const partner = generateKeyPairSync('rsa', { modulusLength: 2048 });
const platform = generateKeyPairSync('rsa', { modulusLength: 2048 });

const credential = encryptCredential(
  {
    amount: '106000',
    currency_code: 'USD',
    utc: String(NOW),
    eci_indicator: '05',
    tokenPAN: '4558386640000312',
    tokenPanExpiration: '1127',
    cryptogram: 'AwAABCQACCDLHvYBtQ9EgUUQYaA=',
  },
  merchant.publicKey,
);
const cdata = createCdata(
  {
    card: {
      type: 'ticket',
      subType: 'movies',
      data: [{ refId: 'r1', language: 'en', attributes: { title: 'T' } }],
    },
  },
  {
    partnerId: '4048012345678901234',
    certificateId: 'YMtt',
    partnerKey: partner.privateKey,
    platformPublicKey: platform.publicKey,
    now: clock,
  },
);
const path = '/wltex/cards/3hdpejr6qi380/notification';
const auth = `Bearer ${createAuthToken({
  method: 'POST',
  path,
  partnerId: '4048012345678901234',
  certificateId: 'YMtt',
  privateKey: partner.privateKey,
  now: clock,
})}`;

const baseline = opensslRsa2048PrivateOps();
const cases: [string, () => unknown][] = [
  ['credential decrypt (RSA1_5 unwrap + A128GCM)', () => decryptCredential(credential, merchant.privateKey)],
  [
    'cdata verify + decrypt (RS256 verify + RSA1_5 unwrap + A128GCM)',
    () =>
      verifyCdata(cdata, {
        resolvePartnerKey: partner.publicKey,
        platformPrivateKey: platform.privateKey,
        now: clock,
      }),
  ],
  [
    'AUTH token verify (RS256 verify)',
    () => verifyAuthToken(auth, { resolveKey: partner.publicKey, method: 'POST', path, now: clock }),
  ],
];

const rows: string[] = [];
for (const [name, op] of cases) {
  const perSecond = await measure(op);
  rows.push(`| ${name} | ${perSecond.toFixed(0)} | ${(perSecond / baseline).toFixed(2)} |`);
}
console.log(
  `Node ${process.version}, OpenSSL ${process.versions.openssl}, ${seconds} s per case, one core.\n`,
);
console.log('| operation | ops/s | ratio to `openssl speed rsa2048` private-key ops/s |');
console.log('|---|---:|---:|');
console.log(
  `| openssl speed -seconds ${Math.ceil(seconds)} rsa2048 (sign) | ${baseline.toFixed(0)} | 1.00 |`,
);
for (const row of rows) console.log(row);
