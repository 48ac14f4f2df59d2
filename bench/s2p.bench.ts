// Save to Pay registrations per second: POST /ext/v1/registrations on the mTLS listener (partner
// binding, validation, one transaction with the Request-Id idempotency insert, the welcome token)
// against the foundation's bare mTLS baseline: a bare node:https server with the same certificates
// and TLS settings answering the same POST, measured in the same run. Keep-alive connections with
// a client certificate; every request carries a fresh Request-Id. Loopback only; asserts nothing.
//
// Run: node --import tsx bench/s2p.bench.ts [seconds per server, default 5] [connections, default 16]
// PostgreSQL instead of PGlite: set DATABASE_URL.
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import https from 'node:https';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

interface Targets {
  mtlsPort: number;
  barePort: number;
  cert: string;
  key: string;
  ca: string;
  partnerId: string;
  db: string;
}

const PATH = '/ext/v1/registrations';
const BODY = JSON.stringify({
  email: 'bench@example.com',
  custom: {
    cardName: 'Bench Card',
    cardArtUrl: 'https://bank.example/art.png',
    partnerName: 'Bench Bank',
    partnerLogoUrl: 'https://bank.example/logo.png',
  },
});

async function serve(): Promise<void> {
  const { startS2pTestBed } = await import('../packages/platform/src/save-to-pay/test-support.ts');
  const { testDbKinds } = await import('../packages/platform/src/core/test-support.ts');
  const kind = testDbKinds().at(-1);
  const bed = await startS2pTestBed(kind ? { kind } : {});
  const { pki } = bed.platform.app.ctx;
  const bare = https.createServer(
    {
      key: pki.serverKeyPem,
      cert: pki.serverCertPem,
      ca: [pki.rootCaCertPem],
      requestCert: true,
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
    },
    (req, res) => {
      req.resume();
      req.on('end', () => {
        const body = JSON.stringify({ id: randomUUID(), status: 'PENDING' });
        res.writeHead(201, {
          'content-type': 'application/json; charset=utf-8',
          'content-length': body.length,
        });
        res.end(body);
      });
    },
  );
  await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
  const targets: Targets = {
    mtlsPort: bed.urls.mtlsPort,
    barePort: (bare.address() as AddressInfo).port,
    cert: bed.partner.clientCertificatePem,
    key: bed.partner.clientKeyPem,
    ca: bed.partner.caCertificatePem,
    partnerId: bed.partner.partnerId,
    db: kind?.name ?? 'pglite',
  };
  process.send?.(targets);
  process.on('message', async (m) => {
    if (m === 'stop') {
      bare.close();
      await bed.close();
      process.exit(0);
    }
  });
}

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
type Autocannon = (opts: Record<string, unknown>) => Promise<AutocannonResult>;

async function measure(
  autocannon: Autocannon,
  port: number,
  t: Targets,
  seconds: number,
  connections: number,
): Promise<AutocannonResult> {
  const result = await autocannon({
    url: `https://127.0.0.1:${port}`,
    connections,
    duration: seconds,
    pipelining: 1,
    tlsOptions: { cert: t.cert, key: t.key, ca: t.ca, minVersion: 'TLSv1.2' },
    requests: [
      {
        method: 'POST',
        path: PATH,
        body: BODY,
        setupRequest: (req: { headers: Record<string, string> }) => {
          req.headers = {
            ...req.headers,
            'content-type': 'application/json',
            'partner-id': t.partnerId,
            'request-id': randomUUID(),
          };
          return req;
        },
      },
    ],
  });
  if (result.non2xx || result.errors || result.timeouts)
    throw new Error(
      `port ${port}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`,
    );
  return result;
}

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 5);
  const connections = Number(process.argv[3] ?? 16);
  if (!(seconds > 0) || !(connections > 0 && Number.isInteger(connections)))
    throw new TypeError('usage: s2p.bench.ts [seconds > 0] [connections > 0]');
  const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;
  const child = fork(fileURLToPath(import.meta.url), ['--serve'], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const t = await new Promise<Targets>((resolve, reject) => {
      child.once('message', (m) => resolve(m as Targets));
      child.once('exit', (code) => reject(new Error(`server process exited early (${code})`)));
    });
    await measure(autocannon, t.barePort, t, 1, connections);
    await measure(autocannon, t.mtlsPort, t, 1, connections);
    const bare = await measure(autocannon, t.barePort, t, seconds, connections);
    const s2p = await measure(autocannon, t.mtlsPort, t, seconds, connections);
    console.log(
      `Node ${process.version}; ${connections} keep-alive connections with a client certificate, ${seconds} s per server, POST ${PATH} with a fresh Request-Id each; database: ${t.db}.\n`,
    );
    console.log('| server | requests/s | p50 latency (ms) | p99 latency (ms) | ratio to bare node:https |');
    console.log('|---|---:|---:|---:|---:|');
    const row = (name: string, r: AutocannonResult) =>
      `| ${name} | ${r.requests.average.toFixed(0)} | ${r.latency.p50} | ${r.latency.p99} | ${(r.requests.average / bare.requests.average).toFixed(3)} |`;
    console.log(row('bare node:https, same certificates (baseline)', bare));
    console.log(row('POST /ext/v1/registrations (Cardport)', s2p));
  } finally {
    child.send('stop');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

if (process.argv.includes('--serve')) await serve();
else await main();
