// Malformed Cookie headers (issue 12, cookies read through @fastify/cookie): garbage, duplicate
// names and very long headers are ignored or refused in the family's own format, never a 500.
// The wallet and the admin session are the two families that read a cookie.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { adminModule } from '../admin/module.ts';
import { testDbKinds } from '../core/test-kit.ts';
import { startTestPlatform, TEST_ADMIN_TOKEN, type TestPlatform } from '../testing/index.ts';
import { walletModule } from './module.ts';
import { type StartedSession, signUp } from './service.ts';

const garbage = [
  '=;;;=x; ;=',
  'cardport_wallet',
  'cardport_wallet=%zz%',
  'cardport_wallet="unterminated; cardport_admin=%E0%A4%A',
  'a=b; c; =d; cardport_wallet=; cardport_admin=',
  '\t; ; \t',
];
const veryLong = `cardport_wallet=${'A'.repeat(12_000)}; cardport_admin=${'%'.repeat(2_000)}`;

for (const kind of testDbKinds()) {
  describe(`malformed Cookie headers (${kind.name})`, () => {
    let p: TestPlatform;
    let user: StartedSession;
    before(async () => {
      p = await startTestPlatform({ kind, modules: [walletModule, adminModule] });
      user = await signUp(p.db, p.clock, { email: 'cookies@example.com' });
    });
    after(() => p.close());

    const me = (cookie: string) =>
      p.app.main.inject({ method: 'GET', url: '/wallet/api/me', headers: { cookie } });

    it('answers the wallet API 401 in its own envelope for a garbage or very long cookie', async () => {
      for (const cookie of [...garbage, veryLong]) {
        const res = await me(cookie);
        assert.equal(res.statusCode, 401, `${cookie.slice(0, 40)}: ${res.body}`);
        assert.equal(res.json().error.code, 'UNAUTHORIZED');
      }
    });

    it('sends a wallet page with a garbage cookie back to sign-in', async () => {
      for (const cookie of [...garbage, veryLong]) {
        const res = await p.app.main.inject({
          method: 'GET',
          url: '/wallet/app/account',
          headers: { cookie },
        });
        assert.ok(
          res.statusCode === 303 || res.statusCode === 302,
          `${cookie.slice(0, 40)}: ${res.statusCode}`,
        );
        assert.match(String(res.headers.location), /^\/wallet\?next=/);
      }
    });

    it('refuses a cookie-borne state change with an undecodable session cookie as a CSRF failure', async () => {
      const res = await p.app.main.inject({
        method: 'POST',
        url: '/wallet/api/devices',
        headers: { cookie: 'cardport_wallet=%zz%', origin: 'http://localhost:80', 'x-csrf-token': 'x' },
        payload: { name: 'Tablet' },
      });
      assert.equal(res.statusCode, 403, res.body);
      assert.equal(res.json().error.code, 'FORBIDDEN');
    });

    it('reads the first of duplicate cookie names, as a browser orders the most specific first', async () => {
      const first = await me(`cardport_wallet=${user.token}; cardport_wallet=stale`);
      assert.equal(first.statusCode, 200, first.body);
      assert.equal(first.json().account.email, 'cookies@example.com');
      const second = await me(`cardport_wallet=stale; cardport_wallet=${user.token}`);
      assert.equal(second.statusCode, 401, second.body);
      assert.equal(second.json().error.code, 'UNAUTHORIZED');
    });

    it('answers the admin API 401 in the platform envelope for garbage admin cookies', async () => {
      const opened = await p.app.main.inject({
        method: 'POST',
        url: '/admin/session',
        headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
      });
      const good = String(opened.headers['set-cookie']).split(';')[0] as string;
      for (const cookie of [...garbage, veryLong, `cardport_admin=forged; ${good}`]) {
        const res = await p.app.main.inject({
          method: 'GET',
          url: '/admin/v1/requests',
          headers: { cookie },
        });
        assert.equal(res.statusCode, 401, `${cookie.slice(0, 40)}: ${res.body}`);
        assert.equal(res.json().error.code, 'UNAUTHORIZED');
      }
      const ok = await p.app.main.inject({
        method: 'GET',
        url: '/admin/v1/requests',
        headers: { cookie: `${good}; cardport_admin=forged; junk` },
      });
      assert.equal(ok.statusCode, 200, ok.body);
    });

    it('writes the cookies with the same attributes as before, and clears them', async () => {
      const opened = await p.app.main.inject({
        method: 'POST',
        url: '/admin/session',
        headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
      });
      const admin = String(opened.headers['set-cookie']);
      assert.match(admin, /^cardport_admin=[\w-]+; Path=\/admin; HttpOnly; SameSite=Strict$/);
      const closed = await p.app.main.inject({ method: 'DELETE', url: '/admin/session' });
      assert.match(
        String(closed.headers['set-cookie']),
        /^cardport_admin=; Max-Age=0; Path=\/admin; .*HttpOnly; SameSite=Strict$/,
      );
      const signedIn = await p.app.main.inject({
        method: 'POST',
        url: '/wallet/api/sessions',
        payload: { email: 'cookies@example.com' },
      });
      assert.equal(signedIn.statusCode, 201, signedIn.body);
      const wallet = String(signedIn.headers['set-cookie']);
      assert.match(wallet, /^cardport_wallet=[\w-]+; Max-Age=\d+; Path=\/wallet; HttpOnly; SameSite=Lax$/);
    });
  });
}
