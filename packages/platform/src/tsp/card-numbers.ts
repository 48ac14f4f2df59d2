// Card numbers of the simulated token service: the Luhn check, brand detection by BIN, token PANs
// in the sandbox token BIN ranges, the documented test PANs and the magic PANs that force
// failures. Every number here is listed in docs/token-service.md; a test keeps the two in step.
import { randomInt } from 'node:crypto';

/** The networks the sandbox tokenizes, by the two-letter codes Web Checkout uses (VI, MC, ...). */
export const cardBrands = ['VI', 'MC', 'AX', 'DS'] as const;
export type CardBrand = (typeof cardBrands)[number];
/** A token issued for an opaque issuerBlob, whose funding card the sandbox cannot read. */
export type TokenBrand = CardBrand | 'UNKNOWN';

export const brandNames: Record<TokenBrand, string> = {
  VI: 'Visa',
  MC: 'Mastercard',
  AX: 'American Express',
  DS: 'Discover',
  UNKNOWN: 'Unknown network',
};

/** Whether `digits` (digits only) passes the Luhn (mod 10) check. */
export function luhnValid(digits: string): boolean {
  if (!/^[0-9]{2,}$/.test(digits)) return false;
  return luhnCheckDigit(digits.slice(0, -1)) === digits.slice(-1);
}

/** The Luhn check digit to append to `body` (digits only). */
export function luhnCheckDigit(body: string): string {
  if (!/^[0-9]+$/.test(body)) throw new TypeError('body must be digits');
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    // Doubling starts at the rightmost digit of the body (the check digit will sit right of it).
    let d = body.charCodeAt(body.length - 1 - i) - 48;
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

const panLengths: Record<CardBrand, readonly number[]> = {
  VI: [13, 16, 19],
  MC: [16],
  AX: [15],
  DS: [16, 17, 18, 19],
};

/**
 * The network of a PAN by its BIN: Visa 4; Mastercard 51-55 and 2221-2720; American Express 34
 * and 37; Discover 6011, 644-649, 65 and 622126-622925 (China UnionPay co-branded). Undefined for
 * other prefixes and for lengths the network does not issue.
 */
export function detectBrand(pan: string): CardBrand | undefined {
  if (!/^[0-9]{12,19}$/.test(pan)) return undefined;
  const p2 = Number(pan.slice(0, 2));
  const p3 = Number(pan.slice(0, 3));
  const p4 = Number(pan.slice(0, 4));
  const p6 = Number(pan.slice(0, 6));
  let brand: CardBrand | undefined;
  if (pan.startsWith('4')) brand = 'VI';
  else if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) brand = 'MC';
  else if (p2 === 34 || p2 === 37) brand = 'AX';
  else if (p4 === 6011 || p2 === 65 || (p3 >= 644 && p3 <= 649) || (p6 >= 622126 && p6 <= 622925))
    brand = 'DS';
  return brand && panLengths[brand].includes(pan.length) ? brand : undefined;
}

/** Last four digits, for display (never more of a PAN leaves the token service). */
export function last4(pan: string): string {
  return pan.slice(-4);
}

/**
 * Sandbox token BIN ranges (ours: networks do not publish theirs). A token PAN is the prefix,
 * random digits and a Luhn check digit. The VI and MC prefixes are those of tokens on real
 * Samsung Pay credentials (PROTOCOLS.md 4.2 vectors), so minted credentials look like real ones.
 */
export const tokenBinRanges: Record<TokenBrand, { prefix: string; length: number }> = {
  VI: { prefix: '489537', length: 16 },
  MC: { prefix: '521415', length: 16 },
  AX: { prefix: '374200', length: 15 },
  DS: { prefix: '601199', length: 16 },
  // MII 9 (national use): never a real network's card.
  UNKNOWN: { prefix: '999000', length: 16 },
};

/** A fresh, Luhn-valid token PAN in the brand's sandbox token range (uniqueness is the store's job). */
export function generateTokenPan(brand: TokenBrand): string {
  const { prefix, length } = tokenBinRanges[brand];
  let body = prefix;
  while (body.length < length - 1) body += String(randomInt(10));
  return body + luhnCheckDigit(body);
}

