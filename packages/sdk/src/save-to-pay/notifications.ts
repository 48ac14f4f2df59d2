// The partner's notification endpoint (PROTOCOLS.md 1.7): POST {partnerBase}/notifications from
// the platform over mutual TLS. Parses and validates the event, calls one typed callback per event
// type (WA_READY answers with the issuerBlob), and echoes the Request-Id as Response-Id.
// Works with node:http(s), Express and Fastify.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { type Notification, notificationSchema, parseWire, S2P_HEADERS } from '@cardport/protocol';

export type { Notification as SaveToPayNotification } from '@cardport/protocol';

export type WaReadyNotification = Notification & { event: { type: 'WA_READY' } };
export type WaProvisionedNotification = Notification & { event: { type: 'WA_PROVISIONED' } };
export type WaProvisionFailureNotification = Notification & { event: { type: 'WA_PROVISION_FAILURE' } };

export interface NotificationContext {
  /** The platform's Request-Id of this notification (dedupe on it: delivery is at least once). */
  requestId: string | undefined;
  partnerId: string | undefined;
}

export interface NotificationHandlers {
  /** Return the issuerBlob (`card.data.encryptedData`) bound to `device.id` and `wallet.id`. */
  onWaReady(n: WaReadyNotification, ctx: NotificationContext): Promise<string> | string;
  onProvisioned?(n: WaProvisionedNotification, ctx: NotificationContext): Promise<void> | void;
  onProvisionFailure?(n: WaProvisionFailureNotification, ctx: NotificationContext): Promise<void> | void;
  /** Only notifications with this Partner-Id are accepted (recommended). */
  partnerId?: string;
  /**
   * Require an authorized TLS client certificate (the platform's, issued by your CA). Default
   * true when the request came over TLS; set false only behind a TLS-terminating proxy that
   * verified it.
   */
  requireClientCertificate?: boolean;
}

export interface NotificationAnswer {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

export interface NotificationInput {
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  /** The TLS socket, for the client certificate check. */
  socket?: unknown;
}

function headerOf(headers: NotificationInput['headers'], name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * True when the connection presented a client certificate that the server's `ca` verified (the
 * server must be created with `requestCert: true`; see {@link notificationServerTlsOptions}).
 */
export function verifyPlatformClient(socket: unknown): boolean {
  const s = socket as Partial<TLSSocket> | undefined;
  return !!s && s.encrypted === true && s.authorized === true;
}

/** TLS options of an https server receiving platform notifications with mutual TLS. */
export function notificationServerTlsOptions(tls: { cert: string; key: string; ca: string | string[] }) {
  return { ...tls, requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.2' as const };
}

export class NotificationError extends Error {
  override readonly name = 'NotificationError';
  constructor(
    message: string,
    readonly details: { field: string; reason: string }[] = [],
  ) {
    super(message);
  }
}

/** Validates a notification body; throws NotificationError naming the fields. */
export function parseNotification(body: unknown): Notification {
  const parsed = parseWire(notificationSchema, body);
  if (!parsed.ok) {
    throw new NotificationError(
      'invalid notification',
      parsed.issues.map(({ field, reason }) => ({ field, reason })),
    );
  }
  return parsed.value;
}

export interface SaveToPayNotificationsHandler {
  /** Framework-neutral: headers, parsed body and socket in; status, headers and JSON body out. */
  handle(input: NotificationInput): Promise<NotificationAnswer>;
  /** node:http(s) and Express: `(req, res)`; reads the body unless a JSON parser already did. */
  node(req: IncomingMessage & { body?: unknown }, res: ServerResponse): Promise<void>;
  /** Fastify: `app.post('/notifications', handler.fastify)`. */
  fastify(
    request: { headers: NotificationInput['headers']; body: unknown; raw: IncomingMessage },
    reply: {
      code(status: number): unknown;
      headers(h: Record<string, string>): unknown;
      send(body: unknown): unknown;
    },
  ): Promise<void>;
}

export function createNotificationsHandler(handlers: NotificationHandlers): SaveToPayNotificationsHandler {
  const handle = async (input: NotificationInput): Promise<NotificationAnswer> => {
    const requestId = headerOf(input.headers, S2P_HEADERS.requestId);
    const partnerId = headerOf(input.headers, S2P_HEADERS.partnerId);
    const headers: Record<string, string> = requestId ? { [S2P_HEADERS.responseId]: requestId } : {};
    const reply = (status: number, body: Record<string, unknown>) => ({ status, headers, body });
    const socket = input.socket as Partial<TLSSocket> | undefined;
    const overTls = socket?.encrypted === true;
    if ((handlers.requireClientCertificate ?? overTls) && !verifyPlatformClient(socket)) {
      return reply(403, { error: 'client certificate required' });
    }
    if (handlers.partnerId !== undefined && partnerId !== handlers.partnerId) {
      return reply(403, { error: 'unexpected Partner-Id' });
    }
    let n: Notification;
    try {
      n = parseNotification(input.body);
    } catch (err) {
      return reply(400, { error: 'invalid notification', details: (err as NotificationError).details ?? [] });
    }
    const ctx = { requestId, partnerId };
    try {
      switch (n.event.type) {
        case 'WA_READY': {
          const issuerBlob = await handlers.onWaReady(n as WaReadyNotification, ctx);
          return reply(200, { card: { data: { encryptedData: issuerBlob } } });
        }
        case 'WA_PROVISIONED':
          await handlers.onProvisioned?.(n as WaProvisionedNotification, ctx);
          return reply(200, {});
        case 'WA_PROVISION_FAILURE':
          await handlers.onProvisionFailure?.(n as WaProvisionFailureNotification, ctx);
          return reply(200, {});
      }
    } catch {
      // The callback's error may carry card data: it is not echoed.
      return reply(500, { error: 'notification handler failed' });
    }
    return reply(400, { error: 'unknown event type' });
  };

  const readBody = (req: IncomingMessage): Promise<unknown> =>
    new Promise((resolve, reject) => {
      let text = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => {
        text += c;
        if (text.length > 1_000_000) req.destroy(new Error('body too large'));
      });
      req.on('end', () => {
        try {
          resolve(text ? JSON.parse(text) : undefined);
        } catch {
          resolve(undefined);
        }
      });
      req.on('error', reject);
    });

  return {
    handle,
    async node(req, res) {
      const body = req.body !== undefined ? req.body : await readBody(req);
      const answer = await handle({ headers: req.headers, body, socket: req.socket });
      res.writeHead(answer.status, { ...answer.headers, 'content-type': 'application/json' });
      res.end(JSON.stringify(answer.body));
    },
    async fastify(request, reply) {
      const answer = await handle({
        headers: request.headers,
        body: request.body,
        socket: request.raw.socket,
      });
      reply.code(answer.status);
      reply.headers(answer.headers);
      reply.send(answer.body);
    },
  };
}
