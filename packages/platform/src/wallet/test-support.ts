// Test helpers for the wallet's cookie-borne state changes: the CSRF token a signed-in page gives.
import assert from 'node:assert/strict';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';

interface Injects {
  inject(options: InjectOptions): Promise<LightMyRequestResponse>;
}

/**
 * The CSRF token of the session in `cookie` (`cardport_wallet=…`), read as a browser would: from
 * the `<meta name="cardport-csrf">` of a signed-in wallet page.
 */
export async function walletCsrfTokenOf(app: Injects, cookie: string): Promise<string> {
  const page = await app.inject({ method: 'GET', url: '/wallet/app/account', headers: { cookie } });
  assert.equal(page.statusCode, 200, `a signed-in page for the CSRF token, got ${page.statusCode}`);
  const token = /<meta name="cardport-csrf" content="([^"]+)">/.exec(page.body)?.[1];
  assert.ok(token, 'the signed-in page carries <meta name="cardport-csrf">');
  return token;
}

/** The CSRF token of a session as a form field (`csrfToken=…`), to append to a urlencoded payload. */
export async function walletCsrfField(app: Injects, cookie: string): Promise<string> {
  return `csrfToken=${encodeURIComponent(await walletCsrfTokenOf(app, cookie))}`;
}
