// The wallet's operations in the platform's OpenAPI document (/docs), registered by routes.ts
// until the routes declare their own schemas (issue 12, phase 2); their examples are in openapi.ts.
import { z } from 'zod';
import { openapi } from '../core/openapi.ts';
import { sessionCookieName } from './extensions.ts';
import {
  accountDetailSchema,
  addDeviceInput,
  createAccountInput,
  errorSchema,
  meResponseSchema,
  sessionResponseSchema,
  signInInput,
  walletAccountSchema,
  walletDeviceSchema,
  walletItemSchema,
} from './schemas.ts';

/** The wallet's public operations in the platform's OpenAPI document (/docs). */
export function registerWalletOpenApi(): void {
  openapi.registerTag({
    name: 'wallet',
    description:
      'Virtual wallet automation: sandbox accounts, devices and the wallet’s items, for tests and CI. Sign-in is passwordless (sandbox only).',
  });
  openapi.registerTag({
    name: 'admin',
    description: 'Admin API used by the cardport CLI (bearer admin token).',
  });
  openapi.registerSecurityScheme('walletBearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'The token from POST /wallet/api/sessions or POST /wallet/api/accounts.',
  });
  openapi.registerSecurityScheme('walletCookie', { type: 'apiKey', in: 'cookie', name: sessionCookieName });
  openapi.registerSecurityScheme('adminToken', {
    type: 'http',
    scheme: 'bearer',
    description: 'The token in $CARDPORT_HOME/admin-token.',
  });
  const wallet = ['walletBearer', 'walletCookie'];
  const errors = {
    '400': { description: 'Invalid input (details name the fields)', schema: errorSchema },
    '401': { description: 'Not signed in, or the session expired', schema: errorSchema },
  };
  openapi.register({
    method: 'POST',
    path: '/wallet/api/accounts',
    operationId: 'signUp',
    summary: 'Create a sandbox account (with its first device) and sign in',
    description:
      'Passwordless: the sandbox needs only an email. The account gets a first device (Galaxy S25) with its own wallet id. Sets the session cookie too.',
    tags: ['wallet'],
    requestBody: { schema: createAccountInput },
    responses: {
      '201': { description: 'Signed up and signed in', schema: sessionResponseSchema },
      '400': errors['400'],
      '409': { description: 'An account with this email exists', schema: errorSchema },
    },
  });
  openapi.register({
    method: 'POST',
    path: '/wallet/api/sessions',
    operationId: 'signIn',
    summary: 'Sign in with an email (passwordless sandbox)',
    description: 'Starts on the account’s first device. The token works as a bearer token and as the cookie.',
    tags: ['wallet'],
    requestBody: { schema: signInInput },
    responses: {
      '201': { description: 'Signed in', schema: sessionResponseSchema },
      '400': errors['400'],
      '404': { description: 'No account has this email', schema: errorSchema },
    },
  });
  openapi.register({
    method: 'DELETE',
    path: '/wallet/api/sessions/current',
    operationId: 'endSession',
    summary: 'Sign out',
    tags: ['wallet'],
    security: wallet,
    responses: { '204': { description: 'Signed out' }, '401': errors['401'] },
  });
  openapi.register({
    method: 'GET',
    path: '/wallet/api/me',
    operationId: 'getMe',
    summary: 'The signed-in account, its current device and all its devices',
    tags: ['wallet'],
    security: wallet,
    responses: { '200': { description: 'The session', schema: meResponseSchema }, '401': errors['401'] },
  });
  openapi.register({
    method: 'GET',
    path: '/wallet/api/devices',
    operationId: 'listDevices',
    summary: 'The account’s devices, first device first',
    tags: ['wallet'],
    security: wallet,
    responses: {
      '200': { description: 'Devices', schema: z.object({ devices: z.array(walletDeviceSchema) }) },
      '401': errors['401'],
    },
  });
  openapi.register({
    method: 'POST',
    path: '/wallet/api/devices',
    operationId: 'addDevice',
    summary: 'Add a device (random IMEI/serial tails unless given; locale defaults to the account country)',
    tags: ['wallet'],
    security: wallet,
    requestBody: { schema: addDeviceInput, required: false },
    responses: {
      '201': {
        description: 'The new device',
        schema: z.object({ device: walletDeviceSchema, selected: z.boolean() }),
      },
      ...errors,
    },
  });
  openapi.register({
    method: 'POST',
    path: '/wallet/api/devices/:deviceId/select',
    operationId: 'selectDevice',
    summary: 'Make one of the account’s devices the session’s current device',
    tags: ['wallet'],
    security: wallet,
    responses: {
      '200': { description: 'The selected device', schema: z.object({ device: walletDeviceSchema }) },
      '401': errors['401'],
      '404': { description: 'Not a device of this account', schema: errorSchema },
    },
  });
  openapi.register({
    method: 'GET',
    path: '/wallet/api/items',
    operationId: 'listWalletItems',
    summary: 'The wallet’s cards and passes on a device (the current device by default)',
    tags: ['wallet'],
    security: wallet,
    parameters: [{ name: 'deviceId', in: 'query', description: 'one of the account’s devices' }],
    responses: {
      '200': {
        description: 'Items, newest first: the device’s and the account-wide ones',
        schema: z.object({ deviceId: z.string(), items: z.array(walletItemSchema) }),
      },
      ...errors,
      '404': { description: 'Not a device of this account', schema: errorSchema },
    },
  });
  openapi.register({
    method: 'POST',
    path: '/admin/v1/wallet/accounts',
    operationId: 'createAccount',
    summary: 'Create a sandbox wallet account (cardport wallet account create)',
    tags: ['admin'],
    security: ['adminToken'],
    requestBody: { schema: createAccountInput },
    responses: {
      '201': { description: 'The account and its first device', schema: accountDetailSchema },
      '400': errors['400'],
      '409': { description: 'An account with this email exists', schema: errorSchema },
    },
  });
  openapi.register({
    method: 'GET',
    path: '/admin/v1/wallet/accounts',
    operationId: 'listAccounts',
    summary: 'Sandbox wallet accounts, newest first',
    tags: ['admin'],
    security: ['adminToken'],
    parameters: [{ name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000 } }],
    responses: {
      '200': { description: 'Accounts', schema: z.object({ accounts: z.array(walletAccountSchema) }) },
    },
  });
  openapi.register({
    method: 'GET',
    path: '/admin/v1/wallet/accounts/:email',
    operationId: 'findAccountByEmail',
    summary: 'One account by email, with its devices and items (cardport wallet account show)',
    tags: ['admin'],
    security: ['adminToken'],
    responses: {
      '200': {
        description: 'The account',
        schema: accountDetailSchema.extend({ items: z.array(walletItemSchema) }),
      },
      '404': { description: 'No account has this email', schema: errorSchema },
    },
  });
}
