// The Web Checkout operations in the OpenAPI document (/docs), with their examples and parameter
// details; routes.ts registers them with the routes. PROTOCOLS.md 4 is the wire.
import {
  createTransactionRequestSchema,
  createTransactionResponseSchema,
  getPaymentCredentialsResponseSchema,
  paymentNotificationSchema,
  webCheckoutResultSchema,
} from '@cardport/protocol';
import { openapi } from '../core/openapi.ts';
import { credentialLifetimeMs } from './deps.ts';

const requestIdHeader = {
  name: 'X-Request-Id',
  in: 'header' as const,
  required: false,
  description:
    'Optional; the request log and the dashboard key the call by it. No auth header: access is by IP allow-list plus serviceId.',
  example: '5b1f0e2c9d8a4c3e8f7a6b5c4d3e2f10',
};
const serviceId = 'a1b2c3d4e5f6a7b8c9d0e1f2';
const transactionId = '7f3a9c1e5b2d8f4a6c0e91';
const referenceId = 'c4e8a2f6b0d9e7c5a3f1b8';

/** Adds the examples to the operations `registerWebCheckoutOpenApi` registered. */
export function annotateWebCheckoutOperations(): void {
  openapi.annotate('createTransaction', {
    parameters: [requestIdHeader],
    requestExample: {
      callback: 'https://shop.example/checkout/complete?order=A-1042',
      paymentDetails: {
        service: { id: serviceId },
        orderNumber: 'A-1042',
        recurring: false,
        protocol: { type: '3DS', version: '80' },
        amount: { option: 'FORMAT_TOTAL_ESTIMATED_AMOUNT', currency: 'USD', total: 98.76 },
        merchant: { name: 'Example Shop', url: 'shop.example', reference: 'A-1042' },
        allowedBrands: ['VI', 'MC'],
      },
    },
    responseExamples: {
      '200': {
        resultCode: '0',
        resultMessage: 'SUCCESS',
        id: transactionId,
        href: 'http://127.0.0.1:8080/gsmpi/',
        encInfo: {
          mod: 'c3a1f0e9b27d4c5a8e61f2d09b3c7a4e5f8d1b2c3a4e5f60718293a4b5c6d7e8',
          exp: '10001',
          keyId: 'wc-key-7f3a9c1e',
        },
      },
      '400': {
        resultCode: 'OPM1N1001',
        resultMessage: 'Mandatory parameter is missing: paymentDetails.orderNumber required',
      },
      '404': { resultCode: 'OPM1N1035', resultMessage: 'Service does not exist' },
    },
  });
  openapi.annotate('getPaymentCredentials', {
    parameters: [
      {
        name: 'referenceId',
        in: 'path',
        description: 'The ref_id the checkout added to the callback URL after approval',
        example: referenceId,
      },
      {
        name: 'serviceId',
        in: 'query',
        description: 'The service the transaction was created for',
        example: serviceId,
      },
      requestIdHeader,
    ],
    responseExamples: {
      '200': {
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
      '400': { resultCode: 'OPM1N1002', resultMessage: 'Invalid parameter value: referenceId expired' },
    },
  });
  openapi.annotate('notifyPaymentResult', {
    parameters: [requestIdHeader],
    requestExample: {
      payment: {
        service: { id: serviceId },
        reference: referenceId,
        status: 'CHARGED',
        provider: 'Example Acquirer',
        merchant: { name: 'Example Shop' },
      },
      timestamp: 1764201600000,
    },
    responseExamples: { '201': { resultCode: '0', resultMessage: 'SUCCESS' } },
  });
  openapi.annotate('checkWebCheckoutHealth', { parameters: [requestIdHeader] });
  openapi.annotate('openCheckout', {
    requestExample:
      'domains=shop.example&myOrigin=https%253A%252F%252Fshop.example&transactionId=9e1f…&href=http%253A%252F%252F127.0.0.1%253A8080%252Fgsmpi%252F&serviceId=5a7c…&callbackUrl=https%253A%252F%252Fshop.example%252Fcheckout%252Fcomplete&cancelUrl=https%253A%252F%252Fshop.example%252Fcart&countryCode=us&isWindow=false&mod=c3a1…&exp=10001&keyId=wc-key-7f3a9c1e',
  });
}

/** The Web Checkout operations and their error answers (PROTOCOLS.md 4). */
export function registerWebCheckoutOpenApi(): void {
  openapi.registerTag({
    name: 'web-checkout',
    description:
      'Samsung Pay Web Checkout v1: the Server API a merchant or payment gateway calls, and the checkout UI the JS SDK posts to. Errors are {resultCode, resultMessage}. See the Web Checkout guide.',
  });
  const errors = {
    '400': {
      description:
        'OPM1N1001 missing, OPM1N1002 invalid value, OPM1N1003 invalid format, OPM1N1026 inconsistent',
      schema: webCheckoutResultSchema,
    },
    '404': { description: 'OPM1N1035 the service does not exist', schema: webCheckoutResultSchema },
  };
  openapi.register({
    method: 'POST',
    path: '/ops/v1/transactions',
    operationId: 'createTransaction',
    summary: 'Create a transaction: its id, the checkout UI href and the encInfo key for SamsungPay.connect',
    tags: ['web-checkout'],
    requestBody: { schema: createTransactionRequestSchema },
    responses: { '200': { description: 'Created', schema: createTransactionResponseSchema }, ...errors },
  });
  openapi.register({
    method: 'GET',
    path: '/ops/v1/transactions/paymentCredentials/{referenceId}',
    operationId: 'getPaymentCredentials',
    summary: 'Retrieve the payment credential (JWE, RSA1_5 + A128GCM, empty AAD) of an approved payment',
    description: `Available for ${credentialLifetimeMs / 60_000} minutes after approval; then OPM1N1002 (expired).`,
    tags: ['web-checkout'],
    parameters: [
      { name: 'referenceId', in: 'path', required: true, schema: { type: 'string' } },
      { name: 'serviceId', in: 'query', required: true, schema: { type: 'string' } },
    ],
    responses: {
      '200': { description: 'The credential', schema: getPaymentCredentialsResponseSchema },
      ...errors,
    },
  });
  openapi.register({
    method: 'POST',
    path: '/ops/v1/notifications',
    operationId: 'notifyPaymentResult',
    summary: 'Notify the payment result (CHARGED, CANCELED/CANCELLED, REJECTED, TIMEOUT, ERRED)',
    tags: ['web-checkout'],
    requestBody: { schema: paymentNotificationSchema },
    responses: { '201': { description: 'Recorded', schema: webCheckoutResultSchema }, ...errors },
  });
  openapi.register({
    method: 'HEAD',
    path: '/ops/v1/internal/health',
    operationId: 'checkWebCheckoutHealth',
    summary: 'Health check: 204 when healthy (the partner side of the bidirectional check calls it)',
    tags: ['web-checkout'],
    responses: { '204': { description: 'Healthy' } },
  });
  openapi.register({
    method: 'POST',
    path: '/gsmpi/pc_gsmpi/index.do',
    operationId: 'openCheckout',
    summary:
      'Checkout UI entry (PC): the form POST of SamsungPay.connect; /gsmpi/m_gsmpi/mobileIndex.do on Android mobile',
    tags: ['web-checkout'],
    requestBody: {
      schema: {
        type: 'object',
        description:
          'domains, myOrigin, transactionId, href, serviceId, callbackUrl, cancelUrl, countryCode, isWindow, mod, exp, keyId (each URL-encoded twice)',
      },
      contentType: 'application/x-www-form-urlencoded',
    },
    responses: { '303': { description: 'To the checkout page (PC) or the wallet (mobile)' } },
  });
}
