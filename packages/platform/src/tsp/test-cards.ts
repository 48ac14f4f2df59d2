// The sandbox's test cards (Web Checkout's "add a test card"): a documented test or magic PAN
// tokenized straight into a wallet, and the catalogue of those numbers for pages and tools.
import { z } from 'zod';
import type { Queryable } from '../core/db.ts';
import { invalidInput } from '../core/errors.ts';
import {
  brandNames,
  type CardBrand,
  cardBrands,
  detectBrand,
  isDocumentedTestPan,
  magicPans,
  testPans,
  tokenBinRanges,
} from './card-numbers.ts';
import { hmac, secretKey, type TspDeps, tspKeyNames } from './keys.ts';
import { type AddTestCardInput, addTestCardInput, parseInput } from './schemas.ts';
import * as store from './store.ts';
import { fail, type TokenizeResult, tokenizeCard } from './tokens.ts';

/**
 * Adds a sandbox test card straight into a wallet (Web Checkout sandbox: the tester's "add a test
 * card"). Without `pan`, the brand's first documented test PAN not yet in this wallet; with
 * `pan`, one of the documented test or magic PANs of that brand (magic ones force their failure).
 * Expiry defaults to December, three years ahead. Then the same checks as a tokenization.
 */
export async function addTestCard(
  q: Queryable,
  deps: TspDeps,
  input: AddTestCardInput,
): Promise<TokenizeResult> {
  const parsed = parseInput(addTestCardInput, input, 'test card');
  const brand: CardBrand = parsed.brand;
  let pan = parsed.pan;
  if (pan !== undefined) {
    if (!isDocumentedTestPan(pan)) {
      throw invalidInput('only the documented test and magic PANs can be added as test cards', [
        { field: 'pan', reason: 'not a documented test PAN (see docs/token-service.md)' },
      ]);
    }
    if (detectBrand(pan) !== brand) {
      throw invalidInput(`that test PAN is not a ${brand} card`, [
        { field: 'pan', reason: `not a ${brand} PAN` },
      ]);
    }
  } else {
    const fingerprintKey = await secretKey(q, deps, tspKeyNames.panFingerprint);
    const candidates = testPans[brand].map((p) => ({
      pan: p,
      fingerprint: hmac(fingerprintKey, 'funding-pan', p),
    }));
    const taken = await store.liveFingerprints(
      q,
      parsed.walletId,
      candidates.map((c) => c.fingerprint),
    );
    pan = candidates.find((c) => !taken.has(c.fingerprint))?.pan;
    if (pan === undefined) {
      return fail('CARD_ALREADY_PRESENT', `every ${brand} test card is already in this wallet`);
    }
  }
  const year = new Date(deps.clock.now()).getUTCFullYear();
  return tokenizeCard(
    q,
    deps,
    {
      pan,
      expMonth: parsed.expMonth ?? 12,
      expYear: parsed.expYear ?? year + 3,
      cardholderName: parsed.cardholderName,
    },
    { deviceId: parsed.deviceId, walletId: parsed.walletId },
    'TEST_CARD',
  );
}

export const testCardsSchema = z.object({
  brands: z.array(
    z.object({
      brand: z.enum(cardBrands),
      name: z.string(),
      testPans: z.array(z.string()),
      magicPans: z.record(z.string(), z.string()),
      tokenBinPrefix: z.string(),
    }),
  ),
});

/** The documented sandbox card numbers (none of them secret), for wallet pages and tools. */
export function testCardCatalogue(): z.infer<typeof testCardsSchema> {
  return {
    brands: cardBrands.map((brand) => ({
      brand,
      name: brandNames[brand],
      testPans: [...testPans[brand]],
      magicPans: { ...magicPans[brand] },
      tokenBinPrefix: tokenBinRanges[brand].prefix,
    })),
  };
}
