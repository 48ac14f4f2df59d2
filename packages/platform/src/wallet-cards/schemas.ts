// The wire of Add to Wallet's JSON API, declared once with the examples /docs shows: the link
// check, the wallet's passes (device and admin API) and the Samsung Server API's parameters and
// headers. The card objects and notifications themselves are @cardport/protocol's schemas.
import { z } from 'zod';
import { linkErrorReasons } from './errors.ts';

const cardId = '3hdpejr6qi380';
const partnerId = '41720938165520473910284756310928';
const refId = 'tkt-2026-11-28-0042';
const walletCardId = 'wc_9f3b1d7e2a5c4e80';
const email = 'jane.doe@example.com';
const cdata =
  'eyJhbGciOiJSUzI1NiIsImN0eSI6IkNBUkQiLCJ2ZXIiOiIzIiwicGFydG5lcklkIjoiNGIyZThmMWE5YzNkNDdlNmEwNWIifQ.ZXlKaGJHY2lPaUpTVTBFdFQwRkZVQ0lzSW1WdVl5STZJa0V4TWpoSFEwMGlmUS4uLg.c2lnbmF0dXJl';
const link = `http://127.0.0.1:8080/atw/v3/Kp8TQ2wN/${cardId}#Clip?cdata=${cdata}`;
const svg = 'data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciLz4=';

const ticketData = {
  refId,
  createdAt: 1764201600000,
  updatedAt: 1764201600000,
  language: 'en',
  attributes: {
    title: 'Night Train',
    providerName: 'Example Cinemas',
    issueDate: 1764201600000,
    startDate: 1764356400000,
    eventId: 'show-1183',
    seatNumber: 'F12',
    noticeDesc: 'Doors open 20 minutes before the show.',
    logoImage: 'https://issuer.example/logo.png',
    'barcode.value': 'TKT2026112800042',
    'barcode.serialType': 'QRCODE',
  },
};

const passExample = {
  walletCardId,
  cardId,
  refId,
  type: 'ticket',
  subType: 'movies',
  state: 'ADDED',
  cc2: 'US',
  userId: 'usr_5d1c9a7e3b',
  deviceId: 'dev_41b2c3d4',
  attributes: ticketData.attributes,
  createdAt: 1764201700000,
  updatedAt: 1764201700000,
  removedAt: null,
  history: [{ state: 'ADDED', cause: 'link (cdata)', at: 1764201700000 }],
};

// ---- Requests --------------------------------------------------------------------------------

export const checkLinkBody = z
  .strictObject({
    link: z.string().min(1).max(16_384).meta({ description: 'The link as opened, fragment included' }),
    languages: z.array(z.string().max(35)).max(20).optional(),
  })
  .meta({ examples: [{ link, languages: ['en-US', 'en'] }] });

export const addCardAdminBody = z
  .strictObject({
    email: z.string().min(1).max(320),
    link: z.string().min(1).max(16_384),
    deviceId: z.string().min(1).max(64).optional(),
  })
  .meta({ examples: [{ email, link, deviceId: 'dev_41b2c3d4' }] });

export const addPassBody = z
  .strictObject({
    offerId: z
      .string()
      .min(1)
      .max(64)
      .meta({ description: 'The offerId a link check returned (valid 10 minutes)' }),
  })
  .meta({ examples: [{ offerId: 'off_2c7e9a1f5b3d' }] });

export const walletCardParams = z.object({
  walletCardId: z
    .string()
    .min(1)
    .meta({ description: 'The pass to delete (walletCardId)', examples: [walletCardId] }),
});

export const accountQuery = z.object({
  email: z.string().meta({ description: 'Account email', examples: [email] }),
});

/** Path parameters of the Server API; `cc2` only on the regional paths. */
export function serverApiParams(regional: boolean) {
  const cardIdParam = z
    .string()
    .meta({ description: 'The card id of the card registration', examples: [cardId] });
  return regional
    ? z.object({
        cc2: z.string().meta({
          description: 'Country code (2 letters) of the regional host, as in the callback of Send Card State',
          examples: ['us'],
        }),
        cardId: cardIdParam,
      })
    : z.object({ cardId: cardIdParam });
}

