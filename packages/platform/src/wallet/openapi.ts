// Examples and parameter details of the wallet operations in the OpenAPI document (/docs): the
// device API and the admin accounts API. The operations are registered in routes.ts; the answers
// here are what a sandbox returned.
import { openapi } from '../core/openapi.ts';

/** One account as the admin accounts API shows it, shared by the examples that answer with it. */
const janeAccount = {
  userId: 'Rpz6Ws1YozNlOLrhez4Nv2',
  deviceId: 'MDM2MjU5MzQ1MTgyMTkxMjc5',
  walletId: 'N0pQ95WfRJRX4wRkOPgbnk',
  account: {
    userId: 'Rpz6Ws1YozNlOLrhez4Nv2',
    email: 'jane.doe@example.com',
    phone: null,
    country: 'US',
    createdAt: 1795739940829,
  },
  devices: [
    {
      deviceId: 'MDM2MjU5MzQ1MTgyMTkxMjc5',
      userId: 'Rpz6Ws1YozNlOLrhez4Nv2',
      name: 'Galaxy S25',
      model: 'SM-S931B',
      imeiLast4: '8576',
      serialLast4: 'ED0R',
      locale: {
        country: 'US',
      },
      walletId: 'N0pQ95WfRJRX4wRkOPgbnk',
      createdAt: 1795739940829,
    },
  ],
};

