// Binds every request on the mTLS listener to the partner of its client certificate. The TLS
// layer already admits only certificates from the sandbox CA (TLS >= 1.2, see app.ts); this adds
// what TLS cannot know: revocation, the partner's status and IP allow-list, and the Partner-Id
// header (PROTOCOLS.md 1.1: it must name the certificate's partner).
import { createHash } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import type { FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { type AppState, appStateKey } from '../core/app-state.ts';
import type { Queryable } from '../core/db.ts';
import { PlatformError } from '../core/errors.ts';
import { bindingCacheFor } from './binding-cache.ts';
import { certificateExpired } from './standing.ts';

/** The partner a request on the mTLS listener is bound to. */
export interface BoundPartner {
  partnerId: string;
  certificateId: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set on the mTLS listener once the client certificate is bound to an active partner. */
    partner: BoundPartner | null;
  }
}

/** Why a request was refused; `field` names what was wrong, for the family's wire format. */
export type PartnerBindingFailure =
  | 'no-certificate'
  | 'unknown-certificate'
  | 'revoked-certificate'
  | 'expired-certificate'
  | 'revoked-partner'
  | 'ip-not-allowed'
  | 'partner-id-mismatch';

const failures: Record<PartnerBindingFailure, { field: string; message: string }> = {
  'no-certificate': { field: 'tls.clientCertificate', message: 'a client certificate is required' },
  'unknown-certificate': {
    field: 'tls.clientCertificate',
    message: 'the client certificate is not registered to any partner',
  },
  'revoked-certificate': {
    field: 'tls.clientCertificate',
    message: 'the client certificate has been revoked',
  },
  'expired-certificate': {
    field: 'tls.clientCertificate',
    message: 'the client certificate has expired',
  },
  'revoked-partner': {
    field: 'tls.clientCertificate',
    message: 'the partner of this certificate is revoked',
  },
  'ip-not-allowed': {
    field: 'sourceAddress',
    message: "the source address is not in the partner's IP allow-list",
  },
  'partner-id-mismatch': {
    field: 'Partner-Id',
    message: 'the Partner-Id header does not match the partner of the client certificate',
  },
};

/**
 * The error the guard throws: a FORBIDDEN PlatformError whose single detail names the failed check
 * (`reason` is the {@link PartnerBindingFailure}), so each API family can map it to its wire format.
 */
export function partnerBindingError(failure: PartnerBindingFailure): PlatformError {
  const { field, message } = failures[failure];
  return new PlatformError('FORBIDDEN', message, { details: [{ field, reason: failure }] });
}

/** True for errors thrown by the mTLS partner binding. */
export function isPartnerBindingError(err: unknown): err is PlatformError {
  return (
    err instanceof PlatformError &&
    err.code === 'FORBIDDEN' &&
    err.details?.length === 1 &&
    Object.hasOwn(failures, err.details[0]?.reason ?? '')
  );
}

// A connection's certificate never changes, so its fingerprint is computed once per socket and
// kept by the app (its listener's sockets end with it; a socket that closes drops out of the
// WeakMap). Revocation, partner status and allow-lists come from the database through a
// short-lived cache (binding-cache.ts), checked on every request, so a revocation also ends open
// connections.
const socketFingerprintsKey = appStateKey(
  'partners.socketFingerprints',
  () => new WeakMap<TLSSocket, string | null>(),
);

function peerFingerprint(state: AppState, socket: TLSSocket): string | null {
  const fingerprints = state.get(socketFingerprintsKey);
  let fp = fingerprints.get(socket);
  if (fp === undefined) {
    const raw = typeof socket.getPeerCertificate === 'function' ? socket.getPeerCertificate().raw : undefined;
    fp = raw?.length ? createHash('sha256').update(raw).digest('hex') : null;
    fingerprints.set(socket, fp);
  }
  return fp;
}

function headerValue(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Resolves the partner of a request or throws (and logs) the binding error. */
export async function bindPartner(q: Queryable, req: FastifyRequest): Promise<BoundPartner> {
  const socket = req.raw.socket as TLSSocket;
  const fp = peerFingerprint(req.server.appState, socket);
  const fail = (failure: PartnerBindingFailure, who: Partial<BoundPartner> = {}) => {
    // Fingerprints and ids are not secrets; they let an operator find the refused certificate.
    req.log.warn(
      { ...who, failure, fingerprint256: fp, remoteAddress: socket.remoteAddress },
      'mTLS request refused: partner binding failed',
    );
    return partnerBindingError(failure);
  };
  if (!fp) throw fail('no-certificate');
  const binding = await bindingCacheFor(q).lookup(q, fp);
  if (!binding) throw fail('unknown-certificate');
  const bound = { partnerId: binding.partnerId, certificateId: binding.certificateId };
  if (binding.certificateRevokedAt !== null) throw fail('revoked-certificate', bound);
  // Real time: a kept-alive connection outlives the handshake's check; the sandbox clock never counts.
  if (certificateExpired(binding.certificateNotAfter)) throw fail('expired-certificate', bound);
  if (binding.partnerStatus !== 'active') throw fail('revoked-partner', bound);
  if (!binding.allowList.allows(socket.remoteAddress)) throw fail('ip-not-allowed', bound);
  const header = headerValue(req, 'partner-id');
  if (header !== undefined && header !== binding.partnerId) throw fail('partner-id-mismatch', bound);
  return bound;
}

/** The onRequest hook of the mTLS listener: refuses unbound requests, sets `req.partner` otherwise. */
export function mtlsGuard(q: Queryable): onRequestAsyncHookHandler {
  return async (req) => {
    req.partner = await bindPartner(q, req);
  };
}
