// What the wallet's route files share: their dependencies, the session cookie, safe return paths
// and urlencoded form values.
import type { FastifyReply } from 'fastify';
import type { AppContext } from '../core/context.ts';
import { sessionCookieName } from './extensions.ts';
import type { StartedSession } from './service.ts';

/** What the wallet's routes need from the app context (tests can mount them on a bare app). */
export type WalletDeps = Pick<AppContext, 'db' | 'clock' | 'config' | 'keys' | 'requireAdmin' | 'state'>;

/** A `next`/`returnTo` target: only paths inside the wallet, so a link can never redirect elsewhere. */
export function safeWalletPath(value: unknown, prefix = '/wallet'): string | undefined {
  if (typeof value !== 'string' || value.length > 512) return undefined;
  const re = new RegExp(`^${prefix.replace(/\//g, '\\/')}(?:[/?#][^\\s\\\\]*)?$`);
  return re.test(value) ? value : undefined;
}

/** String fields of a urlencoded form (anything else is ignored), trimmed. */
export function formValues(body: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (body && typeof body === 'object') {
    for (const [k, v] of Object.entries(body)) if (typeof v === 'string') out[k] = v.trim();
  }
  return out;
}

/** Form fields left empty mean "not given". */
export function nonEmpty(values: Record<string, string>, ...names: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of names) if (values[n]) out[n] = values[n];
  return out;
}

export interface SessionCookie {
  /** Sets the session cookie: HttpOnly, SameSite=Lax, scoped to /wallet, until the session ends. */
  set(reply: FastifyReply, s: StartedSession): void;
  clear(reply: FastifyReply): void;
}

/** The session cookie of this app (Secure when the public URL is https), written by @fastify/cookie. */
export function sessionCookie(deps: Pick<WalletDeps, 'clock' | 'config'>): SessionCookie {
  const attributes = {
    path: '/wallet',
    httpOnly: true,
    sameSite: 'lax',
    secure: deps.config.publicUrl.startsWith('https:'),
  } as const;
  return {
    set(reply, s) {
      const maxAge = Math.max(0, Math.floor((s.expiresAt - deps.clock.now()) / 1000));
      reply.setCookie(sessionCookieName, s.token, { ...attributes, maxAge });
    },
    clear(reply) {
      reply.clearCookie(sessionCookieName, attributes);
    },
  };
}
