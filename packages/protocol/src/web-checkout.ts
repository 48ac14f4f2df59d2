// Web Checkout (v1) wire contracts: seed 004, PROTOCOLS.md §4. Server API bodies, result codes,
// the payment credential plaintext, and the form POST the real JS SDK makes to the checkout UI.
//
// Slightly over 400 lines on purpose: the whole Web Checkout wire contract stays in one file, so a
// reader finds every message of §4 (and its result codes) in one place.
//
// Leniency [ours]: request bodies keep unknown members (real integrations send extra merchant
// fields), while every documented member is checked; responses are parsed leniently so that
// clients survive fields the service adds.
import { z } from 'zod';
import { currencyMinorUnits, isCurrencyCode } from './currencies.ts';
import { httpUrlSchema, STRING_MAX_LENGTH } from './data-types.ts';
import { type ClassifiedFieldIssue, customIssue } from './validation.ts';

// --- Result codes (PROTOCOLS.md 4.1) -------------------------------------------------------------

/**
 * Every `resultCode` with its HTTP status and `resultMessage` [impl]. `resultCode` is a string on
 * the wire; `"0"` is success. Messages are ours where the real ones are not public.
 */
export const webCheckoutResults = {
  '0': { status: 200, message: 'SUCCESS' },
  OPM1N1001: { status: 400, message: 'Mandatory parameter is missing' },
  OPM1N1002: { status: 400, message: 'Invalid parameter value' },
  OPM1N1003: { status: 400, message: 'Invalid parameter format' },
  OPM1N1026: { status: 400, message: 'Parameter is inconsistent with the transaction' },
  OPM1N1033: { status: 400, message: 'Partner is not approved' },
  OPM1N1035: { status: 404, message: 'Service does not exist' },
  OPM2N1103: { status: 409, message: 'Transaction is already bound to a device' },
  OPM3N1002: { status: 500, message: 'Encryption error' },
  OPM3N1003: { status: 500, message: 'Internal error' },
  OPM5N9001: { status: 500, message: 'Database error' },
} as const satisfies Record<string, { status: number; message: string }>;
export type WebCheckoutResultCode = keyof typeof webCheckoutResults;
export type WebCheckoutErrorCode = Exclude<WebCheckoutResultCode, '0'>;
export const webCheckoutResultCodes = Object.keys(webCheckoutResults) as WebCheckoutResultCode[];

export function isWebCheckoutResultCode(value: unknown): value is WebCheckoutResultCode {
  return typeof value === 'string' && Object.hasOwn(webCheckoutResults, value);
}

/** `{resultCode, resultMessage}`: the success answer and every error body. */
export const webCheckoutResultSchema = z.looseObject({ resultCode: z.string(), resultMessage: z.string() });
export type WebCheckoutResult = z.infer<typeof webCheckoutResultSchema>;

/** The body for a result code; `detail` (a field name, never a value) is appended to the message. */
export function webCheckoutResult(code: WebCheckoutResultCode, detail?: string): WebCheckoutResult {
  const message = webCheckoutResults[code].message;
  return { resultCode: code, resultMessage: detail ? `${message}: ${detail}` : message };
}

/**
 * The result code for failed input [impl]: a missing field is `OPM1N1001`, a field of the wrong
 * type or shape (or an unreadable body) `OPM1N1003`, a well-formed but unacceptable value
 * `OPM1N1002`. The first issue of the winning kind names the field.
 */
export function webCheckoutValidationResult(issues: readonly ClassifiedFieldIssue[]): {
  code: 'OPM1N1001' | 'OPM1N1002' | 'OPM1N1003';
  body: WebCheckoutResult;
} {
  const pick = (kinds: readonly string[]) => issues.find((i) => kinds.includes(i.kind));
  const missing = pick(['missing']);
  const format = pick(['type', 'format']);
  const [code, issue] = missing
    ? (['OPM1N1001', missing] as const)
    : format
      ? (['OPM1N1003', format] as const)
      : (['OPM1N1002', issues[0]] as const);
  return { code, body: webCheckoutResult(code, issue ? `${issue.field} ${issue.reason}` : undefined) };
}

