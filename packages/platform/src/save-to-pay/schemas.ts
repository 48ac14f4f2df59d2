// The Save to Pay routes' declarations beyond the wire types of `@cardport/protocol`: the
// descriptions and examples /docs shows, and the admin bodies. PROTOCOLS.md §1 is the wire.
import {
  createRegistrationRequestSchema,
  registrationSchema,
  S2P_HEADERS,
  s2pErrorSchema,
  uuidSchema,
} from '@cardport/protocol';
import { z } from 'zod';
import { platformErrorSchema } from '../core/http.ts';

const requestIdExample = '3f1c6a52-8d0e-4b7a-9c21-5e4d2f7b9a10';
const partnerIdExample = '41720938165520473910284756310928';
const regIdExample = '9d2f7e3a-41c8-4b6d-a0e5-7c3b18f6d294';
const welcomeTokenExample =
  'eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..Vb3kq7ZxH1c0mQ2r.W1dM9yVxk6J2LqPzT0b4sA8hYc3uE5nR.2fX9kLp0Qa7sD3gH6jZ1wA';

export const s2pTag = {
  name: 'save-to-pay',
  description:
    'Save to Pay (push provisioning): the partner API on the mTLS listener under /ext/v1, the welcome page, s2p.js. See docs/save-to-pay.md.',
};

export const partnerCertificateScheme = {
  partnerCertificate: {
    type: 'mutualTLS',
    description: 'The client certificate the sandbox CA signed from the partner’s CSR, on the mTLS listener.',
  },
};

/**
 * Request-Id and Partner-Id, checked by the S2P scope itself (400.1 naming the header): declared
 * for the document only, so they keep the wire's spelling (PROTOCOLS.md 1.1).
 */
export const s2pHeaders = z.object({
  [S2P_HEADERS.requestId]: uuidSchema.meta({
    description: 'UUID type; a retry with the same value returns the same registration',
    examples: [requestIdExample],
  }),
  [S2P_HEADERS.partnerId]: uuidSchema.meta({
    description: 'Must be the partner of the client certificate',
    examples: [partnerIdExample],
  }),
});

export const registrationParams = z.object({
  regId: z.string().meta({ description: 'The id createRegistration returned', examples: [regIdExample] }),
});

export const createRegistrationBody = createRegistrationRequestSchema.meta({
  examples: [
    {
      email: 'jane.doe@example.com',
      enforceEmailMatching: true,
      hideEmail: false,
      welcomeCallbackUrl: 'https://bank.example/cards/4711/saved',
      allowOfflineCommunication: false,
      data: { cardRef: 'c-4711' },
      custom: {
        cardName: 'Example Bank Platinum',
        cardArtUrl: 'https://bank.example/art/platinum.png',
        partnerName: 'Example Bank',
        partnerLogoUrl: 'https://bank.example/logo.png',
        partnerTncUrl: 'https://bank.example/terms',
      },
    },
  ],
});

const registrationExample = {
  id: regIdExample,
  welcomeUrl: `https://127.0.0.1:8080/s2p/v1/welcome/${welcomeTokenExample}`,
  status: 'PENDING',
  welcomeUrlExpiration: 1764288000000,
  provisioningStatus: 'NONE',
};

export const createdRegistration = registrationSchema.meta({
  description: 'The registration',
  examples: [registrationExample],
});
export const retrievedRegistration = registrationSchema.meta({
  description: 'The registration',
  examples: [{ ...registrationExample, status: 'LINKED', provisioningStatus: 'IN_PROGRESS' }],
});

const s2pError = (description: string, example: Record<string, unknown>) =>
  s2pErrorSchema.meta({ description, examples: [example] });

/** The S2P error answers every /ext/v1 operation may give. */
export const s2pErrorResponses = {
  400: s2pError('400.1 Invalid Data, details name the fields', {
    code: '400.1',
    message: 'Invalid Data',
    details: [{ field: 'custom.cardName', reason: 'required' }],
  }),
  403: s2pError('403.1 the client certificate, IP or Partner-Id is refused', {
    code: '403.1',
    message: 'Forbidden',
  }),
  503: s2pError('503.1 Service / 503.2 API Temporarily Unavailable, with Retry-After', {
    code: '503.2',
    message: 'API Temporarily Unavailable',
  }),
};
export const registrationNotFound = s2pError('404.1 unknown regId or another partner’s', {
  code: '404.1',
  message: 'Not Found',
});

// --- admin ---------------------------------------------------------------------------------------

const mustBeSeconds = { error: 'must be an integer from 1 to 86400' };

/** PUT /admin/v1/save-to-pay/switches: the switches to change, every other field refused. */
export const switchesPatchSchema = z.strictObject({
  api: z.enum(['on', 'off'], { error: 'must be on or off' }).optional(),
  load: z.enum(['normal', 'shed'], { error: 'must be normal or shed' }).optional(),
  retryAfterSeconds: z
    .number(mustBeSeconds)
    .int(mustBeSeconds)
    .min(1, mustBeSeconds)
    .max(86400, mustBeSeconds)
    .optional(),
});

export const switchesBody = switchesPatchSchema.meta({ examples: [{ api: 'off', retryAfterSeconds: 30 }] });

export const switchesResponse = z
  .object({
    api: z.enum(['on', 'off']),
    load: z.enum(['normal', 'shed']),
    retryAfterSeconds: z.number().int(),
  })
  .meta({ description: 'Every switch', examples: [{ api: 'off', load: 'normal', retryAfterSeconds: 30 }] });

/** POST /admin/v1/save-to-pay/scan: what `cardport wallet scan` sends. */
export const scanBody = z
  .object({
    account: z.string({ error: 'required email' }).min(1, { error: 'required email' }),
    deviceId: z.string({ error: 'string' }).optional(),
    url: z.string({ error: 'required' }).min(1, { error: 'required' }),
  })
  .meta({
    examples: [
      {
        account: 'ada@example.com',
        url: `https://127.0.0.1:8080/s2p/v1/initiate/${welcomeTokenExample}`,
      },
    ],
  });

export const scanResponse = z
  .looseObject({ regId: z.string(), outcome: z.enum(['PROVISIONED', 'FAILED']) })
  .meta({
    description: 'The card shown to the user, the device, and the provisioning outcome',
    examples: [
      {
        card: {
          cardName: 'Example Bank Platinum',
          cardArtUrl: 'https://bank.example/art/platinum.png',
          partnerName: 'Example Bank',
          partnerLogoUrl: 'https://bank.example/logo.png',
        },
        emailMatches: true,
        deviceId: 'dev-7f3a9c',
        walletId: 'wal-41c8b2',
        regId: regIdExample,
        outcome: 'PROVISIONED',
        itemId: 'itm-5e4d2f',
        tokenRef: 'tok-9c21',
        brand: 'VI',
        fundingLast4: '1111',
        tokenPanLast4: '4821',
      },
    ],
  });

export const adminErrors = {
  400: platformErrorSchema.meta({ description: 'A field is wrong: details name it' }),
  401: platformErrorSchema.meta({ description: 'Missing or wrong admin token' }),
};
