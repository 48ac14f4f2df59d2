import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { registrationSchema, s2pErrorSchema } from '@cardport/protocol';
import { testDbKinds } from '../core/test-kit.ts';
import { onboardTestPartner } from '../testing/index.ts';
import { setSwitches } from './switches.ts';
import { newRequestId, type S2pTestBed, startS2pTestBed, validRegistration } from './test-support.ts';

type Json = Record<string, unknown>;
const details = (json: unknown) => ((json as Json)['details'] as { field: string; reason: string }[]) ?? [];
const fields = (json: unknown) => details(json).map((d) => d.field);

for (const kind of testDbKinds()) {
  describe(`Save to Pay partner API over mTLS (${kind.name})`, () => {
    let bed: S2pTestBed;
    before(async () => {
      bed = await startS2pTestBed({ kind });
    });
    after(async () => {
      await bed?.close();
    });

    it('creates a registration with 201, a welcome URL under the public URL and the Request-Id echoed', async () => {
      const requestId = newRequestId();
      const res = await bed.api({
        path: '/ext/v1/registrations',
        body: validRegistration,
        headers: { 'Request-Id': requestId, 'Partner-Id': bed.partner.partnerId },
      });
      assert.equal(res.status, 201);
      const reg = registrationSchema.parse(res.json);
      assert.equal(reg.status, 'PENDING');
      assert.ok(
        reg.welcomeUrl.startsWith(`${bed.urls.url}/s2p/v1/welcome/eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..`),
      );
      assert.equal(reg.welcomeUrlExpiration, bed.platform.clock.now() + 24 * 3_600_000);
      assert.equal(res.headers['response-id'], requestId);
      assert.equal(res.headers['request-id'], requestId);
      assert.equal((res.json as Json)['provisioningStatus'], 'NONE');
    });

    it('returns the same registration for a retried Request-Id, never a second one', async () => {
      const headers = { 'Request-Id': newRequestId(), 'Partner-Id': bed.partner.partnerId };
      const first = await bed.api({ path: '/ext/v1/registrations', body: validRegistration, headers });
      const second = await bed.api({ path: '/ext/v1/registrations', body: validRegistration, headers });
      assert.equal(first.status, 201);
      assert.equal(second.status, 201);
      assert.deepEqual(second.json, first.json);
      const [{ n }] = (await bed.platform.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM s2p_registrations WHERE request_id = $1',
        [headers['Request-Id']],
      )) as [{ n: number }];
      assert.equal(n, 1);
    });

    it('names every invalid field with 400.1 and creates nothing', async () => {
      const before = await bed.platform.db.query('SELECT reg_id FROM s2p_registrations');
      const res = await bed.api({
        path: '/ext/v1/registrations',
        body: {
          phone: '555 1234',
          enforceEmailMatching: true,
          hideEmail: 'yes',
          welcomeCallbackUrl: 'ftp://bank.example/back',
          allowOfflineCommunication: 1,
          data: [],
          custom: { cardName: 'x'.repeat(2049), cardArtUrl: '/relative.png', partnerLogoUrl: 'https://l' },
          extra: true,
        },
      });
      assert.equal(res.status, 400);
      const body = s2pErrorSchema.parse(res.json);
      assert.equal(body.code, '400.1');
      assert.equal(body.message, 'Invalid Data');
      for (const f of [
        'phone',
        'email',
        'hideEmail',
        'welcomeCallbackUrl',
        'allowOfflineCommunication',
        'data',
        'custom.cardName',
        'custom.cardArtUrl',
        'custom.partnerName',
        'extra',
      ]) {
        assert.ok(fields(res.json).includes(f), `${f} is named in ${JSON.stringify(fields(res.json))}`);
      }
      const afterRows = await bed.platform.db.query('SELECT reg_id FROM s2p_registrations');
      assert.equal(afterRows.length, before.length);
    });

    it('refuses enforcePhoneMatching without a phone and a missing custom object', async () => {
      const res = await bed.api({ path: '/ext/v1/registrations', body: { enforcePhoneMatching: true } });
      assert.equal(res.status, 400);
      assert.deepEqual(fields(res.json).sort(), ['custom', 'phone']);
    });

    it('requires Request-Id and Partner-Id headers of the UUID type', async () => {
      const missing = await bed.api({ path: '/ext/v1/registrations', body: validRegistration, headers: {} });
      assert.equal(missing.status, 400);
      assert.deepEqual(fields(missing.json).sort(), ['Partner-Id', 'Request-Id']);
      const short = await bed.api({
        path: '/ext/v1/registrations',
        body: validRegistration,
        headers: { 'Request-Id': 'short', 'Partner-Id': bed.partner.partnerId },
      });
      assert.equal(short.status, 400);
      assert.deepEqual(fields(short.json), ['Request-Id']);
    });

    it('refuses a Partner-Id that is not the certificate’s partner with 403.1', async () => {
      const res = await bed.api({
        path: '/ext/v1/registrations',
        body: validRegistration,
        headers: { 'Request-Id': newRequestId(), 'Partner-Id': 'someone-else-0123456789abcdef' },
      });
      assert.equal(res.status, 403);
      const body = s2pErrorSchema.parse(res.json);
      assert.equal(body.code, '403.1');
      assert.deepEqual(body.details, [{ field: 'Partner-Id', reason: 'partner-id-mismatch' }]);
    });

    it('answers a malformed JSON body with 400.1, not 500', async () => {
      const res = await new Promise<{ status: number; json: unknown }>((resolve, reject) => {
        import('node:https').then(({ default: https }) => {
          const r = https.request(
            {
              host: '127.0.0.1',
              port: bed.urls.mtlsPort,
              path: '/ext/v1/registrations',
              method: 'POST',
              ca: bed.partner.caCertificatePem,
              cert: bed.partner.clientCertificatePem,
              key: bed.partner.clientKeyPem,
              agent: false,
              headers: {
                'content-type': 'application/json',
                'Request-Id': newRequestId(),
                'Partner-Id': bed.partner.partnerId,
              },
            },
            (res) => {
              let t = '';
              res.on('data', (c) => {
                t += c;
              });
              res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(t) }));
            },
          );
          r.on('error', reject);
          r.end('{"custom":');
        }, reject);
      });
      assert.equal(res.status, 400);
      assert.equal((res.json as Json)['code'], '400.1');
    });

    it('retrieves a registration, and answers 404.1 for an unknown regId and another partner’s', async () => {
      const created = await bed.api({ path: '/ext/v1/registrations', body: validRegistration });
      const reg = registrationSchema.parse(created.json);
      const got = await bed.api({ path: `/ext/v1/registrations/${reg.id}` });
      assert.equal(got.status, 200);
      assert.deepEqual(got.json, created.json);
      const unknown = await bed.api({ path: '/ext/v1/registrations/00000000000000000000000000000000' });
      assert.equal(unknown.status, 404);
      assert.equal((unknown.json as Json)['code'], '404.1');

      const other = await onboardTestPartner(bed.platform, { name: 'Other bank' });
      const foreign = await new Promise<number>((resolve, reject) => {
        import('node:https').then(({ default: https }) => {
          const r = https.request(
            {
              host: '127.0.0.1',
              port: bed.urls.mtlsPort,
              path: `/ext/v1/registrations/${reg.id}`,
              ca: other.caCertificatePem,
              cert: other.clientCertificatePem,
              key: other.clientKeyPem,
              agent: false,
              headers: { 'Request-Id': newRequestId(), 'Partner-Id': other.partnerId },
            },
            (res) => {
              res.resume();
              res.on('end', () => resolve(res.statusCode ?? 0));
            },
          );
          r.on('error', reject);
          r.end();
        }, reject);
      });
      assert.equal(foreign, 404);
    });

    it('replaces an expired welcome URL with a fresh one on GET', async () => {
      const created = registrationSchema.parse(
        (await bed.api({ path: '/ext/v1/registrations', body: validRegistration })).json,
      );
      bed.platform.clock.advance(24 * 3_600_000 + 1);
      const got = registrationSchema.parse(
        (await bed.api({ path: `/ext/v1/registrations/${created.id}` })).json,
      );
      assert.notEqual(got.welcomeUrl, created.welcomeUrl);
      assert.equal(got.welcomeUrlExpiration, bed.platform.clock.now() + 24 * 3_600_000);
      const again = registrationSchema.parse(
        (await bed.api({ path: `/ext/v1/registrations/${created.id}` })).json,
      );
      assert.equal(again.welcomeUrl, got.welcomeUrl);
    });

    it('answers 503.2 with Retry-After when the API is switched off, and 503.1 when shedding load', async () => {
      const deps = bed.platform.app.ctx;
      await setSwitches(deps, { api: 'off', retryAfterSeconds: 7 });
      const off = await bed.api({ path: '/ext/v1/registrations', body: validRegistration });
      assert.equal(off.status, 503);
      assert.equal((off.json as Json)['code'], '503.2');
      assert.equal(off.headers['retry-after'], '7');
      await setSwitches(deps, { api: 'on', load: 'shed' });
      const shed = await bed.api({ path: '/ext/v1/registrations', body: validRegistration });
      assert.equal(shed.status, 503);
      assert.equal((shed.json as Json)['code'], '503.1');
      await setSwitches(deps, { load: 'normal' });
      const ok = await bed.api({ path: '/ext/v1/registrations', body: validRegistration });
      assert.equal(ok.status, 201);
    });

    it('answers an unknown path under /ext/v1 with 404.1', async () => {
      const res = await bed.api({ path: '/ext/v1/nothing' });
      assert.equal(res.status, 404);
      assert.equal((res.json as Json)['code'], '404.1');
    });
  });
}
