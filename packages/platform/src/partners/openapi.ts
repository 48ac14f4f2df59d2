// The onboarding admin API (partners, certificates, cards, services) in the
// platform's OpenAPI document (/docs). The `cardport` CLI is a client of exactly these operations.
import { z } from 'zod';
import { type OpenApiOperation, openapi } from '../core/openapi.ts';
import {
  createCardSchema,
  createCertificateSchema,
  createPartnerSchema,
  createServiceSchema,
  registerOutboundCertificateSchema,
  updatePartnerSchema,
} from './schemas.ts';

const errorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ field: z.string(), reason: z.string() })).optional(),
  }),
});

type Spec = [
  method: OpenApiOperation['method'],
  path: string,
  operationId: string,
  summary: string,
  body?: z.ZodType,
];

const operations: Spec[] = [
  [
    'POST',
    '/admin/v1/partners',
    'createPartner',
    'Register a partner from its CSR (see docs/pki.md)',
    createPartnerSchema,
  ],
  ['GET', '/admin/v1/partners', 'listPartners', 'List partners'],
  [
    'GET',
    '/admin/v1/partners/:partnerId',
    'showPartner',
    'A partner with its certificates, allow-list and outbound mTLS',
  ],
  [
    'PATCH',
    '/admin/v1/partners/:partnerId',
    'updatePartner',
    'Change name, notify URL, allow-list, options or strict mode',
    updatePartnerSchema,
  ],
  [
    'POST',
    '/admin/v1/partners/:partnerId/revoke',
    'revokePartner',
    'Revoke a partner: its mTLS requests are refused',
  ],
  [
    'POST',
    '/admin/v1/partners/:partnerId/certificates',
    'createCertificate',
    'Sign another CSR for the partner (rotation): a new certificateId',
    createCertificateSchema,
  ],
  [
    'POST',
    '/admin/v1/partners/:partnerId/certificates/:certificateId/revoke',
    'revokeCertificate',
    'Revoke one certificate',
  ],
  [
    'POST',
    '/admin/v1/partners/:partnerId/outbound-certificate',
    'registerOutboundCertificate',
    "Register the platform's outbound client certificate signed by the partner's CA",
    registerOutboundCertificateSchema,
  ],
  [
    'POST',
    '/admin/v1/cards',
    'createCard',
    'Register an Add to Wallet card (its type and subType)',
    createCardSchema,
  ],
  ['GET', '/admin/v1/cards', 'listCards', 'List Add to Wallet cards (?partnerId=)'],
  ['GET', '/admin/v1/cards/:cardId', 'getCard', 'One Add to Wallet card registration'],
  [
    'POST',
    '/admin/v1/services',
    'createService',
    'Register a Web Checkout service with its merchant CSR and domains',
    createServiceSchema,
  ],
  ['GET', '/admin/v1/services', 'listServices', 'List Web Checkout services (?partnerId=)'],
  ['GET', '/admin/v1/services/:serviceId', 'getService', 'One Web Checkout service'],
];

const created = new Set(['createPartner', 'createCertificate', 'createCard', 'createService']);

export function registerOnboardingOpenApi(): void {
  for (const [method, path, operationId, summary, body] of operations) {
    openapi.register({
      method,
      path,
      operationId,
      summary,
      tags: ['admin'],
      security: ['adminToken'],
      ...(body ? { requestBody: { schema: body } } : {}),
      responses: {
        [created.has(operationId) ? '201' : '200']: {
          description: 'Done; the body describes the record',
        },
        '400': { description: 'Invalid input (details name each field)', schema: errorSchema },
        '401': { description: 'Missing or wrong admin token', schema: errorSchema },
        '404': { description: 'Unknown partner, card or service', schema: errorSchema },
      },
    });
  }
  annotateOnboardingOperations();
}

const partnerId = '11349048051655583313747295984994';
const cardId = '6etnm56xbofhj';
const serviceId = '688e713233b5060961f17483148c799e';
const csrPem =
  '-----BEGIN CERTIFICATE REQUEST-----\nMIICXjCCAUYCAQAwGTEXMBUGA1UEAxMORXhhbXBsZSBCYW5rMIIBIjANBgkqhkiG9w0B\n…\n-----END CERTIFICATE REQUEST-----\n';

const partnerIdParameter = {
  name: 'partnerId',
  in: 'path' as const,
  description: 'The partner (32 decimal digits, as createPartner returned it)',
  example: partnerId,
};
const partnerFilter = {
  name: 'partnerId',
  in: 'query' as const,
  description: 'Only the records of this partner',
  example: partnerId,
};

