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
    'Register an Add to Wallet card (type and subType of PROTOCOLS.md 2.3)',
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
}
