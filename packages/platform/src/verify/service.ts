// The conformance kit (issue 14, docs/verify.md). It runs inside the platform process, behind the
// admin API: the checks need what only the platform holds (its AUTH signing key, its mTLS client
// identity toward the partner, the delivery module and its log). Each product's checks live in
// their own file and use only the flows' public functions.
import { verifyAddToWallet } from './add-to-wallet.ts';
import type { VerifyDeps } from './context.ts';
import { type CheckResult, summarize, type VerifyProduct, type VerifyReport } from './report.ts';
import { verifySaveToPay } from './save-to-pay.ts';
import { verifyWebCheckout } from './web-checkout.ts';

export interface VerifyInput {
  product: VerifyProduct;
  partnerId: string;
  faults?: boolean | undefined;
  regId?: string | undefined;
  cardId?: string | undefined;
  refId?: string | undefined;
  link?: string | undefined;
  serviceId?: string | undefined;
  /** web-checkout: approve the partner's next transaction with this wallet account and grade it. */
  awaitTransaction?: boolean | undefined;
  account?: string | undefined;
  waitSeconds?: number | undefined;
  windowSeconds?: number | undefined;
}

export async function runVerify(deps: VerifyDeps, input: VerifyInput): Promise<VerifyReport> {
  const startedAt = deps.clock.now();
  const faults = input.faults === true;
  let checks: CheckResult[];
  switch (input.product) {
    case 'save-to-pay':
      checks = await verifySaveToPay(deps, { partnerId: input.partnerId, regId: input.regId, faults });
      break;
    case 'add-to-wallet':
      checks = await verifyAddToWallet(deps, {
        partnerId: input.partnerId,
        cardId: input.cardId,
        refId: input.refId,
        link: input.link,
        faults,
      });
      break;
    case 'web-checkout':
      checks = await verifyWebCheckout(deps, {
        partnerId: input.partnerId,
        serviceId: input.serviceId,
        faults,
        awaitTransaction: input.awaitTransaction
          ? {
              account: input.account ?? '',
              waitMs: input.waitSeconds === undefined ? undefined : input.waitSeconds * 1000,
              windowMs: input.windowSeconds === undefined ? undefined : input.windowSeconds * 1000,
            }
          : undefined,
      });
      break;
  }
  return summarize(input.product, input.partnerId, faults, startedAt, checks);
}
