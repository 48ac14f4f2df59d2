import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { registrationSchema } from '@cardport/protocol';
import { testDbKinds } from '../core/test-kit.ts';
import { TEST_ADMIN_TOKEN } from '../testing/index.ts';
import type { StartedSession } from '../wallet/service.ts';
import { findRegistration } from './store.ts';
import { type S2pTestBed, startS2pTestBed, validRegistration } from './test-support.ts';

for (const kind of testDbKinds()) {
  describe(`Save to Pay after the partner is revoked (${kind.name})`, () => {
    let bed: S2pTestBed;
    let user: StartedSession;
    // Made before the revocation: one waiting for a scan, one linked and provisioning, one whose
    // failure notification is still queued.
    let waiting: { id: string; welcomeUrl: string };
    let linkedRegId: string;
    let queuedNotification: string;
    let bankCallsAtRevocation: number;

    const main = () => bed.platform.app.main;
    const path = (url: string) => new URL(url).pathname;
    const device = (method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>) =>
      main().inject({
        method,
        url,
        headers: { authorization: `Bearer ${user.token}` },
        ...(payload ? { payload } : {}),
      });
    const register = async () => {
      const res = await bed.api({ path: '/ext/v1/registrations', body: validRegistration });
      assert.equal(res.status, 201, JSON.stringify(res.json));
      return registrationSchema.parse(res.json);
    };
    const initiate = async (welcomeUrl: string) => {
      const res = await device('POST', '/wallet/api/s2p/initiate', {
        url: welcomeUrl.replace('/s2p/v1/welcome/', '/s2p/v1/initiate/'),
      });
      assert.equal(res.statusCode, 200, res.body);
      return res.json() as { regId: string };
    };

    before(async () => {
      bed = await startS2pTestBed({ kind });
      user = await bed.signUp(`revoked-${kind.name}@example.com`);
      const w = await register();
      waiting = { id: w.id, welcomeUrl: w.welcomeUrl };
      linkedRegId = (await initiate((await register()).welcomeUrl)).regId;
      const canceled = (await initiate((await register()).welcomeUrl)).regId;
      const cancel = await device('POST', `/wallet/api/s2p/registrations/${canceled}/cancel`);
      assert.equal(cancel.statusCode, 200, cancel.body);
      const [job] = await bed.platform.app.ctx.delivery.list({ status: 'pending' });
      assert.ok(job, 'the WA_PROVISION_FAILURE notification is queued');
      queuedNotification = job.id;
      bankCallsAtRevocation = bed.bank.requests.length;
      const revoked = await main().inject({
        method: 'POST',
        url: `/admin/v1/partners/${bed.partner.partnerId}/revoke`,
        headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
      });
      assert.equal(revoked.statusCode, 200, revoked.body);
    });
    after(async () => {
      await bed?.close();
    });

    it('refuses the partner API on the mTLS listener with 403.1', async () => {
      const res = await bed.api({ path: '/ext/v1/registrations', body: validRegistration });
      assert.equal(res.status, 403);
      assert.equal((res.json as { code: string }).code, '403.1');
    });

    it("refuses a revoked partner's welcome page, its live status and its initiate URL", async () => {
      const page = await main().inject({ method: 'GET', url: path(waiting.welcomeUrl) });
      assert.equal(page.statusCode, 403);
      assert.match(page.body, /This link is not valid/);
      assert.doesNotMatch(page.body, /data:image\/png/, 'no QR code is shown');

      const status = await main().inject({ method: 'GET', url: `${path(waiting.welcomeUrl)}/status` });
      assert.equal(status.statusCode, 403);
      assert.equal(status.json().error.code, 'FORBIDDEN');
      assert.deepEqual(status.json().error.details, [{ field: 'token', reason: 'partner revoked' }]);

      const initiateUrl = path(waiting.welcomeUrl).replace('/welcome/', '/initiate/');
      const opened = await main().inject({ method: 'GET', url: initiateUrl });
      assert.equal(opened.statusCode, 403);
      assert.equal(opened.json().error.code, 'FORBIDDEN');
    });

    it("refuses the wallet's initiate of a revoked partner's code: no WA_READY is sent", async () => {
      const res = await device('POST', '/wallet/api/s2p/initiate', {
        url: waiting.welcomeUrl.replace('/s2p/v1/welcome/', '/s2p/v1/initiate/'),
      });
      assert.equal(res.statusCode, 403);
      assert.equal(res.json().error.code, 'FORBIDDEN');
      const row = await findRegistration(bed.platform.db, waiting.id);
      assert.equal(row?.status, 'PENDING', 'the registration was not linked');
      assert.equal(bed.bank.requests.length, bankCallsAtRevocation);
    });

    it('ends the registrations in flight as FAILED with reason PARTNER_REVOKED: provisioning is refused', async () => {
      const row = await findRegistration(bed.platform.db, linkedRegId);
      assert.equal(row?.provisioning, 'FAILED');
      assert.equal(row?.failureReason, 'PARTNER_REVOKED');
      const res = await device('POST', `/wallet/api/s2p/registrations/${linkedRegId}/provision`, {
        issuerBlob: 'x',
      });
      assert.equal(res.statusCode, 409);
      const items = await main().inject({
        method: 'GET',
        url: '/wallet/api/items',
        headers: { authorization: `Bearer ${user.token}` },
      });
      assert.equal(items.statusCode, 200, items.body);
      assert.doesNotMatch(items.body, new RegExp(linkedRegId));
    });

    it('cancels its queued notifications with the reason and sends nothing to it', async () => {
      const details = await bed.platform.app.ctx.delivery.get(queuedNotification);
      assert.equal(details?.delivery.status, 'cancelled');
      assert.equal(details?.delivery.lastError, `not sent: partner ${bed.partner.partnerId} is revoked`);
      assert.equal(await bed.platform.app.ctx.delivery.runDue(), 0);
      assert.equal(bed.bank.requests.length, bankCallsAtRevocation);
    });
  });
}
