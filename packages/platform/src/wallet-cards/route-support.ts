// What the HTTP handlers of Add to Wallet share: the domain's error format, reading a body or a
// form, the browser's languages, and the preview the landing page shows for a checked link.
import { parseWire } from '@cardport/protocol';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { AppContext } from '../core/context.ts';
import { invalidInput } from '../core/errors.ts';
import { platformErrorHandler } from '../core/http.ts';
import type { OfferView } from './check-link.ts';
import { isLinkError } from './errors.ts';
import { offerPreview } from './pages/views.ts';

/** Errors of this domain: the platform envelope plus `reason` for refused links. */
export function errorHandler(err: unknown, req: FastifyRequest, reply: FastifyReply): void {
  if (isLinkError(err)) {
    reply.code(err.status).send({
      error: {
        code: err.code,
        reason: err.reason,
        message: err.message,
        ...(err.details ? { details: err.details } : {}),
      },
    });
    return;
  }
  platformErrorHandler(err, req, reply);
}

/** The string fields of a posted form, trimmed. */
export function formValues(body: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (body && typeof body === 'object') {
    for (const [k, v] of Object.entries(body)) if (typeof v === 'string') out[k] = v.trim();
  }
  return out;
}

/** The browser's languages from `Accept-Language`, well-formed tags only, at most ten. */
export function languagesOf(req: FastifyRequest): string[] {
  return (req.headers['accept-language'] ?? '')
    .split(',')
    .map((part) => part.split(';')[0]?.trim() ?? '')
    .filter((l) => /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/.test(l))
    .slice(0, 10);
}

/** A JSON body checked by `schema`: INVALID_INPUT naming the fields otherwise. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const r = parseWire(schema, body ?? {});
  if (!r.ok)
    throw invalidInput(
      'invalid request',
      r.issues.map(({ field, reason }) => ({ field, reason })),
    );
  return r.value;
}

/** A checked link as the landing page shows it: the preview markup and the add link as a QR code. */
export async function offerWithPreview(
  ctx: Pick<AppContext, 'config'>,
  offer: OfferView,
  languages: readonly string[],
) {
  const addUrl = `/wallet/app/add-card?offer=${encodeURIComponent(offer.offerId)}`;
  // The encoder loads on the first QR drawn, not at the platform's start.
  const { default: QRCode } = await import('qrcode');
  const svg = await QRCode.toString(`${ctx.config.publicUrl}${addUrl}`, { type: 'svg', margin: 1 });
  return {
    ...offer,
    previewHtml: offerPreview(offer, languages).toString(),
    addUrl,
    addQr: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`,
  };
}