/** Whether a PAN lies in a sandbox token range: a token is not a funding card. */
export function isTokenPan(pan: string): boolean {
  return Object.values(tokenBinRanges).some((r) => pan.length === r.length && pan.startsWith(r.prefix));
}

/**
 * Documented test PANs per brand: Luhn-valid numbers widely used as test cards, which the virtual
 * wallet's "add a test card" picks from. They tokenize and pay normally.
 */
export const testPans: Record<CardBrand, readonly string[]> = {
  VI: ['4111111111111111', '4242424242424242', '4012888888881881', '4000056655665556'],
  MC: ['5555555555554444', '5105105105105100', '2223003122003222', '5200828282828210'],
  AX: ['378282246310005', '371449635398431', '378734493671000'],
  DS: ['6011111111111117', '6011000990139424', '6445644564456445'],
};

/** What a magic PAN forces. */
export type MagicOutcome =
  /** Tokenization is declined (result DECLINED). */
  | 'TOKENIZATION_DECLINED'
  /** The issuer reports the card expired, whatever its expiry date (result CARD_EXPIRED). */
  | 'CARD_EXPIRED'
  /** Tokenizes; every payment is declined with INSUFFICIENT_FUNDS at cryptogram validation. */
  | 'INSUFFICIENT_FUNDS'
  /** Tokenizes; every payment is declined with DO_NOT_HONOR at cryptogram validation. */
  | 'PAYMENT_DECLINED';

/** Outcomes that decline payments (at the acquirer's cryptogram validation), not tokenization. */
export const paymentDeclineOutcomes = ['INSUFFICIENT_FUNDS', 'PAYMENT_DECLINED'] as const;
export type PaymentDeclineOutcome = (typeof paymentDeclineOutcomes)[number];

/**
 * Magic PANs: per brand, a prefix of zeros after the network digits, then an outcome code and the
 * Luhn digit. Codes: 00 tokenization declined, 06 card expired, 99 insufficient funds, 11 payment
 * declined (the Visa ones match the well-known 4000000000000002 / …0069 style).
 */
export const magicPans: Record<CardBrand, Readonly<Record<MagicOutcome, string>>> = {
  VI: {
    TOKENIZATION_DECLINED: '4000000000000002',
    CARD_EXPIRED: '4000000000000069',
    INSUFFICIENT_FUNDS: '4000000000000994',
    PAYMENT_DECLINED: '4000000000000119',
  },
  MC: {
    TOKENIZATION_DECLINED: '5100000000000008',
    CARD_EXPIRED: '5100000000000065',
    INSUFFICIENT_FUNDS: '5100000000000990',
    PAYMENT_DECLINED: '5100000000000115',
  },
  AX: {
    TOKENIZATION_DECLINED: '340000000000009',
    CARD_EXPIRED: '340000000000066',
    INSUFFICIENT_FUNDS: '340000000000991',
    PAYMENT_DECLINED: '340000000000116',
  },
  DS: {
    TOKENIZATION_DECLINED: '6011000000000004',
    CARD_EXPIRED: '6011000000000061',
    INSUFFICIENT_FUNDS: '6011000000000996',
    PAYMENT_DECLINED: '6011000000000111',
  },
};

const magicByPan = new Map<string, MagicOutcome>(
  Object.values(magicPans).flatMap((byOutcome) =>
    Object.entries(byOutcome).map(([outcome, pan]) => [pan, outcome as MagicOutcome] as const),
  ),
);

/** The failure a magic PAN forces; undefined for every other PAN. */
export function magicOutcome(pan: string): MagicOutcome | undefined {
  return magicByPan.get(pan);
}

/** Whether a PAN is one of the documented test or magic PANs. */
export function isDocumentedTestPan(pan: string): boolean {
  return magicByPan.has(pan) || Object.values(testPans).some((list) => list.includes(pan));
}
