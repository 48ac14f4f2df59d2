// Test helpers for Web Checkout: an onboarded partner with a checkout service and its merchant
// key, and the form POST exactly as the real JS SDK makes it (RSA PKCS#1 v1.5 hex, URL-encoded
// twice).
import { constants, createPrivateKey, createPublicKey, type KeyObject, publicEncrypt } from 'node:crypto';
import { checkoutFormFields } from '@cardport/protocol';
import { generateKeyAndCsr } from '../core/pki.ts';
import type { CheckoutService } from '../partners/service.ts';
import { createService } from '../partners/service.ts';
import { onboardTestPartner, type TestPartner, type TestPlatform } from '../testing/index.ts';

export interface CheckoutPartner {
  partner: TestPartner;
  service: CheckoutService;
  merchantPrivateKey: KeyObject;
}

/** A partner with one checkout service for `domains` (default `shop.example`). */
export async function onboardCheckoutPartner(
  platform: TestPlatform,
  opts: { domains?: string[]; healthUrl?: string; allowIps?: string[] } = {},
): Promise<CheckoutPartner> {
  const partner = await onboardTestPartner(platform, {
    name: 'Test shop',
    ...(opts.allowIps ? { allowIps: opts.allowIps } : {}),
  });
  const merchant = await generateKeyAndCsr({ commonName: 'Test shop merchant' });
  const service = await createService(platform.app.ctx, {
    partnerId: partner.partnerId,
    name: 'Test shop checkout',
    csrPem: merchant.csrPem,
    domains: opts.domains ?? ['shop.example'],
    ...(opts.healthUrl ? { healthUrl: opts.healthUrl } : {}),
  });
  return { partner, service, merchantPrivateKey: createPrivateKey(merchant.privateKeyPem) };
}

export function createTransactionBody(serviceId: string, overrides: Record<string, unknown> = {}) {
  return {
    callback: 'https://shop.example/checkout/done?order=42',
    paymentDetails: {
      service: { id: serviceId },
      orderNumber: 'order-42',
      recurring: false,
      protocol: { type: '3DS', version: '80' },
      amount: { option: 'FORMAT_TOTAL_ESTIMATED_AMOUNT', currency: 'USD', total: 98.76 },
      merchant: { name: 'Test Shop', url: 'shop.example', reference: 'ref-1' },
      allowedBrands: ['VI', 'MC'],
    },
    ...overrides,
  };
}

/** RSA PKCS#1 v1.5 of `text` under the encInfo key, as lowercase hex (what the JS SDK sends). */
export function encryptForCheckout(text: string, mod: string, exp: string): string {
  const key = createPublicKey({
    key: {
      kty: 'RSA',
      n: Buffer.from(mod, 'hex').toString('base64url'),
      e: Buffer.from(exp.length % 2 ? `0${exp}` : exp, 'hex').toString('base64url'),
    },
    format: 'jwk',
  });
  return publicEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, Buffer.from(text, 'utf8')).toString(
    'hex',
  );
}

export interface SdkFormInput {
  transactionId: string;
  href: string;
  serviceId: string;
  callbackUrl: string;
  cancelUrl: string;
  countryCode: string;
  mod: string;
  exp: string;
  keyId: string;
  origin?: string;
  /** Replaces the ciphertexts (interop tests bring their own). */
  encrypted?: { transactionId: string; serviceId: string };
}

/** The urlencoded body of the SDK's form POST: every value encoded by the SDK, then by the form. */
export function sdkFormBody(input: SdkFormInput): string {
  const origin = input.origin ?? 'https://shop.example';
  const values: Record<(typeof checkoutFormFields)[number], string> = {
    domains: new URL(origin).hostname,
    myOrigin: origin,
    transactionId:
      input.encrypted?.transactionId ?? encryptForCheckout(input.transactionId, input.mod, input.exp),
    href: input.href,
    serviceId: input.encrypted?.serviceId ?? encryptForCheckout(input.serviceId, input.mod, input.exp),
    callbackUrl: input.callbackUrl,
    cancelUrl: input.cancelUrl,
    countryCode: input.countryCode,
    isWindow: 'N',
    mod: input.mod,
    exp: input.exp,
    keyId: input.keyId,
  };
  return checkoutFormFields
    .map((name) => `${name}=${encodeURIComponent(encodeURIComponent(values[name]))}`)
    .join('&');
}
