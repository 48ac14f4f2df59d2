// Examples and parameter details of the Add to Wallet operations in the OpenAPI document (/docs):
// the link check, the wallet's passes, and the Samsung Server API (PROTOCOLS.md 2 and 3), and the
// operations themselves (registered by routes.ts with the routes).
import { cancelNotificationSchema, updateNotificationSchema, WALLET_SERVER_PATHS } from '@cardport/protocol';
import { z } from 'zod';
import { openapi } from '../core/openapi.ts';
import { linkErrorReasons } from './errors.ts';
import { addCardAdminBody, checkLinkBody } from './route-support.ts';

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

export function registerWalletCardsOpenApi(): void {
  openapi.registerTag({
    name: 'add-to-wallet',
    description:
      'Add to Samsung Wallet links (cdata / pdata), the virtual wallet’s passes, and the Samsung Server API partners call (Update and Cancel Notification).',
  });
  openapi.registerSecurityScheme('partnerAuthToken', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWS',
    description:
      'An AUTH token (RS256, cty AUTH, partnerId, certificateId, utc) signed with the partner key, bound to the method and path.',
  });
  const err = { description: 'Error', schema: { type: 'object' } };
  const serverHeaders = [
    {
      name: 'x-smcs-partner-id',
      in: 'header' as const,
      required: true,
      description: 'Partner id (String(32))',
    },
    { name: 'x-request-id', in: 'header' as const, required: true, description: 'Request id (String(32))' },
  ];
  openapi.register({
    method: 'POST',
    path: '/atw/api/links/check',
    operationId: 'checkLink',
    summary: 'Check an Add to Wallet link (what the landing page does with the fragment)',
    description:
      'Verifies and decrypts cdata (or fetches pdata with Get Card Data), checks the card object against the card registration, and keeps the result as an offer for 10 minutes. Refusals carry `error.reason`: ' +
      Object.keys(linkErrorReasons).join(', '),
    tags: ['add-to-wallet'],
    requestBody: { schema: checkLinkBody },
    responses: { '200': { description: 'The offer with its preview' }, '400': err, '403': err, '404': err },
  });
  openapi.register({
    method: 'POST',
    path: '/wallet/api/passes',
    operationId: 'addCard',
    summary: 'Add a checked link’s passes to the signed-in device’s wallet',
    tags: ['add-to-wallet'],
    security: ['walletBearer', 'walletCookie'],
    responses: { '201': { description: 'The added passes' }, '409': err, '410': err },
  });
  openapi.register({
    method: 'GET',
    path: '/wallet/api/passes',
    operationId: 'listWalletCards',
    summary: 'The account’s passes with their state history',
    tags: ['add-to-wallet'],
    security: ['walletBearer', 'walletCookie'],
    responses: { '200': { description: 'Passes' } },
  });
  openapi.register({
    method: 'DELETE',
    path: '/wallet/api/passes/{walletCardId}',
    operationId: 'deleteWalletCard',
    summary: 'Delete a pass (Send Card State DELETED goes to the partner)',
    tags: ['add-to-wallet'],
    security: ['walletBearer', 'walletCookie'],
    responses: { '200': { description: 'The deleted pass' }, '404': err },
  });
  openapi.register({
    method: 'POST',
    path: '/admin/v1/wallet-cards',
    operationId: 'addCardFromLink',
    summary: 'Check a link and add it to an account’s wallet (cardport wallet add-card)',
    tags: ['admin'],
    security: ['adminToken'],
    requestBody: { schema: addCardAdminBody },
    responses: { '201': { description: 'The added passes' }, '400': err, '404': err },
  });
  openapi.register({
    method: 'GET',
    path: '/admin/v1/wallet-cards',
    operationId: 'listWalletCardsOfAccount',
    summary: 'An account’s passes (cardport wallet cards)',
    tags: ['admin'],
    security: ['adminToken'],
    parameters: [{ name: 'email', in: 'query', required: true, description: 'Account email' }],
    responses: { '200': { description: 'Passes' } },
  });
  for (const path of WALLET_SERVER_PATHS.updateNotification) {
    openapi.register({
      method: 'POST',
      path,
      operationId: `notifyUpdate${path.startsWith('/{cc2}') ? (path.endsWith('updates') ? 'Updates' : 'Regional') : ''}`,
      summary: 'Update Notification: refetch (UPDATED) or change the state of every pass of a refId',
      tags: ['add-to-wallet'],
      security: ['partnerAuthToken'],
      parameters: serverHeaders,
      requestBody: { schema: updateNotificationSchema },
      responses: {
        '200': { description: 'Applied to at least one wallet' },
        '204': { description: 'No wallet holds this refId' },
        '401': err,
        '503': err,
      },
    });
  }
  for (const path of WALLET_SERVER_PATHS.cancelNotification) {
    openapi.register({
      method: 'POST',
      path,
      operationId: `notifyCancel${path.startsWith('/{cc2}') ? (path.endsWith('cancels') ? 'Cancels' : 'Regional') : ''}`,
      summary: 'Cancel Notification: every pass of an event becomes CANCELED',
      tags: ['add-to-wallet'],
      security: ['partnerAuthToken'],
      parameters: serverHeaders,
      requestBody: { schema: cancelNotificationSchema },
      responses: {
        '200': { description: 'Applied to at least one wallet' },
        '204': { description: 'No wallet holds a pass of this event' },
        '401': err,
      },
    });
  }
}
