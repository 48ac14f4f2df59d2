// Cross-site request forgery on the wallet (issue 9): a state change riding on the session cookie
// must come from the wallet's own origin and carry the session's CSRF token; API clients with a
// bearer token are not browsers.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDbKinds } from '../core/test-kit.ts';
import { startTestPlatform, type TestPlatform } from '../testing/index.ts';
import { walletModule } from './module.ts';
import { type StartedSession, signUp } from './service.ts';
import { walletCsrfField, walletCsrfTokenOf } from './test-support.ts';

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
      const cookie = `cardport_wallet=${user.token}`;
      const token = await walletCsrfTokenOf(p.app.main, cookie);
      const own = await addDevice({ cookie, origin: 'http://localhost:80', 'x-csrf-token': token });
      assert.equal(own.statusCode, 201, own.body);
      const sameSite = await p.app.main.inject({
        method: 'POST',
        url: '/wallet/sign-out',
        headers: {
          cookie,
          'content-type': 'application/x-www-form-urlencoded',
          'sec-fetch-site': 'same-origin',
        },
        payload: await walletCsrfField(p.app.main, cookie),
      });
      assert.equal(sameSite.statusCode, 303, sameSite.body);
    });
  });

  describe(`wallet state changes and the CSRF token (${kind.name})`, () => {
    let p: TestPlatform;
    let alice: StartedSession;
    let bob: StartedSession;
    let aliceCookie: string;
    let aliceToken: string;
    let bobToken: string;
    before(async () => {
      p = await startTestPlatform({ kind, modules: [walletModule] });
      alice = await signUp(p.db, p.clock, { email: 'csrf-alice@example.com' });
      bob = await signUp(p.db, p.clock, { email: 'csrf-bob@example.com' });
      aliceCookie = `cardport_wallet=${alice.token}`;
      aliceToken = await walletCsrfTokenOf(p.app.main, aliceCookie);
      bobToken = await walletCsrfTokenOf(p.app.main, `cardport_wallet=${bob.token}`);
    });
    after(() => p.close());

    // A form route (the devices page's "Add device") and a JSON route (the device API), both
    // from the wallet's own origin with the cookie, so only the token decides.
    const addDeviceForm = (token: string | undefined) =>
      p.app.main.inject({
        method: 'POST',
        url: '/wallet/app/devices',
        headers: {
          cookie: aliceCookie,
          origin: 'http://localhost:80',
          'content-type': 'application/x-www-form-urlencoded',
        },
        payload: `name=Galaxy+A56${token === undefined ? '' : `&csrfToken=${encodeURIComponent(token)}`}`,
      });
    const addDeviceJson = (token: string | undefined) =>
      p.app.main.inject({
        method: 'POST',
        url: '/wallet/api/devices',
        headers: {
          cookie: aliceCookie,
          origin: 'http://localhost:80',
          ...(token === undefined ? {} : { 'x-csrf-token': token }),
        },
        payload: { name: 'Galaxy A56' },
      });
    const devicesOfAlice = async () =>
      (
        await p.app.main.inject({
          method: 'GET',
          url: '/wallet/api/devices',
          headers: { authorization: `Bearer ${alice.token}` },
        })
      ).json().devices.length as number;

    for (const [route, send] of [
      ['form', addDeviceForm],
      ['JSON', addDeviceJson],
    ] as const) {
      it(`refuses a cookie-borne ${route} post without the token, with a wrong one and with another session's`, async () => {
        const before = await devicesOfAlice();
        const wrong = `${aliceToken.slice(0, -2)}${aliceToken.endsWith('AA') ? 'BB' : 'AA'}`;
        for (const [token, reason] of [
          [undefined, 'missing'],
          ['', 'missing'],
          [wrong, 'not valid'],
          [bobToken, 'not valid'],
          [alice.token, 'not valid'],
        ] as const) {
          const res = await send(token);
          assert.equal(res.statusCode, 403, res.body);
          const error = res.json().error;
          assert.equal(error.code, 'FORBIDDEN');
          assert.match(error.message, /CSRF token/);
          assert.deepEqual(error.details, [{ field: 'csrfToken', reason }]);
          assert.ok(
            !res.body.includes(alice.token) && !res.body.includes(aliceToken),
            'no secret in the answer',
          );
        }
        assert.equal(await devicesOfAlice(), before, 'nothing was added');
      });

      it(`accepts a cookie-borne ${route} post with the session's token`, async () => {
        const before = await devicesOfAlice();
        const res = await send(aliceToken);
        assert.equal(res.statusCode, route === 'form' ? 303 : 201, res.body);
        assert.equal(await devicesOfAlice(), before + 1);
      });
    }

    it('puts the session token in every form of a signed-in page and in its meta tag', async () => {
      const page = await p.app.main.inject({
        method: 'GET',
        url: '/wallet/app/devices',
        headers: { cookie: aliceCookie },
      });
      const forms = page.body.match(/<form [^>]*method="post"[\s\S]*?<\/form>/g) ?? [];
      assert.ok(forms.length >= 2, 'the device switcher and the add-device form');
      for (const form of forms) assert.ok(form.includes(`name="csrfToken" value="${aliceToken}"`), form);
      assert.ok(page.body.includes(`<meta name="cardport-csrf" content="${aliceToken}">`));
    });

    it('lets sign-in and sign-up through on the origin check alone, cookie or not: there is no session to bind yet', async () => {
      const form = {
        cookie: aliceCookie,
        origin: 'http://localhost:80',
        'content-type': 'application/x-www-form-urlencoded',
      };
      const signIn = await p.app.main.inject({
        method: 'POST',
        url: '/wallet/sign-in',
        headers: form,
        payload: 'email=csrf-bob%40example.com',
      });
      assert.equal(signIn.statusCode, 303, signIn.body);
      const signUpForm = await p.app.main.inject({
        method: 'POST',
        url: '/wallet/sign-up',
        headers: form,
        payload: 'email=csrf-carol%40example.com',
      });
      assert.equal(signUpForm.statusCode, 303, signUpForm.body);
      const apiSignIn = await p.app.main.inject({
        method: 'POST',
        url: '/wallet/api/sessions',
        headers: { cookie: aliceCookie, origin: 'http://localhost:80' },
        payload: { email: 'csrf-alice@example.com' },
      });
      assert.equal(apiSignIn.statusCode, 201, apiSignIn.body);
      const crossSite = await p.app.main.inject({
        method: 'POST',
        url: '/wallet/sign-in',
        headers: { ...form, origin: 'https://evil.example' },
        payload: 'email=csrf-bob%40example.com',
      });
      assert.equal(crossSite.statusCode, 403, crossSite.body);
      // Without any cookie too: a forged sign-in would put the victim in the attacker's account.
      for (const [url, payload] of [
        ['/wallet/sign-in', 'email=csrf-bob%40example.com'],
        ['/wallet/sign-up', 'email=csrf-mallory%40example.com'],
      ] as const) {
        const forged = await p.app.main.inject({
          method: 'POST',
          url,
          headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
          payload,
        });
        assert.equal(forged.statusCode, 403, forged.body);
        assert.equal(forged.headers['set-cookie'], undefined);
      }
      const forgedApi = await p.app.main.inject({
        method: 'POST',
        url: '/wallet/api/sessions',
        headers: { 'sec-fetch-site': 'cross-site' },
        payload: { email: 'csrf-bob@example.com' },
      });
      assert.equal(forgedApi.statusCode, 403, forgedApi.body);
    });
  });
}
