// Shapes of the token service: zod schemas for every input (shared by the service, the routes and
// the OpenAPI document) and the types of what it returns.
import { z } from 'zod';
import { cardBrands } from './card-numbers.ts';

const id = z.string().min(1, 'required').max(256, 'at most 256 characters');

export const tokenizeIssuerBlobInput = z.strictObject({
  /** Checked by the token service itself: anything unreadable is the result UNREADABLE_BLOB. */
  issuerBlob: z.string(),
  deviceId: id,
  walletId: id,
  /** The partner opted in to issuer-specific blobs: accept them as cards of an unknown network. */
  acceptOpaqueBlobs: z.boolean(),
  /** A name for the card holder when the blob carries none (opaque blobs never do). */
  cardholderHint: z.string().trim().min(1).max(256).optional(),
});
export type TokenizeIssuerBlobInput = z.input<typeof tokenizeIssuerBlobInput>;

const expMonth = z.number().int().min(1, 'from 1 to 12').max(12, 'from 1 to 12');
const expYear = z.number().int().min(2000, 'a four-digit year').max(2099, 'a four-digit year');

export const addTestCardInput = z.strictObject({
  walletId: id,
  deviceId: id,
  brand: z.enum(cardBrands),
  /** One of the documented test or magic PANs of that brand; the first free test PAN when absent. */
  pan: z
    .string()
    .regex(/^[0-9]{12,19}$/, '12 to 19 digits')
    .optional(),
  expMonth: expMonth.optional(),
  expYear: expYear.optional(),
  cardholderName: z.string().trim().min(1).max(256).optional(),
});
export type AddTestCardInput = z.input<typeof addTestCardInput>;

/** Minor units as a string of digits (PROTOCOLS.md 4.2: `amount` is all-string, minor units). */
export const amountMinor = z
  .string()
  .regex(/^[0-9]{1,18}$/, 'minor units as a string of at most 18 digits')
  // "0100" and "100" are one amount: the cryptogram binds the canonical form.
  .transform((a) => BigInt(a).toString());
export const currency = z
  .string()
  .regex(/^[A-Za-z]{3}$/, 'an ISO 4217 code of three letters')
  .transform((c) => c.toUpperCase());
export const merchantRef = z.string().min(1, 'required').max(256, 'at most 256 characters');
const epochMs = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
/** Epoch ms as a number or, as in the credential's all-string payload, a string of digits. */
export const utc = z.union(
  [
    epochMs,
    z
      .string()
      .regex(/^[0-9]{1,16}$/, 'epoch milliseconds')
      .transform(Number)
      .pipe(epochMs),
  ],
  {
    error: (issue) =>
      issue.input === undefined ? 'required' : 'epoch milliseconds, as a number or a digit string',
  },
);

export const mintCryptogramInput = z.strictObject({
  tokenRef: id,
  amountMinor,
  currency,
  merchantRef,
  /** The payment's time (epoch ms): the credential's `utc`. */
  at: epochMs,
});
export type MintCryptogramInput = z.input<typeof mintCryptogramInput>;

export const validateCryptogramInput = z.strictObject({
  tokenPan: z.string().regex(/^[0-9]{12,19}$/, '12 to 19 digits'),
  tokenPanExpiration: z.string().regex(/^(0[1-9]|1[0-2])[0-9]{2}$/, 'MMYY'),
  cryptogram: z
    .string()
    .min(1, 'required')
    .max(128, 'at most 128 characters')
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'base64'),
  amountMinor,
  currency,
  merchantRef,
  utc,
});
export type ValidateCryptogramInput = z.input<typeof validateCryptogramInput>;

export const tokenBrandSchema = z.enum([...cardBrands, 'UNKNOWN']);

export const tspTokenSchema = z.object({
  tokenRef: z.string(),
  brand: tokenBrandSchema,
  tokenPanLast4: z.string(),
  tokenExpMonth: z.number().int(),
  tokenExpYear: z.number().int(),
  fundingLast4: z.string().nullable().describe('null for an opaque blob (unknown funding card)'),
  fundingExpMonth: z.number().int().nullable(),
  fundingExpYear: z.number().int().nullable(),
  cardholderName: z.string().nullable(),
  source: z.enum(['ISSUER_BLOB', 'OPAQUE_BLOB', 'TEST_CARD']),
  deviceId: z.string(),
  walletId: z.string(),
  status: z.enum(['ACTIVE', 'SUSPENDED', 'DELETED']),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});
export type TspToken = z.infer<typeof tspTokenSchema>;

export const validationResultSchema = z.object({
  valid: z.boolean(),
  reason: z.enum(['UNKNOWN_TOKEN', 'CRYPTOGRAM_MISMATCH', 'EXPIRED', 'REPLAYED', 'DECLINED']).optional(),
  declineCode: z.enum(['INSUFFICIENT_FUNDS', 'DO_NOT_HONOR', 'TOKEN_SUSPENDED']).optional(),
  message: z.string().optional(),
  brand: tokenBrandSchema.optional(),
  fundingLast4: z.string().optional(),
});

export const errorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ field: z.string(), reason: z.string() })).optional(),
  }),
});

export { parseInput } from '../core/validation.ts';
