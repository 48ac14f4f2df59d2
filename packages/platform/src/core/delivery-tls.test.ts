import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from './clock.ts';
import { createDelivery, type Delivery, type PartnerIdentity } from './delivery.ts';
import { createTestCa, type Receiver, startReceiver, type TestCa } from './delivery-test-support.ts';
import { isPlatformError } from './errors.ts';
import { silentLogger, type TestDb, testDbKinds } from './test-kit.ts';

// Outbound mTLS (PROTOCOLS.md 1.1): the platform presents a client certificate signed by the
// partner's CA and verifies the partner's server certificate against the CA it was given.
describe('outbound mTLS', () => {
  let testDb: TestDb;
  let partnerCa: TestCa;
  let otherCa: TestCa;
  let receiver: Receiver;
  let identities: Map<string, PartnerIdentity>;
  let delivery: Delivery;

  before(async () => {
    testDb = await testDbKinds()[0]!.open();
    partnerCa = await createTestCa('Partner CA');
    otherCa = await createTestCa('Unrelated CA');
    const server = await partnerCa.issue('partner.example', 'server');
    receiver = await startReceiver(
      (req, res) => {
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ clientCn: req.clientCn }));
      },
      {
        tls: {
          key: server.keyPem,
          cert: server.certPem,
          ca: [partnerCa.certPem],
          requestCert: true,
          rejectUnauthorized: true,
          minVersion: 'TLSv1.2',
        },
      },
    );
    identities = new Map();
    delivery = createDelivery({
      db: testDb.db,
      clock: new ManualClock(),
      log: silentLogger,
      resolveIdentity: async (partnerId) => identities.get(partnerId),
      syncRetryDelaysMs: [1],
    });
  });

  after(async () => {
    await delivery.close();
    await receiver.close();
    await testDb.dispose();
  });

  async function identity(cn: string, issuer: TestCa, serverCa: TestCa): Promise<PartnerIdentity> {
    const client = await issuer.issue(cn, 'client');
    return { cert: client.certPem, key: client.keyPem, ca: [serverCa.certPem] };
  }

  it("calls a partner that requires a client certificate with the partner's identity", async () => {
    identities.set('p-good', await identity('cardport-to-p-good', partnerCa, partnerCa));
    const res = await delivery.call({
      partnerId: 'p-good',
      method: 'POST',
      url: `${receiver.url}/n`,
      body: {},
    });
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, { clientCn: 'cardport-to-p-good' });
  });

  it('delivers a durable job over mTLS too', async () => {
    identities.set('p-durable', await identity('cardport-to-p-durable', partnerCa, partnerCa));
    const { id } = await delivery.enqueue(testDb.db, {
      kind: 'test.mtls',
      partnerId: 'p-durable',
      method: 'POST',
      url: `${receiver.url}/n`,
      body: {},
    });
    assert.equal(await delivery.runDue(), 1);
    const details = await delivery.get(id);
    assert.equal(details?.delivery.status, 'delivered');
    assert.equal(details?.attempts[0]?.response, '{"clientCn":"cardport-to-p-durable"}');
  });

  it('refuses a partner server whose certificate does not chain to the CA it was given', async () => {
    identities.set('p-wrong-ca', await identity('cardport-to-p-wrong-ca', partnerCa, otherCa));
    const before = receiver.requests.length;
    await assert.rejects(
      delivery.call({ partnerId: 'p-wrong-ca', method: 'GET', url: `${receiver.url}/n` }, { retries: 0 }),
      (err: unknown) => {
        assert.ok(isPlatformError(err));
        assert.equal(err.code, 'PARTNER_UNREACHABLE');
        assert.match(err.message, /TLS handshake failed: .*certificate/);
        return true;
      },
    );
    assert.equal(receiver.requests.length, before, 'nothing was sent to the untrusted server');
  });

  it('fails clearly when the partner does not accept the client certificate', async () => {
    identities.set('p-bad-client', await identity('cardport-to-p-bad-client', otherCa, partnerCa));
    await assert.rejects(
      delivery.call({ partnerId: 'p-bad-client', method: 'GET', url: `${receiver.url}/n` }, { retries: 0 }),
      (err: unknown) => isPlatformError(err) && err.code === 'PARTNER_UNREACHABLE',
    );
  });

  it('fails safely when the partner identity cannot be loaded', async () => {
    const failing = createDelivery({
      db: testDb.db,
      clock: new ManualClock(),
      log: silentLogger,
      resolveIdentity: async () => {
        throw new Error('cannot unseal key material BEGIN PRIVATE KEY');
      },
    });
    try {
      await assert.rejects(
        failing.call({ partnerId: 'p-broken', method: 'GET', url: `${receiver.url}/n` }, { retries: 0 }),
        (err: unknown) => {
          assert.ok(isPlatformError(err));
          assert.equal(err.code, 'PARTNER_UNREACHABLE');
          assert.match(err.message, /cannot load the mTLS identity for this partner/);
          assert.doesNotMatch(err.message, /PRIVATE KEY/);
          return true;
        },
      );
    } finally {
      await failing.close();
    }
  });

  it('drops the cached connection when the partner identity changes', async () => {
    identities.set('p-rotating', await identity('identity-one', partnerCa, partnerCa));
    const first = await delivery.call({ partnerId: 'p-rotating', method: 'GET', url: `${receiver.url}/n` });
    assert.deepEqual(first.json, { clientCn: 'identity-one' });
    const again = await delivery.call({ partnerId: 'p-rotating', method: 'GET', url: `${receiver.url}/n` });
    assert.deepEqual(again.json, { clientCn: 'identity-one' });
    identities.set('p-rotating', await identity('identity-two', partnerCa, partnerCa));
    const rotated = await delivery.call({ partnerId: 'p-rotating', method: 'GET', url: `${receiver.url}/n` });
    assert.deepEqual(rotated.json, { clientCn: 'identity-two' });
  });
});
