import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type AutocannonResult, autocannonRun, withServerChild } from './support.ts';

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
  const { onboardTestPartner, startTestPlatform } = await import('../packages/platform/src/testing/index.ts');
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

async function measure(
  port: number,
  t: Targets,
  seconds: number,
  connections: number,
): Promise<AutocannonResult> {
  return autocannonRun(`port ${port}`, {
    url: `https://127.0.0.1:${port}${PATH}`,
    connections,
    duration: seconds,
    pipelining: 1,
    headers: { 'partner-id': t.partnerId },
    tlsOptions: { cert: t.cert, key: t.key, ca: t.ca, minVersion: 'TLSv1.2' },
  });
}

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 5);
  const connections = Number(process.argv[3] ?? 16);
  if (!(seconds > 0) || !(connections > 0 && Number.isInteger(connections)))
    throw new TypeError('usage: mtls.bench.ts [seconds > 0] [connections > 0]');
  await withServerChild<Targets>(fileURLToPath(import.meta.url), async (t) => {
    // Warm-up of both servers (JIT, connection setup, PGlite caches), then the measured runs.
    await measure(t.barePort, t, 1, connections);
    await measure(t.fastifyPort, t, 1, connections);
    await measure(t.mtlsPort, t, 1, connections);
    const bare = await measure(t.barePort, t, seconds, connections);
    const fastify = await measure(t.fastifyPort, t, seconds, connections);
    const mtls = await measure(t.mtlsPort, t, seconds, connections);
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
  });
}

if (process.argv.includes('--serve')) await serve();
else await main();
