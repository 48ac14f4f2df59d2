// The demo bank as a process: `npm start` here, or started by `cardport up --demo`. Onboards once
// through the admin API, then runs on the SDK only. Prints one JSON line when it listens.
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fetchTspPublicKey, SaveToPayClient } from '@cardport/sdk';
import { startBank } from './bank.ts';
import { ensureOnboarded } from './onboarding.ts';

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

// The bank's port must be known before onboarding (it is the notification URL): reserve it.
const probe = http.createServer();
await new Promise<void>((r) => probe.listen(port, '127.0.0.1', () => r()));
const bankPort = (probe.address() as AddressInfo).port;
await new Promise<void>((r) => probe.close(() => r()));

const identity = await ensureOnboarded({ platformUrl, home, notifyUrl: `http://127.0.0.1:${bankPort}` });
const client = new SaveToPayClient({
  baseUrl: `${mtlsUrl}/ext/v1`,
  partnerId: identity.partnerId,
  tls: { cert: identity.certificatePem, key: identity.keyPem, ca: identity.caCertificatePem },
});
const bank = await startBank({
  client,
  platformUrl,
  tspPublicKey: await fetchTspPublicKey(platformUrl),
  port: bankPort,
});
process.stdout.write(`${JSON.stringify({ demo: 'bank', url: bank.url, flow: 'save-to-pay' })}\n`);
const stop = async () => {
  client.close();
  await bank.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
