// The wallet's own record of what the user did, for the console's object timelines. Flows call
// `recordWalletAction` inside the transaction that makes the change; the admin API reads it back
// with `listWalletActions`. Details are names and statuses only: never a PAN, token or key.
import type { Queryable } from '../core/db.ts';
import { col, table } from '../core/rows.ts';

export type WalletActionKind =
  | 'CARD_LINKED'
  | 'PASS_ADDED'
  | 'PASS_UPDATED'
  | 'PASS_REMOVED'
  | 'PAYMENT_APPROVED'
  | 'PAYMENT_DECLINED'
  | 'PAYMENT_CANCELLED'
  | 'ITEM_ADDED'
  | 'ITEM_UPDATED'
  | 'ITEM_REMOVED';

const walletActions = table('wallet_actions', {
  id: col.number('id'),
  accountId: col.text('account_id'),
  action: col.text('action'),
  objectId: col.text('object_id'),
  detail: col.json<Record<string, string | number | boolean | null>>('detail'),
  at: col.number('at'),
});

export type WalletAction = Omit<ReturnType<(typeof walletActions)['fromDb']>, 'action'> & {
  action: WalletActionKind;
};

export interface RecordWalletActionInput {
  accountId: string;
  action: WalletActionKind;
  /** The flow object the action is about: a registration, a pass's refId, a transaction. */
  objectId: string;
  /** A few display fields (names, statuses, last four digits); never a secret. */
  detail?: Record<string, string | number | boolean | null>;
  at: number;
}

export async function recordWalletAction(q: Queryable, input: RecordWalletActionInput): Promise<void> {
  await q.query(
    'INSERT INTO wallet_actions (account_id, action, object_id, detail, at) VALUES ($1, $2, $3, $4, $5)',
    [input.accountId, input.action, input.objectId, JSON.stringify(input.detail ?? {}), input.at],
  );
}

/** The actions about one object, oldest first. */
export async function listWalletActions(
  q: Queryable,
  objectId: string,
  limit = 500,
): Promise<WalletAction[]> {
  const rows = await q.query(
    `SELECT ${walletActions.selectList} FROM wallet_actions WHERE object_id = $1 ORDER BY id LIMIT $2`,
    [objectId, limit],
  );
  return rows.map((r) => walletActions.fromDb(r) as WalletAction);
}