// --- Hosts and paths (PROTOCOLS.md 4.1) ---------------------------------------------------------

/** The real service's hosts [impl]. */
export const WEB_CHECKOUT_HOSTS = {
  staging: 'https://api-ops.stg.mpay.samsung.com',
  production: 'https://api-ops.mpay.samsung.com',
} as const;

export const WEB_CHECKOUT_PATHS = {
  createTransaction: '/ops/v1/transactions',
  getPaymentCredentials: '/ops/v1/transactions/paymentCredentials/{referenceId}',
  sendNotification: '/ops/v1/notifications',
  health: '/ops/v1/internal/health',
} as const;

// --- Amounts ------------------------------------------------------------------------------------

/** Brand codes of `allowedBrands` and `card_brand` [impl]: Visa, Mastercard, Amex, Discover. */
export const cardBrands = ['VI', 'MC', 'AX', 'DS'] as const;
export type CardBrand = (typeof cardBrands)[number];

/** `amount.option`: how the wallet labels the total (names of the Samsung Pay SDK's constants). */
export const amountOptions = [
  'FORMAT_TOTAL_PRICE_ONLY',
  'FORMAT_TOTAL_ESTIMATED_AMOUNT',
  'FORMAT_TOTAL_ESTIMATED_CHARGE',
  'FORMAT_TOTAL_ESTIMATED_FARE',
  'FORMAT_TOTAL_FREE_TEXT_ONLY',
  'FORMAT_TOTAL_AMOUNT_PENDING',
  'FORMAT_TOTAL_AMOUNT_PENDING_TEXT_ONLY',
  'FORMAT_TOTAL_PENDING',
  'FORMAT_TOTAL_PENDING_TEXT_ONLY',
  'FORMAT_TOTAL_UP_TO_AMOUNT',
] as const;
export type AmountOption = (typeof amountOptions)[number];

const DECIMAL_PATTERN = /^[0-9]{1,15}(\.[0-9]{1,10})?$/;

/** The plain decimal text of a total, or undefined when it is not a non-negative plain decimal. */
function decimalText(total: unknown): string | undefined {
  if (typeof total === 'number') {
    if (!Number.isFinite(total) || total < 0) return undefined;
    const text = String(total); // shortest round-trip form: 98.76 → "98.76"; huge/tiny → exponent
    return DECIMAL_PATTERN.test(text) ? text : undefined;
  }
  return typeof total === 'string' && DECIMAL_PATTERN.test(total) ? total : undefined;
}

/**
 * A total in major units (`98.76` or `"98.76"`) as an integer string in the currency's minor units
 * (`"9876"`), as the credential's `amount` carries it. Undefined when the total is not a plain
 * non-negative decimal or has non-zero digits the currency cannot hold (`"1.005"` USD). No floats.
 */
export function toMinorUnits(total: number | string, currency: string): string | undefined {
  const text = decimalText(total);
  if (text === undefined) return undefined;
  const exponent = currencyMinorUnits(currency);
  const [whole = '0', fraction = ''] = text.split('.');
  if (/[1-9]/.test(fraction.slice(exponent))) return undefined;
  const digits = (whole + fraction.slice(0, exponent).padEnd(exponent, '0')).replace(/^0+(?=[0-9])/, '');
  return digits;
}

/** Minor units (`"9876"`) back to a major-unit decimal string (`"98.76"`) for display. */
export function fromMinorUnits(amount: string | number, currency: string): string {
  const digits = String(amount);
  if (!/^[0-9]+$/.test(digits)) throw new TypeError('amount must be a non-negative integer in minor units');
  const exponent = currencyMinorUnits(currency);
  if (exponent === 0) return digits.replace(/^0+(?=[0-9])/, '');
  const padded = digits.padStart(exponent + 1, '0');
  const whole = padded.slice(0, -exponent).replace(/^0+(?=[0-9])/, '');
  return `${whole}.${padded.slice(-exponent)}`;
}

