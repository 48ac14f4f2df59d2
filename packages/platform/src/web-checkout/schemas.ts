// The declared shapes of the Web Checkout routes (issue 12, docs/ARCHITECTURE.md "Declaring a
// route"): the wire schemas of @cardport/protocol with their descriptions and examples, and the
// admin API's bodies. The Server API's bodies, path and query are `documentedOnly`: the routes
// keep running the protocol's lenient parsers, which answer with Web Checkout's own result codes
// (OPM1N1001 missing, OPM1N1002 invalid value) and record the accepted deviations as warnings.
import {
  checkoutFormFields,
  createTransactionRequestSchema,
  createTransactionResponseSchema,
  getPaymentCredentialsResponseSchema,
  paymentNotificationSchema,
  referenceIdSchema,
  serviceIdSchema,
  webCheckoutResultSchema,
} from '@cardport/protocol';
import { z } from 'zod';
import { documentedOnly } from '../core/routes.ts';
import { cardBrands } from '../tsp/index.ts';
import { credentialLifetimeMs } from './deps.ts';

const exampleServiceId = 'a1b2c3d4e5f6a7b8c9d0e1f2';
const exampleTransactionId = '7f3a9c1e5b2d8f4a6c0e91';
const exampleReferenceId = 'c4e8a2f6b0d9e7c5a3f1b8';

export const webCheckoutTag = {
  name: 'web-checkout',
  description:
    'Samsung Pay Web Checkout v1: the Server API a merchant or payment gateway calls, and the checkout UI the JS SDK posts to. Errors are {resultCode, resultMessage}. See the Web Checkout guide.',
};

/** The optional request id header of every Server API call (PROTOCOLS.md 4.1). */
export const requestIdHeaders = documentedOnly(
  z.object({
    'x-request-id': z
      .string()
      .optional()
      .meta({
        description:
          'Optional; the request log and the dashboard key the call by it. No auth header: access is by IP allow-list plus serviceId.',
        examples: ['5b1f0e2c9d8a4c3e8f7a6b5c4d3e2f10'],
      }),
  }),
);

const invalid = webCheckoutResultSchema.meta({
  description: 'OPM1N1001 missing, OPM1N1002 invalid value, OPM1N1003 invalid format, OPM1N1026 inconsistent',
  examples: [
    {
      resultCode: 'OPM1N1001',
      resultMessage: 'Mandatory parameter is missing: paymentDetails.orderNumber required',
    },
  ],
});
const noService = webCheckoutResultSchema.meta({
  description: 'OPM1N1035 the service does not exist',
  examples: [{ resultCode: 'OPM1N1035', resultMessage: 'Service does not exist' }],
});
const refused = webCheckoutResultSchema.meta({
  description: 'OPM1N1033 the partner is not active or the address is not on its allow-list',
  examples: [{ resultCode: 'OPM1N1033', resultMessage: 'Not authorized' }],
});
/** The error answers every Server API operation may give. */
export const serverApiErrors = { 400: invalid, 403: refused, 404: noService };

export const createTransactionBody = documentedOnly(
  createTransactionRequestSchema.meta({
    examples: [
      {
        callback: 'https://shop.example/checkout/complete?order=A-1042',
        paymentDetails: {
          service: { id: exampleServiceId },
          orderNumber: 'A-1042',
          recurring: false,
          protocol: { type: '3DS', version: '80' },
          amount: { option: 'FORMAT_TOTAL_ESTIMATED_AMOUNT', currency: 'USD', total: 98.76 },
          merchant: { name: 'Example Shop', url: 'shop.example', reference: 'A-1042' },
          allowedBrands: ['VI', 'MC'],
        },
      },
    ],
  }),
);

export const createdTransaction = createTransactionResponseSchema.meta({
  description: 'Created',
  examples: [
    {
      resultCode: '0',
      resultMessage: 'SUCCESS',
      id: exampleTransactionId,
      href: 'http://127.0.0.1:8080/gsmpi/',
      encInfo: {
        mod: 'c3a1f0e9b27d4c5a8e61f2d09b3c7a4e5f8d1b2c3a4e5f60718293a4b5c6d7e8',
        exp: '10001',
        keyId: 'wc-key-7f3a9c1e',
      },
    },
  ],
});

