// Registrations written together (group commit), the wallet's CARD_LINKED action, the switches
// shared by every app on one database, and the partner binding of the S2P scope of its own.
import assert from 'node:assert/strict';
import https from 'node:https';
import { after, before, describe, it } from 'node:test';
import { registrationSchema } from '@cardport/protocol';
import { assembleApp } from '../app.ts';
import type { DomainModule } from '../core/domain.ts';
import { silentLogger, testConfig, testDbKinds } from '../core/test-kit.ts';
import { partnersModule } from '../partners/module.ts';
import {
  onboardTestPartner,
  startTestPlatform,
  TEST_ADMIN_TOKEN,
  type TestPlatform,
} from '../testing/index.ts';
import { tspModule } from '../tsp/index.ts';
import { listWalletActions } from '../wallet/actions.ts';
import { walletModule } from '../wallet/module.ts';
import type { StartedSession } from '../wallet/service.ts';
import { saveToPayModule } from './module.ts';
import { createRegistration } from './registrations.ts';
import { findRegistration, insertRegistrations, type NewRegistration } from './store.ts';
import { currentSwitches, SWITCHES_TTL_MS, setSwitches } from './switches.ts';
import { newRequestId, type S2pTestBed, startS2pTestBed, validRegistration } from './test-support.ts';

type Json = Record<string, unknown>;

/** POST /ext/v1/registrations with a client certificate on a fresh connection. */
function postRegistration(
  port: number,
  tls: { cert: string; key: string; ca: string },
  partnerId: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: '127.0.0.1',
        port,
        path: '/ext/v1/registrations',
        method: 'POST',
        agent: false,
        ...tls,
        headers: {
          'content-type': 'application/json',
          'Partner-Id': partnerId,
          'Request-Id': newRequestId(),
        },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          body += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(validRegistration));
  });
}

