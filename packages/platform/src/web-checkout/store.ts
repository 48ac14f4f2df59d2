// SQL of Web Checkout: transaction keys, transactions, notifications, health probes. Every
// function takes the Queryable (the db or a transaction).
import type { Queryable } from '../core/db.ts';

// --- keys ---------------------------------------------------------------------------------------

export interface CheckoutKeyRow {
  keyId: string;
  slot: number;
  publicKeyPem: string;
  privateKeySealed: string;
  createdAt: number;
  retainUntil: number;
}

interface KeyDbRow {
  key_id: string;
  slot: string | number;
  public_key_pem: string;
  private_key_sealed: string;
  created_at: string | number;
  retain_until: string | number;
}

function toKey(r: KeyDbRow): CheckoutKeyRow {
  return {
    keyId: r.key_id,
    slot: Number(r.slot),
    publicKeyPem: r.public_key_pem,
    privateKeySealed: r.private_key_sealed,
    createdAt: Number(r.created_at),
    retainUntil: Number(r.retain_until),
  };
}

/** Inserts the slot's key unless the slot has one already; returns the slot's key. */
export async function insertKeyForSlot(q: Queryable, key: CheckoutKeyRow): Promise<CheckoutKeyRow> {
  await q.query(
    `INSERT INTO checkout_keys (key_id, slot, public_key_pem, private_key_sealed, created_at, retain_until)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (slot) DO NOTHING`,
    [key.keyId, key.slot, key.publicKeyPem, key.privateKeySealed, key.createdAt, key.retainUntil],
  );
  const found = await findKeyBySlot(q, key.slot);
  if (!found) throw new Error('checkout key vanished after insert');
  return found;
}

export async function findKeyBySlot(q: Queryable, slot: number): Promise<CheckoutKeyRow | undefined> {
  const rows = await q.query<KeyDbRow>('SELECT * FROM checkout_keys WHERE slot = $1', [slot]);
  return rows[0] ? toKey(rows[0]) : undefined;
}

export async function findKey(q: Queryable, keyId: string): Promise<CheckoutKeyRow | undefined> {
  const rows = await q.query<KeyDbRow>('SELECT * FROM checkout_keys WHERE key_id = $1', [keyId]);
  return rows[0] ? toKey(rows[0]) : undefined;
}

/** Deletes keys no live transaction can use any more; returns how many. */
export async function deleteRetiredKeys(q: Queryable, now: number): Promise<number> {
  const rows = await q.query<{ key_id: string }>(
    'DELETE FROM checkout_keys WHERE retain_until <= $1 RETURNING key_id',
    [now],
  );
  return rows.length;
}

export async function listKeys(q: Queryable): Promise<CheckoutKeyRow[]> {
  return (await q.query<KeyDbRow>('SELECT * FROM checkout_keys ORDER BY slot')).map(toKey);
}

// --- transactions -------------------------------------------------------------------------------

export type TransactionStatus = 'CREATED' | 'PENDING' | 'APPROVED' | 'DECLINED' | 'CANCELED';

export interface TransactionRow {
  transactionId: string;
  serviceId: string;
  keyId: string;
  callbackUrl: string;
  orderNumber: string;
  recurring: boolean;
  amountOption: string;
  currency: string;
  amountTotal: string;
  amountMinor: string;
  merchantName: string;
  merchantUrl: string | null;
  merchantReference: string | null;
  allowedBrands: string[];
  status: TransactionStatus;
  checkoutTokenHash: string | null;
  countryCode: string | null;
  cancelUrl: string | null;
  pageOrigin: string | null;
  checkoutKind: 'pc' | 'mobile' | null;
  userId: string | null;
  deviceId: string | null;
  referenceId: string | null;
  tokenRef: string | null;
  cardBrand: string | null;
  cardLast4: string | null;
  credentialJwe: string | null;
  credentialsExpireAt: number | null;
  answeredAt: number | null;
  paymentStatus: string | null;
  paymentProvider: string | null;
  paymentNotifiedAt: number | null;
  createdAt: number;
  expiresAt: number;
  updatedAt: number;
}

type Row = Record<string, unknown>;

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