export const credentialsParams = documentedOnly(
  z.object({
    referenceId: referenceIdSchema.meta({
      description: 'The ref_id the checkout added to the callback URL after approval',
      examples: [exampleReferenceId],
    }),
  }),
);

export const credentialsQuery = documentedOnly(
  z.object({
    serviceId: serviceIdSchema.meta({
      description: 'The service the transaction was created for',
      examples: [exampleServiceId],
    }),
  }),
);

export const paymentCredentials = getPaymentCredentialsResponseSchema.meta({
  description: `The credential, available for ${credentialLifetimeMs / 60_000} minutes after approval`,
  examples: [
    {
      resultCode: '0',
      resultMessage: 'SUCCESS',
      method: '3DS',
      card_brand: 'VI',
      card_last4digits: '4242',
      '3DS': {
        type: 'S',
        version: '100',
        data: 'eyJhbGciOiJSU0ExXzUiLCJraWQiOiJ3YzEiLCJ0eXAiOiJKT1NFIiwiY2hhbm5lbFNlY3VyaXR5Q29udGV4dCI6IlJTQV9QS0kiLCJlbmMiOiJBMTI4R0NNIn0.Qm9keS1vZi10aGUtd3JhcHBlZC1DRUs.MTIzNDU2Nzg5MDEy.ZW5jcnlwdGVkLXBheWxvYWQ.dGFnLTE2LWJ5dGVzLS0tLQ',
      },
      wallet_dm_id: 'ZGV2LTQxYjJjM2Q0',
    },
  ],
});

export const credentialsErrors = {
  ...serverApiErrors,
  400: webCheckoutResultSchema.meta({
    description: 'OPM1N1002 unknown or expired referenceId, OPM1N1026 another service’s referenceId',
    examples: [{ resultCode: 'OPM1N1002', resultMessage: 'Invalid parameter value: referenceId expired' }],
  }),
};

export const notificationBody = documentedOnly(
  paymentNotificationSchema.meta({
    examples: [
      {
        payment: {
          service: { id: exampleServiceId },
          reference: exampleReferenceId,
          status: 'CHARGED',
          provider: 'Example Acquirer',
          merchant: { name: 'Example Shop' },
        },
        timestamp: 1764201600000,
      },
    ],
  }),
);

export const notificationRecorded = webCheckoutResultSchema.meta({
  description: 'Recorded',
  examples: [{ resultCode: '0', resultMessage: 'SUCCESS' }],
});

/** The JS SDK's form (each value URL-encoded twice); the route parses it leniently. */
export const checkoutFormBody = documentedOnly(
  z
    .object(
      Object.fromEntries(checkoutFormFields.map((f) => [f, z.string()])) as Record<
        (typeof checkoutFormFields)[number],
        z.ZodString
      >,
    )
    .meta({
      description:
        'domains, myOrigin, transactionId, href, serviceId, callbackUrl, cancelUrl, countryCode, isWindow, mod, exp, keyId (each URL-encoded twice; transactionId and serviceId RSA-encrypted to encInfo)',
      examples: [
        {
          domains: 'shop.example',
          myOrigin: 'https%3A%2F%2Fshop.example',
          transactionId: '9e1f…',
          href: 'http%3A%2F%2F127.0.0.1%3A8080%2Fgsmpi%2F',
          serviceId: '5a7c…',
          callbackUrl: 'https%3A%2F%2Fshop.example%2Fcheckout%2Fcomplete',
          cancelUrl: 'https%3A%2F%2Fshop.example%2Fcart',
          countryCode: 'us',
          isWindow: 'false',
          mod: 'c3a1…',
          exp: '10001',
          keyId: 'wc-key-7f3a9c1e',
        },
      ],
    }),
);

// --- admin API (the CLI) ------------------------------------------------------------------------

export const testCardBody = z
  .strictObject({
    account: z.string().min(1).meta({ description: 'The wallet account’s email' }),
    brand: z.enum(cardBrands),
    pan: z.string().optional().meta({ description: 'A documented test or magic PAN of that brand' }),
    deviceId: z.string().optional().meta({ description: 'The device (default: the account’s first)' }),
  })
  .meta({ examples: [{ account: 'ada@example.com', brand: 'VI' }] });

