// The Web Checkout check "a test transaction's credentials are fetched, and a result is notified
// within the window" (docs/verify.md, `verify web-checkout --await-transaction`). The kit waits for
// the partner's next transaction, approves it as the shopper would (a sandbox wallet account),
// sends the shopper's browser back to the partner's callback (with `ref_id`), then watches the
// request log for the partner's GET paymentCredentials and the transaction for its notification.
import { listRequestLog } from '../partners/request-log.ts';
import { answerAsWallet, listTransactionsForAdmin } from '../web-checkout/automation.ts';
import { credentialLifetimeMs } from '../web-checkout/deps.ts';
import type { VerifyDeps } from './context.ts';
import { type CheckResult, excerpt } from './report.ts';

export interface AwaitTransactionOptions {
  serviceId: string;
  /** The sandbox wallet account (email) that approves the transaction. */
  account: string;
  /** How long the kit waits for the partner to start a transaction (real time). */
  waitMs: number;
  /** How long after approval the partner has to fetch the credentials and notify the result. */
  windowMs: number;
}

export const awaitDefaults = { waitMs: 120_000, windowMs: 60_000 };

const credentialsDoc =
  'PROTOCOLS.md 4 (seed 004): after approval the partner fetches GET /ops/v1/transactions/paymentCredentials/{referenceId}?serviceId= while the credentials last (10 min)';
const notifyDoc =
  'PROTOCOLS.md 4 (seed 004): the partner reports the payment result with POST /ops/v1/notifications {payment:{service:{id},reference,status}}';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(deadline: number, probe: () => Promise<T | undefined>): Promise<T | undefined> {
  for (;;) {
    const found = await probe();
    if (found !== undefined || Date.now() >= deadline) return found;
    await pause(250);
  }
}

function fail(id: string, title: string, finding: string, required: string): CheckResult {
  return { id, title, status: 'fail', finding, evidence: { request: '(none)', answer: '(none)', required } };
}

export async function verifyTransaction(
  deps: VerifyDeps,
  o: AwaitTransactionOptions,
): Promise<CheckResult[]> {
  const seen = new Set(
    (await listTransactionsForAdmin(deps, { serviceId: o.serviceId })).map((t) => t.transactionId),
  );
  const created = await until(Date.now() + o.waitMs, async () =>
    (await listTransactionsForAdmin(deps, { serviceId: o.serviceId })).find(
      (t) => !seen.has(t.transactionId) && (t.status === 'CREATED' || t.status === 'PENDING'),
    ),
  );
  if (!created) {
    const why = `the partner started no transaction on service ${o.serviceId} within ${Math.round(o.waitMs / 1000)} s`;
    return [
      fail(
        'wc.transaction.credentials',
        'the credentials of a test transaction are fetched',
        why,
        credentialsDoc,
      ),
      fail('wc.transaction.notified', 'the result of a test transaction is notified', why, notifyDoc),
    ];
  }
  let approved: Awaited<ReturnType<typeof answerAsWallet>>;
  try {
    approved = await answerAsWallet(deps, { account: o.account, transactionId: created.transactionId });
  } catch (err) {
    const why = `the kit could not approve transaction ${created.transactionId} with ${o.account}: ${(err as Error).message}`;
    return [
      fail(
        'wc.transaction.credentials',
        'the credentials of a test transaction are fetched',
        why,
        credentialsDoc,
      ),
      fail('wc.transaction.notified', 'the result of a test transaction is notified', why, notifyDoc),
    ];
  }
  const referenceId = approved.referenceId ?? '';
  const approvedAt = Date.now();
  // The shopper's browser goes back to the partner's callback (with ref_id), as after a real checkout.
  let returned = 'no callback URL to return to';
  if (approved.redirectUrl && /^https?:\/\//.test(approved.redirectUrl)) {
    try {
      const res = await fetch(approved.redirectUrl, {
        redirect: 'manual',
        signal: AbortSignal.timeout(5000),
      });
      await res.arrayBuffer().catch(() => undefined);
      returned = `GET ${approved.redirectUrl} → HTTP ${res.status}`;
    } catch (err) {
      returned = `GET ${approved.redirectUrl} failed: ${(err as Error).message}`;
    }
  }
  const deadline = approvedAt + Math.min(o.windowMs, credentialLifetimeMs);
  const fetched = await until(deadline, async () =>
    (await listRequestLog(deps.db, { objectId: referenceId, limit: 50 })).find(
      (e) => e.route.includes('paymentCredentials') && e.status === 200,
    ),
  );
  const notified = await until(deadline, async () => {
    const t = (await listTransactionsForAdmin(deps, { serviceId: o.serviceId })).find(
      (x) => x.transactionId === created.transactionId,
    );
    return t?.paymentStatus ? t : undefined;
  });
  const window = `${Math.round((deadline - approvedAt) / 1000)} s`;
  const request = `transaction ${created.transactionId} approved with ${o.account} (referenceId ${referenceId}); ${returned}`;
  return [
    {
      id: 'wc.transaction.credentials',
      title: 'the credentials of a test transaction are fetched',
      status: fetched ? 'pass' : 'fail',
      finding: fetched
        ? `the partner fetched the credentials (request ${fetched.requestId})`
        : `the partner did not fetch the credentials within ${window} of approval`,
      evidence: {
        request,
        answer: fetched
          ? `${fetched.method} ${fetched.path} → ${fetched.status}`
          : '(no GET paymentCredentials)',
        required: credentialsDoc,
      },
    },
    {
      id: 'wc.transaction.notified',
      title: 'the result of a test transaction is notified',
      status: notified ? 'pass' : 'fail',
      finding: notified
        ? `the partner notified ${notified.paymentStatus}`
        : `the partner notified no result within ${window} of approval`,
      evidence: {
        request,
        answer: notified
          ? excerpt(`paymentStatus ${notified.paymentStatus}`, 100)
          : '(no POST /ops/v1/notifications)',
        required: notifyDoc,
      },
    },
  ];
}
