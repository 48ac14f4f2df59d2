// SQL of Web Checkout: transaction keys, transactions, notifications, health probes and the
// health callbacks seen. Tables are declared once (core/rows.ts); every function takes the
// Queryable (the db or a transaction). A transaction changes by patches of the columns that
// changed, never by rewriting the row.
import type { Queryable } from '../core/db.ts';
import { batchedInserts } from '../core/group-commit.ts';
import { col, type RowOf, table } from '../core/rows.ts';

// --- keys ---------------------------------------------------------------------------------------

const keyColumns = {
  keyId: col.text('key_id'),
  slot: col.number('slot'),
  publicKeyPem: col.text('public_key_pem'),
  privateKeySealed: col.text('private_key_sealed'),
  createdAt: col.number('created_at'),
  retainUntil: col.number('retain_until'),
};
const checkoutKeys = table('checkout_keys', keyColumns);

export type CheckoutKeyRow = RowOf<typeof keyColumns>;

/** Inserts the slot's key unless the slot has one already; returns the slot's key. */
export async function insertKeyForSlot(q: Queryable, key: CheckoutKeyRow): Promise<CheckoutKeyRow> {
  await checkoutKeys.insert(q, key, 'ON CONFLICT (slot) DO NOTHING');
  const found = await findKeyBySlot(q, key.slot);
  if (!found) throw new Error('checkout key vanished after insert');
  return found;
}

export async function findKeyBySlot(q: Queryable, slot: number): Promise<CheckoutKeyRow | undefined> {
  const rows = await q.query(`SELECT ${checkoutKeys.selectList} FROM checkout_keys WHERE slot = $1`, [slot]);
  return rows[0] ? checkoutKeys.fromDb(rows[0]) : undefined;
}

export async function findKey(q: Queryable, keyId: string): Promise<CheckoutKeyRow | undefined> {
  const rows = await q.query(`SELECT ${checkoutKeys.selectList} FROM checkout_keys WHERE key_id = $1`, [
    keyId,
  ]);
  return rows[0] ? checkoutKeys.fromDb(rows[0]) : undefined;
}

/** Deletes keys no live transaction can use any more; returns how many. */
export async function deleteRetiredKeys(q: Queryable, now: number): Promise<number> {
  const rows = await q.query('DELETE FROM checkout_keys WHERE retain_until <= $1 RETURNING key_id', [now]);
  return rows.length;
}

export async function listKeys(q: Queryable): Promise<CheckoutKeyRow[]> {
  return (await q.query(`SELECT ${checkoutKeys.selectList} FROM checkout_keys ORDER BY slot`)).map(
    checkoutKeys.fromDb,
  );
}

// --- transactions -------------------------------------------------------------------------------

export const transactionStatuses = ['CREATED', 'PENDING', 'APPROVED', 'DECLINED', 'CANCELED'] as const;
export type TransactionStatus = (typeof transactionStatuses)[number];

const transactionColumns = {
  transactionId: col.text('transaction_id'),
  serviceId: col.text('service_id'),
  keyId: col.text('key_id'),
  callbackUrl: col.text('callback_url'),
  orderNumber: col.text('order_number'),
  recurring: col.bool('recurring'),
  amountOption: col.text('amount_option'),
  currency: col.text('currency'),
  amountTotal: col.text('amount_total'),
  amountMinor: col.text('amount_minor'),
  merchantName: col.text('merchant_name'),
  merchantUrl: col.nullable(col.text('merchant_url')),
  merchantReference: col.nullable(col.text('merchant_reference')),
  allowedBrands: col.json<string[]>('allowed_brands'),
  status: col.oneOf('status', transactionStatuses),
  checkoutTokenHash: col.nullable(col.text('checkout_token_hash')),
  countryCode: col.nullable(col.text('country_code')),
  cancelUrl: col.nullable(col.text('cancel_url')),
  pageOrigin: col.nullable(col.text('page_origin')),
  checkoutKind: col.nullable(col.oneOf('checkout_kind', ['pc', 'mobile'] as const)),
  userId: col.nullable(col.text('user_id')),
  deviceId: col.nullable(col.text('device_id')),
  referenceId: col.nullable(col.text('reference_id')),
  tokenRef: col.nullable(col.text('token_ref')),
  cardBrand: col.nullable(col.text('card_brand')),
  cardLast4: col.nullable(col.text('card_last4')),
  credentialJwe: col.nullable(col.text('credential_jwe')),
  credentialsExpireAt: col.nullable(col.number('credentials_expire_at')),
  answeredAt: col.nullable(col.number('answered_at')),
  paymentStatus: col.nullable(col.text('payment_status')),
  paymentProvider: col.nullable(col.text('payment_provider')),
  paymentNotifiedAt: col.nullable(col.number('payment_notified_at')),
  createdAt: col.number('created_at'),
  expiresAt: col.number('expires_at'),
  updatedAt: col.number('updated_at'),
};
const transactions = table('checkout_transactions', transactionColumns);

