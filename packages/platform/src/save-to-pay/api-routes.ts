// The inbound Save to Pay API on the mTLS listener, base /ext/v1 (PROTOCOLS.md 1.1–1.4): the
// S2P error envelope {code, message, details}, Request-Id / Partner-Id headers and their echo,
// Request-Id idempotency, and the 503.1 / 503.2 switches.
import {
  type CreateRegistrationRequest,
  createRegistrationRequestSchema,
  getRegistrationParamsSchema,
  isUuid,
  parseWire,
  S2P_HEADERS,
  type S2pErrorCode,
  s2pErrorBody,
  s2pErrors,
} from '@cardport/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { invalidInput, PlatformError } from '../core/errors.ts';
import { registerErrorFamily } from '../core/families.ts';
import { toPlatformError } from '../core/http.ts';
import { exceedsJsonDepth, MAX_JSON_DEPTH } from '../core/json-depth.ts';
import { describeApi, documentedOnly } from '../core/routes.ts';
import { inboundFaults } from '../faults/service.ts';
import { isPartnerBindingError, mtlsGuard } from '../partners/mtls-guard.ts';
import { recordRequests } from '../partners/request-log.ts';
import type { S2pDeps } from './deps.ts';
import { createRegistration, retrieveRegistration } from './registrations.ts';
import {
  createdRegistration,
  createRegistrationBody,
  partnerCertificateScheme,
  registrationNotFound,
  registrationParams,
  retrievedRegistration,
  s2pErrorResponses,
  s2pHeaders,
  s2pTag,
} from './schemas.ts';
import { currentSwitches } from './switches.ts';

export const S2P_API_PREFIX = '/ext/v1';

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** The S2P application code of any error thrown in this scope. */
export function s2pCodeOf(err: PlatformError): S2pErrorCode {
  if (err.status === 413 || err.status === 414 || err.status === 415 || err.status === 431)
    return `${err.status}.1` as S2pErrorCode;
  switch (err.code) {
    case 'INVALID_INPUT':
    case 'PAYLOAD_TOO_LARGE':
      return '400.1';
    case 'FORBIDDEN':
    case 'UNAUTHORIZED':
      return '403.1';
    case 'NOT_FOUND':
      return '404.1';
    case 'SERVICE_UNAVAILABLE':
      return '503.1';
    case 'API_UNAVAILABLE':
      return '503.2';
    default:
      return '500.1';
  }
}

function echo(req: FastifyRequest, reply: FastifyReply): void {
  const id = header(req, 'request-id');
  if (id && isUuid(id)) {
    reply.header(S2P_HEADERS.responseId, id);
    reply.header(S2P_HEADERS.requestId, id);
  }
}

/** Request-Id and Partner-Id are required UUIDs (the guard already matched Partner-Id to the certificate). */
function requireHeaders(req: FastifyRequest): { requestId: string; partnerId: string } {
  const requestId = header(req, 'request-id');
  const partnerHeader = header(req, 'partner-id');
  const details: { field: string; reason: string }[] = [];
  if (requestId === undefined) details.push({ field: 'Request-Id', reason: 'required' });
  else if (!isUuid(requestId))
    details.push({ field: 'Request-Id', reason: 'must be 26 to 128 letters, digits, - or _' });
  if (partnerHeader === undefined) details.push({ field: 'Partner-Id', reason: 'required' });
  else if (!isUuid(partnerHeader))
    details.push({ field: 'Partner-Id', reason: 'must be 26 to 128 letters, digits, - or _' });
  if (details.length) throw new PlatformError('INVALID_INPUT', 'Invalid Data', { details });
  const partner = req.partner;
  if (!partner) throw new PlatformError('FORBIDDEN', 'no partner bound to this connection');
  return { requestId: requestId as string, partnerId: partner.partnerId };
}

/**
 * The body of POST /registrations, or INVALID_INPUT naming every field that is wrong (400.1).
 * The schema's cross-field rule runs only once every field parsed; the fields it needs are named
 * anyway, so that one answer lists every mistake.
 */
export function parseRegistrationRequest(body: unknown): CreateRegistrationRequest {
  const parsed = parseWire(createRegistrationRequestSchema, body);
  if (parsed.ok) return parsed.value;
  const issues = parsed.issues.map(({ field, reason }) => ({ field, reason }));
  const raw = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  for (const [flag, field] of [
    ['enforceEmailMatching', 'email'],
    ['enforcePhoneMatching', 'phone'],
  ] as const) {
    if (raw[flag] === true && raw[field] === undefined && !issues.some((i) => i.field === field)) {
      issues.push({ field, reason: `required when ${flag} is true` });
    }
  }
  throw invalidInput('Invalid Data', issues);
}