export const approvalBody = z
  .strictObject({
    account: z.string().min(1),
    transactionId: z.string().min(1),
    cardLast4: z
      .string()
      .regex(/^[0-9]{4}$/)
      .optional(),
    decline: z.boolean().optional(),
  })
  .meta({ examples: [{ account: 'ada@example.com', transactionId: exampleTransactionId }] });

export const transactionsQuery = z.object({
  serviceId: z
    .string()
    .optional()
    .meta({ description: 'Only this service’s transactions', examples: [exampleServiceId] }),
});

export const serviceParams = z.object({
  serviceId: z.string().meta({ description: 'The checkout service', examples: [exampleServiceId] }),
});

export const addedTestCard = z
  .object({
    tokenRef: z.string(),
    brand: z.string(),
    fundingLast4: z.string().nullable(),
    tokenPanLast4: z.string(),
    walletId: z.string(),
    deviceId: z.string(),
    itemId: z.string(),
  })
  .meta({
    description: 'The card added (a TSP token and a card in the wallet list)',
    examples: [
      {
        tokenRef: 'tok-3f9a1c2e',
        brand: 'VI',
        fundingLast4: '1111',
        tokenPanLast4: '4821',
        walletId: 'wal-7d2c',
        deviceId: 'dev-41b2c3d4',
        itemId: 'itm-9e1f',
      },
    ],
  });

export const automatedAnswer = z
  .object({
    transactionId: z.string(),
    status: z.enum(['APPROVED', 'DECLINED']),
    referenceId: z.string().nullable(),
    redirectUrl: z.string().nullable(),
    cardBrand: z.string().nullable(),
    cardLast4: z.string().nullable(),
  })
  .meta({
    description: 'The answer given',
    examples: [
      {
        transactionId: exampleTransactionId,
        status: 'APPROVED',
        referenceId: exampleReferenceId,
        redirectUrl: `https://shop.example/checkout/complete?order=A-1042&ref_id=${exampleReferenceId}`,
        cardBrand: 'VI',
        cardLast4: '1111',
      },
    ],
  });

export const adminTransactions = z
  .object({
    transactions: z.array(
      z.object({
        transactionId: z.string(),
        serviceId: z.string(),
        status: z.string(),
        expired: z.boolean().describe('The checkout window has passed (the CLI shows EXPIRED)'),
        merchantName: z.string(),
        amountTotal: z.string(),
        currency: z.string(),
        referenceId: z.string().nullable(),
        paymentStatus: z.string().nullable(),
      }),
    ),
  })
  .meta({
    description: 'The transactions (at most 100), with their payment result',
    examples: [
      {
        transactions: [
          {
            transactionId: exampleTransactionId,
            serviceId: exampleServiceId,
            status: 'APPROVED',
            expired: false,
            merchantName: 'Example Shop',
            amountTotal: '98.76',
            currency: 'USD',
            referenceId: exampleReferenceId,
            paymentStatus: 'CHARGED',
          },
        ],
      },
    ],
  });

const healthProbe = z.object({
  probeId: z.string(),
  serviceId: z.string(),
  url: z.string(),
  ok: z.boolean(),
  httpStatus: z.number().nullable(),
  detail: z.string(),
  latencyMs: z.number().nullable(),
  callbackSeen: z.boolean(),
  trigger: z.enum(['manual', 'scheduled']),
  probedAt: z.number(),
});
const exampleProbe = {
  probeId: '0b6f3c1e-2a4d-4e8f-9c7b-5d1a2e3f4a5b',
  serviceId: exampleServiceId,
  url: 'https://shop.example/samsungpay/integration/health',
  ok: true,
  httpStatus: 204,
  detail: 'healthy',
  latencyMs: 12,
  callbackSeen: true,
  trigger: 'manual' as const,
  probedAt: 1764201600000,
};

export const probedHealth = healthProbe.meta({
  description: 'The probe (callbackSeen: the partner called HEAD /ops/v1/internal/health meanwhile)',
  examples: [exampleProbe],
});

export const healthProbes = z
  .object({ probes: z.array(healthProbe) })
  .meta({ description: 'The last 20 probes', examples: [{ probes: [exampleProbe] }] });