/** The wire headers of the Server API (PROTOCOLS.md 3.2); Authorization comes from `security`. */
export const serverApiHeaders = z.object({
  'x-smcs-partner-id': z
    .string()
    .max(32)
    .meta({
      description: 'Partner id, String(32); must match the AUTH token’s partnerId',
      examples: [partnerId],
    }),
  'x-request-id': z
    .string()
    .max(32)
    .meta({
      description: 'Request id, String(32): a UUID without hyphens',
      examples: ['8c2d6f0a1b9e4d7c8a3f5e6b7c8d9e0f'],
    }),
});

export const updateNotificationExample = { card: { type: 'ticket', data: [{ refId, state: 'UPDATED' }] } };
export const cancelNotificationExample = {
  card: { type: 'ticket', data: [{ eventId: 'show-1183', state: 'CANCELED' }] },
};

// ---- Answers ---------------------------------------------------------------------------------

const historyEntry = z.object({ state: z.string(), cause: z.string(), at: z.number() });

const pass = z.object({
  walletCardId: z.string(),
  cardId: z.string(),
  refId: z.string(),
  type: z.string(),
  subType: z.string(),
  state: z.string(),
  cc2: z.string(),
  userId: z.string(),
  deviceId: z.string(),
  attributes: z.record(z.string(), z.unknown()),
  createdAt: z.number(),
  updatedAt: z.number(),
  removedAt: z.number().nullable(),
  history: z.array(historyEntry).optional(),
});

export const passesResponse = z
  .object({ cards: z.array(pass) })
  .meta({ description: 'Passes with their state history', examples: [{ cards: [passExample] }] });

export const addedPassesResponse = z
  .object({ cards: z.array(pass) })
  .meta({ description: 'The added passes', examples: [{ cards: [passExample] }] });

export const deletedPassResponse = pass.meta({
  description: 'The deleted pass',
  examples: [{ ...passExample, state: 'DELETED', removedAt: 1764288000000, history: undefined }],
});

export const accountPassesResponse = z
  .object({ email: z.string(), cards: z.array(pass) })
  .meta({ description: 'The account’s passes', examples: [{ email, cards: [passExample] }] });

export const checkedLinkResponse = z
  .object({
    offerId: z.string(),
    cardId: z.string(),
    partner: z.object({ partnerId: z.string(), name: z.string() }),
    via: z.enum(['cdata', 'pdata']),
    card: z.object({
      type: z.string(),
      subType: z.string(),
      data: z.array(z.record(z.string(), z.unknown())),
    }),
    barcodes: z.array(
      z
        .object({
          format: z.string(),
          value: z.string(),
          image: z.string().optional(),
          shape: z.enum(['square', 'wide']).optional(),
          width: z.number().optional(),
          height: z.number().optional(),
          error: z.string().optional(),
        })
        .nullable(),
    ),
    warnings: z.array(z.object({ field: z.string(), reason: z.string() })),
    deviations: z.array(
      z.object({ code: z.string(), field: z.string(), sent: z.string().nullable(), documented: z.string() }),
    ),
    expiresAt: z.number(),
    previewHtml: z.string(),
    addUrl: z.string(),
    addQr: z.string(),
  })
  .meta({
    description: 'The offer with its preview',
    examples: [
      {
        offerId: 'off_2c7e9a1f5b3d',
        cardId,
        partner: { partnerId, name: 'Example Cinemas' },
        via: 'cdata',
        card: { type: 'ticket', subType: 'movies', data: [ticketData] },
        barcodes: [{ format: 'QR_CODE', value: 'TKT2026112800042', image: svg, shape: 'square' }],
        warnings: [],
        deviations: [],
        expiresAt: 1764202200000,
        previewHtml: '<article class="pass pass-ticket">…</article>',
        addUrl: '/wallet/app/add-card?offer=off_2c7e9a1f5b3d',
        addQr: svg,
      },
    ],
  });

/** The platform envelope of a refused link: `reason` says why (errors.ts). */
export const linkErrorSchema = z.object({
  error: z.object({
    code: z.string(),
    reason: z.enum(Object.keys(linkErrorReasons) as [string, ...string[]]).optional(),
    message: z.string(),
    details: z.array(z.object({ field: z.string(), reason: z.string() })).optional(),
  }),
});

/** A notification's 200 carries no body (shown as the empty string). */
export const emptyAnswer = (description: string) => z.literal('').meta({ description, examples: [''] });

/** A 204: no content at all. */
export const noContent = (description: string) => z.null().meta({ description });

export const linkErrorReasonList = Object.keys(linkErrorReasons).join(', ');
