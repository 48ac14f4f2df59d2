// Examples of the token service operations in the OpenAPI document (/docs). The operations are
// registered in routes.ts; the test cards are what a sandbox returned.
import { openapi } from '../core/openapi.ts';

/** Adds the examples to the token service operations. */
export function annotateTokenServiceOperations(): void {
  openapi.annotate('listTestCards', {
    responseExamples: {
      '200': {
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
    },
  });
  openapi.annotate('getTspPublicKeyPem', {
    responseExamples: {
      '200':
        '-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAzXuwFvhg8hmweRM1dpA6\n…\n-----END PUBLIC KEY-----\n',
    },
  });
  openapi.annotate('validateCryptogram', {
    requestExample: {
      tokenPan: '4895370012345678',
      tokenPanExpiration: '1129',
      cryptogram: 'AgAAAAAAAIR8CQrXcIhbQAAAAAA=',
      amountMinor: '9876',
      currency: 'USD',
      merchantRef: 'A-1042',
      utc: '1764201600000',
    },
    responseExamples: {
      '200': { valid: true, brand: 'VI', fundingLast4: '4242' },
      '400': {
        error: {
          code: 'INVALID_INPUT',
          message: 'invalid request body: tokenPan required',
          details: [
            {
              field: 'tokenPan',
              reason: 'required',
            },
            {
              field: 'tokenPanExpiration',
              reason: 'required',
            },
            {
              field: 'cryptogram',
              reason: 'required',
            },
            {
              field: 'amountMinor',
              reason: 'required',
            },
            {
              field: 'currency',
              reason: 'required',
            },
            {
              field: 'merchantRef',
              reason: 'required',
            },
            {
              field: 'utc',
              reason: 'required',
            },
          ],
        },
      },
    },
  });
}