/** Adds the examples to the operations `registerWalletOpenApi` registered. */
export function annotateWalletOperations(): void {
  openapi.annotate('signUp', {
    requestExample: { email: 'sam.lee@example.com', country: 'US' },
    responseExamples: {
      '201': {
        token: 'xgHj9J4TKcEHW0edFBCUhQFu7MwiwiOHoHeyvaHUaVM',
        expiresAt: 1798331940854,
        account: {
          userId: 'dlUQEzSSkEZjAX5S6UB05R',
          email: 'sam.lee@example.com',
          phone: null,
          country: 'US',
          createdAt: 1795739940852,
        },
        device: {
          deviceId: 'MDk5OTg1MjYzMzk2MzQ5OTI3',
          userId: 'dlUQEzSSkEZjAX5S6UB05R',
          name: 'Galaxy S25',
          model: 'SM-S931B',
          imeiLast4: '3382',
          serialLast4: 'Z4DN',
          locale: {
            country: 'US',
          },
          walletId: 'mwsiOvJeleAVyWNpiGiNcO',
          createdAt: 1795739940852,
        },
      },
    },
  });
  openapi.annotate('signIn', {
    requestExample: { email: 'sam.lee@example.com' },
    responseExamples: {
      '201': {
        token: 'auGheG2et1oAhVfREfBTRh5bbGsR_9GaZIo8-6VJndQ',
        expiresAt: 1798331940878,
        account: {
          userId: 'dlUQEzSSkEZjAX5S6UB05R',
          email: 'sam.lee@example.com',
          phone: null,
          country: 'US',
          createdAt: 1795739940852,
        },
        device: {
          deviceId: 'MDk5OTg1MjYzMzk2MzQ5OTI3',
          userId: 'dlUQEzSSkEZjAX5S6UB05R',
          name: 'Galaxy S25',
          model: 'SM-S931B',
          imeiLast4: '3382',
          serialLast4: 'Z4DN',
          locale: {
            country: 'US',
          },
          walletId: 'mwsiOvJeleAVyWNpiGiNcO',
          createdAt: 1795739940852,
        },
      },
    },
  });
  openapi.annotate('getMe', {
    responseExamples: {
      '200': {
        account: {
          userId: 'dlUQEzSSkEZjAX5S6UB05R',
          email: 'sam.lee@example.com',
          phone: null,
          country: 'US',
          createdAt: 1795739940852,
        },
        device: {
          deviceId: 'MDk5OTg1MjYzMzk2MzQ5OTI3',
          userId: 'dlUQEzSSkEZjAX5S6UB05R',
          name: 'Galaxy S25',
          model: 'SM-S931B',
          imeiLast4: '3382',
          serialLast4: 'Z4DN',
          locale: {
            country: 'US',
          },
          walletId: 'mwsiOvJeleAVyWNpiGiNcO',
          createdAt: 1795739940852,
        },
        devices: [
          {
            deviceId: 'MDk5OTg1MjYzMzk2MzQ5OTI3',
            userId: 'dlUQEzSSkEZjAX5S6UB05R',
            name: 'Galaxy S25',
            model: 'SM-S931B',
            imeiLast4: '3382',
            serialLast4: 'Z4DN',
            locale: {
              country: 'US',
            },
            walletId: 'mwsiOvJeleAVyWNpiGiNcO',
            createdAt: 1795739940852,
          },
        ],
        expiresAt: 1798331940854,
      },
    },
  });
  openapi.annotate('listDevices', {
    responseExamples: {
      '200': {
        devices: [
          {
            deviceId: 'MDk5OTg1MjYzMzk2MzQ5OTI3',
            userId: 'dlUQEzSSkEZjAX5S6UB05R',
            name: 'Galaxy S25',
            model: 'SM-S931B',
            imeiLast4: '3382',
            serialLast4: 'Z4DN',
            locale: {
              country: 'US',
            },
            walletId: 'mwsiOvJeleAVyWNpiGiNcO',
            createdAt: 1795739940852,
          },
          {
            deviceId: 'MzM2Mzc4NzMyODY2MTM1MTU1',
            userId: 'dlUQEzSSkEZjAX5S6UB05R',
            name: 'Galaxy S25 (2)',
            model: 'SM-S928B',
            imeiLast4: '9746',
            serialLast4: 'FNDK',
            locale: {
              country: 'US',
            },
            walletId: 'JqFjLzjEul5TDpVkV6OgvE',
            createdAt: 1795739940898,
          },
        ],
      },
    },
  });
  openapi.annotate('addDevice', {
    requestExample: { model: 'SM-S928B' },
    responseExamples: {
      '201': {
        device: {
          deviceId: 'MzM2Mzc4NzMyODY2MTM1MTU1',
          userId: 'dlUQEzSSkEZjAX5S6UB05R',
          name: 'Galaxy S25 (2)',
          model: 'SM-S928B',
          imeiLast4: '9746',
          serialLast4: 'FNDK',
          locale: {
            country: 'US',
          },
          walletId: 'JqFjLzjEul5TDpVkV6OgvE',
          createdAt: 1795739940898,
        },
        selected: false,
      },
    },
  });
  openapi.annotate('selectDevice', {
    parameters: [
      {
        name: 'deviceId',
        in: 'path',
        description: 'One of the account’s devices',
        example: 'MzM2Mzc4NzMyODY2MTM1MTU1',
      },
    ],
    responseExamples: {
      '200': {
        device: {
          deviceId: 'MzM2Mzc4NzMyODY2MTM1MTU1',
          userId: 'dlUQEzSSkEZjAX5S6UB05R',
          name: 'Galaxy S25 (2)',
          model: 'SM-S928B',
          imeiLast4: '9746',
          serialLast4: 'FNDK',
          locale: {
            country: 'US',
          },
          walletId: 'JqFjLzjEul5TDpVkV6OgvE',
          createdAt: 1795739940898,
        },
      },
    },
  });
  openapi.annotate('listWalletItems', {
    parameters: [
      {
        name: 'deviceId',
        in: 'query',
        description: 'One of the account’s devices; the selected one when absent',
        example: 'MzM2Mzc4NzMyODY2MTM1MTU1',
      },
    ],
    responseExamples: {
      '200': {
        deviceId: 'MzM2Mzc4NzMyODY2MTM1MTU1',
        items: [],
      },
    },
  });
  openapi.annotate('createAccount', {
    requestExample: { email: 'jane.doe@example.com' },
    responseExamples: {
      '201': {
        ...janeAccount,
      },
    },
  });
  openapi.annotate('listAccounts', {
    parameters: [
      { name: 'limit', in: 'query', description: 'At most this many accounts (1-1000)', example: 10 },
    ],
    responseExamples: {
      '200': {
        accounts: [
          {
            userId: 'Rpz6Ws1YozNlOLrhez4Nv2',
            email: 'jane.doe@example.com',
            phone: null,
            country: 'US',
            createdAt: 1795739940829,
          },
        ],
      },
    },
  });
  openapi.annotate('findAccountByEmail', {
    parameters: [
      {
        name: 'email',
        in: 'path',
        description: 'The account email (URL-encoded)',
        example: 'jane.doe@example.com',
      },
    ],
    responseExamples: {
      '200': {
        ...janeAccount,
        items: [],
      },
    },
  });
}
