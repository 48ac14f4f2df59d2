import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import formbody from '@fastify/formbody';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { AppState } from '../core/app-state.ts';
import { adminGuard, createHttpApp } from '../core/http.ts';
import {
  ManualClock,
  silentLogger,
  type TestDb,
  testConfig,
  testDbKinds,
  testKeyStore,
} from '../core/test-kit.ts';
import { sessionCookieName } from './extensions.ts';
import { safeWalletPath } from './http-support.ts';
import { registerWalletRoutes } from './routes.ts';
import { addWalletItem, sessionLifetimeMs } from './service.ts';
import { walletCsrfField } from './test-support.ts';

const adminToken = 'test-admin-token';

function cookieFrom(res: LightMyRequestResponse): string {
  const header = res.headers['set-cookie'];
  const line = Array.isArray(header) ? header[0] : header;
  assert.ok(line, 'expected a Set-Cookie header');
  return line;
}

function sessionCookie(res: LightMyRequestResponse): string {
  const value = /^cardport_wallet=([^;]*)/.exec(cookieFrom(res))?.[1];
  assert.ok(value, 'expected the wallet session cookie');
  return `${sessionCookieName}=${value}`;
}

it('accepts only wallet paths as redirect targets', () => {
  assert.equal(safeWalletPath('/wallet/app'), '/wallet/app');
  assert.equal(safeWalletPath('/wallet?x=1'), '/wallet?x=1');
  assert.equal(safeWalletPath('/wallet'), '/wallet');
  for (const bad of [
    '//evil.example',
    'https://evil.example/wallet',
    '/walletx',
    '/wallet/\\evil',
    '/admin',
    1,
  ]) {
    assert.equal(safeWalletPath(bad), undefined, String(bad));
  }
  assert.equal(safeWalletPath('/wallet', '/wallet/app'), undefined);
});

