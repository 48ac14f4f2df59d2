// HTTP of the token service on the main listener: the public key partners encrypt issuerBlobs
// to, the documented test cards, and the cryptogram validation the demo shop's acquirer calls.
// Wire format ours (JSON, the platform's `{error:{code,message,details}}` envelope).
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../core/context.ts';
import { openapi } from '../core/openapi.ts';
import { validateCryptogram } from './cryptograms.ts';
import { getTspPublicKeyPem } from './keys.ts';
import { annotateTokenServiceOperations } from './openapi.ts';
import { errorSchema, parseInput, validateCryptogramInput, validationResultSchema } from './schemas.ts';
import { testCardCatalogue, testCardsSchema } from './test-cards.ts';

/** What the token service's routes need from the app context (tests mount them on a bare app). */
export type TspRouteDeps = Pick<AppContext, 'db' | 'clock' | 'keys'>;

export function registerTspRoutes(app: FastifyInstance, deps: TspRouteDeps): void {
  app.get('/tsp/v1/public-key.pem', async (_req, reply) => {
    const pem = await getTspPublicKeyPem(deps.db, deps);
    reply.header('content-type', 'application/x-pem-file; charset=utf-8');
    reply.header('cache-control', 'public, max-age=300');
    return pem;
  });

  app.get('/tsp/v1/test-cards', async () => testCardCatalogue());

  app.post('/tsp/v1/cryptograms/validate', async (req) => {
    // Parsed here too so a bad body is a 400 naming fields, never echoing the PAN or cryptogram.
    const body = parseInput(validateCryptogramInput, req.body);
    const result = await validateCryptogram(deps.db, deps, body);
    if (result.valid) return { valid: true, brand: result.brand, fundingLast4: result.fundingLast4 };
    return {
      valid: false,
      reason: result.reason,
      message: result.message,
      ...(result.declineCode ? { declineCode: result.declineCode } : {}),
      ...(result.brand ? { brand: result.brand } : {}),
      ...(result.fundingLast4 ? { fundingLast4: result.fundingLast4 } : {}),
    };
  });

  openapi.registerTag({
    name: 'token-service',
    description:
      'Simulated card-network token service (TSP): the key issuerBlobs are encrypted to, the sandbox test cards, and cryptogram validation for acquirers. See docs/token-service.md.',
  });
  openapi.register({
    method: 'GET',
    path: '/tsp/v1/public-key.pem',
    operationId: 'getTspPublicKeyPem',
    summary: 'The token service public key (RSA-2048, SPKI PEM) that issuerBlobs are encrypted to',
    description:
      'Save to Pay partners encrypt the sandbox issuerBlob to this key: compact JWE, RSA-OAEP-256 + A256GCM, payload {pan, expMonth, expYear, cardholderName?, deviceId, walletId}.',
    tags: ['token-service'],
    responses: {
      '200': {
        description: 'The public key',
        contentType: 'application/x-pem-file',
        schema: { type: 'string' },
      },
    },
  });
  openapi.register({
    method: 'GET',
    path: '/tsp/v1/test-cards',
    operationId: 'listTestCards',
    summary: 'The documented sandbox test PANs, magic PANs and token BIN prefixes per brand',
    tags: ['token-service'],
    responses: { '200': { description: 'Test cards per brand', schema: testCardsSchema } },
  });
  openapi.register({
    method: 'POST',
    path: '/tsp/v1/cryptograms/validate',
    operationId: 'validateCryptogram',
    summary: 'Validate a payment cryptogram (what an acquirer does before charging)',
    description:
      'Fields as in the decrypted payment credential: tokenPan, tokenPanExpiration (MMYY), cryptogram (base64), amountMinor, currency, utc, plus the merchantRef the payment was minted for. A cryptogram is single-use and valid for 10 minutes after utc. An invalid cryptogram is a 200 with valid: false and a reason.',
    tags: ['token-service'],
    requestBody: { schema: validateCryptogramInput },
    responses: {
      '200': { description: 'The verdict', schema: validationResultSchema },
      '400': { description: 'Invalid input (details name the fields)', schema: errorSchema },
    },
  });
  annotateTokenServiceOperations();
}
