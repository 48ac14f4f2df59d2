// `npm run fuzz`: the fuzz suite at scale (issue 9). Sends FUZZ_REQUESTS generated requests
// (100,000 by default) over every public endpoint family, FUZZ_CONCURRENCY at a time, and prints
// the requests sent, the 5xx answers, the answers outside their family format and the slowest
// answer. Exits 1 when any answer is 5xx or outside its format. FUZZ_SEED picks the sequence,
// FUZZ_DB=postgres the database.
import fc from 'fast-check';
import { testDbKinds } from '../../packages/platform/src/core/test-kit.ts';
import { type FuzzAnswer, type FuzzRequest, formatProblem, fuzzRequest, startFuzzBed } from './harness.ts';

const total = Number(process.env['FUZZ_REQUESTS'] ?? 100_000);
const concurrency = Number(process.env['FUZZ_CONCURRENCY'] ?? 8);
const seed = Number(process.env['FUZZ_SEED'] ?? Date.now() % 2 ** 31);
const batch = 500;

// FUZZ_DB=postgres runs against DATABASE_URL (a schema of its own); PGlite by default.
const kind = testDbKinds().find((k) => k.name === (process.env['FUZZ_DB'] ?? 'pglite'));
if (!kind)
  throw new Error(`FUZZ_DB=${process.env['FUZZ_DB']} is not available (set DATABASE_URL for postgres)`);
const bed = await startFuzzBed(kind);
const arb = fuzzRequest(bed.ids);
let sent = 0;
let fivexx = 0;
let outside = 0;
let slowest = { ms: 0, what: '' };
const byFamily = new Map<string, number>();
const problems: string[] = [];
const started = Date.now();

function describe(req: FuzzRequest, res: FuzzAnswer | undefined, problem: string): string {
  const path = req.path.length > 160 ? `${req.path.slice(0, 160)}…(${req.path.length})` : req.path;
  const body = res ? res.body.toString('utf8').slice(0, 200) : '';
  return `${problem}: ${req.method} ${path} [${req.headers['content-type'] ?? '-'}] → ${res?.status ?? 'no answer'} ${body}`;
}

for (let offset = 0; offset < total; offset += batch) {
  const requests = fc.sample(arb, { seed: seed + offset, numRuns: Math.min(batch, total - offset) });
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests.length) {
        const req = requests[next++] as FuzzRequest;
        let res: FuzzAnswer | undefined;
        try {
          res = await bed.send(req);
        } catch (err) {
          // A connection closed without an answer is outside every format.
          outside += 1;
          if (problems.length < 20) problems.push(describe(req, undefined, String((err as Error).message)));
          continue;
        } finally {
          sent += 1;
          byFamily.set(req.family, (byFamily.get(req.family) ?? 0) + 1);
        }
        if (res.ms > slowest.ms) slowest = { ms: res.ms, what: `${req.method} ${req.path.slice(0, 80)}` };
        const problem = formatProblem(req, res);
        if (!problem) continue;
        if (res.status >= 500) fivexx += 1;
        else outside += 1;
        if (problems.length < 20) problems.push(describe(req, res, problem));
      }
    }),
  );
  if ((offset / batch) % 20 === 19) console.error(`… ${sent} requests`);
}

const seconds = (Date.now() - started) / 1000;
console.log(`database: ${kind.name}, seed: ${seed}, concurrency: ${concurrency}`);
console.log(
  `requests: ${sent} (${[...byFamily].map(([f, n]) => `${f} ${n}`).join(', ')}) in ${seconds.toFixed(0)} s`,
);
console.log(`5xx answers: ${fivexx}`);
console.log(`answers outside the family format: ${outside}`);
console.log(`slowest answer: ${slowest.ms.toFixed(0)} ms (${slowest.what})`);
for (const p of problems) console.log(`  ${p}`);
await bed.close();
process.exit(fivexx + outside > 0 ? 1 : 0);
