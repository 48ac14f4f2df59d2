// The demo bank (examples/bank) started against a test platform, onboarded the way the demo
// does: its own CA, mutual TLS both ways, its notification URL registered. Shared by the tests
// that check the demo partners (the conformance kit from the CLI and from the dashboard).
import { SaveToPayClient } from '@cardport/sdk';
import { type Bank, startBank } from '../../examples/bank/src/bank.ts';
import { ensureOnboarded, registerNotifyUrl } from '../../examples/bank/src/onboarding.ts';
import { getTspPublicKey } from '../../packages/platform/src/tsp/index.ts';
import type { TestPlatform } from './browser.ts';

export interface DemoBank {
  bank: Bank;
  partnerId: string;
  /** Creates a registration through the bank's own API, as its page does; answers its id. */
  register(card?: string): Promise<string>;
  close(): Promise<void>;
}

/** Onboards and starts the demo bank; `home` is the folder its identity files go to. */
export async function startDemoBank(platform: TestPlatform, home: string): Promise<DemoBank> {
  const onboarding = { platformUrl: platform.url, home, adminToken: platform.adminToken };
  let identity = await ensureOnboarded(onboarding);
  const client = new SaveToPayClient({
    baseUrl: `${platform.mtlsUrl}/ext/v1`,
    partnerId: identity.partnerId,
    tls: { cert: identity.certificatePem, key: identity.keyPem, ca: identity.caCertificatePem },
  });
  let bank: Bank;
  try {
    bank = await startBank({
      client,
      platformUrl: platform.url,
      tspPublicKey: await getTspPublicKey(platform.db, platform.app.ctx),
      notificationTls: {
        cert: identity.server.certificatePem,
        key: identity.server.keyPem,
        ca: identity.partnerCa.certificatePem,
      },
    });
  } catch (err) {
    client.close();
    throw err;
  }
  identity = await registerNotifyUrl(onboarding, identity, bank.notifyUrl);
  return {
    bank,
    partnerId: identity.partnerId,
    async register(card = 'visa') {
      const created = await fetch(`${bank.url}/api/registrations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ card }),
      });
      if (created.status !== 201)
        throw new Error(`the bank answered ${created.status}: ${await created.text()}`);
      return ((await created.json()) as { regId: string }).regId;
    },
    async close() {
      client.close();
      await bank.close();
    },
  };
}