function toTransaction(r: Row): TransactionRow {
  return {
    transactionId: String(r['transaction_id']),
    serviceId: String(r['service_id']),
    keyId: String(r['key_id']),
    callbackUrl: String(r['callback_url']),
    orderNumber: String(r['order_number']),
    recurring: Boolean(r['recurring']),
    amountOption: String(r['amount_option']),
    currency: String(r['currency']),
    amountTotal: String(r['amount_total']),
    amountMinor: String(r['amount_minor']),
    merchantName: String(r['merchant_name']),
    merchantUrl: str(r['merchant_url']),
    merchantReference: str(r['merchant_reference']),
    allowedBrands: (typeof r['allowed_brands'] === 'string'
      ? JSON.parse(r['allowed_brands'])
      : r['allowed_brands']) as string[],
    status: String(r['status']) as TransactionStatus,
    checkoutTokenHash: str(r['checkout_token_hash']),
    countryCode: str(r['country_code']),
    cancelUrl: str(r['cancel_url']),
    pageOrigin: str(r['page_origin']),
    checkoutKind: str(r['checkout_kind']) as TransactionRow['checkoutKind'],
    userId: str(r['user_id']),
    deviceId: str(r['device_id']),
    referenceId: str(r['reference_id']),
    tokenRef: str(r['token_ref']),
    cardBrand: str(r['card_brand']),
    cardLast4: str(r['card_last4']),
    credentialJwe: str(r['credential_jwe']),
    credentialsExpireAt: num(r['credentials_expire_at']),
    answeredAt: num(r['answered_at']),
    paymentStatus: str(r['payment_status']),
    paymentProvider: str(r['payment_provider']),
    paymentNotifiedAt: num(r['payment_notified_at']),
    createdAt: Number(r['created_at']),
    expiresAt: Number(r['expires_at']),
    updatedAt: Number(r['updated_at']),
  };
}

export async function insertTransaction(q: Queryable, t: TransactionRow): Promise<void> {
  await q.query(
    `INSERT INTO checkout_transactions (transaction_id, service_id, key_id, callback_url, order_number,
       recurring, amount_option, currency, amount_total, amount_minor, merchant_name, merchant_url,
       merchant_reference, allowed_brands, status, created_at, expires_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`,
    [
      t.transactionId,
      t.serviceId,
      t.keyId,
      t.callbackUrl,
      t.orderNumber,
      t.recurring,
      t.amountOption,
      t.currency,
      t.amountTotal,
      t.amountMinor,
      t.merchantName,
      t.merchantUrl,
      t.merchantReference,
      JSON.stringify(t.allowedBrands),
      t.status,
      t.createdAt,
      t.expiresAt,
      t.updatedAt,
    ],
  );
}

export async function getTransaction(
  q: Queryable,
  transactionId: string,
  opts: { lock?: boolean } = {},
): Promise<TransactionRow | undefined> {
  const rows = await q.query<Row>(
    `SELECT * FROM checkout_transactions WHERE transaction_id = $1${opts.lock ? ' FOR UPDATE' : ''}`,
    [transactionId],
  );
  return rows[0] ? toTransaction(rows[0]) : undefined;
}

export async function getTransactionByReference(
  q: Queryable,
  referenceId: string,
  opts: { lock?: boolean } = {},
): Promise<TransactionRow | undefined> {
  const rows = await q.query<Row>(
    `SELECT * FROM checkout_transactions WHERE reference_id = $1${opts.lock ? ' FOR UPDATE' : ''}`,
    [referenceId],
  );
  return rows[0] ? toTransaction(rows[0]) : undefined;
}

export async function getTransactionByCheckoutToken(
  q: Queryable,
  tokenHash: string,
): Promise<TransactionRow | undefined> {
  const rows = await q.query<Row>('SELECT * FROM checkout_transactions WHERE checkout_token_hash = $1', [
    tokenHash,
  ]);
  return rows[0] ? toTransaction(rows[0]) : undefined;
}

/** Transactions whose payment request went to this account, newest first. */
export async function listTransactionsByUser(
  q: Queryable,
  userId: string,
  limit = 50,
): Promise<TransactionRow[]> {
  const rows = await q.query<Row>(
    'SELECT * FROM checkout_transactions WHERE user_id = $1 ORDER BY seq DESC LIMIT $2',
    [userId, limit],
  );
  return rows.map(toTransaction);
}

export async function listTransactions(
  q: Queryable,
  filter: { serviceId?: string; limit?: number } = {},
): Promise<TransactionRow[]> {
  const rows = await q.query<Row>(
    `SELECT * FROM checkout_transactions WHERE ($1::text IS NULL OR service_id = $1)
     ORDER BY seq DESC LIMIT $2`,
    [filter.serviceId ?? null, filter.limit ?? 100],
  );
  return rows.map(toTransaction);
}

