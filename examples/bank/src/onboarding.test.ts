// The demo bank's onboarding against a real platform (admin API over HTTP): outbound mTLS set up
// from the bank's own CA, reused on restart, an identity of the older plain-HTTP demo upgraded in
// place, and a revoked partner replaced.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTestPlatform, type TestPlatform } from '../../../tests/support/browser.ts';
import { type BankIdentity, ensureOnboarded, registerNotifyUrl } from './onboarding.ts';
import { createCsr, fingerprint256, issuedBy, rsaKeyPair } from './partner-ca.ts';

interface Details {
  partnerId: string;
  status: string;
  notifyUrl: string | null;
  outbound: { configured: boolean; certificatePem: string | null; partnerCaFingerprints: string[] };
  serverTrust: { source: string | null; caFingerprints: string[] };
}

describe('demo bank onboarding', () => {
  let platform: TestPlatform;
  const homes: string[] = [];
  const newHome = () => {
    const home = mkdtempSync(join(tmpdir(), 'cardport-bank-onboarding-'));
    homes.push(home);
    return home;
  };

  before(async () => {
    platform = await startTestPlatform();
  });
  after(async () => {
    await platform?.close();
    for (const home of homes) rmSync(home, { recursive: true, force: true });
  });

  const options = (home: string) => ({ platformUrl: platform.url, home, adminToken: platform.adminToken });
  const details = (id: string) => platform.admin<Details>('GET', `/partners/${id}`);

  function assertOutbound(identity: BankIdentity, partner: Details) {
    const caFp = fingerprint256(identity.partnerCa.certificatePem);
    assert.equal(partner.outbound.configured, true);
    assert.deepEqual(partner.outbound.partnerCaFingerprints, [caFp]);
    assert.ok(issuedBy(partner.outbound.certificatePem ?? '', identity.partnerCa.certificatePem));
    assert.equal(partner.serverTrust.source, 'outbound-ca');
    assert.deepEqual(partner.serverTrust.caFingerprints, [caFp]);
    assert.ok(issuedBy(identity.server.certificatePem, identity.partnerCa.certificatePem));
  }

  it('onboards with outbound mTLS, reuses everything on restart, and registers an https notify URL', async () => {
    const home = newHome();
    const first = await ensureOnboarded(options(home));
    assert.equal(first.version, 2);
    assert.equal(first.notifyUrl, null);
    assertOutbound(first, await details(first.partnerId));
    const file = join(home, 'demos', 'bank', 'identity.json');
    assert.equal(statSync(file).mode & 0o777, 0o600);

    const withUrl = await registerNotifyUrl(options(home), first, 'https://127.0.0.1:45678');
    assert.equal((await details(first.partnerId)).notifyUrl, 'https://127.0.0.1:45678');

    const again = await ensureOnboarded(options(home));
    assert.deepEqual(again, withUrl, 'a restart reuses the partner, the CA and the server certificate');
    const partner = await details(again.partnerId);
    assertOutbound(again, partner);
  });

  it('upgrades an identity saved by the plain-HTTP demo in place (same partner, same client key)', async () => {
    const home = newHome();
    const pair = await rsaKeyPair();
    const created = await platform.admin<{
      partnerId: string;
      clientCertificatePem: string;
      caCertificatePem: string;
    }>('POST', '/partners', {
      name: 'Cardport Demo Bank',
      csrPem: await createCsr(pair.privateKeyPem, pair.publicKeyPem, 'Cardport Demo Bank'),
      notifyUrl: 'http://127.0.0.1:45679',
    });
    const old = {
      partnerId: created.partnerId,
      keyPem: pair.privateKeyPem,
      certificatePem: created.clientCertificatePem,
      caCertificatePem: created.caCertificatePem,
      notifyUrl: 'http://127.0.0.1:45679',
    };
    mkdirSync(join(home, 'demos', 'bank'), { recursive: true });
    writeFileSync(join(home, 'demos', 'bank', 'identity.json'), JSON.stringify(old));

    const upgraded = await ensureOnboarded(options(home));
    assert.equal(upgraded.version, 2);
    assert.equal(upgraded.partnerId, old.partnerId);
    assert.equal(upgraded.keyPem, old.keyPem);
    assert.equal(upgraded.notifyUrl, 'http://127.0.0.1:45679');
    assertOutbound(upgraded, await details(old.partnerId));
    await registerNotifyUrl(options(home), upgraded, 'https://127.0.0.1:45680');
    assert.equal((await details(old.partnerId)).notifyUrl, 'https://127.0.0.1:45680');
    const saved = JSON.parse(readFileSync(join(home, 'demos', 'bank', 'identity.json'), 'utf8'));
    assert.equal(saved.notifyUrl, 'https://127.0.0.1:45680');
  });

  it('onboards a new partner when the saved one was revoked', async () => {
    const home = newHome();
    const first = await ensureOnboarded(options(home));
    await platform.admin('POST', `/partners/${first.partnerId}/revoke`);
    const second = await ensureOnboarded(options(home));
    assert.notEqual(second.partnerId, first.partnerId);
    assert.notEqual(second.keyPem, first.keyPem);
    // The bank's CA is kept (it is the bank's, not the partner's) and trusted by the new partner.
    assert.equal(second.partnerCa.certificatePem, first.partnerCa.certificatePem);
    assertOutbound(second, await details(second.partnerId));
  });
});
