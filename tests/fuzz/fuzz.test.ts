// Property-based fuzzing of every public endpoint family (issue 9), bounded for `npm test`: a fixed
// seed and a fixed count, on every database kind. `npm run fuzz` runs the same generators at scale.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { testDbKinds } from '../../packages/platform/src/core/test-kit.ts';
import { type FuzzBed, formatProblem, fuzzRequest, fuzzRoutes, startFuzzBed } from './harness.ts';

const SEED = 20261126;
const RUNS = 600;

for (const kind of testDbKinds()) {
  describe(`fuzzing every public endpoint family (${kind.name})`, () => {
    let bed: FuzzBed;
    before(async () => {
      bed = await startFuzzBed(kind);
    });
    after(() => bed.close());

    it('covers S2P over mTLS, ATW, Web Checkout, the checkout form, the wallet and admin APIs', () => {
      const routes = fuzzRoutes(bed.ids);
      const prefixes = [
        '/ext/v1/',
        '/atw/api/',
        '/wltex/',
        '/ops/v1/',
        '/gsmpi/',
        '/wallet/api/',
        '/admin/v1/',
      ];
      for (const prefix of prefixes)
        assert.ok(
          routes.some((r) => r.path.startsWith(prefix)),
          prefix,
        );
      assert.ok(routes.some((r) => r.listener === 'mtls'));
    });

    it('answers every generated request below 500 and in its family format', async () => {
      const seen = new Set<string>();
      const details = await fc.check(
        fc.asyncProperty(fuzzRequest(bed.ids), async (req) => {
          const res = await bed.send(req);
          seen.add(req.family);
          const problem = formatProblem(req, res);
          if (problem) {
            const answer = res.body.toString('utf8').slice(0, 300);
            throw new Error(`${problem}: ${req.method} ${req.path.slice(0, 200)} → ${res.status} ${answer}`);
          }
        }),
        { seed: SEED, numRuns: RUNS, endOnFailure: true },
      );
      // The failing request itself can be megabytes: report the problem, not the counterexample.
      assert.equal(details.failed, false, String((details.errorInstance as Error | undefined)?.message));
      assert.deepEqual([...seen].sort(), ['checkout-ui', 'ops', 'platform', 's2p']);
    });
  });
}