/** ISO 4217 alphabetic code, upper case (`USD`). */
export const currencySchema = z
  .string()
  .regex(/^[A-Z]{3}$/, { error: 'must be an ISO 4217 code of 3 upper-case letters' })
  .refine(isCurrencyCode, { error: 'must be an ISO 4217 currency code' });

/** `total` in major units: a number (`98.76`) or a decimal string (`"98.76"`) [impl]. */
export const amountTotalSchema = z.union([
  z
    .number()
    .min(0)
    .refine((n) => decimalText(n) !== undefined, { error: 'must be a plain decimal amount' }),
  z.string().regex(DECIMAL_PATTERN, { error: 'must be a decimal amount such as 98.76' }),
]);

export const amountSchema = z
  .looseObject({
    option: z.enum(amountOptions),
    currency: currencySchema,
    total: amountTotalSchema,
  })
  .superRefine((amount, ctx) => {
    // Only a well-formed total in a known currency can be too fine; other cases have their issue.
    if (!isCurrencyCode(amount.currency) || decimalText(amount.total) === undefined) return;
    if (toMinorUnits(amount.total, amount.currency) === undefined) {
      const exponent = currencyMinorUnits(amount.currency);
      ctx.addIssue(
        customIssue(
          `has more decimal places than ${amount.currency} allows (${exponent})`,
          ['total'],
          'value',
        ),
      );
    }
  });
export type Amount = z.infer<typeof amountSchema>;

// --- POST /ops/v1/transactions ------------------------------------------------------------------

/** A service id as Samsung issues them (`dcc1cbb25d6a470bb42926`); only the size is checked here. */
export const serviceIdSchema = z.string().min(1).max(64);

/**
 * The create-transaction body [impl]. `callback` may hold a `{refId}` placeholder [seed]. Sizes
 * of `orderNumber` and merchant fields are ours (the real limits are not public). `merchant.url`
 * is free text: real integrations send bare domains (`virtualshop.com`).
 */
export const createTransactionRequestSchema = z.looseObject({
  callback: httpUrlSchema,
  paymentDetails: z.looseObject({
    service: z.looseObject({ id: serviceIdSchema }),
    orderNumber: z.string().min(1).max(64),
    recurring: z.boolean().optional(),
    protocol: z.looseObject({ type: z.literal('3DS'), version: z.literal('80') }),
    amount: amountSchema,
    merchant: z.looseObject({
      name: z.string().min(1).max(128),
      url: z.string().max(STRING_MAX_LENGTH).optional(),
      reference: z.string().max(128).optional(),
    }),
    allowedBrands: z.array(z.enum(cardBrands)).min(1),
  }),
});
export type CreateTransactionRequest = z.infer<typeof createTransactionRequestSchema>;

const hexSchema = z.string().regex(/^[0-9a-fA-F]+$/, { error: 'must be hexadecimal' });

/** `encInfo`: the RSA public key the JS SDK encrypts transactionId and serviceId with. */
export const encInfoSchema = z.looseObject({
  mod: hexSchema,
  exp: hexSchema,
  keyId: z.string().min(1),
});
export type EncInfo = z.infer<typeof encInfoSchema>;

/** The create-transaction answer: `id` (22 hex on the real service), checkout UI `href`, `encInfo`. */
export const createTransactionResponseSchema = z.looseObject({
  resultCode: z.literal('0'),
  resultMessage: z.string(),
  id: z.string().min(1),
  href: httpUrlSchema,
  encInfo: encInfoSchema,
});
export type CreateTransactionResponse = z.infer<typeof createTransactionResponseSchema>;

