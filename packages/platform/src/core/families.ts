// API families at the edge (issue 9): each family (S2P, Web Checkout, the checkout UI, …) has its
// own error format. Errors raised before a route's own scope exists (router errors, unknown paths,
// a 431 on the socket) and the hooks every route shares find the family here by path prefix, so
// every answer is in the format of the family its path belongs to. core knows no family: domains
// register theirs (prefix, error handler, raw renderer) when they mount.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { PlatformError } from './errors.ts';

export interface ErrorFamily {
  /** Path prefix the family owns, e.g. `/ops/v1/`; the longest matching prefix wins. */
  prefix: string;
  /** Renders any error on a path of the family (the family scope's error handler). */
  handler(err: unknown, req: FastifyRequest, reply: FastifyReply): void;
  /** The body of a refusal made on the socket before any request exists (431): type and text. */
  raw(e: PlatformError): { type: string; body: string };
  /** Headers the family reads: checked for unsafe text at the edge (lower case). */
  headers?: readonly string[];
  /** Whether the family's routes take JSON only: an urlencoded form gets 415. */
  jsonOnly?: boolean;
  /**
   * Cookie of the family's browser session: a state change (not GET/HEAD/OPTIONS) that carries it
   * without an Authorization header must come from the platform's own origin (CSRF).
   */
  sessionCookie?: string;
  /** Origins besides the request's own (`protocol://host`) that count as the platform's own. */
  ownOrigins?: () => readonly string[];
  /**
   * The second CSRF check, after the origin: given the session cookie's value, throws unless the
   * request carries the token bound to that session (the family decides where it looks and which
   * routes, such as sign-in, need none).
   */
  sessionToken?: (req: FastifyRequest, session: string) => void;
  /** Routes that start a session (sign-in): origin-checked even without the cookie (login CSRF). */
  startsSession?: (req: FastifyRequest) => boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The listener's error families, longest prefix first (createHttpApp; every scope shares it). */
    errorFamilies: ErrorFamily[];
  }
}

/** Registers an error family on the listener of `app` (any scope of it). */
export function registerErrorFamily(app: FastifyInstance, family: ErrorFamily): void {
  const list = app.errorFamilies;
  list.push(family);
  list.sort((a, b) => b.prefix.length - a.prefix.length);
}

/** The family owning a URL's path among a listener's families, or undefined (the platform's own envelope). */
export function familyOf(families: readonly ErrorFamily[], url: string): ErrorFamily | undefined {
  const path = url.split('?')[0] ?? url;
  return families.find((f) => path.startsWith(f.prefix));
}
