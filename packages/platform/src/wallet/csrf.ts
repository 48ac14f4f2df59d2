// The wallet's CSRF token (issue 9): the second check on every state change riding on the session
// cookie, after the origin check of core/http.ts. A synchronizer token without server state: the
// HMAC-SHA256 of the session id (SHA-256 of the cookie's token, as service.ts stores it) under a
// key derived from the master key. Pages carry it in a hidden `csrfToken` field and in
// `<meta name="cardport-csrf">` for their scripts, which send it as `X-CSRF-Token`.
// Sign-in and sign-up start a session, so they have none to bind to: the origin check alone
// protects them. Bearer clients never reach this check (core/http.ts skips them).
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { appStateKey } from '../core/app-state.ts';
import type { AppContext } from '../core/context.ts';
import { PlatformError } from '../core/errors.ts';
import { html, type Markup } from '../core/html.ts';

/** The hidden form field and the header that carry the token. */
export const csrfFieldName = 'csrfToken';
export const csrfHeaderName = 'x-csrf-token';

/** Routes that start a session: protected by the origin check only (there is no session yet). */
const sessionStarters = new Set([
  'POST /wallet/sign-in',
  'POST /wallet/sign-up',
  'POST /wallet/api/accounts',
  'POST /wallet/api/sessions',
]);

/** The master key's derivation and the app's state, where the derived key is kept. */
export type CsrfDeps = { keys: Pick<AppContext['keys'], 'deriveKey'> } & Pick<AppContext, 'state'>;

/** The app's derived CSRF key, derived once (HKDF of the master key) on first use. */
const csrfKeyCell = appStateKey('wallet.csrfKey', () => ({ key: undefined as Buffer | undefined }));

function csrfKey(deps: CsrfDeps): Buffer {
  const cell = deps.state.get(csrfKeyCell);
  cell.key ??= deps.keys.deriveKey('wallet-csrf');
  return cell.key;
}

/** The token bound to a session, from the session's id (`WalletSession.id`). */
export function walletCsrfToken(deps: CsrfDeps, sessionId: string): string {
  return createHmac('sha256', csrfKey(deps)).update(`wallet-csrf:${sessionId}`, 'utf8').digest('base64url');
}

/** The token bound to the session whose bearer token (the cookie's value) is `sessionToken`. */
export function walletCsrfTokenForSessionToken(deps: CsrfDeps, sessionToken: string): string {
  return walletCsrfToken(deps, createHash('sha256').update(sessionToken, 'utf8').digest('hex'));
}

/** The hidden field every wallet form that posts with the cookie carries. */
export function csrfInput(token: string): Markup {
  return html`<input type="hidden" name="${csrfFieldName}" value="${token}">`;
}

function sentToken(req: FastifyRequest): string | undefined {
  const header = req.headers[csrfHeaderName];
  if (typeof header === 'string') return header;
  const body = req.body;
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const field = (body as Record<string, unknown>)[csrfFieldName];
    if (typeof field === 'string') return field;
  }
  return undefined;
}

function refuse(reason: string): PlatformError {
  return new PlatformError(
    'FORBIDDEN',
    `CSRF token ${reason}: reload the wallet page and try again (scripts send X-CSRF-Token from <meta name="cardport-csrf">)`,
    { details: [{ field: csrfFieldName, reason: `${reason}` }] },
  );
}

/** Sign-in and sign-up: the family's `startsSession` (origin-checked even without a cookie). */
export function startsWalletSession(req: FastifyRequest): boolean {
  return sessionStarters.has(`${req.method} ${req.routeOptions.url ?? ''}`);
}

/** The wallet family's `sessionToken` check (core/families.ts): throws 403 unless the token matches. */
export function walletCsrfCheck(deps: CsrfDeps): (req: FastifyRequest, session: string) => void {
  return (req, session) => {
    if (startsWalletSession(req)) return;
    const sent = sentToken(req);
    if (sent === undefined || sent === '') throw refuse('missing');
    // `session` is the cookie as @fastify/cookie decoded it, the same value cookieToken() reads.
    const expected = Buffer.from(walletCsrfTokenForSessionToken(deps, session), 'utf8');
    const given = Buffer.from(sent, 'utf8');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw refuse('not valid');
    // The routes validate their own fields only: the token is not one of them.
    const body = req.body;
    if (body && typeof body === 'object' && !Array.isArray(body))
      delete (body as Record<string, unknown>)[csrfFieldName];
  };
}
