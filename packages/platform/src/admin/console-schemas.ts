// The wire of the console's admin API (console-routes.ts): the request log, timelines and the
// event stream, with the examples /docs shows. The filters are checked by the routes themselves
// (their own reasons), so they are declared documentedOnly there.
import { z } from 'zod';

const partnerIdExample = '11349048051655583313747295984994';

export const consoleFilterQuery = z.object({
  partnerId: z
    .string()
    .optional()
    .meta({ description: 'Only calls of this partner (32 digits)', examples: [partnerIdExample] }),
  objectId: z
    .string()
    .optional()
    .meta({
      description: 'Only calls naming this object (a regId, cardId, referenceId…)',
      examples: ['c-4711'],
    }),
  limit: z
    .string()
    .optional()
    .meta({ description: '1-1000', examples: ['100'] }),
  after: z
    .string()
    .optional()
    .meta({ description: 'Only entries after this id', examples: ['41'] }),
  before: z
    .string()
    .optional()
    .meta({ description: 'Only entries before this id', examples: ['90'] }),
});

export const requestIdParams = z.object({
  id: z.string().meta({ description: 'The request log entry id', examples: ['42'] }),
});

export const objectIdParams = z.object({
  objectId: z.string().meta({
    description: 'Any id a call or a delivery named (4-128 id characters)',
    examples: ['9d2f7e3a-41c8-4b6d-a0e5-7c3b18f6d294'],
  }),
});

const requestSummarySchema = z.object({
  id: z.number().int(),
  requestId: z.string(),
  family: z.string(),
  partnerId: z.string().nullable(),
  partnerName: z.string().nullable(),
  method: z.string(),
  path: z.string().describe('Token-bearing parameters keep their name, not their value'),
  route: z.string(),
  status: z.number().int(),
  latencyMs: z.number(),
  warnings: z.array(z.unknown()),
  error: z.string().nullable(),
  injected: z.string().nullable(),
  objectIds: z.array(z.string()),
  at: z.number().int(),
});

const summaryExample = {
  id: 42,
  requestId: '3f1c6a52-8d0e-4b7a-9c21-5e4d2f7b9a10',
  family: 's2p',
  partnerId: partnerIdExample,
  partnerName: 'Example Bank',
  method: 'POST',
  path: '/ext/v1/registrations',
  route: '/ext/v1/registrations',
  status: 201,
  latencyMs: 12,
  warnings: [],
  error: null,
  injected: null,
  objectIds: ['9d2f7e3a-41c8-4b6d-a0e5-7c3b18f6d294'],
  at: 1795739940805,
};

export const requestsResponse = z
  .object({ requests: z.array(requestSummarySchema) })
  .meta({ description: 'Newest calls first, without bodies', examples: [{ requests: [summaryExample] }] });

export const requestEntryResponse = requestSummarySchema
  .extend({
    requestBody: z.unknown().describe('Secret fields removed before storing'),
    responseBody: z.unknown(),
  })
  .meta({
    description: 'One call with its bodies',
    examples: [
      {
        ...summaryExample,
        requestBody: { email: 'jane.doe@example.com', data: { cardRef: 'c-4711' } },
        responseBody: { id: '9d2f7e3a-41c8-4b6d-a0e5-7c3b18f6d294', status: 'PENDING' },
      },
    ],
  });

export const timelineResponse = z
  .object({
    objectId: z.string(),
    items: z.array(
      z
        .looseObject({
          type: z
            .string()
            .describe(
              'request (a partner call), delivery (a call out, with its attempts) or wallet (what the user did on the phone)',
            ),
          at: z.number().int(),
        })
        .describe('In time order; each item carries its record under the name of its type'),
    ),
    related: z
      .array(z.string())
      .describe('The wallet accounts that acted, then other ids the same calls named'),
  })
  .meta({
    description: "The object's timeline",
    examples: [
      {
        objectId: '9d2f7e3a-41c8-4b6d-a0e5-7c3b18f6d294',
        items: [
          { type: 'request', at: 1795739940805, request: summaryExample },
          {
            type: 'wallet',
            at: 1795739952113,
            action: {
              action: 'CARD_LINKED',
              accountId: 'u_5QmZk2rT8yWc',
              accountEmail: 'jane.doe@example.com',
              detail: { cardName: 'Everyday Visa', partnerName: 'Demo Bank', last4: '4242' },
            },
          },
        ],
        related: ['u_5QmZk2rT8yWc'],
      },
    ],
  });

export const eventsResponse = {
  description: 'Server-sent events: `request` (id = log id) and `delivery`; resumes after Last-Event-ID',
  content: {
    'text/event-stream': {
      schema: z.string().meta({
        examples: [`retry: 2000\n\nid: 42\nevent: request\ndata: ${JSON.stringify(summaryExample)}\n\n`],
      }),
    },
  },
};
