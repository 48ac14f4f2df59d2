// Examples and parameter details of the Add to Wallet operations in the OpenAPI document (/docs):
// the link check, the wallet's passes, and the Samsung Server API (PROTOCOLS.md 2 and 3). The
// operations themselves are registered with the routes (routes.ts).
import { z } from 'zod';
import { openapi } from '../core/openapi.ts';

const cardId = '3hdpejr6qi380';
const partnerId = '41720938165520473910284756310928';
const refId = 'tkt-2026-11-28-0042';
const walletCardId = 'wc_9f3b1d7e2a5c4e80';
const cdata =
  'eyJhbGciOiJSUzI1NiIsImN0eSI6IkNBUkQiLCJ2ZXIiOiIzIiwicGFydG5lcklkIjoiNGIyZThmMWE5YzNkNDdlNmEwNWIifQ.ZXlKaGJHY2lPaUpTVTBFdFQwRkZVQ0lzSW1WdVl5STZJa0V4TWpoSFEwMGlmUS4uLg.c2lnbmF0dXJl';
const link = `http://127.0.0.1:8080/atw/v3/Kp8TQ2wN/${cardId}#Clip?cdata=${cdata}`;

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

const pass = {
  walletCardId,
  cardId,
  refId,
  type: 'ticket',
  subType: 'movies',
  state: 'ACTIVE',
  cc2: 'US',
  userId: 'usr_5d1c9a7e3b',
  deviceId: 'dev_41b2c3d4',
  attributes: ticketData.attributes,
  createdAt: 1764201700000,
  updatedAt: 1764201700000,
  removedAt: null,
  history: [{ state: 'ACTIVE', at: 1764201700000, reason: 'ADDED' }],
};

const serverHeaders = [
  {
    name: 'x-smcs-partner-id',
    in: 'header' as const,
    required: true,
    description: 'Partner id, String(32); must match the AUTH token’s partnerId',
    example: partnerId,
  },
  {
    name: 'x-request-id',
    in: 'header' as const,
    required: true,
    description: 'Request id, String(32): a UUID without hyphens',
    example: '8c2d6f0a1b9e4d7c8a3f5e6b7c8d9e0f',
  },
];
const serverPathParameters = [
  {
    name: 'cardId',
    in: 'path' as const,
    description: 'The card id of the card registration',
    example: cardId,
  },
  {
    name: 'cc2',
    in: 'path' as const,
    description: 'Country code (2 letters) of the regional host, as in the callback of Send Card State',
    example: 'us',
  },
];
const linkError = (code: string, reason: string, message: string) => ({ error: { code, reason, message } });

/** Adds the examples to the operations `registerWalletCardsOpenApi` in routes.ts registered. */
export function annotateWalletCardsOperations(): void {
  openapi.annotate('checkLink', {
    requestExample: { link, languages: ['en-US', 'en'] },
    responseExamples: {
      '200': {
        offerId: 'off_2c7e9a1f5b3d',
        cardId,
        partner: { partnerId, name: 'Example Cinemas' },
        via: 'cdata',
        card: { type: 'ticket', subType: 'movies', data: [ticketData] },
        barcodes: [
          {
            format: 'QRCODE',
            image: 'data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciLz4=',
          },
        ],
        warnings: [],
        deviations: [],
        expiresAt: 1764202200000,
        previewHtml: '<article class="pass pass-ticket">…</article>',
        addUrl: '/wallet/app/add-card?offer=off_2c7e9a1f5b3d',
        addQr: 'data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciLz4=',
      },
      '400': linkError(
        'INVALID_INPUT',
        'BAD_SIGNATURE',
        'the cdata signature does not verify with the partner certificate',
      ),
      '404': linkError('NOT_FOUND', 'UNKNOWN_CARD', `no card is registered with id ${cardId}`),
    },
  });
  openapi.annotate('addCard', {
    requestBody: {
      schema: z.strictObject({ offerId: z.string().min(1).max(64) }),
      description: 'The offerId a link check returned (valid 10 minutes)',
    },
    requestExample: { offerId: 'off_2c7e9a1f5b3d' },
    responseExamples: { '201': { cards: [pass] } },
  });
  openapi.annotate('listWalletCards', { responseExamples: { '200': { cards: [pass] } } });
  openapi.annotate('deleteWalletCard', {
    parameters: [
      {
        name: 'walletCardId',
        in: 'path',
        description: 'The pass to delete (walletCardId)',
        example: walletCardId,
      },
    ],
    responseExamples: { '200': { ...pass, state: 'DELETED', removedAt: 1764288000000 } },
  });
  openapi.annotate('addCardFromLink', {
    requestExample: { email: 'jane.doe@example.com', link, deviceId: 'dev_41b2c3d4' },
    responseExamples: { '201': { cards: [pass] } },
  });
  openapi.annotate('listWalletCardsOfAccount', {
    parameters: [
      { name: 'email', in: 'query', description: 'Account email', example: 'jane.doe@example.com' },
    ],
    responseExamples: { '200': { email: 'jane.doe@example.com', cards: [pass] } },
  });
  const update = { card: { type: 'ticket', data: [{ refId, state: 'UPDATED' }] } };
  const cancel = { card: { type: 'ticket', data: [{ eventId: 'show-1183', state: 'CANCELED' }] } };
  const unauthorized = { error: { code: 'UNAUTHORIZED', message: 'the Authorization token has expired' } };
  for (const operationId of ['notifyUpdate', 'notifyUpdateRegional', 'notifyUpdateUpdates']) {
    openapi.annotate(operationId, {
      parameters: [...serverPathParameters, ...serverHeaders],
      requestExample: update,
      responseExamples: { '200': '', '401': unauthorized },
    });
  }
  for (const operationId of ['notifyCancel', 'notifyCancelRegional', 'notifyCancelCancels']) {
    openapi.annotate(operationId, {
      parameters: [...serverPathParameters, ...serverHeaders],
      requestExample: cancel,
      responseExamples: { '200': '', '401': unauthorized },
    });
  }
}
