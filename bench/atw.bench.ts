// Add to Wallet on the platform's own path, one core (PGlite in process, or PostgreSQL with
// DATABASE_URL): a link's cdata checked
// as the landing page does (card registration, partner certificate and platform key looked up,
// RS256 verify, RSA1_5 unwrap, A128GCM, card object validated), with and without keeping the
// offer, and a Server API call authenticated (certificate looked up, AUTH verify, path binding,
// card owner). Each as a ratio to OpenSSL's RSA-2048 private-key operations per second in the
// same run. Run: node --import tsx bench/atw.bench.ts [seconds per case, default 3]
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { testDbKinds } from '../packages/platform/src/core/test-support.ts';
import { findCard } from '../packages/platform/src/partners/service.ts';
import {
  authenticatePartnerCall,
  checkCardObject,
  checkLink,
  verifyCardToken,
} from '../packages/platform/src/wallet-cards/service.ts';
import { startAtwFixture, ticketCard } from '../packages/platform/src/wallet-cards/test-support.ts';

const seconds = Number(process.argv[2] ?? 3);
if (!(seconds > 0)) throw new TypeError('seconds per case must be a positive number');

function opensslRsa2048PrivateOps(): number {
  const run = spawnSync('openssl', ['speed', '-seconds', String(Math.ceil(seconds)), 'rsa2048'], {
    encoding: 'utf8',
  });
  const line = run.stdout?.split('\n').find((l) => l.startsWith('rsa 2048 bits'));
  const signPerSecond = Number(line?.trim().split(/\s+/)[5]);
  if (!Number.isFinite(signPerSecond)) throw new Error(`cannot read openssl speed output: ${run.stderr}`);
  return signPerSecond;
}

async function measure(op: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 20; i++) await op();
  let count = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  let now = start;
  while (now < end) {
    for (let i = 0; i < 10; i++) await op();
    count += 10;
    now = performance.now();
  }
  return count / ((now - start) / 1000);
}

// PGlite in process; PostgreSQL when DATABASE_URL is set.
const kind = testDbKinds().find((k) => k.name === (process.env['DATABASE_URL'] ? 'postgres' : 'pglite'));
const f = await startAtwFixture(kind);
try {
  const ctx = f.p.app.ctx;
  const registration = await findCard(f.p.db, f.cardId);
  if (!registration) throw new Error('card registration missing');
  // The manual clock stands still: the tokens stay within their 30 s.
  const cdata = f.cdata(ticketCard(1, {}, f.p.clock.now()));
  const link = `/atw/v3/${f.cardId}#Clip?cdata=${cdata}`;
  const path = `/wltex/cards/${f.cardId}/notification`;
  const authorization = `Bearer ${f.auth('POST', path)}`;

  const baseline = opensslRsa2048PrivateOps();
  const cases: [string, () => Promise<unknown>][] = [
    [
      'cdata verify + decrypt + card check (with its lookups)',
      async () => checkCardObject(registration, await verifyCardToken(ctx, registration, cdata)),
    ],
    ['link check as the landing page does (+ offer written)', () => checkLink(ctx, link)],
    [
      'Server API AUTH verify (certificate lookup, path binding, card owner)',
      () =>
        authenticatePartnerCall(ctx, {
          authorization,
          partnerIdHeader: f.partner.partnerId,
          requestId: 'req-1',
          method: 'POST',
          path,
          cardId: f.cardId,
        }),
    ],
  ];
  const rows: string[] = [];
  for (const [name, op] of cases) {
    const perSecond = await measure(op);
    rows.push(`| ${name} | ${perSecond.toFixed(0)} | ${(perSecond / baseline).toFixed(2)} |`);
  }
  console.log(
    `Node ${process.version}, OpenSSL ${process.versions.openssl}, ${seconds} s per case, one core, ${kind?.name ?? 'pglite'}.\n`,
  );
  console.log('| operation | ops/s | ratio to `openssl speed rsa2048` private-key ops/s |');
  console.log('|---|---:|---:|');
  console.log(
    `| openssl speed -seconds ${Math.ceil(seconds)} rsa2048 (sign) | ${baseline.toFixed(0)} | 1.00 |`,
  );
  for (const row of rows) console.log(row);
} finally {
  await f.close();
}
