// HTTP of the Samsung Server API (PROTOCOLS.md 3.2): Update and Cancel Notification on every path
// form. The headers and the body are checked here, in the platform's error format; server-api.ts
// authenticates the AUTH token and applies the notification.
import {
  cancelNotificationSchema,
  parseUpdateNotificationLenient,
  parseWire,
  updateNotificationSchema,
  WALLET_SERVER_PATHS,
} from '@cardport/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../core/context.ts';
import { type FieldIssue, invalidInput, PlatformError } from '../core/errors.ts';
import { platformErrorSchema } from '../core/http.ts';
import { describeApi, documentedOnly, type ZodTypeProvider } from '../core/routes.ts';
import { addWarnings } from '../core/warnings.ts';
import { refuseServerCallIfStrict } from './compat.ts';
import {
  cancelNotificationExample,
  emptyAnswer,
  noContent,
  serverApiHeaders,
  serverApiParams,
  updateNotificationExample,
} from './schemas.ts';
import {
  authenticatePartnerCall,
  type NotificationResult,
  notifyCancel,
  notifyUpdate,
  type PartnerCallAuth,
} from './server-api.ts';

const toFastify = (p: string) => p.replace(/\{(\w+)\}/g, ':$1');

/**
 * The headers every Server API call carries: `Authorization` (UNAUTHORIZED without it),
 * `x-smcs-partner-id` and `x-request-id` of at most 32 characters (INVALID_INPUT naming them).
 */
export function partnerCallOf(req: FastifyRequest): PartnerCallAuth {
  const h = req.headers;
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const authorization = one(h.authorization);
  const partnerId = one(h['x-smcs-partner-id']);
  const requestId = one(h['x-request-id']);
  const missing: FieldIssue[] = [];
  if (!authorization) missing.push({ field: 'headers.authorization', reason: 'required' });
  if (!partnerId) missing.push({ field: 'headers.x-smcs-partner-id', reason: 'required' });
  if (!requestId) missing.push({ field: 'headers.x-request-id', reason: 'required' });
  else if (requestId.length > 32)
    missing.push({ field: 'headers.x-request-id', reason: 'at most 32 characters' });
  if (!authorization) {
    throw new PlatformError('UNAUTHORIZED', 'Authorization: Bearer <AUTH token> is required', {
      details: missing,
    });
  }
  if (missing.length || !partnerId) {
    throw new PlatformError('INVALID_INPUT', 'missing or invalid headers', { details: missing });
  }
  return {
    authorization,
    partnerId,
    method: req.method,
    path: req.url.split('?')[0] ?? req.url,
    cardId: (req.params as { cardId: string }).cardId,
  };
}

const result = (reply: FastifyReply, r: NotificationResult) => reply.code(r.changed > 0 ? 200 : 204).send();

/** `notifyUpdate`, `notifyUpdateRegional`, `notifyUpdateUpdates` (and the same for cancels). */
function operationId(base: 'notifyUpdate' | 'notifyCancel', path: string): string {
  if (!path.startsWith('/{cc2}')) return base;
  return /\/(updates|cancels)$/.test(path)
    ? `${base}${base === 'notifyUpdate' ? 'Updates' : 'Cancels'}`
    : `${base}Regional`;
}

export function registerServerApiRoutes(scope: FastifyInstance, ctx: AppContext): void {
  describeApi(scope, {
    securitySchemes: {
      partnerAuthToken: {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWS',
        description:
          'An AUTH token (RS256, cty AUTH, partnerId, certificateId, utc) signed with the partner key, bound to the method and path.',
      },
    },
  });
  const api = scope.withTypeProvider<ZodTypeProvider>();
  // Headers and bodies are checked in the handlers, after the AUTH token, with this family's codes
  // (a missing Authorization is 401): declared for the document only.
  const declared = (path: string, base: 'notifyUpdate' | 'notifyCancel') => ({
    operationId: operationId(base, path),
    tags: ['add-to-wallet'],
    security: [{ partnerAuthToken: [] }],
    params: serverApiParams(path.startsWith('/{cc2}')),
    headers: documentedOnly(serverApiHeaders),
  });
  const refused = platformErrorSchema.meta({ description: 'No valid AUTH token for this card' });
  for (const path of WALLET_SERVER_PATHS.updateNotification) {
    api.post(
      toFastify(path),
      {
        schema: {
          ...declared(path, 'notifyUpdate'),
          summary: 'Update Notification: refetch (UPDATED) or change the state of every pass of a refId',
          body: documentedOnly(updateNotificationSchema.meta({ examples: [updateNotificationExample] })),
          response: {
            200: emptyAnswer('Applied to at least one wallet'),
            204: noContent('No wallet holds this refId'),
            401: refused,
            503: platformErrorSchema.meta({
              description: 'Get Card Data failed: the partner did not answer',
            }),
          },
        },
      },
      async (req, reply) => {
        const registration = await authenticatePartnerCall(ctx, partnerCallOf(req));
        const parsed = parseUpdateNotificationLenient(req.body);
        if (!parsed.ok)
          throw invalidInput(
            'invalid Update Notification',
            parsed.issues.map(({ field, reason }) => ({ field, reason })),
          );
        addWarnings(req, parsed.warnings);
        await refuseServerCallIfStrict(
          ctx.db,
          registration.partnerId,
          'Update Notification',
          parsed.warnings,
        );
        return result(reply, await notifyUpdate(ctx, { registration, notification: parsed.value }));
      },
    );
  }
  for (const path of WALLET_SERVER_PATHS.cancelNotification) {
    api.post(
      toFastify(path),
      {
        schema: {
          ...declared(path, 'notifyCancel'),
          summary: 'Cancel Notification: every pass of an event becomes CANCELED',
          body: documentedOnly(cancelNotificationSchema.meta({ examples: [cancelNotificationExample] })),
          response: {
            200: emptyAnswer('Applied to at least one wallet'),
            204: noContent('No wallet holds a pass of this event'),
            401: refused,
          },
        },
      },
      async (req, reply) => {
        const registration = await authenticatePartnerCall(ctx, partnerCallOf(req));
        const parsed = parseWire(cancelNotificationSchema, req.body);
        if (!parsed.ok)
          throw invalidInput(
            'invalid Cancel Notification',
            parsed.issues.map(({ field, reason }) => ({ field, reason })),
          );
        return result(reply, await notifyCancel(ctx, { registration, notification: parsed.value }));
      },
    );
  }
}
