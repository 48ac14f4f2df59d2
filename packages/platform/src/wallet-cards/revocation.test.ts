import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { testDbKinds } from '../core/test-kit.ts';
import { invalidateBindings } from '../partners/binding-cache.ts';
import { createCard } from '../partners/service.ts';
import { onboardTestPartner, TEST_ADMIN_TOKEN, type TestPartner } from '../testing/index.ts';
import { type AtwFixture, startAtwFixture, ticketCard } from './test-support.ts';

type Json = Record<string, unknown>;

for (const kind of testDbKinds()) {
  describe(`Add to Wallet refuses revoked partners and unusable certificates (${kind.name})`, () => {
    let f: AtwFixture;
    let checkedOfferId: string;
    let queuedCardState: string;
    // A second partner whose certificate (not the partner) is revoked or expired.
    let other: TestPartner;
    let otherCardId: string;

    const inject = async (method: 'GET' | 'POST', url: string, payload?: unknown, headers: Json = {}) => {
      const res = await f.p.app.main.inject({
        method,
        url,
        headers: headers as Record<string, string>,
        ...(payload === undefined ? {} : { payload: payload as Json }),
      });
      return { status: res.statusCode, body: (res.body ? res.json() : {}) as Json };
    };
    const check = (link: string) => inject('POST', '/atw/api/links/check', { link });
    const reasonOf = (body: Json) => (body['error'] as { reason?: string; code: string }).reason;
    const admin = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
    const serverCall = (cardId: string, who?: TestPartner) => {
      const path = `/wltex/cards/${cardId}/notification`;
      return inject(
        'POST',
        path,
        { card: { type: 'ticket', data: [{ refId: 'ref-1-x7Kq', state: 'EXPIRED' }] } },
        {
          authorization: `Bearer ${f.auth('POST', path, who ? { partner: who } : {})}`,
          'x-smcs-partner-id': (who ?? f.partner).partnerId,
          'x-request-id': 'req-202611260001',
        },
      );
    };

    before(async () => {
      f = await startAtwFixture(kind);
      f.server.answers.set('ref-1-x7Kq', ticketCard(1));
      other = await onboardTestPartner(f.p, { name: 'Second partner' });
      otherCardId = (
        await createCard(f.p.app.ctx, {
          partnerId: other.partnerId,
          type: 'ticket',
          subType: 'movies',
          partnerUrl: f.server.url,
        })
      ).cardId;
      // Before the revocation: one link checked but not added, one pass added (its Send Card
      // State ADDED is queued, not yet delivered).
      const offer = await check(`/atw/v1/${f.cardId}#Clip?cdata=${f.cdata(ticketCard(1))}`);
      assert.equal(offer.status, 200, JSON.stringify(offer.body));
      checkedOfferId = String(offer.body['offerId']);
      const toAdd = await check(`/atw/v1/${f.cardId}#Clip?cdata=${f.cdata(ticketCard(1))}`);
      const added = await inject(
        'POST',
        '/wallet/api/passes',
        { offerId: toAdd.body['offerId'] },
        { authorization: `Bearer ${f.session.token}` },
      );
      assert.equal(added.status, 201, JSON.stringify(added.body));
      const [job] = await f.p.app.ctx.delivery.list({ status: 'pending' });
      assert.ok(job, 'Send Card State ADDED is queued');
      queuedCardState = job.id;
      assert.equal((await serverCall(f.cardId)).status, 200, 'the Server API answers before revocation');
      const revoked = await inject(
        'POST',
        `/admin/v1/partners/${f.partner.partnerId}/revoke`,
        undefined,
        admin,
      );
      assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
      f.server.requests.length = 0;
    });
    after(async () => {
      await f?.close();
    });

    test("refuses a revoked partner's fresh cdata link with reason PARTNER_REVOKED", async () => {
      const res = await check(`/atw/v1/${f.cardId}#Clip?cdata=${f.cdata(ticketCard(1))}`);
      assert.equal(res.status, 403);
      assert.equal(reasonOf(res.body), 'PARTNER_REVOKED');
    });

    test("refuses a revoked partner's pdata link before calling Get Card Data", async () => {
      for (const link of [
        `/atw/v3/${f.cardId}#Clip?pdata=ref-1-x7Kq`,
        `/atw/v3/${f.partner.certificateId}/${f.cardId}#Clip?pdata=ref-1-x7Kq`,
      ]) {
        const res = await check(link);
        assert.equal(res.status, 403, link);
        assert.equal(reasonOf(res.body), 'PARTNER_REVOKED');
      }
      assert.equal(f.server.requests.length, 0, 'nothing was sent to the revoked partner');
    });

    test('refuses to add an offer checked before the revocation', async () => {
      const res = await inject(
        'POST',
        '/wallet/api/passes',
        { offerId: checkedOfferId },
        { authorization: `Bearer ${f.session.token}` },
      );
      assert.equal(res.status, 403);
      assert.equal(reasonOf(res.body), 'PARTNER_REVOKED');
    });

    test("answers a revoked partner's valid AUTH token on the Server API with 401", async () => {
      const res = await serverCall(f.cardId);
      assert.equal(res.status, 401);
      assert.equal((res.body['error'] as { code: string }).code, 'UNAUTHORIZED');
    });

    test('cancels its queued Send Card State and sends nothing', async () => {
      const details = await f.p.app.ctx.delivery.get(queuedCardState);
      assert.equal(details?.delivery.status, 'cancelled');
      assert.match(String(details?.delivery.lastError), /^not sent: partner \d+ is revoked$/);
      await f.p.app.ctx.delivery.runDue();
      assert.equal(f.server.requests.length, 0);
    });

    test('refuses cdata and AUTH tokens of a certificate that expired in real time, whatever the sandbox clock says', async () => {
      // The sandbox clock (2026-01-01) is before notAfter; real time is after it.
      await f.p.db.query('UPDATE partner_certificates SET not_after = $2 WHERE certificate_id = $1', [
        other.certificateId,
        Date.now() - 60_000,
      ]);
      // Written behind the platform's back: clear this process's row caches as a change through it would.
      invalidateBindings(f.p.db);
      assert.ok(f.p.clock.now() < Date.now() - 60_000);
      try {
        const link = await check(
          `/atw/v1/${otherCardId}#Clip?cdata=${f.cdata(ticketCard(1), { partner: other })}`,
        );
        assert.equal(link.status, 400);
        assert.equal(reasonOf(link.body), 'WRONG_CERTIFICATE_ID');
        assert.match(String((link.body['error'] as Json)['message']), /expired/);
        const v3 = await check(`/atw/v3/${other.certificateId}/${otherCardId}#Clip?pdata=ref-1-x7Kq`);
        assert.equal(v3.status, 400);
        assert.equal(reasonOf(v3.body), 'WRONG_CERTIFICATE_ID');
        assert.equal((await serverCall(otherCardId, other)).status, 401);
      } finally {
        await f.p.db.query('UPDATE partner_certificates SET not_after = $2 WHERE certificate_id = $1', [
          other.certificateId,
          Date.now() + 86_400_000,
        ]);
        invalidateBindings(f.p.db);
      }
      // Accepted again once valid: 204, as no wallet holds a pass of this card.
      assert.equal((await serverCall(otherCardId, other)).status, 204);
    });

    test("refuses a revoked certificate's cdata and AUTH tokens", async () => {
      const res = await inject(
        'POST',
        `/admin/v1/partners/${other.partnerId}/certificates/${other.certificateId}/revoke`,
        undefined,
        admin,
      );
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const link = await check(
        `/atw/v1/${otherCardId}#Clip?cdata=${f.cdata(ticketCard(1), { partner: other })}`,
      );
      assert.equal(link.status, 400);
      assert.equal(reasonOf(link.body), 'WRONG_CERTIFICATE_ID');
      assert.equal((await serverCall(otherCardId, other)).status, 401);
    });
  });
}
