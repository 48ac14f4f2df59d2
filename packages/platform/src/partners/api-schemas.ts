// The declared wire of the onboarding admin API (/admin/v1/partners, cards, services): bodies
// with their examples, parameters and answers as /docs shows them (values a sandbox returned,
// PEM bodies shortened with …). The inputs themselves are in schemas.ts (the services parse them).
import { z } from 'zod';
import { platformErrorSchema } from '../core/http.ts';
import {
  createCardSchema,
  createCertificateSchema,
  createPartnerSchema,
  createServiceSchema,
  registerOutboundCertificateSchema,
  updatePartnerSchema,
} from './schemas.ts';

const partnerId = '11349048051655583313747295984994';
const cardId = '6etnm56xbofhj';
const serviceId = '688e713233b5060961f17483148c799e';
const shortPem = (label: string, line: string) =>
  `-----BEGIN ${label}-----\n${line}\n…\n-----END ${label}-----\n`;
const csrPem = shortPem(
  'CERTIFICATE REQUEST',
  'MIICXjCCAUYCAQAwGTEXMBUGA1UEAxMORXhhbXBsZSBCYW5rMIIBIjANBgkqhkiG9w0B',
);
const caPem = shortPem('CERTIFICATE', 'MIIDSDCCAjCgAwIBAgIQdaXFK6rBz/V8WyviDYgI3DANBgkqhkiG9w0BAQsFADA+');
const platformPem = shortPem(
  'CERTIFICATE',
  'MIIDjDCCAnSgAwIBAgIQRJ2IGwK5F9uwrkreGgbq1zANBgkqhkiG9w0BAQsFADA+',
);
const outboundCsrPem = shortPem(
  'CERTIFICATE REQUEST',
  'MIICpjCCAY4CAQAwYTFEMEIGA1UEAxM7Q2FyZHBvcnQgcGxhdGZvcm0gb3V0Ym91',
);
const merchantKeyPem = shortPem(
  'PUBLIC KEY',
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAzXuwFvhg8hmweRM1dpA6',
);

// --- bodies ---------------------------------------------------------------------------------------

export const createPartnerBody = createPartnerSchema.meta({
  examples: [
    { name: 'Example Bank', csrPem, notifyUrl: 'https://bank.example/s2p', allowIps: ['203.0.113.0/24'] },
  ],
});
export const updatePartnerBody = updatePartnerSchema.meta({
  examples: [{ options: { welcomeUrlLifetimeMs: 3600000 }, strict: true }],
});
export const createCertificateBody = createCertificateSchema.meta({ examples: [{ csrPem }] });
export const registerOutboundCertificateBody = registerOutboundCertificateSchema.meta({
  examples: [
    {
      certificatePem: shortPem(
        'CERTIFICATE',
        'MIIDXTCCAkWgAwIBAgIUb3V0Ym91bmQtY2xpZW50LWNlcnQwDQYJKoZIhvcNAQEL',
      ),
      partnerCaPem: shortPem(
        'CERTIFICATE',
        'MIIDazCCAlOgAwIBAgIUcGFydG5lci1jYS1yb290LWNlcnQwDQYJKoZIhvcNAQEL',
      ),
    },
  ],
});
export const createCardBody = createCardSchema.meta({
  examples: [{ partnerId, type: 'ticket', subType: 'movies', partnerUrl: 'https://issuer.example/wallet' }],
});
export const createServiceBody = createServiceSchema.meta({
  examples: [{ partnerId, name: 'Example Shop', csrPem, domains: ['shop.example'] }],
});

// --- parameters -----------------------------------------------------------------------------------

const partnerIdParam = z.string().meta({
  description: 'The partner (32 decimal digits, as createPartner returned it)',
  examples: [partnerId],
});
export const partnerParams = z.object({ partnerId: partnerIdParam });
export const certificateParams = z.object({
  partnerId: partnerIdParam,
  certificateId: z.string().meta({ description: 'The certificate to revoke', examples: ['nKzG'] }),
});
export const cardParams = z.object({
  cardId: z.string().meta({ description: 'The card id createCard returned', examples: [cardId] }),
});
export const serviceParams = z.object({
  serviceId: z.string().meta({ description: 'The service id createService returned', examples: [serviceId] }),
});
export const partnerFilterQuery = z.object({
  partnerId: z
    .string()
    .optional()
    .meta({ description: 'Only the records of this partner', examples: [partnerId] }),
});

