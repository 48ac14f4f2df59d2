// The dashboard's admin session: the token is entered once per browser, not once per tab. A POST
// with the token (same origin only) sets an HttpOnly, SameSite=Strict cookie whose value is an
// HMAC of the token (so the token itself is never stored in the browser, and changing the token
// ends every session). The admin guard accepts that cookie like the bearer token; a state-changing
// request that relies on the cookie must also carry an Origin header naming this host, so no
// other site can make the browser act (SameSite=Strict already keeps the cookie off cross-site
// requests; the Origin check is the second lock).
import { createHmac } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { tokensEqual } from './home.ts';

export const adminCookieName = 'cardport_admin';

export function adminSessionValue(adminToken: string): string {
  return createHmac('sha256', adminToken).update('cardport dashboard session v1').digest('base64url');
}

/** True when the request's Origin (or, without one, its Referer) is this host. */
export function sameOrigin(req: FastifyRequest): boolean {
  const source = req.headers.origin ?? req.headers.referer;
  if (!source || !req.headers.host) return false;
  try {
    return new URL(source).host === req.headers.host;
  } catch {
    return false;
  }
}

/** Whether the request carries a valid dashboard session cookie (and, if it changes state, a same-origin Origin). */
export function hasAdminSession(req: FastifyRequest, adminToken: string): boolean {
  // Parsed by @fastify/cookie (registered by core/http.ts): the first of duplicate names wins.
  const value = req.cookies?.[adminCookieName];
  if (!value || !tokensEqual(value, adminSessionValue(adminToken))) return false;
  const safe = req.method === 'GET' || req.method === 'HEAD';
  return safe || sameOrigin(req);
}

/** The session cookie's attributes: this site's /admin only, never readable by scripts. */
const adminCookieAttributes = { path: '/admin', httpOnly: true, sameSite: 'strict' } as const;

export function setAdminSession(reply: FastifyReply, adminToken: string, secure: boolean): void {
  reply.setCookie(adminCookieName, adminSessionValue(adminToken), { ...adminCookieAttributes, secure });
}

export function clearAdminSession(reply: FastifyReply): void {
  reply.clearCookie(adminCookieName, adminCookieAttributes);
}