export type TransactionRow = RowOf<typeof transactionColumns>;

/**
 * What a transaction holds before its checkout page is opened: every field of the page, the user,
 * the card, the credentials and the partner's result is still empty.
 */
export const notCheckedOut = {
  checkoutTokenHash: null,
  countryCode: null,
  cancelUrl: null,
  pageOrigin: null,
  checkoutKind: null,
  userId: null,
  deviceId: null,
  referenceId: null,
  tokenRef: null,
  cardBrand: null,
  cardLast4: null,
  credentialJwe: null,
  credentialsExpireAt: null,
  answeredAt: null,
  paymentStatus: null,
  paymentProvider: null,
  paymentNotifiedAt: null,
} as const satisfies Partial<TransactionRow>;

export async function insertTransaction(q: Queryable, t: TransactionRow): Promise<void> {
  await transactions.insert(q, t);
}

/** Transactions created at the same moment, written together: one INSERT for the creates of the moment. */
export const transactionInserts = batchedInserts('web-checkout.transactionInserts', transactions);

async function selectTransaction(
  q: Queryable,
  where: string,
  value: string,
  lock: boolean | undefined,
): Promise<TransactionRow | undefined> {
  const rows = await q.query(
    `SELECT ${transactions.selectList} FROM checkout_transactions WHERE ${where} = $1${lock ? ' FOR UPDATE' : ''}`,
    [value],
  );
  return rows[0] ? transactions.fromDb(rows[0]) : undefined;
}

export function getTransaction(
  q: Queryable,
  transactionId: string,
  opts: { lock?: boolean } = {},
): Promise<TransactionRow | undefined> {
  return selectTransaction(q, 'transaction_id', transactionId, opts.lock);
}

export function getTransactionByReference(
  q: Queryable,
  referenceId: string,
  opts: { lock?: boolean } = {},
): Promise<TransactionRow | undefined> {
  return selectTransaction(q, 'reference_id', referenceId, opts.lock);
}

export function getTransactionByCheckoutToken(
  q: Queryable,
  tokenHash: string,
): Promise<TransactionRow | undefined> {
  return selectTransaction(q, 'checkout_token_hash', tokenHash, false);
}

/** Transactions whose payment request went to this account, newest first. */
export async function listTransactionsByUser(
  q: Queryable,
  userId: string,
  limit = 50,
): Promise<TransactionRow[]> {
  const rows = await q.query(
    `SELECT ${transactions.selectList} FROM checkout_transactions WHERE user_id = $1 ORDER BY seq DESC LIMIT $2`,
    [userId, limit],
  );
  return rows.map(transactions.fromDb);
}

export async function listTransactions(
  q: Queryable,
  filter: { serviceId?: string; limit?: number } = {},
): Promise<TransactionRow[]> {
  const rows = await q.query(
    `SELECT ${transactions.selectList} FROM checkout_transactions WHERE ($1::text IS NULL OR service_id = $1)
     ORDER BY seq DESC LIMIT $2`,
    [filter.serviceId ?? null, filter.limit ?? 100],
  );
  return rows.map(transactions.fromDb);
}