// --- answers --------------------------------------------------------------------------------------

const partnerSummarySchema = z.object({
  partnerId: z.string(),
  name: z.string(),
  status: z.enum(['active', 'revoked']),
  notifyUrl: z.string().nullable(),
  allowIps: z.array(z.string()),
  options: z.object({ welcomeUrlLifetimeMs: z.number().int(), acceptOpaqueIssuerBlobs: z.boolean() }),
  strict: z.boolean().describe('Strict mode: deviations refused instead of warned about'),
  createdAt: z.number().int(),
  revokedAt: z.number().int().nullable(),
});
const certificateViewSchema = z.object({
  certificateId: z.string(),
  status: z.enum(['active', 'revoked']),
  fingerprint256: z.string(),
  serialNumber: z.string(),
  subject: z.string(),
  notAfter: z.number().int(),
  createdAt: z.number().int(),
  revokedAt: z.number().int().nullable(),
});
const partnerDetailsSchema = partnerSummarySchema.extend({
  certificates: z.array(certificateViewSchema),
  platformCertificatePem: z.string().nullable(),
  outbound: z.object({
    csrPem: z.string().nullable(),
    certificatePem: z.string().nullable(),
    configured: z.boolean(),
    partnerCaFingerprints: z.array(z.string()),
  }),
  serverTrust: z.object({
    source: z.enum(['given', 'outbound-ca']).nullable(),
    caFingerprints: z.array(z.string()),
  }),
});
/** GET /admin/v1/partners: one partner. */
export type PartnerSummary = z.infer<typeof partnerSummarySchema>;
/** GET /admin/v1/partners/:partnerId */
export type PartnerDetails = z.infer<typeof partnerDetailsSchema>;

const cardSchema = z.object({
  cardId: z.string(),
  partnerId: z.string(),
  type: z.string(),
  subType: z.string(),
  partnerUrl: z.string(),
  createdAt: z.number().int(),
});
const serviceSchema = z.object({
  serviceId: z.string(),
  partnerId: z.string(),
  name: z.string(),
  merchantPublicKeyPem: z.string(),
  merchantKeyId: z.string().describe('Base64 SHA-256 of the merchant key (PROTOCOLS.md 4.2)'),
  domains: z.array(z.string()),
  healthUrl: z.string().nullable(),
  createdAt: z.number().int(),
});

const bank = {
  partnerId,
  name: 'Example Bank',
  status: 'active' as const,
  notifyUrl: 'https://bank.example/s2p',
  allowIps: ['203.0.113.0/24'],
  options: { welcomeUrlLifetimeMs: 86400000, acceptOpaqueIssuerBlobs: false },
  strict: false,
  createdAt: 1795739939952,
  revokedAt: null,
};
const bankDetails = {
  ...bank,
  certificates: [
    {
      certificateId: 'VndG',
      status: 'active' as const,
      fingerprint256: '15d5b3160ce30746b20ad27bd0d9ec1cc0ad70033b7fe3339aa08830d5532691',
      serialNumber: '54778731C31972D52360F0FABFAC8953',
      subject: 'CN=Example Bank',
      notAfter: 1867019939000,
      createdAt: 1795739939952,
      revokedAt: null,
    },
  ],
  platformCertificatePem: platformPem,
  outbound: { csrPem: outboundCsrPem, certificatePem: null, configured: false, partnerCaFingerprints: [] },
  serverTrust: { source: null, caFingerprints: [] },
};
const strictBank = { ...bank, options: { ...bank.options, welcomeUrlLifetimeMs: 3600000 }, strict: true };
const card = {
  cardId,
  partnerId,
  type: 'ticket',
  subType: 'movies',
  partnerUrl: 'https://issuer.example/wallet',
  createdAt: 1795739940360,
};
const shop = {
  serviceId,
  partnerId,
  name: 'Example Shop',
  merchantPublicKeyPem: merchantKeyPem,
  merchantKeyId: 'qftAS8rFSY/OaW2s4Tj6xtnKWHWgS5+T+EWlzHwdcDI=',
  domains: ['shop.example'],
  healthUrl: null,
  createdAt: 1795739940718,
};