// --- GET /ops/v1/transactions/paymentCredentials/{referenceId}?serviceId= -----------------------

export const referenceIdSchema = z.string().min(1).max(64);

export const getPaymentCredentialsParamsSchema = z.looseObject({ referenceId: referenceIdSchema });
export const getPaymentCredentialsQuerySchema = z.looseObject({ serviceId: serviceIdSchema });

/** `3DS` of the credentials answer: always `type: "S"`, `version: "100"` [real]. */
export const CREDENTIAL_3DS_TYPE = 'S';
export const CREDENTIAL_3DS_VERSION = '100';

export const credential3dsSchema = z.looseObject({
  type: z.string(),
  version: z.string(),
  data: z.string().min(1),
});

/** The credentials answer [real]; `3DS.data` is the JWE of PROTOCOLS.md 4.2. */
export const getPaymentCredentialsResponseSchema = z.looseObject({
  resultCode: z.literal('0'),
  resultMessage: z.string(),
  method: z.string(),
  card_brand: z.string(),
  card_last4digits: z.string().regex(/^[0-9]{4}$/, { error: 'must be 4 digits' }),
  '3DS': credential3dsSchema,
  wallet_dm_id: z.string().optional(),
});
export type GetPaymentCredentialsResponse = z.infer<typeof getPaymentCredentialsResponseSchema>;

/**
 * The JWE plaintext (PROTOCOLS.md 4.2) [real]: all strings. `amount` in minor units, `utc` epoch
 * ms, `tokenPanExpiration` MMYY, `cryptogram` base64; `eci_indicator` is "05"/"07" for Visa, "5"
 * or absent for Mastercard. Member order varies by brand and must not matter.
 */
export const credentialPayloadSchema = z.looseObject({
  amount: z.string().regex(/^[0-9]{1,18}$/, { error: 'must be digits (minor units)' }),
  currency_code: z.string().regex(/^[A-Z]{3}$/, { error: 'must be an ISO 4217 code' }),
  utc: z.string().regex(/^[0-9]{1,16}$/, { error: 'must be epoch milliseconds as digits' }),
  eci_indicator: z
    .string()
    .regex(/^[0-9]{1,2}$/, { error: 'must be 1 or 2 digits' })
    .optional(),
  tokenPAN: z.string().regex(/^[0-9]{12,19}$/, { error: 'must be 12 to 19 digits' }),
  tokenPanExpiration: z.string().regex(/^(0[1-9]|1[0-2])[0-9]{2}$/, { error: 'must be MMYY' }),
  cryptogram: z
    .string()
    .min(1)
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, { error: 'must be base64' }),
});
export type CredentialPayload = z.infer<typeof credentialPayloadSchema>;

// --- POST /ops/v1/notifications -----------------------------------------------------------------

/** Payment result statuses [seed]; `CANCELLED` is how some clients spell `CANCELED` [impl]. */
export const paymentStatuses = ['CHARGED', 'CANCELED', 'CANCELLED', 'REJECTED', 'TIMEOUT', 'ERRED'] as const;
export type PaymentStatus = (typeof paymentStatuses)[number];
export type NormalizedPaymentStatus = Exclude<PaymentStatus, 'CANCELLED'>;

/** `CANCELLED` → `CANCELED`; the other statuses stay. */
export function normalizePaymentStatus(status: PaymentStatus): NormalizedPaymentStatus {
  return status === 'CANCELLED' ? 'CANCELED' : status;
}

/** The notification body [impl]: the result of the payment the partner made with the credentials. */
export const paymentNotificationSchema = z.looseObject({
  payment: z.looseObject({
    service: z.looseObject({ id: serviceIdSchema }),
    reference: referenceIdSchema,
    status: z.enum(paymentStatuses),
    provider: z.string().max(128).optional(),
    merchant: z.looseObject({}).optional(),
  }),
  timestamp: z.int().min(0).optional(),
});
export type PaymentNotification = z.infer<typeof paymentNotificationSchema>;

