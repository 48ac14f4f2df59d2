// Cross-site request forgery on the wallet (issue 9): a state change riding on the session cookie
// must come from the wallet's own origin; API clients with a bearer token are not browsers.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDbKinds } from '../core/test-support.ts';
import { startTestPlatform, type TestPlatform } from '../partners/test-support.ts';
import { walletModule } from './module.ts';
import { type StartedSession, signUp } from './service.ts';

for (const kind of testDbKinds()) {
  describe(`wallet state changes and the origin (${kind.name})`, () => {
    let p: TestPlatform;
    let user: StartedSession;
    before(async () => {
      p = await startTestPlatform({ kind, modules: [walletModule] });
      user = await signUp(p.db, p.clock, { email: 'csrf@example.com' });
    });
    after(() => p.close());

    const signOut = (headers: Record<string, string>) =>
      p.app.main.inject({
        method: 'POST',
        url: '/wallet/sign-out',
        headers: {
          cookie: `cardport_wallet=${user.token}`,
          'content-type': 'application/x-www-form-urlencoded',
          ...headers,
        },
        payload: '',
      });
    const addDevice = (headers: Record<string, string>) =>
      p.app.main.inject({ method: 'POST', url: '/wallet/api/devices', headers, payload: { name: 'Tablet' } });

    it('refuses a cookie-borne form post from another origin, or from an opaque one', async () => {
      for (const origin of ['https://evil.example', 'null']) {
        const res = await signOut({ origin });
        assert.equal(res.statusCode, 403, res.body);
        assert.equal(res.json().error.details[0].field, 'Origin');
      }
      const res = await signOut({ 'sec-fetch-site': 'cross-site' });
      assert.equal(res.statusCode, 403, res.body);
    });

    it('refuses a cookie-borne API call from another origin', async () => {
      const res = await addDevice({
        cookie: `cardport_wallet=${user.token}`,
        origin: 'https://evil.example',
      });
      assert.equal(res.statusCode, 403, res.body);
    });

    it('accepts the same calls from the wallet itself and from bearer clients', async () => {
      const bearer = await addDevice({
        authorization: `Bearer ${user.token}`,
        origin: 'https://evil.example',
      });
      assert.equal(bearer.statusCode, 201, bearer.body);
      const own = await addDevice({ cookie: `cardport_wallet=${user.token}`, origin: 'http://localhost:80' });
      assert.equal(own.statusCode, 201, own.body);
      const sameSite = await signOut({ 'sec-fetch-site': 'same-origin' });
      assert.equal(sameSite.statusCode, 303, sameSite.body);
    });
  });
}