export const createdPartnerResponse = z
  .object({
    partnerId: z.string(),
    certificateId: z.string(),
    name: z.string(),
    clientCertificatePem: z.string().describe('The partner’s client certificate (mTLS and ATW signing)'),
    caCertificatePem: z.string().describe('The sandbox root CA: trust it for the mTLS listener'),
    platformCertificatePem: z.string().describe('PROTOCOLS.md 2.2: encrypt cdata to its key'),
    authCertificatePem: z.string().describe('PROTOCOLS.md 3.1: verifies the AUTH tokens the platform sends'),
    outboundCsrPem: z.string().describe('The platform’s outbound client CSR, for the partner’s CA to sign'),
  })
  .meta({
    description: 'The partner, its first certificate and the platform’s certificates',
    examples: [
      {
        partnerId,
        certificateId: 'VndG',
        name: 'Example Bank',
        clientCertificatePem: shortPem(
          'CERTIFICATE',
          'MIIDVDCCAjygAwIBAgIQVHeHMcMZctUjYPD6v6yJUzANBgkqhkiG9w0BAQsFADA+',
        ),
        caCertificatePem: caPem,
        platformCertificatePem: platformPem,
        authCertificatePem: shortPem(
          'CERTIFICATE',
          'MIIDZDCCAkygAwIBAgIQVaQjUs0xI7LgSky25VYtkDANBgkqhkiG9w0BAQsFADA+',
        ),
        outboundCsrPem,
      },
    ],
  });
export const partnersResponse = z
  .object({ partners: z.array(partnerSummarySchema) })
  .meta({ description: 'Partners', examples: [{ partners: [bank] }] });
export const partnerDetailsResponse = partnerDetailsSchema.meta({
  description: 'The partner with its certificates, allow-list and outbound mTLS',
  examples: [bankDetails],
});
export const updatedPartnerResponse = partnerSummarySchema.meta({
  description: 'The partner now',
  examples: [strictBank],
});
export const revokedPartnerResponse = partnerSummarySchema.meta({
  description: 'The revoked partner',
  examples: [{ ...strictBank, status: 'revoked', revokedAt: 1795739941023 }],
});
export const createdCertificateResponse = z
  .object({
    partnerId: z.string(),
    certificateId: z.string(),
    clientCertificatePem: z.string(),
    caCertificatePem: z.string(),
  })
  .meta({
    description: 'The new certificate',
    examples: [
      {
        partnerId,
        certificateId: 'nKzG',
        clientCertificatePem: shortPem(
          'CERTIFICATE',
          'MIIDVDCCAjygAwIBAgIQbJmZM+5kJlpYej70YezzuTANBgkqhkiG9w0BAQsFADA+',
        ),
        caCertificatePem: caPem,
      },
    ],
  });
export const revokedCertificateResponse = certificateViewSchema.meta({
  description: 'The revoked certificate',
  examples: [
    {
      certificateId: 'nKzG',
      status: 'revoked',
      fingerprint256: '1167c0702571d95b7fd19504e446a167b395d8e78b78ea6f1b16b1f0494210e6',
      serialNumber: '6C999933EE64265A587A3EF461ECF3B9',
      subject: 'CN=Example Bank',
      notAfter: 1867019940000,
      createdAt: 1795739940347,
      revokedAt: 1795739940352,
    },
  ],
});
export const outboundRegisteredResponse = partnerDetailsSchema.meta({
  description: 'The partner with its outbound mTLS configured',
  examples: [bankDetails],
});
export const cardResponse = (description: string) => cardSchema.meta({ description, examples: [card] });
export const cardsResponse = z
  .object({ cards: z.array(cardSchema) })
  .meta({ description: 'Add to Wallet cards', examples: [{ cards: [card] }] });
export const serviceResponse = (description: string) => serviceSchema.meta({ description, examples: [shop] });
export const servicesResponse = z
  .object({ services: z.array(serviceSchema) })
  .meta({ description: 'Web Checkout services', examples: [{ services: [shop] }] });

export const invalid = platformErrorSchema.meta({
  description: 'Invalid input (details name each field)',
  examples: [
    {
      error: {
        code: 'INVALID_INPUT',
        message: 'invalid request body: csrPem required',
        details: [{ field: 'csrPem', reason: 'required' }],
      },
    },
  ],
});
export const unauthorized = platformErrorSchema.meta({ description: 'Missing or wrong admin token' });
export const unknownRecord = platformErrorSchema.meta({ description: 'Unknown partner, card or service' });