/** Writes every mutable column of a transaction (callers hold the row lock). */
export async function updateTransaction(q: Queryable, t: TransactionRow): Promise<void> {
  await q.query(
    `UPDATE checkout_transactions SET status = $2, checkout_token_hash = $3, country_code = $4,
       cancel_url = $5, page_origin = $6, checkout_kind = $7, user_id = $8, device_id = $9,
       reference_id = $10, token_ref = $11, card_brand = $12, card_last4 = $13, credential_jwe = $14,
       credentials_expire_at = $15, answered_at = $16, payment_status = $17, payment_provider = $18,
       payment_notified_at = $19, updated_at = $20, callback_url = $21
     WHERE transaction_id = $1`,
    [
      t.transactionId,
      t.status,
      t.checkoutTokenHash,
      t.countryCode,
      t.cancelUrl,
      t.pageOrigin,
      t.checkoutKind,
      t.userId,
      t.deviceId,
      t.referenceId,
      t.tokenRef,
      t.cardBrand,
      t.cardLast4,
      t.credentialJwe,
      t.credentialsExpireAt,
      t.answeredAt,
      t.paymentStatus,
      t.paymentProvider,
      t.paymentNotifiedAt,
      t.updatedAt,
      t.callbackUrl,
    ],
  );
}

/** Credentials are stored only temporarily: drops every JWE past its lifetime. */
export async function clearExpiredCredentials(q: Queryable, now: number): Promise<number> {
  const rows = await q.query<{ transaction_id: string }>(
    `UPDATE checkout_transactions SET credential_jwe = NULL
     WHERE credential_jwe IS NOT NULL AND credentials_expire_at <= $1 RETURNING transaction_id`,
    [now],
  );
  return rows.length;
}

// --- notifications ------------------------------------------------------------------------------

export interface NotificationRow {
  notificationId: string;
  transactionId: string;
  status: string;
  provider: string | null;
  partnerTimestamp: number | null;
  receivedAt: number;
}

export async function insertNotification(q: Queryable, n: NotificationRow): Promise<void> {
  await q.query(
    `INSERT INTO checkout_notifications (notification_id, transaction_id, status, provider,
       partner_timestamp, received_at) VALUES ($1, $2, $3, $4, $5, $6)`,
    [n.notificationId, n.transactionId, n.status, n.provider, n.partnerTimestamp, n.receivedAt],
  );
}

export async function listNotifications(q: Queryable, transactionId: string): Promise<NotificationRow[]> {
  const rows = await q.query<Row>(
    'SELECT * FROM checkout_notifications WHERE transaction_id = $1 ORDER BY seq',
    [transactionId],
  );
  return rows.map((r) => ({
    notificationId: String(r['notification_id']),
    transactionId: String(r['transaction_id']),
    status: String(r['status']),
    provider: str(r['provider']),
    partnerTimestamp: num(r['partner_timestamp']),
    receivedAt: Number(r['received_at']),
  }));
}

// --- health probes ------------------------------------------------------------------------------

export interface HealthProbeRow {
  probeId: string;
  serviceId: string;
  url: string;
  ok: boolean;
  httpStatus: number | null;
  detail: string;
  latencyMs: number | null;
  callbackSeen: boolean;
  trigger: 'manual' | 'scheduled';
  probedAt: number;
}

export async function insertHealthProbe(q: Queryable, p: HealthProbeRow): Promise<void> {
  await q.query(
    `INSERT INTO checkout_health_probes (probe_id, service_id, url, ok, http_status, detail, latency_ms,
       callback_seen, trigger, probed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      p.probeId,
      p.serviceId,
      p.url,
      p.ok,
      p.httpStatus,
      p.detail,
      p.latencyMs,
      p.callbackSeen,
      p.trigger,
      p.probedAt,
    ],
  );
}

export async function listHealthProbes(
  q: Queryable,
  serviceId: string,
  limit = 20,
): Promise<HealthProbeRow[]> {
  const rows = await q.query<Row>(
    'SELECT * FROM checkout_health_probes WHERE service_id = $1 ORDER BY seq DESC LIMIT $2',
    [serviceId, limit],
  );
  return rows.map((r) => ({
    probeId: String(r['probe_id']),
    serviceId: String(r['service_id']),
    url: String(r['url']),
    ok: Boolean(r['ok']),
    httpStatus: num(r['http_status']),
    detail: String(r['detail']),
    latencyMs: num(r['latency_ms']),
    callbackSeen: Boolean(r['callback_seen']),
    trigger: String(r['trigger']) as HealthProbeRow['trigger'],
    probedAt: Number(r['probed_at']),
  }));
}