/** Renders anything thrown on the S2P API as `{code, message, details}` with the code's status. */
function s2pErrorHandler(err: unknown, req: FastifyRequest, reply: FastifyReply): void {
  const e = toPlatformError(err);
  const code = s2pCodeOf(e);
  if (code === '500.1') req.log.error({ err: e.cause ?? e }, 'S2P request failed');
  echo(req, reply);
  if (code === '503.1' || code === '503.2') reply.header('Retry-After', String(e.retryAfterSeconds ?? 30));
  // A refused partner binding names the failed check (field + reason) without secrets.
  const details = e.details ?? (isPartnerBindingError(e) ? e.details : undefined);
  const status = code === '400.1' || code === '500.1' ? s2pErrors[code].status : e.status;
  reply.code(status).send(s2pErrorBody(code, details));
}

export async function registerS2pApi(app: FastifyInstance, deps: S2pDeps): Promise<void> {
  // The mTLS listener speaks only S2P: its catch-all `/` (socket refusals whose path is unknown)
  // answers in the S2P format too.
  for (const prefix of [`${S2P_API_PREFIX}/`, '/']) {
    registerErrorFamily(app, {
      prefix,
      handler: s2pErrorHandler,
      raw: (e) => ({ type: 'application/json', body: JSON.stringify(s2pErrorBody(s2pCodeOf(e))) }),
      headers: ['request-id', 'partner-id'],
      jsonOnly: true,
    });
  }
  await app.register(
    async (api) => {
      // The partner binding of this scope's own: whatever the domains' mount order, every call
      // here is bound to the partner of its client certificate (a binding made earlier by the
      // listener's own hook is kept, not made twice).
      if (!api.hasRequestDecorator('partner')) api.decorateRequest('partner', null);
      const guard = mtlsGuard(deps.db);
      api.addHook('onRequest', async function bindPartnerOnce(req, reply) {
        if (!req.partner) await guard.call(this, req, reply);
      });
      recordRequests(api, deps, 's2p');
      api.setErrorHandler(s2pErrorHandler);
      api.setNotFoundHandler((req, reply) => {
        echo(req, reply);
        reply
          .code(404)
          .send(s2pErrorBody('404.1', [{ field: 'path', reason: `no route for ${req.method}` }]));
      });
      api.addHook('onSend', async (req, reply) => {
        echo(req, reply);
      });
      api.addHook(
        'preHandler',
        inboundFaults(deps.db, 's2p', (req) => req.partner?.partnerId),
      );
      api.addHook('preHandler', async () => {
        const switches = await currentSwitches(deps);
        if (switches.load === 'shed')
          throw new PlatformError('SERVICE_UNAVAILABLE', 'Service Temporarily Unavailable', {
            retryAfterSeconds: switches.retryAfterSeconds,
          });
        if (switches.api === 'off')
          throw new PlatformError('API_UNAVAILABLE', 'API Temporarily Unavailable', {
            retryAfterSeconds: switches.retryAfterSeconds,
          });
      });

      describeApi(api, { tags: [s2pTag], securitySchemes: partnerCertificateScheme });
      // Headers, body and regId are checked here in the handlers, in the S2P family's order and
      // codes (headers first, 400.1 naming the field; an impossible regId is 404.1): declared
      // for the document only.
      const declared = {
        tags: [s2pTag.name],
        security: [{ partnerCertificate: [] }],
        headers: documentedOnly(s2pHeaders),
      };
      api.post(
        '/registrations',
        {
          schema: {
            operationId: 'createRegistration',
            summary: 'Register a card for Save to Pay (mTLS listener); returns regId and welcomeUrl',
            description:
              'On the mTLS listener (client certificate required). status stays PENDING | LINKED as in the real API; provisioningStatus (NONE | IN_PROGRESS | PROVISIONED | FAILED) and provisioningError are Cardport additions.',
            ...declared,
            body: documentedOnly(createRegistrationBody),
            response: { 201: createdRegistration, ...s2pErrorResponses },
          },
        },
        async (req, reply) => {
          const { requestId, partnerId } = requireHeaders(req);
          if (exceedsJsonDepth(req.body)) {
            throw new PlatformError('INVALID_INPUT', 'Invalid Data', {
              details: [{ field: 'data', reason: `nested deeper than ${MAX_JSON_DEPTH} levels` }],
            });
          }
          const request = parseRegistrationRequest(req.body);
          const { registration, created } = await createRegistration(deps, { partnerId, requestId, request });
          req.log.info({ regId: registration.id, partnerId, created }, 'S2P registration');
          return reply.code(201).send(registration);
        },
      );

      api.get(
        '/registrations/:regId',
        {
          schema: {
            operationId: 'retrieveRegistration',
            summary: 'A registration; an expired welcome URL is replaced by a fresh one',
            ...declared,
            params: documentedOnly(registrationParams),
            response: { 200: retrievedRegistration, 404: registrationNotFound, ...s2pErrorResponses },
          },
        },
        async (req) => {
          const { partnerId } = requireHeaders(req);
          const params = parseWire(getRegistrationParamsSchema, req.params);
          if (!params.ok) {
            throw new PlatformError('NOT_FOUND', 'Not Found', {
              details: [{ field: 'regId', reason: 'no such registration' }],
            });
          }
          return retrieveRegistration(deps, { partnerId, regId: params.value.regId });
        },
      );
    },
    { prefix: S2P_API_PREFIX },
  );
}
