// Entry of the demo issuer (`npm start` here, or `cardport up --demo`): onboards once through the
// admin API, then serves the shop, the back office and the Partner Server API.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createIssuer } from './app.ts';
import { ensureOnboarded } from './onboarding.ts';

const platformUrl = (process.env['CARDPORT_URL'] ?? 'http://127.0.0.1:8080').replace(/\/+$/, '');
const home = process.env['CARDPORT_HOME'] ?? join(homedir(), '.cardport');
const port = Number(process.env['PORT'] ?? 0);
const host = process.env['HOST'] ?? '127.0.0.1';

const server = http.createServer();
await new Promise<void>((resolve) => server.listen(port, host, resolve));
const selfUrl = `http://${host}:${(server.address() as AddressInfo).port}`;
const identity = await ensureOnboarded({ platformUrl, home, partnerUrl: `${selfUrl}/wallet-api` });
const issuer = createIssuer({
  platformUrl,
  selfUrl,
  identity,
  dataFile: join(home, 'demos', 'issuer', 'orders.json'),
});
server.on('request', issuer.handler);
console.log(JSON.stringify({ demo: 'issuer', url: selfUrl, flow: 'add-to-wallet' }));

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