/** HTTP status of a successful notification [impl]. */
export const NOTIFICATION_SUCCESS_STATUS = 201;

// --- Checkout UI form POST (PROTOCOLS.md 4.3) ---------------------------------------------------

/** Countries (and UI languages) of the checkout page [seed]; the seed spells one `It_ch`. */
export const checkoutCountryCodes = [
  'en_ae',
  'ae_ae',
  'au',
  'br',
  'de_ch',
  'en_ch',
  'fr_ch',
  'it_ch',
  'hk',
  'my',
  'ru',
  'se',
  'sg',
  'tw',
  'uk',
  'us',
  'vn',
] as const;
export type CheckoutCountryCode = (typeof checkoutCountryCodes)[number];

/** The listed code for `value` in any case (`It_ch` → `it_ch`), or undefined. */
export function toCheckoutCountryCode(value: string): CheckoutCountryCode | undefined {
  const lower = value.toLowerCase();
  return (checkoutCountryCodes as readonly string[]).includes(lower)
    ? (lower as CheckoutCountryCode)
    : undefined;
}

/** Field names of the form the real SDK posts, in its order. */
export const checkoutFormFields = [
  'domains',
  'myOrigin',
  'transactionId',
  'href',
  'serviceId',
  'callbackUrl',
  'cancelUrl',
  'countryCode',
  'isWindow',
  'mod',
  'exp',
  'keyId',
] as const;
export type CheckoutFormField = (typeof checkoutFormFields)[number];

/** Paths of the checkout UI under `href` [impl]: mobile for Android + Mobile user agents. */
export const CHECKOUT_PC_PATH = 'pc_gsmpi/index.do';
export const CHECKOUT_MOBILE_PATH = 'm_gsmpi/mobileIndex.do';

const FORM_VALUE_MAX_LENGTH = 8192;

// The SDK URL-encodes each value and the form encodes it again; the body parser undoes the
// second, this undoes the first.
const encodedOnce = z
  .string()
  .max(FORM_VALUE_MAX_LENGTH)
  .transform((value, ctx) => {
    try {
      return decodeURIComponent(value);
    } catch {
      ctx.addIssue(customIssue('is not valid URL encoding', [], 'format'));
      return z.NEVER;
    }
  });

/** A form value the SDK encoded once more, decoded and then checked by `inner`. */
export const decoded = <T extends z.ZodType<unknown, string>>(inner: T) => encodedOnce.pipe(inner);

/**
 * The checkout form POST as the body parser hands it over (decoded once). Parsing decodes each
 * value the second time and checks it; the output holds plain values, `countryCode` in lower
 * case. `transactionId` and `serviceId` are the SDK's RSA PKCS#1 v1.5 ciphertexts in hex.
 */
export const checkoutFormSchema = z.looseObject({
  domains: decoded(z.string()).optional(),
  myOrigin: decoded(z.string()).optional(),
  transactionId: decoded(hexSchema),
  href: decoded(httpUrlSchema),
  serviceId: decoded(hexSchema),
  callbackUrl: decoded(httpUrlSchema),
  cancelUrl: decoded(httpUrlSchema),
  countryCode: decoded(
    z.string().transform((value, ctx) => {
      const code = toCheckoutCountryCode(value);
      if (code === undefined) {
        ctx.addIssue(customIssue(`must be one of: ${checkoutCountryCodes.join(', ')}`, [], 'value'));
        return z.NEVER;
      }
      return code;
    }),
  ),
  isWindow: decoded(z.string()).optional(),
  mod: decoded(hexSchema),
  exp: decoded(hexSchema),
  keyId: decoded(z.string().min(1)),
});
/** The form as posted (values encoded once). */
export type CheckoutFormInput = z.input<typeof checkoutFormSchema>;
/** The form after parsing (plain values). */
export type CheckoutForm = z.output<typeof checkoutFormSchema>;
