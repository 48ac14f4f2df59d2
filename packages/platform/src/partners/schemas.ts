// Input shapes of partner onboarding, shared by the admin routes and direct service callers, so
// that bad input gets the same field-named error on every path.

import { isIP } from 'node:net';
import { cardTypeNames, cardTypes, isCardSubType, isCardType } from '@cardport/protocol';
import { z } from 'zod';
import { parseCidr } from './ip-allow-list.ts';

const MAX_PEM = 64 * 1024;

/** PROTOCOLS.md 1.2: URL ≤ 2048 chars, absolute, http or https only. */
export function isHttpUrl(text: string): boolean {
  if (text.length > 2048) return false;
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

const httpUrl = z
  .string()
  .trim()
  .max(2048, 'must be at most 2048 characters')
  .refine(isHttpUrl, 'must be an absolute http or https URL');

/**
 * A URL the platform calls (notify, partner and health URLs; docs/operations.md, outbound
 * targets): http or https only, checked again when each call leaves; no user name or password,
 * which would end up in delivery records and logs. Loopback and private addresses are allowed by
 * design: the sandbox's partners run on the developer's machine.
 */
const outboundUrl = httpUrl.refine((u) => {
  try {
    const url = new URL(u);
    return url.username === '' && url.password === '';
  } catch {
    return false;
  }
}, 'must not carry a user name or password');

/** A base URL the platform appends paths to: no query or fragment; trailing slashes dropped. */
const baseUrl = outboundUrl
  .refine((u) => {
    try {
      const url = new URL(u);
      return url.search === '' && url.hash === '' && !u.includes('?') && !u.includes('#');
    } catch {
      return false;
    }
  }, 'must be a base URL without query string or fragment')
  .overwrite((u) => u.replace(/\/+$/, ''));

const pem = (what: string) => z.string().min(1, 'required').max(MAX_PEM, `is too long to be a ${what}`);

const cidrList = z
  .array(z.string().max(64, 'is too long to be a CIDR'))
  .max(64, 'at most 64 entries')
  .superRefine((list, ctx) => {
    list.forEach((text, i) => {
      const parsed = parseCidr(text);
      if ('error' in parsed) ctx.addIssue({ code: 'custom', message: parsed.error, path: [i] });
    });
  })
  // Canonical and without duplicates. Overwrites rather than transforms keep the schemas
  // representable in the OpenAPI document, examples included (zod drops those of transforms).
  .overwrite((list) => {
    const out: string[] = [];
    for (const text of list) {
      const parsed = parseCidr(text);
      if (!('error' in parsed) && !out.includes(parsed.cidr)) out.push(parsed.cidr);
    }
    return out;
  });

const partnerName = z.string().trim().min(1, 'required').max(128, 'must be at most 128 characters');

const HOUR = 3_600_000;
export const partnerOptionsSchema = z.strictObject({
  welcomeUrlLifetimeMs: z
    .number()
    .int('must be an integer number of milliseconds')
    .min(60_000, 'must be at least one minute')
    .max(90 * 24 * HOUR, 'must be at most 90 days')
    .optional(),
  acceptOpaqueIssuerBlobs: z.boolean().optional(),
});

export const createPartnerSchema = z.strictObject({
  name: partnerName,
  csrPem: pem('certificate request'),
  notifyUrl: baseUrl.optional(),
  allowIps: cidrList.optional(),
  partnerServerCaPem: pem('certificate').optional(),
  options: partnerOptionsSchema.optional(),
});
export type CreatePartnerInput = z.input<typeof createPartnerSchema>;

export const updatePartnerSchema = z.strictObject({
  name: partnerName.optional(),
  notifyUrl: baseUrl.nullable().optional(),
  allowIps: cidrList.optional(),
  options: partnerOptionsSchema.optional(),
  /** Strict mode (docs/compatibility.md): refuse every accepted deviation. */
  strict: z.boolean().optional(),
});
export type UpdatePartnerInput = z.input<typeof updatePartnerSchema>;

export const createCertificateSchema = z.strictObject({ csrPem: pem('certificate request') });
export type CreateCertificateInput = z.input<typeof createCertificateSchema>;

export const registerOutboundCertificateSchema = z.strictObject({
  certificatePem: pem('certificate'),
  partnerCaPem: pem('certificate'),
});
export type RegisterOutboundCertificateInput = z.input<typeof registerOutboundCertificateSchema>;

/** The partner id format [ours]: 32 decimal digits, first non-zero. */
export const partnerIdSchema = z.string().regex(/^[1-9][0-9]{31}$/, 'must be 32 decimal digits');

export const createCardSchema = z
  .strictObject({
    partnerId: partnerIdSchema,
    type: z.string().min(1, 'required').max(16, 'must be at most 16 characters'),
    subType: z.string().min(1, 'required').max(16, 'must be at most 16 characters'),
    partnerUrl: baseUrl,
  })
  .superRefine((card, ctx) => {
    if (!isCardType(card.type)) {
      ctx.addIssue({
        code: 'custom',
        path: ['type'],
        message: `unknown card type "${card.type}"; one of: ${cardTypeNames.join(', ')}`,
      });
    } else if (!isCardSubType(card.type, card.subType)) {
      ctx.addIssue({
        code: 'custom',
        path: ['subType'],
        message: `"${card.subType}" is not a subtype of ${card.type}; one of: ${cardTypes[card.type].join(', ')}`,
      });
    }
  });
export type CreateCardInput = z.input<typeof createCardSchema>;

/** A page's host name (or IP) allowed to start a checkout; lower-cased; no scheme, port or path. */
const hostname = z
  .string()
  .trim()
  .toLowerCase()
  .max(253, 'must be at most 253 characters')
  .refine((h) => !h.includes('://'), 'must be a host name, not a URL (e.g. shop.example.com)')
  .refine(
    (h) =>
      isIP(h) !== 0 ||
      /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/.test(
        h,
      ),
    'must be a host name such as shop.example.com (no port or path)',
  );

export const createServiceSchema = z.strictObject({
  partnerId: partnerIdSchema,
  name: z.string().trim().min(1, 'required').max(128, 'must be at most 128 characters'),
  csrPem: pem('certificate request'),
  domains: z
    .array(hostname)
    .min(1, 'at least one domain is required')
    .max(32, 'at most 32 domains')
    .overwrite((list) => [...new Set(list)]),
  healthUrl: outboundUrl.optional(),
});
export type CreateServiceInput = z.input<typeof createServiceSchema>;

export const listFilterSchema = z.strictObject({ partnerId: partnerIdSchema.optional() });

export { parseInput } from '../core/validation.ts';