/** The columns a change may write; the identity and the created request never change. */
export type TransactionChanges = Partial<
  Omit<
    TransactionRow,
    | 'transactionId'
    | 'serviceId'
    | 'keyId'
    | 'orderNumber'
    | 'recurring'
    | 'amountOption'
    | 'currency'
    | 'amountTotal'
    | 'amountMinor'
    | 'merchantName'
    | 'merchantUrl'
    | 'merchantReference'
    | 'allowedBrands'
    | 'createdAt'
    | 'expiresAt'
  >
>;

/**
 * Writes only `changes` to the transaction, when its status is still `status` (when given):
 * answers the updated row, or undefined when no row matched (someone else moved it first).
 */
export async function patchTransaction(
  q: Queryable,
  where: { transactionId: string; status?: TransactionStatus },
  changes: TransactionChanges,
): Promise<TransactionRow | undefined> {
  const [row] = await transactions.patch(q, where, changes);
  return row;
}

/** Credentials are stored only temporarily: drops every JWE past its lifetime. */
export async function clearExpiredCredentials(q: Queryable, now: number): Promise<number> {
  const rows = await q.query(
    `UPDATE checkout_transactions SET credential_jwe = NULL
     WHERE credential_jwe IS NOT NULL AND credentials_expire_at <= $1 RETURNING transaction_id`,
    [now],
  );
  return rows.length;
}

// --- notifications ------------------------------------------------------------------------------

const notificationColumns = {
  notificationId: col.text('notification_id'),
  transactionId: col.text('transaction_id'),
  status: col.text('status'),
  provider: col.nullable(col.text('provider')),
  partnerTimestamp: col.nullable(col.number('partner_timestamp')),
  receivedAt: col.number('received_at'),
};
const notifications = table('checkout_notifications', notificationColumns);

export type NotificationRow = RowOf<typeof notificationColumns>;

export async function insertNotification(q: Queryable, n: NotificationRow): Promise<void> {
  await notifications.insert(q, n);
}

export async function listNotifications(q: Queryable, transactionId: string): Promise<NotificationRow[]> {
  const rows = await q.query(
    `SELECT ${notifications.selectList} FROM checkout_notifications WHERE transaction_id = $1 ORDER BY seq`,
    [transactionId],
  );
  return rows.map(notifications.fromDb);
}

// --- health probes ------------------------------------------------------------------------------

const probeColumns = {
  probeId: col.text('probe_id'),
  serviceId: col.text('service_id'),
  url: col.text('url'),
  ok: col.bool('ok'),
  httpStatus: col.nullable(col.number('http_status')),
  detail: col.text('detail'),
  latencyMs: col.nullable(col.number('latency_ms')),
  callbackSeen: col.bool('callback_seen'),
  trigger: col.oneOf('trigger', ['manual', 'scheduled'] as const),
  probedAt: col.number('probed_at'),
};
const healthProbes = table('checkout_health_probes', probeColumns);

export type HealthProbeRow = RowOf<typeof probeColumns>;

export async function insertHealthProbe(q: Queryable, p: HealthProbeRow): Promise<void> {
  await healthProbes.insert(q, p);
}

export async function listHealthProbes(
  q: Queryable,
  serviceId: string,
  limit = 20,
): Promise<HealthProbeRow[]> {
  const rows = await q.query(
    `SELECT ${healthProbes.selectList} FROM checkout_health_probes WHERE service_id = $1 ORDER BY seq DESC LIMIT $2`,
    [serviceId, limit],
  );
  return rows.map(healthProbes.fromDb);
}

// --- health callbacks (migration 0018) ----------------------------------------------------------

/** Counts one HEAD /ops/v1/internal/health call, whichever process received it. */
export async function recordHealthCallback(q: Queryable, now: number): Promise<void> {
  await q.query('UPDATE checkout_health_callbacks SET seen = seen + 1, last_at = $1 WHERE id', [now]);
}

/** How many health callbacks were ever received: a probe's mark before it calls. */
export async function countHealthCallbacks(q: Queryable): Promise<number> {
  const rows = await q.query<{ seen: unknown }>('SELECT seen FROM checkout_health_callbacks WHERE id');
  return Number(rows[0]?.seen ?? 0);
}
