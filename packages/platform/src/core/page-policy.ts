// The security headers of the platform's HTML pages, declared once per page scope. A page scope is
// a path prefix, as an error family is (core/families.ts): the wallet's pages under /wallet, the
// checkout under /gsmpi/, the welcome page under /s2p/v1/welcome/, and so on. A domain registers
// its scope's policy when it mounts; createHttpApp's hooks then put the policy on every HTML answer
// whose path the scope owns: the pages, their error pages, and the 404 of an unknown path
// rendered by the scope's family. JSON, scripts and stylesheets under the same prefix are left
// alone. Route handlers set no security header themselves. (The site's pages use @fastify/helmet
// in their own Fastify scope: site/module.ts.)
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export interface PagePolicy {
  /** Path prefix of the scope's pages (`/gsmpi/`); the longest matching prefix wins. */
  prefix: string;
  /**
   * The Content-Security-Policy. A function of the answer's nonce for pages with inline script or
   * style: the nonce is fresh for every request (`reply.pageNonce`, which the page embeds).
   */
  contentSecurityPolicy: string | ((nonce: string) => string);
  /** `DENY` for pages nobody may frame; absent where partners embed the page (the welcome page). */
  frameOptions?: 'DENY';
  referrerPolicy?: 'no-referrer';
  /** The pages' Cache-Control (`no-store`: they show a session's data or a one-time state). */
  cacheControl?: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The listener's page scopes, longest prefix first (createHttpApp; every scope shares it). */
    pagePolicies: PagePolicy[];
  }
  interface FastifyReply {
    /** A fresh nonce for this answer's inline script and style, when its scope's CSP takes one; '' otherwise. */
    pageNonce: string;
  }
}

/** Registers a page scope on the listener of `app` (any Fastify scope of it). */
export function registerPagePolicy(app: FastifyInstance, policy: PagePolicy): void {
  const list = app.pagePolicies;
  list.push(policy);
  list.sort((a, b) => b.prefix.length - a.prefix.length);
}

function policyOf(req: FastifyRequest): PagePolicy | undefined {
  const path = req.url.split('?')[0] ?? req.url;
  return req.server.pagePolicies.find((p) => path.startsWith(p.prefix));
}

function isHtml(type: unknown): boolean {
  return typeof type === 'string' && /^text\/html\b/i.test(type);
}

/** Installs the registry and its hooks on a listener (createHttpApp). */
export function installPagePolicies(app: FastifyInstance): void {
  app.decorate('pagePolicies', [] as PagePolicy[]);
  app.decorateReply('pageNonce', '');
  app.addHook('onRequest', async (req, reply) => {
    if (typeof policyOf(req)?.contentSecurityPolicy === 'function')
      reply.pageNonce = randomBytes(16).toString('base64');
  });
  app.addHook('onSend', async (req, reply, payload) => {
    const policy = policyOf(req);
    if (policy && isHtml(reply.getHeader('content-type'))) applyPolicy(reply, policy);
    return payload;
  });
}

function applyPolicy(reply: FastifyReply, policy: PagePolicy): void {
  const csp = policy.contentSecurityPolicy;
  reply.header('content-security-policy', typeof csp === 'function' ? csp(reply.pageNonce) : csp);
  if (policy.frameOptions) reply.header('x-frame-options', policy.frameOptions);
  if (policy.referrerPolicy) reply.header('referrer-policy', policy.referrerPolicy);
  if (policy.cacheControl) reply.header('cache-control', policy.cacheControl);
}
