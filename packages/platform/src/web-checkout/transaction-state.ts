// The life of a Web Checkout transaction in one table (migration 0008 describes each status):
//
//   CREATED ──account entered──▶ PENDING ──wallet approves──▶ APPROVED
//      │                        │  ▲ │ └────wallet declines──▶ DECLINED
//      │                        └──┘ └──────shopper cancels─▶ CANCELED
//      └───────────────shopper cancels──────────────────────▶ CANCELED
//
// Every operation that changes a status goes through `transition` (the check, with the coded
// error the asking side expects) and `moveTransaction` (the patch, guarded by the status read:
// zero rows back means someone else moved the transaction first, answered as the same error).
import type { Queryable } from '../core/db.ts';
import { PlatformError } from '../core/errors.ts';
import { WebCheckoutError } from './errors.ts';
import {
  getTransaction,
  patchTransaction,
  type TransactionChanges,
  type TransactionRow,
  type TransactionStatus,
} from './store.ts';

/** The allowed moves. PENDING → PENDING: the request goes to another account. */
export const allowedMoves: Readonly<Record<TransactionStatus, readonly TransactionStatus[]>> = {
  CREATED: ['PENDING', 'CANCELED'],
  PENDING: ['PENDING', 'APPROVED', 'DECLINED', 'CANCELED'],
  APPROVED: [],
  DECLINED: [],
  CANCELED: [],
};

/** Moves that are already done when asked again: canceling a declined or canceled checkout. */
const alreadyThere: Readonly<Partial<Record<TransactionStatus, readonly TransactionStatus[]>>> = {
  CANCELED: ['DECLINED', 'CANCELED'],
};

export function canMove(from: TransactionStatus, to: TransactionStatus): boolean {
  return allowedMoves[from].includes(to);
}

export function isExpired(t: TransactionRow, now: number): boolean {
  return now >= t.expiresAt;
}

/** The error of a refused move, in the words of the side that asked for it. */
function refusal(t: TransactionRow, to: TransactionStatus): PlatformError {
  switch (to) {
    case 'CREATED':
    case 'PENDING':
      // The checkout page (and the form POST that opens it).
      return new WebCheckoutError('OPM2N1103', 'transaction already answered');
    case 'CANCELED':
      return new WebCheckoutError('OPM2N1103', 'transaction already approved');
    case 'APPROVED':
    case 'DECLINED':
      // The wallet.
      return new PlatformError('CONFLICT', `this payment request is already ${t.status.toLowerCase()}`);
  }
}

/**
 * Checks that `t` may move to `to` at `now`: 'move' when it may, 'unchanged' when it is already
 * where the move leads (cancel twice); otherwise throws the move's coded error. A checkout page
 * move (to PENDING) refuses an expired transaction before anything else; the wallet's approval
 * judges the status first; decline and cancel ignore the expiry.
 */
export function transition(t: TransactionRow, to: TransactionStatus, now: number): 'move' | 'unchanged' {
  if (to === 'PENDING' && isExpired(t, now)) throw new PlatformError('GONE', 'this checkout has expired');
  if (alreadyThere[to]?.includes(t.status)) return 'unchanged';
  if (!canMove(t.status, to)) throw refusal(t, to);
  if (to === 'APPROVED' && isExpired(t, now))
    throw new PlatformError('GONE', 'this payment request has expired');
  return 'move';
}

/**
 * Writes the move of `t` to `to` with `changes` (only those columns), when `t` still has the
 * status it was read with. Answers the updated row; a lost race throws the move's refusal as seen
 * against the row as it is now.
 */
export async function moveTransaction(
  q: Queryable,
  t: TransactionRow,
  to: TransactionStatus,
  changes: Omit<TransactionChanges, 'status'>,
): Promise<TransactionRow> {
  const moved = await patchTransaction(
    q,
    { transactionId: t.transactionId, status: t.status },
    { ...changes, status: to },
  );
  if (moved) return moved;
  const now = (await getTransaction(q, t.transactionId)) ?? t;
  throw refusal(now, to);
}
