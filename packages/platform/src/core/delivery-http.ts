// The wire side of outbound delivery: one HTTP exchange with a partner, over plain HTTP or
// HTTPS with the partner's mTLS identity, on keep-alive agents cached per partner.
import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';

/** The platform's mTLS client identity towards one partner, and the CAs its server chains to. */
export interface PartnerIdentity {
  /** PEM client certificate (with intermediates if any), signed by the partner's CA. */
  cert: string;
  /** PEM private key of `cert`. */
  key: string;
  /** PEM CAs that the partner's server certificate must chain to; empty means the system roots. */
  ca: string[];
}

export type ResolveIdentity = (partnerId: string) => Promise<PartnerIdentity | undefined>;

export interface RawRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: string | undefined;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** True when the body was longer than the cap and was cut. */
  truncated: boolean;
}

export type SendFailureKind = 'timeout' | 'network' | 'tls';

/** A request that got no HTTP answer. The message is safe to store and show (no secrets). */
export class SendFailure extends Error {
  override readonly name = 'SendFailure';
  constructor(
    readonly kind: SendFailureKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const tlsCodes = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'EPROTO',
]);

const networkReasons: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPIPE: 'connection closed while sending',
  ETIMEDOUT: 'connection timed out',
};

/** Turns a socket/TLS error into a SendFailure whose message names the cause and nothing secret. */
export function toSendFailure(err: unknown): SendFailure {
  if (err instanceof SendFailure) return err;
  const e = err as NodeJS.ErrnoException;
  const code = typeof e?.code === 'string' ? e.code : undefined;
  const detail = String(e?.message ?? err).slice(0, 200);
  if (code && (tlsCodes.has(code) || code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS'))) {
    return new SendFailure('tls', `TLS handshake failed: ${detail} (${code})`);
  }
  if (code && networkReasons[code]) return new SendFailure('network', `${networkReasons[code]} (${code})`);
  if (detail === 'socket hang up') return new SendFailure('network', 'connection closed without an answer');
  return new SendFailure('network', code ? `${detail} (${code})` : detail);
}

function fingerprint(identity: PartnerIdentity): string {
  const h = createHash('sha256');
  for (const part of [identity.cert, identity.key, ...identity.ca]) h.update(part).update('\0');
  return h.digest('hex');
}

/**
 * Keep-alive agents: one plain HTTP agent, one default HTTPS agent for calls without an
 * identity, and one HTTPS agent per partner identity. A partner whose identity changed (new
 * client certificate, new CA) gets a new agent; the old one's sockets are closed.
 */
export class AgentPool {
  readonly #resolveIdentity: ResolveIdentity;
  readonly #http = new http.Agent({ keepAlive: true, maxSockets: 64 });
  readonly #https = new https.Agent({ keepAlive: true, maxSockets: 64, minVersion: 'TLSv1.2' });
  readonly #partners = new Map<string, { fingerprint: string; agent: https.Agent }>();

  constructor(resolveIdentity: ResolveIdentity) {
    this.#resolveIdentity = resolveIdentity;
  }

  async agentFor(partnerId: string | null, url: URL): Promise<http.Agent> {
    if (url.protocol === 'http:') return this.#http;
    if (partnerId === null) return this.#https;
    let identity: PartnerIdentity | undefined;
    try {
      identity = await this.#resolveIdentity(partnerId);
    } catch (cause) {
      // The cause (a database error, a key that cannot be unsealed) goes to the logs only.
      throw new SendFailure('tls', 'cannot load the mTLS identity for this partner', { cause });
    }
    if (!identity) {
      this.#drop(partnerId);
      return this.#https;
    }
    const fp = fingerprint(identity);
    const cached = this.#partners.get(partnerId);
    if (cached?.fingerprint === fp) return cached.agent;
    this.#drop(partnerId);
    const agent = new https.Agent({
      keepAlive: true,
      maxSockets: 64,
      minVersion: 'TLSv1.2',
      cert: identity.cert,
      key: identity.key,
      ...(identity.ca.length > 0 ? { ca: identity.ca } : {}),
    });
    this.#partners.set(partnerId, { fingerprint: fp, agent });
    return agent;
  }

  #drop(partnerId: string): void {
    this.#partners.get(partnerId)?.agent.destroy();
    this.#partners.delete(partnerId);
  }

  destroy(): void {
    this.#http.destroy();
    this.#https.destroy();
    for (const { agent } of this.#partners.values()) agent.destroy();
    this.#partners.clear();
  }
}

function flattenHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

/**
 * One HTTP exchange. `timeoutMs` bounds everything (connect, TLS, sending, the whole answer);
 * a body longer than `maxBodyBytes` is cut and the connection dropped.
 */
export function sendOnce(
  req: RawRequest,
  agent: http.Agent,
  options: { timeoutMs: number; maxBodyBytes: number },
): Promise<RawResponse> {
  const transport = req.url.protocol === 'https:' ? https : http;
  return new Promise<RawResponse>((resolve, reject) => {
    let settled = false;
    const finish = (err: unknown, res?: RawResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (res) resolve(res);
      else reject(toSendFailure(err));
    };
    const headers = { ...req.headers };
    if (req.body !== undefined) headers['content-length'] = String(Buffer.byteLength(req.body));
    const request = transport.request(req.url, { method: req.method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let truncated = false;
      const done = () =>
        finish(undefined, {
          status: res.statusCode ?? 0,
          headers: flattenHeaders(res.headers),
          body: Buffer.concat(chunks).toString('utf8'),
          truncated,
        });
      res.on('data', (chunk: Buffer) => {
        if (truncated) return;
        const room = options.maxBodyBytes - size;
        if (chunk.length > room) {
          chunks.push(chunk.subarray(0, room));
          size += room;
          truncated = true;
          // The rest is not wanted: drop the connection rather than read megabytes.
          res.destroy();
          done();
          return;
        }
        chunks.push(chunk);
        size += chunk.length;
      });
      res.on('end', done);
      res.on('error', (err) => finish(err));
      res.on('aborted', () => finish(new SendFailure('network', 'connection closed during the answer')));
    });
    const timer = setTimeout(() => {
      const failure = new SendFailure('timeout', `no complete answer within ${options.timeoutMs} ms`);
      finish(failure);
      request.destroy(failure);
    }, options.timeoutMs);
    request.on('error', (err) => finish(err));
    if (req.body !== undefined) request.end(req.body);
    else request.end();
  });
}
