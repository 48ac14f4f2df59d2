// The demo bank as a process: `npm start` here, or started by `cardport up --demo`. Onboards once
// through the admin API (outbound mTLS included), then runs on the SDK only: the customer site
// over HTTP, the notification endpoint over HTTPS with mutual TLS. Prints one JSON line when it
// listens.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fetchTspPublicKey, SaveToPayClient } from '@cardport/sdk';
import { startBank } from './bank.ts';
import { ensureOnboarded, registerNotifyUrl } from './onboarding.ts';

// `cardport up` started from the repository root keeps its home in ./.cardport there.
const home = resolve(
  process.env['CARDPORT_HOME'] ?? fileURLToPath(new URL('../../../.cardport', import.meta.url)),
);
const runtimeFile = join(home, 'runtime.json');
const runtime = existsSync(runtimeFile)
  ? (JSON.parse(readFileSync(runtimeFile, 'utf8')) as { url?: string; mtlsUrl?: string })
  : {};
const platformUrl = (process.env['CARDPORT_URL'] ?? runtime.url ?? 'http://127.0.0.1:8080').replace(
  /\/+$/,
  '',
);
const mtlsUrl = (process.env['CARDPORT_MTLS_URL'] ?? runtime.mtlsUrl ?? 'https://127.0.0.1:8443').replace(
  /\/+$/,
  '',
);
const port = Number(process.env['PORT'] ?? 0);
// The notification endpoint (HTTPS, mutual TLS) takes any free port unless BANK_NOTIFY_PORT says.
const notificationPort = Number(process.env['BANK_NOTIFY_PORT'] ?? 0);

// Onboarding first (the TLS material comes from it), then listening, then the notify URL: the
// notification port is known only once the server listens.
const onboarding = { platformUrl, home };
const identity = await ensureOnboarded(onboarding);
const client = new SaveToPayClient({
  baseUrl: `${mtlsUrl}/ext/v1`,
  partnerId: identity.partnerId,
  tls: { cert: identity.certificatePem, key: identity.keyPem, ca: identity.caCertificatePem },
});
const bank = await startBank({
  client,
  platformUrl,
  tspPublicKey: await fetchTspPublicKey(platformUrl),
  notificationTls: {
    cert: identity.server.certificatePem,
    key: identity.server.keyPem,
    ca: identity.partnerCa.certificatePem,
  },
  port,
  notificationPort,
});
await registerNotifyUrl(onboarding, identity, bank.notifyUrl);
process.stdout.write(
  `${JSON.stringify({ demo: 'bank', url: bank.url, flow: 'save-to-pay', notifyUrl: bank.notifyUrl })}\n`,
);
const stop = async () => {
  client.close();
  await bank.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