for (const kind of testDbKinds()) {
  describe(`wallet routes on ${kind.name}`, () => {
    let t: TestDb;
    let app: FastifyInstance;
    const clock = new ManualClock();
    const config = testConfig();
    const keys = testKeyStore(clock);

    before(async () => {
      t = await kind.open();
      app = createHttpApp({ logger: silentLogger });
      await app.register(formbody);
      registerWalletRoutes(app, {
        db: t.db,
        clock,
        config,
        keys,
        requireAdmin: adminGuard(adminToken),
        state: new AppState(),
      });
      await app.ready();
    });
    after(async () => {
      await app.close();
      await t.dispose();
      config.cleanup();
    });

    async function signUp(email: string) {
      const res = await app.inject({ method: 'POST', url: '/wallet/api/accounts', payload: { email } });
      assert.equal(res.statusCode, 201, res.body);
      return res.json() as { token: string; account: { userId: string }; device: { deviceId: string } };
    }

    describe('JSON API', () => {
      it('signs up, sets an HttpOnly SameSite=Lax cookie and answers /me by bearer token and by cookie', async () => {
        const res = await app.inject({
          method: 'POST',
          url: '/wallet/api/accounts',
          payload: { email: 'api@example.com', phone: '+44(20)7946', country: 'gb' },
        });
        assert.equal(res.statusCode, 201, res.body);
        const body = res.json();
        assert.equal(body.account.country, 'GB');
        assert.equal(body.device.name, 'Galaxy S25');
        assert.equal(body.device.locale.country, 'GB');
        const cookie = cookieFrom(res);
        assert.match(cookie, /HttpOnly/);
        assert.match(cookie, /SameSite=Lax/);
        assert.match(cookie, /Path=\/wallet/);
        assert.match(cookie, new RegExp(`Max-Age=${sessionLifetimeMs / 1000}`));
        const byBearer = await app.inject({
          method: 'GET',
          url: '/wallet/api/me',
          headers: { authorization: `Bearer ${body.token}` },
        });
        assert.equal(byBearer.statusCode, 200);
        assert.equal(byBearer.json().account.email, 'api@example.com');
        assert.equal(byBearer.json().devices.length, 1);
        const byCookie = await app.inject({
          method: 'GET',
          url: '/wallet/api/me',
          headers: { cookie: sessionCookie(res) },
        });
        assert.equal(byCookie.statusCode, 200);
        assert.equal(byCookie.json().device.deviceId, body.device.deviceId);
      });

      it('names every invalid field and never answers 500 to bad bodies', async () => {
        const res = await app.inject({
          method: 'POST',
          url: '/wallet/api/accounts',
          payload: { phone: 'call me', country: 'Germany', extra: 1 },
        });
        assert.equal(res.statusCode, 400);
        const { error } = res.json();
        assert.equal(error.code, 'INVALID_INPUT');
        const fields = Object.fromEntries(
          (error.details as { field: string; reason: string }[]).map((d) => [d.field, d.reason]),
        );
        assert.equal(fields['email'], 'required');
        assert.ok(fields['phone']);
        assert.ok(fields['country']);
        assert.match(fields['(body)'] ?? '', /unknown field: extra/);
        for (const payload of ['{"email":', '"just a string"', '[]', 'null']) {
          const bad = await app.inject({
            method: 'POST',
            url: '/wallet/api/accounts',
            headers: { 'content-type': 'application/json' },
            payload,
          });
          assert.equal(bad.statusCode, 400, `${payload} → ${bad.body}`);
          assert.equal(bad.json().error.code, 'INVALID_INPUT');
        }
      });

      it('refuses a second account for the same email in another case', async () => {
        await signUp('twice@example.com');
        const res = await app.inject({
          method: 'POST',
          url: '/wallet/api/accounts',
          payload: { email: 'TWICE@example.com' },
        });
        assert.equal(res.statusCode, 409);
        assert.equal(res.json().error.code, 'CONFLICT');
      });

      it('does not sign in an unknown email, and sets no cookie', async () => {
        const res = await app.inject({
          method: 'POST',
          url: '/wallet/api/sessions',
          payload: { email: 'stranger@example.com' },
        });
        assert.equal(res.statusCode, 404);
        assert.equal(res.json().error.code, 'NOT_FOUND');
        assert.deepEqual(res.json().error.details, [{ field: 'email', reason: 'no account' }]);
        assert.equal(res.headers['set-cookie'], undefined);
      });

      it('signs in with the email alone and ends the session when the clock passes its expiry', async () => {
        await signUp('expiry@example.com');
        const res = await app.inject({
          method: 'POST',
          url: '/wallet/api/sessions',
          payload: { email: 'Expiry@Example.com' },
        });
        assert.equal(res.statusCode, 201);
        const auth = { authorization: `Bearer ${res.json().token}` };
        assert.equal(
          (await app.inject({ method: 'GET', url: '/wallet/api/me', headers: auth })).statusCode,
          200,
        );
        clock.advance(sessionLifetimeMs - 1);
        assert.equal(
          (await app.inject({ method: 'GET', url: '/wallet/api/me', headers: auth })).statusCode,
          200,
        );
        clock.advance(1);
        const expired = await app.inject({ method: 'GET', url: '/wallet/api/me', headers: auth });
        assert.equal(expired.statusCode, 401);
        assert.equal(expired.json().error.code, 'UNAUTHORIZED');
        assert.match(expired.json().error.message, /expired/);
      });

      it('answers 401 without a session and never echoes the token', async () => {
        const none = await app.inject({ method: 'GET', url: '/wallet/api/me' });
        assert.equal(none.statusCode, 401);
        const bogus = await app.inject({
          method: 'GET',
          url: '/wallet/api/items',
          headers: { authorization: 'Bearer not-a-real-token-12345' },
        });
        assert.equal(bogus.statusCode, 401);
        assert.ok(!bogus.body.includes('not-a-real-token-12345'));
      });

      it('answers 401, not 400, to a bad body or query without a session', async () => {
        for (const [method, url, payload] of [
          ['POST', '/wallet/api/devices', { serialLast4: 'toolong', extra: 1 }],
          ['GET', '/wallet/api/items?unknown=1', undefined],
          ['POST', '/wallet/api/devices/x/select', undefined],
        ] as const) {
          const res = await app.inject({ method, url, ...(payload ? { payload } : {}) });
          assert.equal(res.statusCode, 401, `${method} ${url}`);
          assert.equal(res.json().error.code, 'UNAUTHORIZED');
        }
      });

      it('adds a device with the defaults when the body is absent', async () => {
        const me = await app.inject({
          method: 'POST',
          url: '/wallet/api/accounts',
          payload: { email: 'nobody-body@example.com' },
        });
        const res = await app.inject({
          method: 'POST',
          url: '/wallet/api/devices',
          headers: { authorization: `Bearer ${me.json().token}` },
        });
        assert.equal(res.statusCode, 201, res.body);
        assert.equal(res.json().selected, false);
        assert.equal(res.json().device.locale.country, 'US');
      });

      it('adds a device, switches to it, lists its items, and keeps other accounts’ devices out', async () => {
        const me = await signUp('devices@example.com');
        const other = await signUp('other@example.com');
        const auth = { authorization: `Bearer ${me.token}` };
        const added = await app.inject({
          method: 'POST',
          url: '/wallet/api/devices',
          headers: auth,
          payload: { name: 'Galaxy A56', country: 'KR' },
        });
        assert.equal(added.statusCode, 201, added.body);
        const device = added.json().device;
        assert.equal(added.json().selected, false);
        assert.equal(device.model, 'SM-A566B');
        const select = await app.inject({
          method: 'POST',
          url: `/wallet/api/devices/${device.deviceId}/select`,
          headers: auth,
        });
        assert.equal(select.statusCode, 200);
        const meNow = (await app.inject({ method: 'GET', url: '/wallet/api/me', headers: auth })).json();
        assert.equal(meNow.device.deviceId, device.deviceId);
        assert.equal(meNow.devices.length, 2);

        await addWalletItem(t.db, clock, {
          userId: me.account.userId,
          deviceId: device.deviceId,
          kind: 'payment_card',
          source: 'save-to-pay',
          title: 'Demo card',
          state: 'ACTIVE',
        });
        const items = await app.inject({ method: 'GET', url: '/wallet/api/items', headers: auth });
        assert.equal(items.statusCode, 200);
        assert.equal(items.json().deviceId, device.deviceId);
        assert.deepEqual(
          items.json().items.map((i: { title: string }) => i.title),
          ['Demo card'],
        );
        const onFirst = await app.inject({
          method: 'GET',
          url: `/wallet/api/items?deviceId=${me.device.deviceId}`,
          headers: auth,
        });
        assert.deepEqual(onFirst.json().items, []);

        const foreignSelect = await app.inject({
          method: 'POST',
          url: `/wallet/api/devices/${other.device.deviceId}/select`,
          headers: auth,
        });
        assert.equal(foreignSelect.statusCode, 404);
        const foreignItems = await app.inject({
          method: 'GET',
          url: `/wallet/api/items?deviceId=${other.device.deviceId}`,
          headers: auth,
        });
        assert.equal(foreignItems.statusCode, 404);
        const badDevice = await app.inject({
          method: 'POST',
          url: '/wallet/api/devices',
          headers: auth,
          payload: { serialLast4: 'toolong', select: 'yes' },
        });
        assert.equal(badDevice.statusCode, 400);
        assert.deepEqual(
          badDevice
            .json()
            .error.details.map((d: { field: string }) => d.field)
            .sort(),
          ['select', 'serialLast4'],
        );
      });

      it('signs out: the token stops working and the cookie is cleared', async () => {
        const me = await signUp('bye@example.com');
        const auth = { authorization: `Bearer ${me.token}` };
        const out = await app.inject({
          method: 'DELETE',
          url: '/wallet/api/sessions/current',
          headers: auth,
        });
        assert.equal(out.statusCode, 204);
        assert.match(cookieFrom(out), /Max-Age=0/);
        assert.equal(
          (await app.inject({ method: 'GET', url: '/wallet/api/me', headers: auth })).statusCode,
          401,
        );
      });
    });

    describe('admin API', () => {
      const admin = { authorization: `Bearer ${adminToken}` };

      it('needs the admin token', async () => {
        const res = await app.inject({ method: 'GET', url: '/admin/v1/wallet/accounts' });
        assert.equal(res.statusCode, 401);
        const wrong = await app.inject({
          method: 'POST',
          url: '/admin/v1/wallet/accounts',
          headers: { authorization: 'Bearer nope' },
          payload: { email: 'x@example.com' },
        });
        assert.equal(wrong.statusCode, 401);
      });

      it('answers 401, not 400, to a bad body without the admin token', async () => {
        const res = await app.inject({
          method: 'POST',
          url: '/admin/v1/wallet/accounts',
          payload: { email: 'not an email', extra: 1 },
        });
        assert.equal(res.statusCode, 401);
        const query = await app.inject({ method: 'GET', url: '/admin/v1/wallet/accounts?limit=0' });
        assert.equal(query.statusCode, 401);
      });

      it('creates an account and prints its userId, deviceId and walletId; shows it by email', async () => {
        const res = await app.inject({
          method: 'POST',
          url: '/admin/v1/wallet/accounts',
          headers: admin,
          payload: { email: 'cli@example.com', country: 'SG' },
        });
        assert.equal(res.statusCode, 201, res.body);
        const created = res.json();
        assert.match(created.userId, /^[A-Za-z0-9]{22}$/);
        assert.match(created.deviceId, /^[A-Za-z0-9]{24}$/);
        assert.match(created.walletId, /^[A-Za-z0-9]{22}$/);
        const shown = await app.inject({
          method: 'GET',
          url: `/admin/v1/wallet/accounts/${encodeURIComponent('CLI@example.com')}`,
          headers: admin,
        });
        assert.equal(shown.statusCode, 200);
        assert.equal(shown.json().userId, created.userId);
        assert.equal(shown.json().walletId, created.walletId);
        assert.deepEqual(shown.json().items, []);
        const list = await app.inject({
          method: 'GET',
          url: '/admin/v1/wallet/accounts?limit=500',
          headers: admin,
        });
        assert.ok(list.json().accounts.some((a: { email: string }) => a.email === 'cli@example.com'));
      });

      it('rejects bad bodies and unknown accounts clearly', async () => {
        const dup = await app.inject({
          method: 'POST',
          url: '/admin/v1/wallet/accounts',
          headers: admin,
          payload: { email: 'cli@example.com' },
        });
        assert.equal(dup.statusCode, 409);
        const bad = await app.inject({
          method: 'POST',
          url: '/admin/v1/wallet/accounts',
          headers: admin,
          payload: { email: 'cli2@example.com', country: '1' },
        });
        assert.equal(bad.statusCode, 400);
        assert.equal(bad.json().error.details[0].field, 'country');
        const missing = await app.inject({
          method: 'GET',
          url: '/admin/v1/wallet/accounts/nobody%40example.com',
          headers: admin,
        });
        assert.equal(missing.statusCode, 404);
        const badLimit = await app.inject({
          method: 'GET',
          url: '/admin/v1/wallet/accounts?limit=0',
          headers: admin,
        });
        assert.equal(badLimit.statusCode, 400);
      });
    });

    describe('pages', () => {
      const form = { 'content-type': 'application/x-www-form-urlencoded' };

      it('shows the sign-in page with the wallet’s own script and a strict CSP', async () => {
        const res = await app.inject({ method: 'GET', url: '/wallet' });
        assert.equal(res.statusCode, 200);
        assert.match(String(res.headers['content-type']), /text\/html/);
        assert.match(String(res.headers['content-security-policy']), /script-src 'self'/);
        assert.match(res.body, /action="\/wallet\/sign-in"/);
        assert.match(res.body, /href="\/assets\/cardport.css"/);
        const script = await app.inject({ method: 'GET', url: '/wallet/assets/wallet.js' });
        assert.equal(script.statusCode, 200);
        assert.match(String(script.headers['content-type']), /javascript/);
      });

      it('signs up from the form, lands in the app and shows the account, device and "No cards yet"', async () => {
        const res = await app.inject({
          method: 'POST',
          url: '/wallet/sign-up',
          headers: form,
          payload: 'email=o%27brien%2Bpage%40example.com&phone=&country=us',
        });
        assert.equal(res.statusCode, 303, res.body);
        assert.equal(res.headers.location, '/wallet/app');
        const cookie = sessionCookie(res);
        const app1 = await app.inject({ method: 'GET', url: '/wallet/app', headers: { cookie } });
        assert.equal(app1.statusCode, 200);
        assert.match(app1.body, /o&#39;brien\+page@example\.com/);
        assert.match(app1.body, /No cards yet/);
        assert.match(app1.body, /Galaxy S25/);
        // Signed in, /wallet goes straight to the app.
        const again = await app.inject({ method: 'GET', url: '/wallet', headers: { cookie } });
        assert.equal(again.statusCode, 303);
        assert.equal(again.headers.location, '/wallet/app');
      });

      it('escapes what the flows put into the wallet', async () => {
        const res = await app.inject({
          method: 'POST',
          url: '/wallet/sign-up',
          headers: form,
          payload: 'email=escape%40example.com&country=US',
        });
        const cookie = sessionCookie(res);
        const me = (await app.inject({ method: 'GET', url: '/wallet/api/me', headers: { cookie } })).json();
        await addWalletItem(t.db, clock, {
          userId: me.account.userId,
          kind: 'pass',
          source: 'wallet-cards',
          title: '<script>alert(1)</script>',
          subtitle: '"><img src=x onerror=alert(1)>',
          state: 'ACTIVE',
        });
        const page = await app.inject({ method: 'GET', url: '/wallet/app', headers: { cookie } });
        assert.ok(!page.body.includes('<script>alert(1)</script>'));
        assert.ok(!page.body.includes('<img src=x'));
        assert.match(page.body, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
        assert.doesNotMatch(page.body, /No cards yet/);
      });

      it('re-renders forms with the reason instead of failing', async () => {
        const unknown = await app.inject({
          method: 'POST',
          url: '/wallet/sign-in',
          headers: form,
          payload: 'email=ghost%40example.com',
        });
        assert.equal(unknown.statusCode, 404);
        assert.match(unknown.body, /sign up first/);
        assert.match(unknown.body, /value="ghost@example.com"/);
        const invalid = await app.inject({
          method: 'POST',
          url: '/wallet/sign-up',
          headers: form,
          payload: 'email=nope&country=XYZ',
        });
        assert.equal(invalid.statusCode, 400);
        assert.match(invalid.body, /<code>email<\/code>/);
        assert.match(invalid.body, /<code>country<\/code>/);
        const empty = await app.inject({
          method: 'POST',
          url: '/wallet/sign-in',
          headers: form,
          payload: '',
        });
        assert.equal(empty.statusCode, 400);
      });

      it('sends visitors without a session to sign-in and back, never to another site', async () => {
        const res = await app.inject({ method: 'GET', url: '/wallet/app/devices' });
        assert.equal(res.statusCode, 303);
        assert.equal(res.headers.location, '/wallet?next=%2Fwallet%2Fapp%2Fdevices');
        await signUp('next@example.com');
        const back = await app.inject({
          method: 'POST',
          url: '/wallet/sign-in',
          headers: form,
          payload: 'email=next%40example.com&next=%2Fwallet%2Fapp%2Fdevices',
        });
        assert.equal(back.headers.location, '/wallet/app/devices');
        const evil = await app.inject({
          method: 'POST',
          url: '/wallet/sign-in',
          headers: form,
          payload: 'email=next%40example.com&next=%2F%2Fevil.example%2F',
        });
        assert.equal(evil.headers.location, '/wallet/app');
      });

      it('treats an expired cookie as signed out and says so', async () => {
        const res = await app.inject({
          method: 'POST',
          url: '/wallet/sign-in',
          headers: form,
          payload: 'email=next%40example.com',
        });
        const cookie = sessionCookie(res);
        clock.advance(sessionLifetimeMs);
        const page = await app.inject({ method: 'GET', url: '/wallet/app', headers: { cookie } });
        assert.equal(page.statusCode, 303);
        assert.equal(page.headers.location, '/wallet?next=%2Fwallet%2Fapp&expired=1');
        assert.match(cookieFrom(page), /Max-Age=0/);
        const signIn = await app.inject({ method: 'GET', url: page.headers.location });
        assert.match(signIn.body, /Your session ended/);
      });

      it('adds a device from the devices page and switches to it, refusing foreign devices', async () => {
        const res = await app.inject({
          method: 'POST',
          url: '/wallet/sign-up',
          headers: form,
          payload: 'email=phones%40example.com&country=FR',
        });
        const cookie = sessionCookie(res);
        const csrf = await walletCsrfField(app, cookie);
        const added = await app.inject({
          method: 'POST',
          url: '/wallet/app/devices',
          headers: { ...form, cookie },
          payload: `name=Galaxy+Z+Flip7&country=&${csrf}`,
        });
        assert.equal(added.statusCode, 303);
        const devicesPage = await app.inject({
          method: 'GET',
          url: added.headers.location ?? '',
          headers: { cookie },
        });
        assert.match(devicesPage.body, /Added Galaxy Z Flip7/);
        const me = (await app.inject({ method: 'GET', url: '/wallet/api/me', headers: { cookie } })).json();
        const flip = me.devices.find((d: { name: string }) => d.name === 'Galaxy Z Flip7');
        assert.equal(flip.locale.country, 'FR');
        const switched = await app.inject({
          method: 'POST',
          url: '/wallet/app/devices/select',
          headers: { ...form, cookie },
          payload: `deviceId=${flip.deviceId}&returnTo=%2Fwallet%2Fapp&${csrf}`,
        });
        assert.equal(switched.statusCode, 303);
        assert.equal(switched.headers.location, '/wallet/app');
        const meNow = (
          await app.inject({ method: 'GET', url: '/wallet/api/me', headers: { cookie } })
        ).json();
        assert.equal(meNow.device.deviceId, flip.deviceId);

        const stranger = await signUp('stranger-device@example.com');
        const foreign = await app.inject({
          method: 'POST',
          url: '/wallet/app/devices/select',
          headers: { ...form, cookie },
          payload: `deviceId=${stranger.device.deviceId}&${csrf}`,
        });
        assert.equal(foreign.statusCode, 404);
        assert.match(foreign.body, /not one of this account/);
        const badCountry = await app.inject({
          method: 'POST',
          url: '/wallet/app/devices',
          headers: { ...form, cookie },
          payload: `name=Galaxy+A56&country=France&${csrf}`,
        });
        assert.equal(badCountry.statusCode, 400);
        assert.match(badCountry.body, /<code>country<\/code>/);
      });

      it('signs out from the account page', async () => {
        const res = await app.inject({
          method: 'POST',
          url: '/wallet/sign-in',
          headers: form,
          payload: 'email=phones%40example.com',
        });
        const cookie = sessionCookie(res);
        const account = await app.inject({ method: 'GET', url: '/wallet/app/account', headers: { cookie } });
        assert.match(account.body, /phones@example\.com/);
        const out = await app.inject({
          method: 'POST',
          url: '/wallet/sign-out',
          headers: { ...form, cookie },
          payload: await walletCsrfField(app, cookie),
        });
        assert.equal(out.statusCode, 303);
        assert.equal(out.headers.location, '/wallet?signedOut=1');
        const after = await app.inject({ method: 'GET', url: '/wallet/app', headers: { cookie } });
        assert.equal(after.statusCode, 303);
      });
    });
  });
}
