// The virtual wallet's shapes: zod schemas for every input (shared by routes, service and the
// OpenAPI document) and the types of what the wallet returns.
import { z } from 'zod';
import { type FieldIssue, invalidInput } from '../core/errors.ts';

// PROTOCOLS.md 1.2: PhoneNumber `[0-9+()-]+`, CountryCode 2 characters.
const phone = z
  .string()
  .max(32, 'at most 32 characters')
  .regex(/^[0-9+()-]+$/, 'digits, +, (, ) and - only');
const country = z
  .string()
  .regex(/^[A-Za-z]{2}$/, 'two letters (ISO 3166-1 alpha-2)')
  // An overwrite, not a transform: the schema stays representable (and its examples shown).
  .toUpperCase();
// A missing email says "required" (declared routes see the issue, not the body).
const email = z
  .email({ error: (issue) => (issue.input === undefined ? 'required' : 'not an email address') })
  .max(254, 'at most 254 characters');

export const createAccountInput = z.strictObject({
  email,
  phone: phone.optional(),
  country: country.default('US'),
});
export type CreateAccountInput = z.input<typeof createAccountInput>;

export const signInInput = z.strictObject({ email });
export type SignInInput = z.input<typeof signInInput>;

const deviceName = z.string().trim().min(1, 'required').max(40, 'at most 40 characters');

export const addDeviceInput = z.strictObject({
  name: deviceName.optional(),
  model: deviceName.optional(),
  /** Locale country of the device; the account's country when absent. */
  country: country.optional(),
  imeiLast4: z
    .string()
    .regex(/^[0-9]{4}$/, 'four digits')
    .optional(),
  serialLast4: z
    .string()
    .regex(/^[A-Za-z0-9]{4}$/, 'four letters or digits')
    .optional(),
  /** Also makes the new device the session's current device (JSON API only; default false). */
  select: z.boolean().default(false),
});
export type AddDeviceInput = z.input<typeof addDeviceInput>;

/** Kinds of wallet items. A flow that needs another kind adds it here. */
export const walletItemKinds = ['payment_card', 'pass'] as const;
export type WalletItemKind = (typeof walletItemKinds)[number];

const imageUrl = z
  .string()
  .max(2048, 'at most 2048 characters')
  .refine(
    (u) => /^https?:\/\/[^\s]+$/i.test(u) || /^\/(?!\/)[^\s]*$/.test(u),
    'an absolute http(s) URL or a path',
  );

export const addWalletItemInput = z.strictObject({
  userId: z.string().min(1),
  /** The device holding the item; null or absent for an account-wide item. */
  deviceId: z.string().min(1).nullable().optional(),
  kind: z.enum(walletItemKinds),
  /** The domain that owns the item, e.g. `save-to-pay` or `wallet-cards`. */
  source: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'a domain name in kebab-case'),
  /** The source's own id for the item (e.g. a regId or cardId/refId); unique per wallet. */
  ref: z.string().min(1).max(256).nullable().optional(),
  title: z.string().trim().min(1, 'required').max(120, 'at most 120 characters'),
  subtitle: z.string().max(200, 'at most 200 characters').nullable().optional(),
  /** The source's state, e.g. ACTIVE, PENDING, SUSPENDED, EXPIRED, CANCELED. */
  state: z.string().regex(/^[A-Z][A-Z0-9_]{0,31}$/, 'UPPER_SNAKE_CASE, at most 32 characters'),
  imageUrl: imageUrl.nullable().optional(),
  data: z.record(z.string(), z.unknown()).default({}),
});
export type AddWalletItemInput = z.input<typeof addWalletItemInput>;

const itemShape = addWalletItemInput.shape;
// Absent fields stay as they are (no defaults here: `data` must not reset to {}).
export const updateWalletItemInput = z.strictObject({
  title: itemShape.title.optional(),
  subtitle: itemShape.subtitle,
  state: itemShape.state.optional(),
  imageUrl: itemShape.imageUrl,
  data: z.record(z.string(), z.unknown()).optional(),
});
export type UpdateWalletItemInput = z.input<typeof updateWalletItemInput>;

