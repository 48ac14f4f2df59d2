// Warnings of accepted deviations (issue 8, docs/compatibility.md). A domain that accepts a
// deviation adds its warnings to the request (`request.cardportWarnings`, kept for the request log);
// the onSend hook writes them back in ONE `Cardport-Warning` header, a JSON array in ASCII.
// Knows no domain: the warnings come from the normalisers of @cardport/protocol.
import {
  type CardportWarning,
  formatWarningHeader,
  toCardportWarning,
  WARNING_HEADER,
} from '@cardport/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';

export type { CardportWarning } from '@cardport/protocol';
export { WARNING_HEADER } from '@cardport/protocol';

declare module 'fastify' {
  interface FastifyRequest {
    /** The accepted deviations of this request, in the order they were found. */
    cardportWarnings: CardportWarning[];
  }
}

/** Decorates every request with `cardportWarnings` and sends them as the `Cardport-Warning` header. */
export function registerWarnings(app: FastifyInstance): void {
  app.decorateRequest('cardportWarnings', null as unknown as CardportWarning[]);
  app.addHook('onRequest', async (req) => {
    req.cardportWarnings = [];
  });
  app.addHook('onSend', async (req, reply, payload) => {
    const warnings = req.cardportWarnings;
    if (warnings && warnings.length > 0) reply.header(WARNING_HEADER, formatWarningHeader(warnings));
    return payload;
  });
}

/** Adds warnings to the request (wire form only: a normaliser's extra members are dropped). */
export function addWarnings(req: FastifyRequest, warnings: readonly CardportWarning[]): void {
  if (warnings.length === 0) return;
  req.cardportWarnings ??= [];
  for (const w of warnings) req.cardportWarnings.push(toCardportWarning(w));
}
