// What the Web Checkout service accepts beyond its documented contract (issue 8,
// docs/compatibility.md): the create-transaction body real integrations send, and the checkout
// form's country codes. Each deviation is normalised to the documented form and reported as a
// warning; what cannot be normalised without changing its meaning is left for the documented
// schema to refuse. No I/O.
import { z } from 'zod';
import { isHttpUrl, URL_MAX_LENGTH } from './data-types.ts';
import { parseWire } from './validation.ts';
import { isRecord, type LenientParseResult, type WireWarning, wireWarning } from './warnings.ts';
import {
  amountOptions,
  type CardBrand,
  type CheckoutCountryCode,
  type CheckoutForm,
  cardBrands,
  checkoutCountryCodes,
  checkoutFormSchema,
  createTransactionRequestSchema,
  decoded,
  type paymentStatuses,
  toCheckoutCountryCode,
} from './web-checkout.ts';

/** `amount.option` when none is sent: what the staging-accepted body shows in the wallet [impl]. */
export const DEFAULT_AMOUNT_OPTION = 'FORMAT_TOTAL_ESTIMATED_AMOUNT';
/** The checkout page's language when the form's countryCode is not one of the 17 [ours]. */
export const DEFAULT_CHECKOUT_COUNTRY_CODE: CheckoutCountryCode = 'us';

/**
 * Other spellings of the brand codes (upper-cased before lookup). `VIS` is sent by a real
 * integration [impl, PROTOCOLS.md 4.1]; the full names are the card schemes' own names [ours].
 */
export const cardBrandAliases: Readonly<Record<string, CardBrand>> = {
  VIS: 'VI',
  VISA: 'VI',
  MASTER: 'MC',
  MASTERCARD: 'MC',
  AMEX: 'AX',
  AMERICANEXPRESS: 'AX',
  DISCOVER: 'DS',
};

/** A brand code as documented (`VI`), from a documented code or a known alias; else undefined. */
export function toCardBrand(value: unknown): CardBrand | undefined {
  if (typeof value !== 'string') return undefined;
  if ((cardBrands as readonly string[]).includes(value)) return value as CardBrand;
  const key = value.toUpperCase().replace(/[\s_-]/g, '');
  if ((cardBrands as readonly string[]).includes(key)) return key as CardBrand;
  return cardBrandAliases[key];
}

/**
 * The create-transaction body the platform works with: the documented one, except `callback`,
 * which may be any string (the JS SDK's connect() carries the callback the browser goes to).
 */
export const acceptedCreateTransactionSchema = createTransactionRequestSchema.extend({
  callback: z.string().max(URL_MAX_LENGTH),
});
export type AcceptedCreateTransaction = z.infer<typeof acceptedCreateTransactionSchema>;

const BRANDS_DOC = `a list of ${cardBrands.join(', ')}`;

function normaliseBrands(
  list: unknown,
  path: string,
  warnings: WireWarning[],
  reportAliases: boolean,
): unknown {
  if (!Array.isArray(list)) return list;
  return list.map((brand, i) => {
    const code = toCardBrand(brand);
    if (code === undefined || code === brand) return brand;
    if (reportAliases) {
      warnings.push(
        wireWarning('BRAND_ALIAS', `${path}[${i}]`, brand, `one of ${cardBrands.join(', ')}`, 'value'),
      );
    }
    return code;
  });
}

/**
 * Parses a create-transaction body leniently (PROTOCOLS.md 4.1 "What real clients send"):
 * `allowedBrands` absent → `brands` if sent, else every brand; brand aliases (`VIS` → `VI`);
 * `amount.option` absent → FORMAT_TOTAL_ESTIMATED_AMOUNT; `callback` not a URL; `total` with a
 * trailing point (`"1500."`); lower-case currency; `protocol` absent or its version a number.
 */
