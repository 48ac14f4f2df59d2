// SamsungPay.connect for the browser: the real Web Checkout JS SDK's signature and behaviour
// (PROTOCOLS.md 4.3) without jQuery. Encrypts transactionId and serviceId with the encInfo RSA key
// (PKCS#1 v1.5, lowercase hex), picks the mobile or PC checkout path, and makes a top-level form
// POST with the SDK's fields, each value URL-encoded once (the form encodes it again).
// Served by the platform at /gsmpi/sdk/samsungpay_web_sdk.js.

/**
 * Field names of the form, in the SDK's order. A copy of @cardport/protocol's list (a test keeps
 * them equal): importing the protocol package would bundle zod into every partner page.
 */
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

const ZERO = BigInt(0);
const ONE = BigInt(1);
const EIGHT = BigInt(8);

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = ONE;
  let b = base % modulus;
  let e = exponent;
  while (e > ZERO) {
    if (e & ONE) result = (result * b) % modulus;
    b = (b * b) % modulus;
    e >>= ONE;
  }
  return result;
}

function randomNonZeroBytes(count: number): Uint8Array {
  const out = new Uint8Array(count);
  let filled = 0;
  while (filled < count) {
    const chunk = new Uint8Array(count);
    crypto.getRandomValues(chunk);
    for (let i = 0; i < chunk.length && filled < count; i++) {
      const byte = chunk[i] ?? 0;
      if (byte !== 0) out[filled++] = byte;
    }
  }
  return out;
}

/**
 * RSAES-PKCS1-v1_5 encryption of `text` (UTF-8) with the public key (mod, exp in hex), as
 * lowercase hex of the modulus length.
 */
export function rsaEncryptHex(text: string, modHex: string, expHex: string): string {
  const n = BigInt(`0x${modHex}`);
  const e = BigInt(`0x${expHex}`);
  let bits = 0;
  for (let v = n; v > ZERO; v >>= ONE) bits++;
  const k = Math.ceil(bits / 8);
  const message = new TextEncoder().encode(text);
  if (message.length > k - 11) throw new RangeError('message too long for the RSA key');
  const block = new Uint8Array(k);
  block[1] = 0x02;
  block.set(randomNonZeroBytes(k - message.length - 3), 2);
  block.set(message, k - message.length);
  let m = ZERO;
  for (const byte of block) m = (m << EIGHT) | BigInt(byte);
  return modPow(m, e, n)
    .toString(16)
    .padStart(2 * k, '0');
}

/** The real SDK's choice: the mobile checkout for Android phones, the PC one otherwise. */
export function checkoutPath(userAgent: string): string {
  return /Android/.test(userAgent) && /Mobile/.test(userAgent)
    ? 'm_gsmpi/mobileIndex.do'
    : 'pc_gsmpi/index.do';
}

/** The form fields `connect` posts (values encoded once, as the real SDK does). */
export function connectFields(
  args: {
    transactionId: string;
    href: string;
    serviceId: string;
    callbackUrl: string;
    cancelUrl: string;
    countryCode: string;
    mod: string;
    exp: string;
    keyId: string;
  },
  page: { hostname: string; origin: string },
): Record<(typeof checkoutFormFields)[number], string> {
  const values = {
    domains: page.hostname,
    myOrigin: page.origin,
    transactionId: rsaEncryptHex(args.transactionId, args.mod, args.exp),
    href: args.href,
    serviceId: rsaEncryptHex(args.serviceId, args.mod, args.exp),
    callbackUrl: args.callbackUrl,
    cancelUrl: args.cancelUrl,
    countryCode: args.countryCode,
    isWindow: 'N',
    mod: args.mod,
    exp: args.exp,
    keyId: args.keyId,
  };
  const out = {} as Record<(typeof checkoutFormFields)[number], string>;
  for (const name of checkoutFormFields) out[name] = encodeURIComponent(values[name]);
  return out;
}

/**
 * Opens the Samsung Pay checkout: the arguments come from your create-transaction answer
 * (`id`, `href`, `encInfo.mod`, `encInfo.exp`, `encInfo.keyId`) and your service settings.
 *
 * @example
 *   SamsungPay.connect(tx.id, tx.href, serviceId, callbackUrl, cancelUrl, 'us',
 *     tx.encInfo.mod, tx.encInfo.exp, tx.encInfo.keyId);
 */
export function connect(
  transactionId: string,
  href: string,
  serviceId: string,
  callbackUrl: string,
  cancelUrl: string,
  countryCode: string,
  mod: string,
  exp: string,
  keyId: string,
): void {
  const fields = connectFields(
    { transactionId, href, serviceId, callbackUrl, cancelUrl, countryCode, mod, exp, keyId },
    { hostname: window.location.hostname, origin: window.location.origin },
  );
  const form = document.createElement('form');
  form.method = 'POST';
  form.action = href + checkoutPath(navigator.userAgent);
  form.style.display = 'none';
  for (const name of checkoutFormFields) {
    const input = document.createElement('input');
    input.type = 'hidden';
    input.name = name;
    input.value = fields[name];
    form.appendChild(input);
  }
  document.body.appendChild(form);
  form.submit();
}

export const SamsungPay = { connect };

declare global {
  interface Window {
    SamsungPay?: typeof SamsungPay;
  }
}

if (typeof window !== 'undefined') window.SamsungPay = SamsungPay;
