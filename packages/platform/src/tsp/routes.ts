// HTTP of the token service on the main listener: the public key partners encrypt issuerBlobs
// to, the documented test cards, and the cryptogram validation the demo shop's acquirer calls.
// Wire format ours (JSON, the platform's `{error:{code,message,details}}` envelope).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../core/context.ts';
import { describeApi, documentedOnly, type ZodTypeProvider } from '../core/routes.ts';
import { validateCryptogram } from './cryptograms.ts';
import { getTspPublicKeyPem } from './keys.ts';
import { errorSchema, parseInput, validateCryptogramInput, validationResultSchema } from './schemas.ts';
import { testCardCatalogue, testCardsSchema } from './test-cards.ts';

/** What the token service's routes need from the app context (tests mount them on a bare app). */
export type TspRouteDeps = Pick<AppContext, 'db' | 'clock' | 'keys'>;

const pemExample =
  '-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAzXuwFvhg8hmweRM1dpA6\n…\n-----END PUBLIC KEY-----\n';

const testCardsResponse = testCardsSchema.meta({
  description: 'Test cards per brand',
  examples: [
    {
      brands: [
        {
          brand: 'VI',
          name: 'Visa',
          testPans: ['4111111111111111', '4242424242424242', '4012888888881881', '4000056655665556'],
          magicPans: {
            TOKENIZATION_DECLINED: '4000000000000002',
            CARD_EXPIRED: '4000000000000069',
            INSUFFICIENT_FUNDS: '4000000000000994',
            PAYMENT_DECLINED: '4000000000000119',
          },
          tokenBinPrefix: '489537',
        },
        {
          brand: 'MC',
          name: 'Mastercard',
          testPans: ['5555555555554444', '5105105105105100', '2223003122003222', '5200828282828210'],
          magicPans: {
            TOKENIZATION_DECLINED: '5100000000000008',
            CARD_EXPIRED: '5100000000000065',
            INSUFFICIENT_FUNDS: '5100000000000990',
            PAYMENT_DECLINED: '5100000000000115',
          },
          tokenBinPrefix: '521415',
        },
        {
          brand: 'AX',
          name: 'American Express',
          testPans: ['378282246310005', '371449635398431', '378734493671000'],
          magicPans: {
            TOKENIZATION_DECLINED: '340000000000009',
            CARD_EXPIRED: '340000000000066',
            INSUFFICIENT_FUNDS: '340000000000991',
            PAYMENT_DECLINED: '340000000000116',
          },
          tokenBinPrefix: '374200',
        },
        {
          brand: 'DS',
          name: 'Discover',
          testPans: ['6011111111111117', '6011000990139424', '6445644564456445'],
          magicPans: {
            TOKENIZATION_DECLINED: '6011000000000004',
            CARD_EXPIRED: '6011000000000061',
            INSUFFICIENT_FUNDS: '6011000000000996',
            PAYMENT_DECLINED: '6011000000000111',
          },
          tokenBinPrefix: '601199',
        },
      ],
    },
  ],
});

/** The body of a cryptogram validation as the document shows it (the wire: strings, utc either). */
const validateCryptogramBody = z
  .strictObject({
    tokenPan: z.string().meta({ description: 'The credential’s tokenPAN' }),
    tokenPanExpiration: z.string().meta({ description: 'MMYY' }),
    cryptogram: z.string().meta({ description: 'Base64, as minted' }),
    amountMinor: z.string().meta({ description: 'Minor units, digits' }),
    currency: z.string().meta({ description: 'ISO 4217' }),
    merchantRef: z.string().meta({ description: 'What the payment was minted for' }),
    utc: z.union([z.number(), z.string()]).meta({ description: 'Epoch ms, number or digit string' }),
  })
  .meta({
    examples: [
      {
        tokenPan: '4895370012345678',
        tokenPanExpiration: '1129',
        cryptogram: 'AgAAAAAAAIR8CQrXcIhbQAAAAAA=',
        amountMinor: '9876',
        currency: 'USD',
        merchantRef: 'A-1042',
        utc: '1764201600000',
      },
    ],
  });

export function registerTspRoutes(app: FastifyInstance, deps: TspRouteDeps): void {
  describeApi(app, {
    tags: [
      {
        name: 'token-service',
        description:
          'Simulated card-network token service (TSP): the key issuerBlobs are encrypted to, the sandbox test cards, and cryptogram validation for acquirers. See docs/token-service.md.',
      },
    ],
  });
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.get(
    '/tsp/v1/public-key.pem',
    {
      schema: {
        operationId: 'getTspPublicKeyPem',
        summary: 'The token service public key (RSA-2048, SPKI PEM) that issuerBlobs are encrypted to',
        description:
          'Save to Pay partners encrypt the sandbox issuerBlob to this key: compact JWE, RSA-OAEP-256 + A256GCM, payload {pan, expMonth, expYear, cardholderName?, deviceId, walletId}.',
        tags: ['token-service'],
        produces: ['application/x-pem-file'],
        response: { 200: z.string().meta({ description: 'The public key', examples: [pemExample] }) },
      },
    },
    async (_req, reply) => {
      const pem = await getTspPublicKeyPem(deps.db, deps);
      reply.header('content-type', 'application/x-pem-file; charset=utf-8');
      reply.header('cache-control', 'public, max-age=300');
      return pem;
    },
  );

  api.get(
    '/tsp/v1/test-cards',
    {
      schema: {
        operationId: 'listTestCards',
        summary: 'The documented sandbox test PANs, magic PANs and token BIN prefixes per brand',
        tags: ['token-service'],
        response: { 200: testCardsResponse },
      },
    },
    async () => testCardCatalogue(),
  );

  api.post(
    '/tsp/v1/cryptograms/validate',
    {
      schema: {
        operationId: 'validateCryptogram',
        summary: 'Validate a payment cryptogram (what an acquirer does before charging)',
        description:
          'Fields as in the decrypted payment credential: tokenPan, tokenPanExpiration (MMYY), cryptogram (base64), amountMinor, currency, utc, plus the merchantRef the payment was minted for. A cryptogram is single-use and valid for 10 minutes after utc. An invalid cryptogram is a 200 with valid: false and a reason.',
        tags: ['token-service'],
        // Parsed in the handler with the token service's own schema (its transforms would hide the
        // example from the document): a bad body is a 400 naming fields, never echoing the PAN.
        body: documentedOnly(validateCryptogramBody),
        response: {
          200: validationResultSchema.meta({
            description: 'The verdict',
            examples: [{ valid: true, brand: 'VI', fundingLast4: '4242' }],
          }),
          400: errorSchema.meta({ description: 'Invalid input (details name the fields)' }),
        },
      },
    },
    async (req) => {
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
    },
  );
}
