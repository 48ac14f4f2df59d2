import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { notificationSchema, registrationSchema } from '@cardport/protocol';
import { testDbKinds } from '../core/test-kit.ts';
import { updatePartner } from '../partners/service.ts';
import { TEST_ADMIN_TOKEN } from '../testing/index.ts';
import { listWalletItems, type StartedSession } from '../wallet/service.ts';
import { failStalledProvisioning, PROVISIONING_TIMEOUT_MS } from './provisioning.ts';
import { decodeQrPng, pngFromDataUrl, qrDataUrlInPage } from './qr.ts';
import { type S2pTestBed, startS2pTestBed, validRegistration } from './test-support.ts';

type Json = Record<string, unknown>;

for (const kind of testDbKinds()) {
  describe(`Save to Pay flow: welcome page, initiate, provisioning, notifications (${kind.name})`, () => {
    let bed: S2pTestBed;
    let emailCounter = 0;
    before(async () => {
      bed = await startS2pTestBed({ kind });
    });
    after(async () => {
      await bed?.close();
    });

    const register = async (body: unknown = validRegistration) => {
      const res = await bed.api({ path: '/ext/v1/registrations', body });
      assert.equal(res.status, 201, JSON.stringify(res.json));
      return registrationSchema.parse(res.json);
    };
    const welcomePath = (url: string) => new URL(url).pathname;
    const device = (session: StartedSession, method: string, url: string, payload?: unknown) =>
      bed.platform.app.main.inject({
        method: method as 'GET' | 'POST',
        url,
        headers: { authorization: `Bearer ${session.token}` },
        ...(payload === undefined ? {} : { payload: payload as Json }),
      });
    /** What the phone does: read the QR off the welcome page, decode it for real. */
    const scanQr = async (welcomeUrl: string) => {
      const page = await bed.platform.app.main.inject({ method: 'GET', url: welcomePath(welcomeUrl) });
      assert.equal(page.statusCode, 200);
      const dataUrl = qrDataUrlInPage(page.body);
      assert.ok(dataUrl, 'the page shows a QR image');
      const text = decodeQrPng(pngFromDataUrl(dataUrl) as Buffer);
      assert.ok(text);
      return text;
    };
    const freshUser = (phone?: string) => {
      emailCounter += 1;
      return bed.signUp(`user${emailCounter}-${kind.name}@example.com`, phone);
    };
    const status = async (welcomeUrl: string) =>
      (
        await bed.platform.app.main.inject({ method: 'GET', url: `${welcomePath(welcomeUrl)}/status` })
      ).json() as Json;
    const notificationsFor = (regId: string) =>
      bed.bank.requests
        .map((r) => notificationSchema.parse(r.json))
        .filter((n) => n.event.regId === regId)
        .map((n) => n.event.type + (n.event.error ? `:${n.event.error}` : ''));

    it('shows a welcome page with card, partner, TnC and a QR code that encodes the initiate URL', async () => {
      const reg = await register();
      const page = await bed.platform.app.main.inject({ method: 'GET', url: welcomePath(reg.welcomeUrl) });
      assert.equal(page.statusCode, 200);
      assert.match(page.headers['content-security-policy'] as string, /frame-ancestors \*/);
      for (const text of [
        'Cardport Platinum',
        'Example Bank',
        'https://bank.example/tnc',
        'https://bank.example/logo.png',
      ]) {
        assert.ok(page.body.includes(text), `page shows ${text}`);
      }
      assert.ok(page.body.includes('ad•@example.com'), 'the email is shown masked');
      const qr = await scanQr(reg.welcomeUrl);
      assert.equal(qr, reg.welcomeUrl.replace('/s2p/v1/welcome/', '/s2p/v1/initiate/'));
      assert.deepEqual(await status(reg.welcomeUrl), { state: 'waiting' });
    });

    it('offers an "open wallet" button instead of the QR on an Android phone', async () => {
      const reg = await register();
      const page = await bed.platform.app.main.inject({
        method: 'GET',
        url: welcomePath(reg.welcomeUrl),
        headers: {
          'user-agent': 'Mozilla/5.0 (Linux; Android 14; SM-S921B) AppleWebKit/537.36 Mobile Safari/537.36',
        },
      });
      assert.ok(page.body.includes('data-testid="s2p-open-wallet"'));
      assert.equal(qrDataUrlInPage(page.body), undefined);
    });

    it('links, calls WA_READY, provisions into the wallet and notifies WA_PROVISIONED durably', async () => {
      bed.card = { pan: '4111111111111111', expMonth: 12, expYear: 2035 };
      const user = await bed.signUp(`ada-${kind.name}@example.com`);
      const reg = await register({
        ...validRegistration,
        email: `ADA-${kind.name}@example.com`,
        data: { loyalty: 'gold' },
      });
      const qr = await scanQr(reg.welcomeUrl);
      const init = await device(user, 'POST', '/wallet/api/s2p/initiate', { url: qr });
      assert.equal(init.statusCode, 200, init.body);
      const initBody = init.json() as Json;
      assert.equal(initBody['status'], 'LINKED');
      assert.deepEqual(initBody['data'], { loyalty: 'gold' });
      assert.equal(initBody['emailMatches'], true);
      assert.deepEqual(await status(reg.welcomeUrl), { state: 'linked' });
      const linked = registrationSchema.parse(
        (await bed.api({ path: `/ext/v1/registrations/${reg.id}` })).json,
      );
      assert.equal(linked.status, 'LINKED');

      const waReady = bed.bank.requests.at(-1);
      const readyBody = notificationSchema.parse(waReady?.json);
      assert.equal(readyBody.event.type, 'WA_READY');
      assert.equal(readyBody.user?.id, user.account.userId);
      assert.equal(readyBody.device?.id, user.device.deviceId);
      assert.equal(readyBody.wallet?.id, user.device.walletId);
      assert.equal(readyBody.emailMatches, true);
      assert.equal(readyBody.phoneMatches, undefined);
      assert.equal(waReady?.headers['partner-id'], bed.partner.partnerId);
      assert.ok(waReady?.headers['request-id']);

      const prov = await device(user, 'POST', `/wallet/api/s2p/registrations/${reg.id}/provision`, {
        issuerBlob: initBody['issuerBlob'],
      });
      assert.equal(prov.statusCode, 200, prov.body);
      const provBody = prov.json() as Json;
      assert.equal(provBody['outcome'], 'PROVISIONED');
      assert.equal(provBody['brand'], 'VI');
      assert.equal(provBody['fundingLast4'], '1111');
      const items = await listWalletItems(bed.platform.db, user.account.userId, {
        deviceId: user.device.deviceId,
      });
      const item = items.find((i) => i.ref === reg.id);
      assert.ok(item, 'the card is in the wallet');
      assert.equal(item.kind, 'payment_card');
      assert.equal(item.source, 'save-to-pay');
      assert.equal(item.title, 'Cardport Platinum');
      assert.deepEqual(await status(reg.welcomeUrl), { state: 'provisioned' });

      await bed.platform.app.ctx.delivery.runDue();
      assert.deepEqual(notificationsFor(reg.id), ['WA_READY', 'WA_PROVISIONED']);
      const done = (await bed.api({ path: `/ext/v1/registrations/${reg.id}` })).json as Json;
      assert.equal(done['status'], 'LINKED');
      assert.equal(done['provisioningStatus'], 'PROVISIONED');

      const again = await device(user, 'POST', '/wallet/api/s2p/initiate', { url: qr });
      assert.equal(again.statusCode, 409);
    });

    it('fails with CARD_ALREADY_PRESENT when the same funding card is already in that wallet', async () => {
      bed.card = { pan: '5555555555554444', expMonth: 11, expYear: 2034 };
      const user = await freshUser();
      for (const expected of ['PROVISIONED', 'FAILED']) {
        const reg = await register({ custom: validRegistration.custom });
        const init = (
          await device(user, 'POST', '/wallet/api/s2p/initiate', { url: await scanQr(reg.welcomeUrl) })
        ).json() as Json;
        const prov = (
          await device(user, 'POST', `/wallet/api/s2p/registrations/${reg.id}/provision`, {
            issuerBlob: init['issuerBlob'],
          })
        ).json() as Json;
        assert.equal(prov['outcome'], expected);
        if (expected === 'FAILED') {
          assert.equal(prov['error'], 'CARD_ALREADY_PRESENT');
          assert.deepEqual(await status(reg.welcomeUrl), {
            state: 'failed',
            errorCode: 'CARD_ALREADY_PRESENT',
          });
          await bed.platform.app.ctx.delivery.runDue();
          assert.deepEqual(notificationsFor(reg.id), [
            'WA_READY',
            'WA_PROVISION_FAILURE:CARD_ALREADY_PRESENT',
          ]);
          const api = (await bed.api({ path: `/ext/v1/registrations/${reg.id}` })).json as Json;
          assert.equal(api['provisioningError'], 'CARD_ALREADY_PRESENT');
        }
      }
    });

    it('refuses a wallet whose email does not match when the partner enforces matching', async () => {
      const reg = await register({
        ...validRegistration,
        email: 'someone@example.com',
        enforceEmailMatching: true,
      });
      const user = await freshUser();
      const res = await device(user, 'POST', '/wallet/api/s2p/initiate', {
        url: await scanQr(reg.welcomeUrl),
      });
      assert.equal(res.statusCode, 403);
      assert.match(
        (res.json() as { error: { message: string } }).error.message,
        /email address .* does not match/,
      );
      // Still waiting for the right account, and the welcome page can say why.
      assert.deepEqual(await status(reg.welcomeUrl), { state: 'waiting', refusedScan: 'email' });
      assert.deepEqual(notificationsFor(reg.id), []);
    });

    it('reports phoneMatches and enforces phone matching on digits', async () => {
      const reg = await register({
        ...validRegistration,
        phone: '+1 (555) 010-0199'.replace(/ /g, ''),
        enforcePhoneMatching: true,
      });
      const user = await freshUser('+15550100199');
      const res = await device(user, 'POST', '/wallet/api/s2p/initiate', {
        url: await scanQr(reg.welcomeUrl),
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal((res.json() as Json)['phoneMatches'], true);
    });

    it('fails the registration and later tells the partner WA_PROVISION_FAILURE when the partner is down', async () => {
      const reg = await register();
      const user = await freshUser();
      bed.bank.handle((_req, res) => {
        res.writeHead(500).end();
      });
      try {
        const res = await device(user, 'POST', '/wallet/api/s2p/initiate', {
          url: await scanQr(reg.welcomeUrl),
        });
        assert.equal(res.statusCode, 502);
        assert.match((res.json() as { error: { message: string } }).error.message, /cannot be added now/);
        assert.deepEqual(await status(reg.welcomeUrl), { state: 'failed', errorCode: 'PROVISION_FAILURE' });
      } finally {
        bed.bank.handle((_req, res) => {
          res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        });
      }
      await bed.platform.app.ctx.delivery.runDue();
      assert.deepEqual(notificationsFor(reg.id).slice(-1), ['WA_PROVISION_FAILURE']);
      // Restore the blob-answering bank for the next tests.
      await bed.close().catch(() => {});
      bed = await startS2pTestBed({ kind });
    });

    it('fails when the partner answers WA_READY without an issuerBlob', async () => {
      const reg = await register();
      const user = await freshUser();
      bed.bank.handle((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"card":{}}');
      });
      const res = await device(user, 'POST', '/wallet/api/s2p/initiate', {
        url: await scanQr(reg.welcomeUrl),
      });
      assert.equal(res.statusCode, 502);
      assert.match(
        (res.json() as { error: { message: string } }).error.message,
        /without card.data.encryptedData/,
      );
      await bed.close();
      bed = await startS2pTestBed({ kind });
    });

    it('shows an expired page (not an error) for an expired welcome URL and refuses to initiate it', async () => {
      const reg = await register();
      bed.platform.clock.advance(24 * 3_600_000 + 1);
      const page = await bed.platform.app.main.inject({ method: 'GET', url: welcomePath(reg.welcomeUrl) });
      assert.equal(page.statusCode, 200);
      assert.ok(page.body.includes('data-s2p-state="expired"'));
      assert.ok(page.body.includes('This link has expired.'));
      const user = await freshUser();
      const qr = reg.welcomeUrl.replace('/welcome/', '/initiate/');
      const res = await device(user, 'POST', '/wallet/api/s2p/initiate', { url: qr });
      assert.equal(res.statusCode, 410);
    });

    it('answers an unknown welcome token with a clear 404 page', async () => {
      const page = await bed.platform.app.main.inject({ method: 'GET', url: '/s2p/v1/welcome/not-a-token' });
      assert.equal(page.statusCode, 404);
      assert.ok(page.body.includes('This link is not valid'));
    });

    it('tells the partner WA_PROVISION_FAILURE when the user cancels on the phone after linking', async () => {
      const reg = await register();
      const user = await freshUser();
      const init = await device(user, 'POST', '/wallet/api/s2p/initiate', {
        url: await scanQr(reg.welcomeUrl),
      });
      assert.equal(init.statusCode, 200);
      const cancel = await device(user, 'POST', `/wallet/api/s2p/registrations/${reg.id}/cancel`, {});
      assert.equal(cancel.statusCode, 200);
      assert.deepEqual(await status(reg.welcomeUrl), { state: 'failed', errorCode: 'CANCELED' });
      await bed.platform.app.ctx.delivery.runDue();
      assert.deepEqual(notificationsFor(reg.id), ['WA_READY', 'WA_PROVISION_FAILURE']);
    });

    it('refuses an issuerBlob bound to another wallet and never provisions it twice', async () => {
      const reg = await register();
      const a = await freshUser();
      const b = await freshUser();
      const init = (
        await device(a, 'POST', '/wallet/api/s2p/initiate', { url: await scanQr(reg.welcomeUrl) })
      ).json() as Json;
      const stolen = await device(b, 'POST', `/wallet/api/s2p/registrations/${reg.id}/provision`, {
        issuerBlob: init['issuerBlob'],
      });
      assert.equal(stolen.statusCode, 404);
      const missing = await device(a, 'POST', `/wallet/api/s2p/registrations/${reg.id}/provision`, {});
      assert.equal(missing.statusCode, 400);
    });

    it('puts the invitation in the sandbox mailbox when offline communication is allowed', async () => {
      const user = await freshUser('+15550100777');
      const reg = await register({
        ...validRegistration,
        email: user.account.email,
        phone: '+1-555-010-0777',
        allowOfflineCommunication: true,
      });
      const res = await device(user, 'GET', '/wallet/api/s2p/mailbox');
      const messages = (res.json() as { messages: { channel: string; link: string }[] }).messages;
      assert.deepEqual(messages.map((m) => m.channel).sort(), ['email', 'sms']);
      assert.ok(messages.every((m) => m.link === reg.welcomeUrl));
    });

    it('fails a linked registration whose phone never reports back, and tells the partner', async () => {
      const reg = await register();
      const user = await freshUser();
      const init = await device(user, 'POST', '/wallet/api/s2p/initiate', {
        url: await scanQr(reg.welcomeUrl),
      });
      assert.equal(init.statusCode, 200);
      assert.equal(await failStalledProvisioning(bed.platform.app.ctx), 0);
      bed.platform.clock.advance(PROVISIONING_TIMEOUT_MS + 1);
      // Earlier tests may have left linked registrations behind too.
      assert.ok((await failStalledProvisioning(bed.platform.app.ctx)) >= 1);
      assert.deepEqual(await status(reg.welcomeUrl), { state: 'failed', errorCode: 'PROVISION_FAILURE' });
      await bed.platform.app.ctx.delivery.runDue();
      const last = bed.bank.requests
        .map((r) => notificationSchema.parse(r.json))
        .filter((n) => n.event.regId === reg.id)
        .at(-1);
      assert.equal(last?.event.type, 'WA_PROVISION_FAILURE');
      assert.equal(last?.device?.id, user.device.deviceId);
      const late = await device(user, 'POST', `/wallet/api/s2p/registrations/${reg.id}/provision`, {
        issuerBlob: (init.json() as Json)['issuerBlob'],
      });
      assert.equal(late.statusCode, 409);
    });

    it('accepts an opaque issuer blob only when the partner opted in', async () => {
      bed.bank.handle((req, res) => {
        const type = (req.json as { event?: { type?: string } })?.event?.type;
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          type === 'WA_READY'
            ? JSON.stringify({
                card: { data: { encryptedData: `issuer-specific-${req.body.length}-blob` } },
              })
            : '{}',
        );
      });
      try {
        const user = await freshUser();
        const outcomeOf = async () => {
          const reg = await register();
          const init = (
            await device(user, 'POST', '/wallet/api/s2p/initiate', { url: await scanQr(reg.welcomeUrl) })
          ).json() as Json;
          return (
            await device(user, 'POST', `/wallet/api/s2p/registrations/${reg.id}/provision`, {
              issuerBlob: init['issuerBlob'],
            })
          ).json() as Json;
        };
        const refused = await outcomeOf();
        assert.equal(refused['outcome'], 'FAILED');
        assert.equal(refused['reason'], 'UNREADABLE_BLOB');
        assert.equal(refused['error'], null);
        await updatePartner(bed.platform.app.ctx, bed.partner.partnerId, {
          options: { acceptOpaqueIssuerBlobs: true },
        });
        const accepted = await outcomeOf();
        assert.equal(accepted['outcome'], 'PROVISIONED');
        assert.equal(accepted['brand'], 'UNKNOWN');
      } finally {
        await updatePartner(bed.platform.app.ctx, bed.partner.partnerId, {
          options: { acceptOpaqueIssuerBlobs: false },
        });
        await bed.close();
        bed = await startS2pTestBed({ kind });
      }
    });

    it('lets an admin scan for an account: cardport wallet scan', async () => {
      bed.card = { pan: '378282246310005', expMonth: 1, expYear: 2033 };
      const user = await freshUser();
      const reg = await register();
      const res = await bed.platform.app.main.inject({
        method: 'POST',
        url: '/admin/v1/save-to-pay/scan',
        headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
        payload: { account: user.account.email, url: await scanQr(reg.welcomeUrl) },
      });
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json() as Json;
      assert.equal(body['outcome'], 'PROVISIONED');
      assert.equal(body['brand'], 'AX');
      assert.equal(body['fundingLast4'], '0005');
    });
  });
}
