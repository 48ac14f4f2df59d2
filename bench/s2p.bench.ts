// Save to Pay registration over mutual TLS: POST /ext/v1/registrations per second and p99, as a
// ratio to the same database's own single-row INSERT rate measured in the server process in the
// same round (as many concurrent loops as connections), with a bare node:https server on the same
// certificates for scale; median of 3 interleaved rounds, and the server's event-loop delay
// (monitorEventLoopDelay, p99 and max) under the registration load. PostgreSQL when DATABASE_URL
// is set, else PGlite. Run: node --import tsx bench/s2p.bench.ts [seconds, default 5] [connections, default 50]
import { randomBytes, randomUUID } from 'node:crypto';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import {
  type AutocannonResult,
  autocannonRun,
  loopStallGoalMs,
  postgresCpuMs,
  processCpuMs,
  profileLoad,
  reportGoal,
  withServerChild,
} from './support.ts';

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
  const { testDbKinds } = await import('../packages/platform/src/core/test-kit.ts');
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
  const db = bed.platform.db;
  // Statements the platform sends, counted around its own query function.
  let statements = 0;
  const query = db.query.bind(db);
  (db as { query: typeof db.query }).query = ((text: string, params?: unknown[]) => {
    statements++;
    return query(text, params);
  }) as typeof db.query;
  await db.exec('CREATE TABLE IF NOT EXISTS bench_inserts (id TEXT PRIMARY KEY, body TEXT NOT NULL)');
  let loop: ReturnType<typeof monitorEventLoopDelay> | undefined;
  let endProfile = async () => {};
  let loadCpu0 = { server: 0, database: 0 };
  process.on('message', async (m) => {
    const request = m as { cmd?: string; seconds?: number; connections?: number };
    if (request.cmd === 'insert') {
      // The database's own single-row INSERT rate: autocommit statements, `connections` at a time.
      let count = 0;
      const cpu0 = { server: processCpuMs(), database: postgresCpuMs() };
      const start = performance.now();
      const end = start + (request.seconds ?? 1) * 1000;
      await Promise.all(
        Array.from({ length: request.connections ?? 1 }, async () => {
          while (performance.now() < end) {
            await db.query('INSERT INTO bench_inserts (id, body) VALUES ($1, $2)', [
              randomBytes(12).toString('hex'),
              BODY,
            ]);
            count++;
          }
        }),
      );
      const rate = count / ((performance.now() - start) / 1000);
      const cpu = { server: processCpuMs() - cpu0.server, database: postgresCpuMs() - cpu0.database };
      await db.exec('DELETE FROM bench_inserts');
      process.send?.({ rate, count, cpu });
    } else if (request.cmd === 'loop-start') {
      loop = monitorEventLoopDelay({ resolution: 10 });
      loop.enable();
      endProfile = await profileLoad('s2p-registrations');
      loadCpu0 = { server: processCpuMs(), database: postgresCpuMs() };
      statements = 0;
      process.send?.({});
    } else if (request.cmd === 'loop-stop') {
      loop?.disable();
      const cpu = { server: processCpuMs() - loadCpu0.server, database: postgresCpuMs() - loadCpu0.database };
      await endProfile();
      process.send?.({
        p99: (loop?.percentile(99) ?? 0) / 1e6,
        max: (loop?.max ?? 0) / 1e6,
        cpu,
        statements,
      });
    }
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
  const connections = Number(process.argv[3] ?? 50);
  if (!(seconds > 0) || !(connections > 0 && Number.isInteger(connections)))
    throw new TypeError('usage: s2p.bench.ts [seconds > 0] [connections > 0]');
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
  await withServerChild<Targets>(fileURLToPath(import.meta.url), async (t, ask) => {
    await measure(t.barePort, t, 1, connections);
    await measure(t.mtlsPort, t, 1, connections);
    await ask({ cmd: 'insert', seconds: 1, connections });
    const inserts: number[] = [];
    const bares: AutocannonResult[] = [];
    const s2ps: AutocannonResult[] = [];
    const ratios: number[] = [];
    const loopP99: number[] = [];
    const loopMax: number[] = [];
    // CPU time per operation (µs), by process: what a registration costs the machine against what
    // an INSERT costs it, whatever else the machine is doing.
    const cpuPer = { insertServer: [] as number[], insertDb: [] as number[] };
    const perRegistration: number[] = [];
    const regCpu = { server: [] as number[], db: [] as number[], client: [] as number[] };
    for (let round = 0; round < 3; round++) {
      const ins = (await ask({ cmd: 'insert', seconds, connections })) as {
        rate: number;
        count: number;
        cpu: { server: number; database: number };
      };
      inserts.push(ins.rate);
      cpuPer.insertServer.push((ins.cpu.server * 1000) / ins.count);
      cpuPer.insertDb.push((ins.cpu.database * 1000) / ins.count);
      bares.push(await measure(t.barePort, t, seconds, connections));
      await ask({ cmd: 'loop-start' });
      const client0 = processCpuMs();
      const s2p = await measure(t.mtlsPort, t, seconds, connections);
      const clientMs = processCpuMs() - client0;
      const loop = (await ask({ cmd: 'loop-stop' })) as {
        p99: number;
        max: number;
        cpu: { server: number; database: number };
        statements: number;
      };
      perRegistration.push(loop.statements / s2p.requests.total);
      regCpu.server.push((loop.cpu.server * 1000) / s2p.requests.total);
      regCpu.db.push((loop.cpu.database * 1000) / s2p.requests.total);
      regCpu.client.push((clientMs * 1000) / s2p.requests.total);
      s2ps.push(s2p);
      loopP99.push(loop.p99);
      loopMax.push(loop.max);
      ratios.push(s2p.requests.average / (inserts[round] ?? Number.NaN));
    }
    const mid = (rs: AutocannonResult[]) =>
      [...rs].sort((a, b) => a.requests.average - b.requests.average)[1] as AutocannonResult;
    const bare = mid(bares);
    const s2p = mid(s2ps);
    console.log(
      `Node ${process.version}; ${connections} keep-alive connections with a client certificate, ${seconds} s per case, median of 3 interleaved rounds, POST ${PATH} with a fresh Request-Id each; database: ${t.db}.\n`,
    );
    console.log('| case | per second | p50 latency (ms) | p99 latency (ms) | ratio to the INSERT alone |');
    console.log('|---|---:|---:|---:|---:|');
    console.log(
      `| single-row INSERT, ${connections} concurrent (baseline, server process) | ${median(inserts).toFixed(0)} | | | 1.00 |`,
    );
    console.log(
      `| bare node:https, same certificates | ${bare.requests.average.toFixed(0)} | ${bare.latency.p50} | ${bare.latency.p99} | |`,
    );
    console.log(
      `| POST /ext/v1/registrations (Cardport) | ${s2p.requests.average.toFixed(0)} | ${s2p.latency.p50} | ${s2p.latency.p99} | ${median(ratios).toFixed(2)} |`,
    );
    console.log(
      `\nServer event-loop delay under the registration load: p99 ${median(loopP99).toFixed(1)} ms, max ${Math.max(...loopMax).toFixed(1)} ms.`,
    );
    const us = (xs: number[]) => median(xs).toFixed(0);
    const dbCpu =
      t.db === 'postgres' ? 'PostgreSQL server processes' : 'in the server process (PGlite thread)';
    console.log(`\nCPU time per operation, µs (median of the rounds; the database's ${dbCpu}):\n`);
    console.log('| operation | server process | PostgreSQL processes | load generator |');
    console.log('|---|---:|---:|---:|');
    // PGlite runs inside the server process: no PostgreSQL process to read.
    const pgCol = (xs: number[]) => (t.db === 'postgres' ? us(xs) : '—');
    console.log(`| single-row INSERT | ${us(cpuPer.insertServer)} | ${pgCol(cpuPer.insertDb)} | |`);
    console.log(`| registration | ${us(regCpu.server)} | ${pgCol(regCpu.db)} | ${us(regCpu.client)} |`);
    console.log(
      `\nStatements sent per registration (registration rows and request-log rows, batched): ${median(perRegistration).toFixed(2)}.`,
    );
    const db = t.db === 'postgres' ? 'PostgreSQL' : 'PGlite';
    reportGoal({
      path: `S2P registration, 50 connections, ${db}`,
      goal: '≥ 0.7× the INSERT alone, p99 ≤ 50 ms',
      measured: `${median(ratios).toFixed(2)}× (${s2p.requests.average.toFixed(0)}/s, p99 ${s2p.latency.p99} ms)`,
      met: median(ratios) >= 0.7 && s2p.latency.p99 <= 50,
    });
    reportGoal({
      path: `event loop under the S2P registration load, ${db}`,
      goal: `no stall over ${loopStallGoalMs} ms`,
      measured: `max ${Math.max(...loopMax).toFixed(0)} ms, p99 ${median(loopP99).toFixed(0)} ms`,
      met: Math.max(...loopMax) <= loopStallGoalMs,
    });
  });
}

if (process.argv.includes('--serve')) await serve();
else await main();