// What the wallet returns (JSON API and service functions alike).

export const walletAccountSchema = z.object({
  userId: z.string().describe('22 base62 characters, like the seed’s user.id'),
  email: z.string(),
  phone: z.string().nullable(),
  country: z.string(),
  createdAt: z.number().int().describe('epoch ms'),
});
export type WalletAccount = z.infer<typeof walletAccountSchema>;

export const walletDeviceSchema = z.object({
  deviceId: z.string().describe('24 characters, like the seed’s device.id'),
  userId: z.string(),
  name: z.string(),
  model: z.string(),
  imeiLast4: z.string(),
  serialLast4: z.string(),
  locale: z.object({ country: z.string() }),
  walletId: z.string().describe('22 base62 characters, one per device'),
  createdAt: z.number().int(),
});
export type WalletDevice = z.infer<typeof walletDeviceSchema>;

export const walletItemSchema = z.object({
  itemId: z.string(),
  userId: z.string(),
  deviceId: z.string().nullable(),
  kind: z.enum(walletItemKinds),
  source: z.string(),
  ref: z.string().nullable(),
  title: z.string(),
  subtitle: z.string().nullable(),
  state: z.string(),
  imageUrl: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});
export type WalletItem = z.infer<typeof walletItemSchema>;

export const sessionResponseSchema = z.object({
  token: z.string().describe('bearer token; also set as the HttpOnly cookie cardport_wallet'),
  expiresAt: z.number().int(),
  account: walletAccountSchema,
  device: walletDeviceSchema,
});

export const meResponseSchema = z.object({
  account: walletAccountSchema,
  device: walletDeviceSchema.describe('the session’s current device'),
  devices: z.array(walletDeviceSchema),
  expiresAt: z.number().int(),
});

export const accountDetailSchema = z.object({
  userId: z.string(),
  deviceId: z.string().describe('the first device'),
  walletId: z.string().describe('the first device’s wallet'),
  account: walletAccountSchema,
  devices: z.array(walletDeviceSchema),
});

type Issue = { code: string; path: readonly PropertyKey[]; message: string; keys?: readonly string[] };

function walletFieldIssue(issue: Issue, missing: boolean): FieldIssue {
  return {
    field: issue.path.length ? issue.path.join('.') : '(body)',
    reason:
      issue.code === 'unrecognized_keys'
        ? `unknown field${(issue.keys?.length ?? 0) > 1 ? 's' : ''}: ${issue.keys?.join(', ')}`
        : issue.code === 'invalid_type' && missing
          ? 'required'
          : issue.message,
  };
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let v = value;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/** Parses input or throws INVALID_INPUT naming every offending field. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, what = 'request'): z.output<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const details = result.error.issues.map((issue) =>
    walletFieldIssue(issue, valueAt(value, issue.path) === undefined),
  );
  throw invalidInput(`invalid ${what}`, details);
}

/**
 * The `schemaErrorFormatter` of the wallet's declared routes: the refusal `parseInput` gives for
 * the same input (fields named the wallet's way), and 404 `notFound` for a path parameter that
 * cannot name the thing.
 */
export function walletRefusal(notFoundThing?: () => Error) {
  return (
    errors: { keyword?: string; instancePath?: string; message?: string; params?: Record<string, unknown> }[],
    part: string,
  ): Error => {
    if (part === 'params' && notFoundThing) return notFoundThing();
    const details = errors.map((e) => {
      const keys = e.params?.['keys'];
      const message = e.message ?? 'invalid';
      return walletFieldIssue(
        {
          code: e.keyword ?? '',
          path: (e.instancePath ?? '').split('/').filter((s) => s !== ''),
          message,
          ...(Array.isArray(keys) ? { keys: keys as string[] } : {}),
        },
        /received undefined/.test(message),
      );
    });
    return invalidInput(`invalid ${part === 'querystring' ? 'query' : 'request'}`, details);
  };
}
