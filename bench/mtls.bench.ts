// The mTLS listener (Fastify + partner binding: a database lookup per request) on a trivial route,
// against a bare node:https server with the same certificates and TLS settings, measured in the
// same run so the ratio travels between machines. Keep-alive connections with a client
// certificate; loopback only. Not a test: it asserts nothing about time.
//
// Run: node --import tsx bench/mtls.bench.ts [seconds per server, default 5] [connections, default 16]
// The servers run in a child process so that the load generator (autocannon) does not share
// their event loop.
import { fork } from 'node:child_process';
import https from 'node:https';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

interface Targets {
  mtlsPort: number;
  barePort: number;
  fastifyPort: number;
  cert: string;
  key: string;
  ca: string;
  partnerId: string;
}

const PATH = '/bench/ping';

async function serve(): Promise<void> {
  const { onboardTestPartner, startTestPlatform } = await import(
    '../packages/platform/src/partners/test-support.ts'
  );
  const platform = await startTestPlatform({
    mtlsRoutes: (app) => {
      app.get(PATH, async () => ({ ok: true }));
    },
  });
  const { mtlsPort } = await platform.listen();
  const partner = await onboardTestPartner(platform, { name: 'Bench partner' });
  const { pki } = platform.app.ctx;
  // The same certificates and TLS settings as the mTLS listener (src/app.ts), nothing else.
  const bare = https.createServer(
    {
      key: pki.serverKeyPem,
      cert: pki.serverCertPem,
      ca: [pki.rootCaCertPem],
      requestCert: true,
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
    },
    (_req, res) => {
      const body = JSON.stringify({ ok: true });
      res.writeHead(200, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': body.length,
      });
      res.end(body);
    },
  );
  await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
  // The platform's Fastify setup on the same TLS settings but without partner binding: separates
  // the cost of the framework from the cost of the binding.
  const { createHttpApp } = await import('../packages/platform/src/core/http.ts');
  const { silentLogger } = await import('../packages/platform/src/core/logger.ts');
  const fastifyOnly = createHttpApp({
    logger: silentLogger,
    https: {
      key: pki.serverKeyPem,
      cert: pki.serverCertPem,
      ca: [pki.rootCaCertPem],
      requestCert: true,
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
    },
  });
  fastifyOnly.get(PATH, async () => ({ ok: true }));
  await fastifyOnly.listen({ host: '127.0.0.1', port: 0 });
  const targets: Targets = {
    mtlsPort,
    barePort: (bare.address() as AddressInfo).port,
    fastifyPort: (fastifyOnly.server.address() as AddressInfo).port,
    cert: partner.clientCertificatePem,
    key: partner.clientKeyPem,
    ca: partner.caCertificatePem,
    partnerId: partner.partnerId,
  };
  process.send?.(targets);
  process.on('message', async (m) => {
    if (m === 'stop') {
      bare.close();
      await fastifyOnly.close();
      await platform.close();
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
    url: `https://127.0.0.1:${port}${PATH}`,
    connections,
    duration: seconds,
    pipelining: 1,
    headers: { 'partner-id': t.partnerId },
    tlsOptions: { cert: t.cert, key: t.key, ca: t.ca, minVersion: 'TLSv1.2' },
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
    throw new TypeError('usage: mtls.bench.ts [seconds > 0] [connections > 0]');
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
    // Warm-up of both servers (JIT, connection setup, PGlite caches), then the measured runs.
    await measure(autocannon, t.barePort, t, 1, connections);
    await measure(autocannon, t.fastifyPort, t, 1, connections);
    await measure(autocannon, t.mtlsPort, t, 1, connections);
    const bare = await measure(autocannon, t.barePort, t, seconds, connections);
    const fastify = await measure(autocannon, t.fastifyPort, t, seconds, connections);
    const mtls = await measure(autocannon, t.mtlsPort, t, seconds, connections);
    console.log(
      `Node ${process.version}, OpenSSL ${process.versions.openssl}; ${connections} keep-alive connections with a client certificate, ${seconds} s per server, GET ${PATH}; embedded PGlite.\n`,
    );
    console.log('| server | requests/s | p50 latency (ms) | p99 latency (ms) | ratio to bare node:https |');
    console.log('|---|---:|---:|---:|---:|');
    const row = (name: string, r: AutocannonResult) =>
      `| ${name} | ${r.requests.average.toFixed(0)} | ${r.latency.p50} | ${r.latency.p99} | ${(r.requests.average / bare.requests.average).toFixed(2)} |`;
    console.log(row('bare node:https, same certificates (baseline)', bare));
    console.log(row('platform Fastify app, same TLS, no partner binding', fastify));
    console.log(row('Cardport mTLS listener (Fastify + partner binding)', mtls));
  } finally {
    child.send('stop');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

if (process.argv.includes('--serve')) await serve();
else await main();
