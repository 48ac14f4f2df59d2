import { generateKeyPairSync } from 'node:crypto';
import {
  createAuthToken,
  createCdata,
  decryptCredential,
  encryptCredential,
  verifyAuthToken,
  verifyCdata,
} from '../packages/jose/src/index.ts';
import { measureOpsPerSecond, opensslRsa2048PrivateOps } from './support.ts';

const seconds = Number(process.argv[2] ?? 3);
if (!(seconds > 0)) throw new TypeError('seconds per case must be a positive number');
const measure = (op: () => unknown) => measureOpsPerSecond(op, seconds, { warmup: 50, batch: 20 });

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

const baseline = opensslRsa2048PrivateOps(seconds);
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
