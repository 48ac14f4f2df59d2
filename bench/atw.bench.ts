// Add to Wallet and the Server API on the platform's service functions, each as a ratio to the
// cryptography alone measured in the same run: a link check and the cdata checks against
// `verifyCdata` with the keys already in memory; the Server API AUTH verify against
// `verifyAuthToken` with the key in memory. Median of 3 interleaved rounds. No event-loop delay
// here: the operations run back to back in this process, with no server (the s2p, web-checkout and
// delivery benches measure a server's loop under load). PGlite, or PostgreSQL when DATABASE_URL
// is set. Run: node --import tsx bench/atw.bench.ts [seconds per case and round, default 2]
import { verifyAuthToken, verifyCdata } from '../packages/jose/src/index.ts';
import { authNow } from '../packages/platform/src/core/clock.ts';
import { testDbKinds } from '../packages/platform/src/core/test-kit.ts';
import {
  findCard,
  findPartnerCertificate,
  getPartnerPlatformKey,
} from '../packages/platform/src/partners/service.ts';
import { checkCardObject, verifyCardToken } from '../packages/platform/src/wallet-cards/card-object.ts';
import { checkLink } from '../packages/platform/src/wallet-cards/check-link.ts';
import { authenticatePartnerCall } from '../packages/platform/src/wallet-cards/server-api.ts';
import { startAtwFixture, ticketCard } from '../packages/platform/src/wallet-cards/test-support.ts';
import { measureOpsPerSecond, reportGoal } from './support.ts';

const seconds = Number(process.argv[2] ?? 2);
if (!(seconds > 0)) throw new TypeError('seconds per case must be a positive number');
const rounds = 3;
/** Link checks in flight at once in the concurrent case: a landing page serves many users. */
const inFlight = 8;
const measure = (op: () => unknown, concurrent = false) =>
  measureOpsPerSecond(op, seconds, { warmup: 20, batch: 10, ...(concurrent ? { inFlight } : {}) });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

// PGlite (in its worker thread); PostgreSQL when DATABASE_URL is set.
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
  const cert = await findPartnerCertificate(f.p.db, f.partner.certificateId);
  const platformKey = await getPartnerPlatformKey(f.p.db, ctx.keys, f.partner.partnerId);
  if (!cert || !platformKey) throw new Error('partner keys missing');
  const now = () => authNow(ctx.clock);

  const cdataAlone = () =>
    verifyCdata(cdata, {
      now,
      resolvePartnerKey: async () => cert.publicKey,
      platformPrivateKey: async () => platformKey.privateKey,
    });
  const authAlone = () =>
    verifyAuthToken(authorization, {
      method: 'POST',
      path,
      now,
      expected: { partnerId: f.partner.partnerId },
      resolveKey: async () => cert.publicKey,
    });
  const cases: {
    name: string;
    baseline: 'cdata' | 'auth';
    op: () => Promise<unknown>;
    concurrent?: boolean;
  }[] = [
    {
      name: 'cdata verify + decrypt + card check (with its lookups)',
      baseline: 'cdata',
      op: async () => checkCardObject(registration, await verifyCardToken(ctx, registration, cdata)),
    },
    {
      name: 'link check as the landing page does (+ offer written), one at a time',
      baseline: 'cdata',
      op: () => checkLink(ctx, link),
    },
    {
      name: `link check as the landing page does (+ offer written), ${inFlight} in flight`,
      baseline: 'cdata',
      op: () => checkLink(ctx, link),
      concurrent: true,
    },
    {
      name: 'Server API AUTH verify (certificate lookup, path binding, card owner)',
      baseline: 'auth',
      op: () =>
        authenticatePartnerCall(ctx, {
          authorization,
          partnerId: f.partner.partnerId,
          method: 'POST',
          path,
          cardId: f.cardId,
        }),
    },
  ];
  const base = { cdata: [] as number[], auth: [] as number[] };
  const results = cases.map(() => ({ rates: [] as number[], ratios: [] as number[] }));
  for (let round = 0; round < rounds; round++) {
    base.cdata.push(await measure(cdataAlone));
    base.auth.push(await measure(authAlone));
    for (const [i, c] of cases.entries()) {
      const rate = await measure(c.op, c.concurrent);
      results[i]?.rates.push(rate);
      results[i]?.ratios.push(rate / (base[c.baseline][round] ?? Number.NaN));
    }
  }
  console.log(
    `Node ${process.version}, OpenSSL ${process.versions.openssl}, ${seconds} s per case and round, median of ${rounds} interleaved rounds, one core, ${kind?.name ?? 'pglite'}.\n`,
  );
  console.log('| operation | ops/s | baseline | ratio to its baseline |');
  console.log('|---|---:|---|---:|');
  console.log(
    `| verifyCdata alone, keys in memory (baseline) | ${median(base.cdata).toFixed(0)} | — | 1.00 |`,
  );
  console.log(
    `| verifyAuthToken alone, key in memory (baseline) | ${median(base.auth).toFixed(0)} | — | 1.00 |`,
  );
  for (const [i, c] of cases.entries()) {
    const r = results[i];
    console.log(
      `| ${c.name} | ${median(r?.rates ?? []).toFixed(0)} | ${c.baseline === 'cdata' ? 'verifyCdata' : 'verifyAuthToken'} | ${median(r?.ratios ?? []).toFixed(2)} |`,
    );
  }
  const db = kind?.name === 'postgres' ? 'PostgreSQL' : 'PGlite';
  for (const [i, c] of cases.entries()) {
    // The rate a landing page sustains: checks of many users at once, the crypto on this thread
    // and each offer's INSERT in the database's own thread or server meanwhile. One at a time, a
    // check also waits for its INSERT's round trip: that figure is printed above, as the latency.
    const goal =
      c.name.startsWith('link check') && c.concurrent
        ? { path: 'ATW link check', goal: '≥ 0.5× verifyCdata alone' }
        : c.name.startsWith('Server API')
          ? { path: 'Server API AUTH verify', goal: '≥ 0.5× verifyAuthToken alone' }
          : undefined;
    if (!goal) continue;
    const ratio = median(results[i]?.ratios ?? []);
    reportGoal({
      path: `${goal.path}, ${db}`,
      goal: goal.goal,
      measured: `${ratio.toFixed(2)}× (${median(results[i]?.rates ?? []).toFixed(0)}/s)`,
      met: ratio >= 0.5,
    });
  }
} finally {
  await f.close();
}
