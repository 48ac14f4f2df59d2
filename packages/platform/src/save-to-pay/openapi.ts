// Examples and parameter details of the Save to Pay operations in the OpenAPI document (/docs).
// The operations themselves are registered with the routes (routes.ts); PROTOCOLS.md 1 is the wire.
import { S2P_HEADERS } from '@cardport/protocol';
import { openapi } from '../core/openapi.ts';

const requestId = '3f1c6a52-8d0e-4b7a-9c21-5e4d2f7b9a10';
const partnerId = '41720938165520473910284756310928';
const regId = '9d2f7e3a-41c8-4b6d-a0e5-7c3b18f6d294';
const welcomeToken =
  'eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..Vb3kq7ZxH1c0mQ2r.W1dM9yVxk6J2LqPzT0b4sA8hYc3uE5nR.2fX9kLp0Qa7sD3gH6jZ1wA';

const headers = [
  { name: S2P_HEADERS.requestId, in: 'header' as const, required: true, example: requestId },
  { name: S2P_HEADERS.partnerId, in: 'header' as const, required: true, example: partnerId },
];

const registration = {
  id: regId,
  welcomeUrl: `https://127.0.0.1:8080/s2p/v1/welcome/${welcomeToken}`,
  status: 'PENDING',
  welcomeUrlExpiration: 1764288000000,
  provisioningStatus: 'NONE',
};

/** Adds the examples to the operations `registerOpenApi` in routes.ts registered. */
export function annotateSaveToPayOperations(): void {
  openapi.registerSecurityScheme('partnerCertificate', {
    type: 'mutualTLS',
    description: 'The client certificate the sandbox CA signed from the partner’s CSR, on the mTLS listener.',
  });
  openapi.annotate('createRegistration', {
    security: ['partnerCertificate'],
    parameters: headers,
    requestExample: {
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
    responseExamples: {
      '201': registration,
      '400': {
        code: '400.1',
        message: 'Invalid Data',
        details: [{ field: 'custom.cardName', reason: 'required' }],
      },
      '403': { code: '403.1', message: 'Forbidden' },
      '503': { code: '503.2', message: 'API Temporarily Unavailable' },
    },
  });
  openapi.annotate('retrieveRegistration', {
    security: ['partnerCertificate'],
    parameters: [
      ...headers,
      { name: 'regId', in: 'path', description: 'The id createRegistration returned', example: regId },
    ],
    responseExamples: {
      '200': { ...registration, status: 'LINKED', provisioningStatus: 'IN_PROGRESS' },
      '404': { code: '404.1', message: 'Not Found' },
    },
  });
  openapi.annotate('showWelcomePage', {
    parameters: [
      { name: 'token', in: 'path', description: 'The token at the end of welcomeUrl', example: welcomeToken },
    ],
    responseExamples: {
      '200':
        '<!doctype html><html lang="en"><head><title>Example Bank Platinum · Save to Samsung Wallet</title>…',
    },
  });
  openapi.annotate('getS2pJs', {
    responseExamples: {
      '200':
        '(() => { … window.spay = { saveToPayUI: { showWelcomeModal, showWelcomeModalPromise, closeWelcomeModal } }; })();',
    },
  });
}