for (const kind of testDbKinds()) {
  describe(`Save to Pay registrations written together (${kind.name})`, () => {
    let bed: S2pTestBed;
    before(async () => {
      bed = await startS2pTestBed({ kind });
    });
    after(async () => {
      await bed?.close();
    });

    const input = (requestId: string, request: Json = validRegistration) => ({
      partnerId: bed.partner.partnerId,
      requestId,
      request: request as typeof validRegistration,
    });

    it('gives each of many concurrent registrations its own row, and a repeated Request-Id the same one', async () => {
      const deps = bed.platform.app.ctx;
      const ids = Array.from({ length: 40 }, () => newRequestId());
      // Each Request-Id twice, all at once: most of them share statements with others.
      const answers = await Promise.all([...ids, ...ids].map((id) => createRegistration(deps, input(id))));
      const first = answers.slice(0, ids.length);
      const second = answers.slice(ids.length);
      assert.equal(
        new Set(first.map((a) => a.registration.id)).size,
        ids.length,
        'one registration per Request-Id',
      );
      first.forEach((a, i) => {
        assert.equal(
          a.registration.id,
          second[i]?.registration.id,
          'the retry answers the same registration',
        );
        assert.equal(Number(a.created) + Number(second[i]?.created), 1, 'exactly one of the two created it');
        registrationSchema.parse(a.registration);
      });
      for (const a of first) {
        const row = await findRegistration(bed.platform.db, a.registration.id);
        assert.equal(row?.partnerId, bed.partner.partnerId);
        assert.equal(row?.status, 'PENDING');
        assert.equal(row?.welcomeExpiresAt, a.registration.welcomeUrlExpiration);
      }
    });

    it('answers every row of one multi-row INSERT, repeats in the same batch included', async () => {
      const now = bed.platform.clock.now();
      const row = (regId: string, requestId: string): NewRegistration => ({
        regId,
        partnerId: bed.partner.partnerId,
        requestId,
        request: validRegistration,
        welcomeTokenId: `tok-${regId}`,
        welcomeExpiresAt: now + 1000,
        createdAt: now,
      });
      const [a, b] = [newRequestId(), newRequestId()];
      const before = await insertRegistrations(bed.platform.db, [row(`r-${a}`, a)]);
      const out = await insertRegistrations(bed.platform.db, [
        row(`r2-${a}`, a), // used before this batch
        row(`r-${b}`, b),
        row(`r2-${b}`, b), // used earlier in this batch
      ]);
      assert.deepEqual(
        out.map((o) => [o.row.regId, o.created]),
        [
          [before[0]?.row.regId, false],
          [`r-${b}`, true],
          [`r-${b}`, false],
        ],
      );
    });

    it('refuses only the registration whose row the database refuses: the others of its batch are written', async () => {
      const deps = bed.platform.app.ctx;
      // PostgreSQL's JSONB refuses the NUL character: that one row fails its statement.
      const bad = { ...validRegistration, data: { note: 'nul \u0000 here' } };
      const requests = Array.from({ length: 12 }, (_, i) => (i === 5 ? bad : validRegistration));
      const settled = await Promise.allSettled(
        requests.map((request) => createRegistration(deps, input(newRequestId(), request))),
      );
      settled.forEach((s, i) => {
        if (i === 5) assert.equal(s.status, 'rejected', 'the bad row is refused');
        else {
          assert.equal(s.status, 'fulfilled', `registration ${i} is written`);
          assert.equal(s.value.created, true);
        }
      });
      for (const s of settled) {
        if (s.status === 'fulfilled')
          assert.ok(await findRegistration(bed.platform.db, s.value.registration.id));
      }
    });

    it('records CARD_LINKED with the card, partner and last four when the card is added to the wallet', async () => {
      bed.card = { pan: '4000056655665556', expMonth: 10, expYear: 2033 };
      const user: StartedSession = await bed.signUp(`linked-${kind.name}@example.com`);
      const reg = registrationSchema.parse(
        (await bed.api({ path: '/ext/v1/registrations', body: validRegistration })).json,
      );
      const device = (url: string, payload: Json) =>
        bed.platform.app.main.inject({
          method: 'POST',
          url,
          headers: { authorization: `Bearer ${user.token}` },
          payload,
        });
      const init = await device('/wallet/api/s2p/initiate', { url: reg.welcomeUrl });
      assert.equal(init.statusCode, 200, init.body);
      assert.deepEqual(await listWalletActions(bed.platform.db, reg.id), [], 'linking alone adds no card');
      const prov = await device(`/wallet/api/s2p/registrations/${reg.id}/provision`, {
        issuerBlob: (init.json() as Json)['issuerBlob'],
      });
      assert.equal((prov.json() as Json)['outcome'], 'PROVISIONED');
      const actions = await listWalletActions(bed.platform.db, reg.id);
      assert.equal(actions.length, 1);
      assert.equal(actions[0]?.action, 'CARD_LINKED');
      assert.equal(actions[0]?.accountId, user.account.userId);
      assert.deepEqual(actions[0]?.detail, {
        cardName: 'Cardport Platinum',
        partnerName: 'Example Bank',
        last4: '5556',
      });
      assert.ok(!JSON.stringify(actions).includes('4000056655665556'), 'never the full card number');
    });

    it('records no CARD_LINKED when the card could not be added', async () => {
      bed.card = { pan: '4000056655665556', expMonth: 10, expYear: 2033 };
      const user: StartedSession = await bed.signUp(`twice-${kind.name}@example.com`);
      const regs: string[] = [];
      for (let i = 0; i < 2; i++) {
        const reg = registrationSchema.parse(
          (await bed.api({ path: '/ext/v1/registrations', body: validRegistration })).json,
        );
        const headers = { authorization: `Bearer ${user.token}` };
        const init = await bed.platform.app.main.inject({
          method: 'POST',
          url: '/wallet/api/s2p/initiate',
          headers,
          payload: { url: reg.welcomeUrl },
        });
        await bed.platform.app.main.inject({
          method: 'POST',
          url: `/wallet/api/s2p/registrations/${reg.id}/provision`,
          headers,
          payload: { issuerBlob: (init.json() as Json)['issuerBlob'] },
        });
        regs.push(reg.id);
      }
      // The same funding card twice in one wallet: the second fails CARD_ALREADY_PRESENT.
      assert.equal((await listWalletActions(bed.platform.db, regs[0] as string)).length, 1);
      assert.deepEqual(await listWalletActions(bed.platform.db, regs[1] as string), []);
    });
  });

  describe(`Save to Pay across apps and mount orders (${kind.name})`, () => {
    let platform: TestPlatform;
    const configs: ReturnType<typeof testConfig>[] = [];
    before(async () => {
      platform = await startTestPlatform({ kind, modules: [walletModule, tspModule, saveToPayModule] });
    });
    after(async () => {
      await platform?.close();
      for (const c of configs) c.cleanup();
    });

    /** A second app on the same database and keys, with only `modules` mounted. */
    const secondApp = (modules: DomainModule[]) => {
      const config = testConfig();
      configs.push(config);
      return assembleApp({
        config,
        db: platform.db,
        clock: platform.clock,
        log: silentLogger,
        keys: platform.app.ctx.keys,
        adminToken: TEST_ADMIN_TOKEN,
        modules,
      });
    };

    it('honours a switch changed through another app on the same database once the cache ages out', async () => {
      const other = await secondApp([partnersModule, walletModule, tspModule, saveToPayModule]);
      try {
        assert.equal((await currentSwitches(other.ctx)).api, 'on');
        await setSwitches(platform.app.ctx, { api: 'off' });
        assert.equal(
          (await currentSwitches(platform.app.ctx)).api,
          'off',
          'the changing app sees it at once',
        );
        await new Promise((resolve) => setTimeout(resolve, SWITCHES_TTL_MS + 50));
        assert.equal((await currentSwitches(other.ctx)).api, 'off', 'the other app after its TTL');
      } finally {
        await setSwitches(platform.app.ctx, { api: 'on' });
        await Promise.all([other.main.close(), other.mtls.close()]);
      }
    });

    it('binds S2P calls to the certificate partner in its own scope, whatever the other domains mount', async () => {
      // No partners module on this app: only the S2P scope's own guard can bind the call.
      const reordered = await secondApp([walletModule, tspModule, saveToPayModule]);
      try {
        await reordered.mtls.listen({ host: '127.0.0.1', port: 0 });
        const port = (reordered.mtls.server.address() as { port: number }).port;
        const partner = await onboardTestPartner(platform, { name: 'Late bank' });
        const tls = {
          cert: partner.clientCertificatePem,
          key: partner.clientKeyPem,
          ca: partner.caCertificatePem,
        };
        const ok = await postRegistration(port, tls, partner.partnerId);
        assert.equal(ok.status, 201, ok.body);
        const other = await onboardTestPartner(platform, { name: 'Other bank' });
        const refused = await postRegistration(port, tls, other.partnerId);
        assert.equal(refused.status, 403);
        assert.equal((JSON.parse(refused.body) as Json)['code'], '403.1');
      } finally {
        await Promise.all([reordered.main.close(), reordered.mtls.close()]);
      }
    });
  });
}
