import { testDbKinds } from '../packages/platform/src/core/test-support.ts';
import { findCard } from '../packages/platform/src/partners/service.ts';
import {
  authenticatePartnerCall,
  checkCardObject,
  checkLink,
  verifyCardToken,
} from '../packages/platform/src/wallet-cards/service.ts';
import { startAtwFixture, ticketCard } from '../packages/platform/src/wallet-cards/test-support.ts';
import { measureOpsPerSecond, opensslRsa2048PrivateOps } from './support.ts';

const seconds = Number(process.argv[2] ?? 3);
if (!(seconds > 0)) throw new TypeError('seconds per case must be a positive number');
const measure = (op: () => unknown) => measureOpsPerSecond(op, seconds, { warmup: 20, batch: 10 });

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

  const baseline = opensslRsa2048PrivateOps(seconds);
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