export function parseCreateTransactionLenient(input: unknown): LenientParseResult<AcceptedCreateTransaction> {
  const warnings: WireWarning[] = [];
  let value = input;
  if (isRecord(input)) {
    const body: Record<string, unknown> = { ...input };
    value = body;
    const callback = body['callback'];
    // Only the value is relaxed: the real service was seen accepting "0", not an absent callback.
    if (typeof callback === 'number' || (typeof callback === 'string' && !isHttpUrl(callback))) {
      warnings.push(
        wireWarning('CALLBACK_NOT_URL', 'callback', callback, 'an absolute http or https URL', 'value'),
      );
      body['callback'] = String(callback);
    }
    if (isRecord(body['paymentDetails'])) {
      const details: Record<string, unknown> = { ...body['paymentDetails'] };
      body['paymentDetails'] = details;
      if (details['allowedBrands'] !== undefined) {
        details['allowedBrands'] = normaliseBrands(
          details['allowedBrands'],
          'paymentDetails.allowedBrands',
          warnings,
          true,
        );
      } else if (details['brands'] !== undefined) {
        warnings.push(
          wireWarning(
            'BRANDS_FIELD_NAME',
            'paymentDetails.allowedBrands',
            details['brands'],
            `paymentDetails.allowedBrands: ${BRANDS_DOC} (not "brands")`,
            'missing',
          ),
        );
        details['allowedBrands'] = normaliseBrands(
          details['brands'],
          'paymentDetails.brands',
          warnings,
          true,
        );
      } else {
        warnings.push(
          wireWarning(
            'ALLOWED_BRANDS_MISSING',
            'paymentDetails.allowedBrands',
            undefined,
            `paymentDetails.allowedBrands: ${BRANDS_DOC}; taken as all of them`,
            'missing',
          ),
        );
        details['allowedBrands'] = [...cardBrands];
      }
      if (details['protocol'] === undefined) {
        warnings.push(
          wireWarning(
            'PROTOCOL_MISSING',
            'paymentDetails.protocol',
            undefined,
            '{"type":"3DS","version":"80"}; taken as that',
            'missing',
          ),
        );
        details['protocol'] = { type: '3DS', version: '80' };
      } else if (isRecord(details['protocol']) && typeof details['protocol']['version'] === 'number') {
        const version = details['protocol']['version'];
        warnings.push(
          wireWarning(
            'PROTOCOL_VERSION_NUMBER',
            'paymentDetails.protocol.version',
            version,
            'the string "80"',
            'type',
          ),
        );
        details['protocol'] = { ...details['protocol'], version: String(version) };
      }
      if (isRecord(details['amount'])) {
        const amount: Record<string, unknown> = { ...details['amount'] };
        details['amount'] = amount;
        if (amount['option'] === undefined) {
          warnings.push(
            wireWarning(
              'AMOUNT_OPTION_MISSING',
              'paymentDetails.amount.option',
              undefined,
              `one of ${amountOptions.join(', ')}; taken as ${DEFAULT_AMOUNT_OPTION}`,
              'missing',
            ),
          );
          amount['option'] = DEFAULT_AMOUNT_OPTION;
        }
        const currency = amount['currency'];
        if (
          typeof currency === 'string' &&
          /^[a-z]{3}$/i.test(currency) &&
          currency !== currency.toUpperCase()
        ) {
          warnings.push(
            wireWarning(
              'CURRENCY_CASE',
              'paymentDetails.amount.currency',
              currency,
              'an ISO 4217 code in upper case',
              'format',
            ),
          );
          amount['currency'] = currency.toUpperCase();
        }
        const total = amount['total'];
        if (typeof total === 'string' && /^[0-9]{1,15}\.$/.test(total)) {
          warnings.push(
            wireWarning(
              'AMOUNT_TRAILING_POINT',
              'paymentDetails.amount.total',
              total,
              'a decimal amount such as 1500 or 98.76 (no trailing point)',
              'format',
            ),
          );
          amount['total'] = total.slice(0, -1);
        }
      }
    }
  }
  const parsed = parseWire(acceptedCreateTransactionSchema, value);
  if (!parsed.ok) return { ok: false, issues: parsed.issues };
  return { ok: true, value: parsed.value, warnings };
}

/**
 * The checkout form's `countryCode` (PROTOCOLS.md 4.3): a listed code in any case, else the
 * default language with a warning. The page must start: a code outside the 17 only picks the UI
 * language [impl: `ch_en`, `FR`, `DE` are sent by real integrations].
 */
export function checkoutCountryCodeLenient(value: unknown): {
  code: CheckoutCountryCode;
  warning?: WireWarning;
} {
  const code = typeof value === 'string' ? toCheckoutCountryCode(value) : undefined;
  if (code !== undefined) return { code };
  return {
    code: DEFAULT_CHECKOUT_COUNTRY_CODE,
    warning: wireWarning(
      'COUNTRY_CODE_UNLISTED',
      'countryCode',
      value === '' ? undefined : value,
      `one of ${checkoutCountryCodes.join(', ')}; the page falls back to ${DEFAULT_CHECKOUT_COUNTRY_CODE}`,
      value === undefined || value === '' ? 'missing' : 'value',
    ),
  };
}

/**
 * A notification's `payment.status` spelled `CANCELLED` (PROTOCOLS.md 4.1 [impl]): accepted as
 * `CANCELED`, with a warning; undefined for the documented statuses.
 */
export function paymentStatusWarning(status: (typeof paymentStatuses)[number]): WireWarning | undefined {
  if (status !== 'CANCELLED') return undefined;
  return wireWarning(
    'PAYMENT_STATUS_SPELLING',
    'payment.status',
    status,
    'one of CHARGED, CANCELED, REJECTED, TIMEOUT, ERRED',
    'value',
  );
}

/** The checkout form with `countryCode` as posted (decoded); {@link parseCheckoutFormLenient} picks the language. */
const checkoutFormAnyCountrySchema = checkoutFormSchema.extend({
  countryCode: decoded(z.string()).optional(),
});

/**
 * Parses the checkout form POST (PROTOCOLS.md 4.3) like {@link checkoutFormSchema}, except that a
 * `countryCode` outside the 17 falls back to the default language with a warning.
 */
export function parseCheckoutFormLenient(input: unknown): LenientParseResult<CheckoutForm> {
  const parsed = parseWire(checkoutFormAnyCountrySchema, input);
  if (!parsed.ok) return { ok: false, issues: parsed.issues };
  const { code, warning } = checkoutCountryCodeLenient(parsed.value.countryCode);
  return { ok: true, value: { ...parsed.value, countryCode: code }, warnings: warning ? [warning] : [] };
}
