// The declared wire of the wallet's JSON API (/wallet/api/...) and its admin accounts API
// (/admin/v1/wallet/...): parameters, answers and the examples /docs shows (values a sandbox
// returned). The inputs themselves are in schemas.ts (services and pages share them).
import { z } from 'zod';
import { platformErrorSchema } from '../core/http.ts';
import { sessionCookieName } from './extensions.ts';
import {
  accountDetailSchema,
  addDeviceInput,
  createAccountInput,
  meResponseSchema,
  sessionResponseSchema,
  signInInput,
  walletAccountSchema,
  walletDeviceSchema,
  walletItemSchema,
} from './schemas.ts';

/** Tags and security schemes of the wallet's API (describeApi). */
export const walletApi = {
  tags: [
    {
      name: 'wallet',
      description:
        'Virtual wallet automation: sandbox accounts, devices and the wallet’s items, for tests and CI. Sign-in is passwordless (sandbox only).',
    },
  ],
  securitySchemes: {
    walletBearer: {
      type: 'http',
      scheme: 'bearer',
      description: 'The token from POST /wallet/api/sessions or POST /wallet/api/accounts.',
    },
    walletCookie: { type: 'apiKey', in: 'cookie', name: sessionCookieName },
  },
};

const sam = {
  userId: 'dlUQEzSSkEZjAX5S6UB05R',
  email: 'sam.lee@example.com',
  phone: null,
  country: 'US',
  createdAt: 1795739940852,
};
const samPhone = {
  deviceId: 'MDk5OTg1MjYzMzk2MzQ5OTI3',
  userId: sam.userId,
  name: 'Galaxy S25',
  model: 'SM-S931B',
  imeiLast4: '3382',
  serialLast4: 'Z4DN',
  locale: { country: 'US' },
  walletId: 'mwsiOvJeleAVyWNpiGiNcO',
  createdAt: 1795739940852,
};
const samSecondPhone = {
  deviceId: 'MzM2Mzc4NzMyODY2MTM1MTU1',
  userId: sam.userId,
  name: 'Galaxy S25 (2)',
  model: 'SM-S928B',
  imeiLast4: '9746',
  serialLast4: 'FNDK',
  locale: { country: 'US' },
  walletId: 'JqFjLzjEul5TDpVkV6OgvE',
  createdAt: 1795739940898,
};

/** One account as the admin accounts API shows it, shared by the answers that carry it. */
const janeAccount = {
  userId: 'Rpz6Ws1YozNlOLrhez4Nv2',
  email: 'jane.doe@example.com',
  phone: null,
  country: 'US',
  createdAt: 1795739940829,
};
const janeDetail = {
  userId: janeAccount.userId,
  deviceId: 'MDM2MjU5MzQ1MTgyMTkxMjc5',
  walletId: 'N0pQ95WfRJRX4wRkOPgbnk',
  account: janeAccount,
  devices: [
    {
      deviceId: 'MDM2MjU5MzQ1MTgyMTkxMjc5',
      userId: janeAccount.userId,
      name: 'Galaxy S25',
      model: 'SM-S931B',
      imeiLast4: '8576',
      serialLast4: 'ED0R',
      locale: { country: 'US' },
      walletId: 'N0pQ95WfRJRX4wRkOPgbnk',
      createdAt: 1795739940829,
    },
  ],
};

export const signUpBody = createAccountInput.meta({
  examples: [{ email: 'sam.lee@example.com', country: 'US' }],
});
export const signInBody = signInInput.meta({ examples: [{ email: 'sam.lee@example.com' }] });
/** Absent body: the defaults (a random device, not selected). */
export const addDeviceBody = addDeviceInput.meta({ examples: [{ model: 'SM-S928B' }] });
export const createAccountBody = createAccountInput.meta({ examples: [{ email: 'jane.doe@example.com' }] });

export const signUpResponse = sessionResponseSchema.meta({
  description: 'Signed up and signed in',
  examples: [
    {
      token: 'xgHj9J4TKcEHW0edFBCUhQFu7MwiwiOHoHeyvaHUaVM',
      expiresAt: 1798331940854,
      account: sam,
      device: samPhone,
    },
  ],
});
export const signInResponse = sessionResponseSchema.meta({
  description: 'Signed in',
  examples: [
    {
      token: 'auGheG2et1oAhVfREfBTRh5bbGsR_9GaZIo8-6VJndQ',
      expiresAt: 1798331940878,
      account: sam,
      device: samPhone,
    },
  ],
});
export const meResponse = meResponseSchema.meta({
  description: 'The session',
  examples: [{ account: sam, device: samPhone, devices: [samPhone], expiresAt: 1798331940854 }],
});
export const devicesResponse = z
  .object({ devices: z.array(walletDeviceSchema) })
  .meta({ description: 'Devices', examples: [{ devices: [samPhone, samSecondPhone] }] });
export const addDeviceResponse = z
  .object({ device: walletDeviceSchema, selected: z.boolean() })
  .meta({ description: 'The new device', examples: [{ device: samSecondPhone, selected: false }] });
export const selectDeviceResponse = z
  .object({ device: walletDeviceSchema })
  .meta({ description: 'The selected device', examples: [{ device: samSecondPhone }] });
export const itemsResponse = z.object({ deviceId: z.string(), items: z.array(walletItemSchema) }).meta({
  description: 'Items, newest first: the device’s and the account-wide ones',
  examples: [{ deviceId: samSecondPhone.deviceId, items: [] }],
});
export const accountDetailResponse = accountDetailSchema.meta({
  description: 'The account and its first device',
  examples: [janeDetail],
});
export const accountsResponse = z
  .object({ accounts: z.array(walletAccountSchema) })
  .meta({ description: 'Accounts', examples: [{ accounts: [janeAccount] }] });
export const accountWithItemsResponse = accountDetailSchema
  .extend({
    deviceId: z.string().nullable().describe('the first device'),
    walletId: z.string().nullable().describe('the first device’s wallet'),
    items: z.array(walletItemSchema),
  })
  .meta({ description: 'The account', examples: [{ ...janeDetail, items: [] }] });

export const deviceParams = z.object({
  deviceId: z
    .string()
    .min(1)
    .max(64)
    .meta({ description: 'One of the account’s devices', examples: [samSecondPhone.deviceId] }),
});
export const itemsQuery = z.strictObject({
  deviceId: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .meta({
      description: 'One of the account’s devices; the selected one when absent',
      examples: [samSecondPhone.deviceId],
    }),
});
export const accountsQuery = z.strictObject({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(100)
    .meta({ description: 'At most this many accounts (1-1000)', examples: [10] }),
});
export const emailParams = z.object({
  email: z
    .string()
    .min(1)
    .max(254)
    .meta({ description: 'The account email (URL-encoded)', examples: [janeAccount.email] }),
});

export const invalid = platformErrorSchema.meta({ description: 'Invalid input (details name the fields)' });
export const notSignedIn = platformErrorSchema.meta({ description: 'Not signed in, or the session expired' });
export const emailTaken = platformErrorSchema.meta({ description: 'An account with this email exists' });
export const noSuchAccount = platformErrorSchema.meta({ description: 'No account has this email' });
export const noSuchDevice = platformErrorSchema.meta({ description: 'Not a device of this account' });
export const noAdminToken = platformErrorSchema.meta({ description: 'Missing or wrong admin token' });