/**
 * Parameters and examples of the onboarding operations. The answers are what a sandbox returned
 * (PEM bodies shortened with …).
 */
export function annotateOnboardingOperations(): void {
  openapi.annotate('createPartner', {
    requestExample: {
      name: 'Example Bank',
      csrPem,
      notifyUrl: 'https://bank.example/s2p',
      allowIps: ['203.0.113.0/24'],
    },
    responseExamples: {
      '201': {
        partnerId: '11349048051655583313747295984994',
        certificateId: 'VndG',
        name: 'Example Bank',
        clientCertificatePem:
          '-----BEGIN CERTIFICATE-----\nMIIDVDCCAjygAwIBAgIQVHeHMcMZctUjYPD6v6yJUzANBgkqhkiG9w0BAQsFADA+\n…\n-----END CERTIFICATE-----\n',
        caCertificatePem:
          '-----BEGIN CERTIFICATE-----\nMIIDSDCCAjCgAwIBAgIQdaXFK6rBz/V8WyviDYgI3DANBgkqhkiG9w0BAQsFADA+\n…\n-----END CERTIFICATE-----\n',
        platformCertificatePem:
          '-----BEGIN CERTIFICATE-----\nMIIDjDCCAnSgAwIBAgIQRJ2IGwK5F9uwrkreGgbq1zANBgkqhkiG9w0BAQsFADA+\n…\n-----END CERTIFICATE-----\n',
        authCertificatePem:
          '-----BEGIN CERTIFICATE-----\nMIIDZDCCAkygAwIBAgIQVaQjUs0xI7LgSky25VYtkDANBgkqhkiG9w0BAQsFADA+\n…\n-----END CERTIFICATE-----\n',
        outboundCsrPem:
          '-----BEGIN CERTIFICATE REQUEST-----\nMIICpjCCAY4CAQAwYTFEMEIGA1UEAxM7Q2FyZHBvcnQgcGxhdGZvcm0gb3V0Ym91\n…\n-----END CERTIFICATE REQUEST-----\n',
      },
      '400': {
        error: {
          code: 'INVALID_INPUT',
          message: 'invalid request body',
          details: [{ field: 'csrPem', reason: 'required' }],
        },
      },
    },
  });
  openapi.annotate('listPartners', {
    responseExamples: {
      '200': {
        partners: [
          {
            partnerId: '11349048051655583313747295984994',
            name: 'Example Bank',
            status: 'active',
            notifyUrl: 'https://bank.example/s2p',
            allowIps: ['203.0.113.0/24'],
            options: {
              welcomeUrlLifetimeMs: 86400000,
              acceptOpaqueIssuerBlobs: false,
            },
            strict: false,
            createdAt: 1795739939952,
            revokedAt: null,
          },
        ],
      },
    },
  });
  openapi.annotate('showPartner', {
    parameters: [partnerIdParameter],
    responseExamples: {
      '200': {
        partnerId: '11349048051655583313747295984994',
        name: 'Example Bank',
        status: 'active',
        notifyUrl: 'https://bank.example/s2p',
        allowIps: ['203.0.113.0/24'],
        options: {
          welcomeUrlLifetimeMs: 86400000,
          acceptOpaqueIssuerBlobs: false,
        },
        strict: false,
        createdAt: 1795739939952,
        revokedAt: null,
        certificates: [
          {
            certificateId: 'VndG',
            status: 'active',
            fingerprint256: '15d5b3160ce30746b20ad27bd0d9ec1cc0ad70033b7fe3339aa08830d5532691',
            serialNumber: '54778731C31972D52360F0FABFAC8953',
            subject: 'CN=Example Bank',
            notAfter: 1867019939000,
            createdAt: 1795739939952,
            revokedAt: null,
          },
        ],
        platformCertificatePem:
          '-----BEGIN CERTIFICATE-----\nMIIDjDCCAnSgAwIBAgIQRJ2IGwK5F9uwrkreGgbq1zANBgkqhkiG9w0BAQsFADA+\n…\n-----END CERTIFICATE-----\n',
        outbound: {
          csrPem:
            '-----BEGIN CERTIFICATE REQUEST-----\nMIICpjCCAY4CAQAwYTFEMEIGA1UEAxM7Q2FyZHBvcnQgcGxhdGZvcm0gb3V0Ym91\n…\n-----END CERTIFICATE REQUEST-----\n',
          certificatePem: null,
          configured: false,
          partnerCaFingerprints: [],
        },
        serverTrust: {
          source: null,
          caFingerprints: [],
        },
      },
    },
  });
  openapi.annotate('updatePartner', {
    parameters: [partnerIdParameter],
    requestExample: { options: { welcomeUrlLifetimeMs: 3600000 }, strict: true },
    responseExamples: {
      '200': {
        partnerId: '11349048051655583313747295984994',
        name: 'Example Bank',
        status: 'active',
        notifyUrl: 'https://bank.example/s2p',
        allowIps: ['203.0.113.0/24'],
        options: {
          welcomeUrlLifetimeMs: 3600000,
          acceptOpaqueIssuerBlobs: false,
        },
        strict: true,
        createdAt: 1795739939952,
        revokedAt: null,
      },
    },
  });
  openapi.annotate('revokePartner', {
    parameters: [partnerIdParameter],
    responseExamples: {
      '200': {
        partnerId: '11349048051655583313747295984994',
        name: 'Example Bank',
        status: 'revoked',
        notifyUrl: 'https://bank.example/s2p',
        allowIps: ['203.0.113.0/24'],
        options: {
          welcomeUrlLifetimeMs: 3600000,
          acceptOpaqueIssuerBlobs: false,
        },
        strict: true,
        createdAt: 1795739939952,
        revokedAt: 1795739941023,
      },
    },
  });
  openapi.annotate('createCertificate', {
    parameters: [partnerIdParameter],
    requestExample: { csrPem },
    responseExamples: {
      '201': {
        partnerId: '11349048051655583313747295984994',
        certificateId: 'nKzG',
        clientCertificatePem:
          '-----BEGIN CERTIFICATE-----\nMIIDVDCCAjygAwIBAgIQbJmZM+5kJlpYej70YezzuTANBgkqhkiG9w0BAQsFADA+\n…\n-----END CERTIFICATE-----\n',
        caCertificatePem:
          '-----BEGIN CERTIFICATE-----\nMIIDSDCCAjCgAwIBAgIQdaXFK6rBz/V8WyviDYgI3DANBgkqhkiG9w0BAQsFADA+\n…\n-----END CERTIFICATE-----\n',
      },
    },
  });
  openapi.annotate('revokeCertificate', {
    parameters: [
      partnerIdParameter,
      { name: 'certificateId', in: 'path', description: 'The certificate to revoke', example: 'nKzG' },
    ],
    responseExamples: {
      '200': {
        certificateId: 'nKzG',
        status: 'revoked',
        fingerprint256: '1167c0702571d95b7fd19504e446a167b395d8e78b78ea6f1b16b1f0494210e6',
        serialNumber: '6C999933EE64265A587A3EF461ECF3B9',
        subject: 'CN=Example Bank',
        notAfter: 1867019940000,
        createdAt: 1795739940347,
        revokedAt: 1795739940352,
      },
    },
  });
  openapi.annotate('registerOutboundCertificate', {
    parameters: [partnerIdParameter],
    requestExample: {
      certificatePem:
        '-----BEGIN CERTIFICATE-----\nMIIDXTCCAkWgAwIBAgIUb3V0Ym91bmQtY2xpZW50LWNlcnQwDQYJKoZIhvcNAQEL\n…\n-----END CERTIFICATE-----\n',
      partnerCaPem:
        '-----BEGIN CERTIFICATE-----\nMIIDazCCAlOgAwIBAgIUcGFydG5lci1jYS1yb290LWNlcnQwDQYJKoZIhvcNAQEL\n…\n-----END CERTIFICATE-----\n',
    },
    responseExamples: {
      '200': {
        partnerId: '11349048051655583313747295984994',
        name: 'Example Bank',
        status: 'active',
        notifyUrl: 'https://bank.example/s2p',
        allowIps: ['203.0.113.0/24'],
        options: {
          welcomeUrlLifetimeMs: 86400000,
          acceptOpaqueIssuerBlobs: false,
        },
        strict: false,
        createdAt: 1795739939952,
        revokedAt: null,
        certificates: [
          {
            certificateId: 'VndG',
            status: 'active',
            fingerprint256: '15d5b3160ce30746b20ad27bd0d9ec1cc0ad70033b7fe3339aa08830d5532691',
            serialNumber: '54778731C31972D52360F0FABFAC8953',
            subject: 'CN=Example Bank',
            notAfter: 1867019939000,
            createdAt: 1795739939952,
            revokedAt: null,
          },
        ],
        platformCertificatePem:
          '-----BEGIN CERTIFICATE-----\nMIIDjDCCAnSgAwIBAgIQRJ2IGwK5F9uwrkreGgbq1zANBgkqhkiG9w0BAQsFADA+\n…\n-----END CERTIFICATE-----\n',
        outbound: {
          csrPem:
            '-----BEGIN CERTIFICATE REQUEST-----\nMIICpjCCAY4CAQAwYTFEMEIGA1UEAxM7Q2FyZHBvcnQgcGxhdGZvcm0gb3V0Ym91\n…\n-----END CERTIFICATE REQUEST-----\n',
          certificatePem: null,
          configured: false,
          partnerCaFingerprints: [],
        },
        serverTrust: {
          source: null,
          caFingerprints: [],
        },
      },
    },
  });
  openapi.annotate('createCard', {
    requestExample: {
      partnerId,
      type: 'ticket',
      subType: 'movies',
      partnerUrl: 'https://issuer.example/wallet',
    },
    responseExamples: {
      '201': {
        cardId: '6etnm56xbofhj',
        partnerId: '11349048051655583313747295984994',
        type: 'ticket',
        subType: 'movies',
        partnerUrl: 'https://issuer.example/wallet',
        createdAt: 1795739940360,
      },
    },
  });
  openapi.annotate('listCards', {
    parameters: [partnerFilter],
    responseExamples: {
      '200': {
        cards: [
          {
            cardId: '6etnm56xbofhj',
            partnerId: '11349048051655583313747295984994',
            type: 'ticket',
            subType: 'movies',
            partnerUrl: 'https://issuer.example/wallet',
            createdAt: 1795739940360,
          },
        ],
      },
    },
  });
  openapi.annotate('getCard', {
    parameters: [
      { name: 'cardId', in: 'path', description: 'The card id createCard returned', example: cardId },
    ],
    responseExamples: {
      '200': {
        cardId: '6etnm56xbofhj',
        partnerId: '11349048051655583313747295984994',
        type: 'ticket',
        subType: 'movies',
        partnerUrl: 'https://issuer.example/wallet',
        createdAt: 1795739940360,
      },
    },
  });
  openapi.annotate('createService', {
    requestExample: { partnerId, name: 'Example Shop', csrPem, domains: ['shop.example'] },
    responseExamples: {
      '201': {
        serviceId: '688e713233b5060961f17483148c799e',
        partnerId: '11349048051655583313747295984994',
        name: 'Example Shop',
        merchantPublicKeyPem:
          '-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAzXuwFvhg8hmweRM1dpA6\n…\n-----END PUBLIC KEY-----\n',
        merchantKeyId: 'qftAS8rFSY/OaW2s4Tj6xtnKWHWgS5+T+EWlzHwdcDI=',
        domains: ['shop.example'],
        healthUrl: null,
        createdAt: 1795739940718,
      },
    },
  });
  openapi.annotate('listServices', {
    parameters: [partnerFilter],
    responseExamples: {
      '200': {
        services: [
          {
            serviceId: '688e713233b5060961f17483148c799e',
            partnerId: '11349048051655583313747295984994',
            name: 'Example Shop',
            merchantPublicKeyPem:
              '-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAzXuwFvhg8hmweRM1dpA6\n…\n-----END PUBLIC KEY-----\n',
            merchantKeyId: 'qftAS8rFSY/OaW2s4Tj6xtnKWHWgS5+T+EWlzHwdcDI=',
            domains: ['shop.example'],
            healthUrl: null,
            createdAt: 1795739940718,
          },
        ],
      },
    },
  });
  openapi.annotate('getService', {
    parameters: [
      {
        name: 'serviceId',
        in: 'path',
        description: 'The service id createService returned',
        example: serviceId,
      },
    ],
    responseExamples: {
      '200': {
        serviceId: '688e713233b5060961f17483148c799e',
        partnerId: '11349048051655583313747295984994',
        name: 'Example Shop',
        merchantPublicKeyPem:
          '-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAzXuwFvhg8hmweRM1dpA6\n…\n-----END PUBLIC KEY-----\n',
        merchantKeyId: 'qftAS8rFSY/OaW2s4Tj6xtnKWHWgS5+T+EWlzHwdcDI=',
        domains: ['shop.example'],
        healthUrl: null,
        createdAt: 1795739940718,
      },
    },
  });
}
