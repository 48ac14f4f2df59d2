// Issue 8: the sandbox clock moves business time, never the partners' clocks. After advancing it
// 2 h, a partner that signs with real time is accepted both ways, and the platform's own AUTH
// tokens verify on real time; business expiries still follow the sandbox clock.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { isJoseError, verifyAuthToken } from '@cardport/jose';
import { testDbKinds } from '../core/test-kit.ts';
import { OFFER_LIFETIME_MS } from './model.ts';
import { type AtwFixture, type RecordedRequest, startAtwFixture, ticketCard } from './test-support.ts';

const TWO_HOURS = 2 * 3_600_000;

for (const kind of testDbKinds()) {
  describe(`the sandbox clock and partner authentication (${kind.name})`, () => {
    let f: AtwFixture;

    before(async () => {
      f = await startAtwFixture(kind);
      f.p.clock.advanceSandbox(TWO_HOURS);
    });
    after(async () => f.close());
    beforeEach(() => {
      f.server.requests.length = 0;
    });

    const inject = async (url: string, payload: unknown, headers: Record<string, string> = {}) => {
      const res = await f.p.app.main.inject({
        method: 'POST',
        url,
        headers,
        payload: payload as Record<string, unknown>,
      });
      return { status: res.statusCode, body: res.body ? res.json() : {} };
    };
    const check = (token: string) =>
      inject('/atw/api/links/check', { link: `/atw/v3/${f.cardId}#Clip?cdata=${token}` });

    test('moves business time 2 h ahead of real time', () => {
      assert.equal(f.p.clock.now() - f.p.clock.realNow(), TWO_HOURS);
    });

    test("accepts cdata signed with the partner's real clock, and the platform's Send Card State token verifies on real time", async () => {
      const checked = await check(f.cdata(ticketCard()));
      assert.equal(checked.status, 200, JSON.stringify(checked.body));
      const added = await inject(
        '/wallet/api/passes',
        { offerId: checked.body.offerId },
        { authorization: `Bearer ${f.session.token}` },
      );
      assert.equal(added.status, 201, JSON.stringify(added.body));

      await f.p.app.ctx.delivery.runDue();
      const sent = f.server.requests.filter((r: RecordedRequest) => r.method === 'POST');
      assert.equal(sent.length, 1);
      const r = sent[0] as RecordedRequest;
      const verify = (now: number) =>
        verifyAuthToken(String(r.headers.authorization), {
          resolveKey: f.authPublicKey,
          method: r.method,
          path: new URL(r.url, 'http://partner').pathname,
          now: () => now,
          expected: { partnerId: f.partner.partnerId },
        });
      const { header } = await verify(f.p.clock.realNow());
      assert.equal(Number(header.utc), f.p.clock.realNow(), 'the token utc is real time');
      // The business clock is 2 h ahead: a token stamped with it would be 2 h in the partner's future.
      await assert.rejects(
        verify(f.p.clock.now()),
        (err) => isJoseError(err) && err.code === 'ERR_TOKEN_EXPIRED',
      );
    });

    test("accepts the partner's Server API call with an AUTH token on its real clock", async () => {
      const path = `/wltex/cards/${f.cardId}/notification`;
      const res = await inject(
        path,
        { card: { type: 'ticket', data: [{ refId: 'ref-1-x7Kq', state: 'EXPIRED' }] } },
        {
          authorization: `Bearer ${f.auth('POST', path)}`,
          'x-smcs-partner-id': f.partner.partnerId,
          'x-request-id': 'req-202303140003',
        },
      );
      assert.ok(res.status === 200 || res.status === 204, JSON.stringify(res.body));
    });

    test('still refuses stale and future tokens, measured on real time', async () => {
      const real = f.p.clock.realNow();
      const stale = await check(f.cdata(ticketCard(), { now: real - 31_000 }));
      assert.equal(stale.body.error?.reason, 'TOKEN_EXPIRED');
      const businessStamped = await check(f.cdata(ticketCard(), { now: f.p.clock.now() }));
      assert.equal(businessStamped.body.error?.reason, 'TOKEN_FROM_FUTURE');
      const path = `/wltex/cards/${f.cardId}/notification`;
      const staleAuth = await inject(
        path,
        { card: { type: 'ticket', data: [{ refId: 'ref-1-x7Kq', state: 'EXPIRED' }] } },
        {
          authorization: `Bearer ${f.auth('POST', path, { now: real - 31_000 })}`,
          'x-smcs-partner-id': f.partner.partnerId,
          'x-request-id': 'req-202303140004',
        },
      );
      assert.equal(staleAuth.status, 401);
    });

    test('lets business expiries follow the sandbox clock: a checked link expires when it is advanced', async () => {
      const checked = await check(f.cdata(ticketCard(1, {}, f.p.clock.now())));
      assert.equal(checked.status, 200, JSON.stringify(checked.body));
      f.p.clock.advanceSandbox(OFFER_LIFETIME_MS + 1000);
      const added = await inject(
        '/wallet/api/passes',
        { offerId: checked.body.offerId },
        { authorization: `Bearer ${f.session.token}` },
      );
      assert.equal(added.body.error?.reason, 'OFFER_EXPIRED', JSON.stringify(added.body));
      // …while a fresh cdata, signed on the partner's real clock, is still accepted.
      const fresh = await check(f.cdata(ticketCard()));
      assert.equal(fresh.status, 200, JSON.stringify(fresh.body));
    });
  });
}
