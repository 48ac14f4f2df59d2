import { randomUUID } from 'node:crypto';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type AutocannonResult, autocannonRun, withServerChild } from './support.ts';

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

async function measure(
  port: number,
  t: Targets,
  seconds: number,
  connections: number,
): Promise<AutocannonResult> {
  return autocannonRun(`port ${port}`, {
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
}

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 5);
  const connections = Number(process.argv[3] ?? 16);
  if (!(seconds > 0) || !(connections > 0 && Number.isInteger(connections)))
    throw new TypeError('usage: s2p.bench.ts [seconds > 0] [connections > 0]');
  await withServerChild<Targets>(fileURLToPath(import.meta.url), async (t) => {
    await measure(t.barePort, t, 1, connections);
    await measure(t.mtlsPort, t, 1, connections);
    const bare = await measure(t.barePort, t, seconds, connections);
    const s2p = await measure(t.mtlsPort, t, seconds, connections);
    console.log(
      `Node ${process.version}; ${connections} keep-alive connections with a client certificate, ${seconds} s per server, POST ${PATH} with a fresh Request-Id each; database: ${t.db}.\n`,
    );
    console.log('| server | requests/s | p50 latency (ms) | p99 latency (ms) | ratio to bare node:https |');
    console.log('|---|---:|---:|---:|---:|');
    const row = (name: string, r: AutocannonResult) =>
      `| ${name} | ${r.requests.average.toFixed(0)} | ${r.latency.p50} | ${r.latency.p99} | ${(r.requests.average / bare.requests.average).toFixed(3)} |`;
    console.log(row('bare node:https, same certificates (baseline)', bare));
    console.log(row('POST /ext/v1/registrations (Cardport)', s2p));
  });
}

if (process.argv.includes('--serve')) await serve();
else await main();
