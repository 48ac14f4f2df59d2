import { createServer } from 'node:net';
import { ConfigError, loadConfig } from '../../core/config.ts';
import { adminTokenPath, HomeError } from '../../core/home.ts';
import { CliError } from '../cli-error.ts';
import type { Command } from '../command.ts';

/**
 * Fails before anything else runs (no migration, no key) when a port is taken, naming the
 * variable that moves it. Port 0 (any free port) is never taken.
 */
export async function checkPortsFree(
  host: string,
  ports: { port: number; variable: string }[],
): Promise<void> {
  for (const { port, variable } of ports) {
    if (port === 0) continue;
    const problem = await new Promise<string | undefined>((resolve) => {
      const probe = createServer();
      probe.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
      probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve(undefined)));
    });
    if (problem === 'EADDRINUSE')
      throw new CliError(
        `port ${port} on ${host} is already in use (${variable}=${port}): is another 'cardport up' running? ` +
          `Stop it, or choose free ports, e.g. CARDPORT_PORT=9080 CARDPORT_MTLS_PORT=9443 (the demos take the ports after CARDPORT_PORT).`,
        1,
      );
    if (problem) throw new CliError(`cannot listen on ${host}:${port} (${variable}): ${problem}`, 1);
  }
}

export const up: Command = {
  name: 'up',
  summary: 'start the sandbox: migrations, listeners, delivery worker and (with --demo) the demo partners',
  options: {
    demo: { type: 'boolean', description: 'also start the demo partners under examples/ (npm start does)' },
    'no-worker': { type: 'boolean', description: 'do not run the delivery worker in this process' },
  },
  async run({ values, env, stdout, stderr }) {
    let config: ReturnType<typeof loadConfig>;
    try {
      config = loadConfig(env);
    } catch (err) {
      if (err instanceof ConfigError) throw new CliError(`bad configuration: ${err.message}`, 2);
      throw err;
    }
    await checkPortsFree(config.host, [
      { port: config.port, variable: 'CARDPORT_PORT' },
      { port: config.mtlsPort, variable: 'CARDPORT_MTLS_PORT' },
    ]);
    // The database first: PGlite starts in its own thread while this one loads the platform's
    // modules (loaded here, so that every other command starts without the server's dependencies).
    const { openPlatformData } = await import('../../core/db-start.ts');
    const data = openPlatformData(config);
    // Handled: startPlatform awaits it (and reports a HomeError) once the modules are loaded.
    data.catch(() => {});
    const [{ startPlatform }, { createLogger }, { default: pino }] = await Promise.all([
      import('../../runtime.ts'),
      import('../../core/logger.ts'),
      import('pino'),
    ]).catch(async (err: unknown) => {
      await data.then((d) => d.db.close()).catch(() => {});
      throw err;
    });
    // stdout carries the human start-up text (or the --json line); pino's JSON lines go to stderr.
    const log = createLogger({
      level: config.logLevel,
      destination: pino.destination({ fd: 2, sync: true }),
    });
    const platform = await startPlatform(config, {
      demo: values['demo'] === true,
      worker: values['no-worker'] !== true,
      log,
      data,
      // With --json, stdout carries JSON lines only: the demos' human lines go to stderr.
      ...(values['json'] ? { demoOutput: stderr } : {}),
    }).catch((err: unknown) => {
      if (err instanceof HomeError) throw new CliError(err.message, 2);
      throw err;
    });
    const summary = {
      url: platform.url,
      mtlsUrl: platform.mtlsUrl,
      wallet: `${platform.url}/wallet`,
      dashboard: `${platform.url}/admin`,
      docs: `${platform.url}/docs`,
      tspPublicKey: `${platform.url}/tsp/v1/public-key.pem`,
      home: config.home,
      adminToken: adminTokenPath(config.home),
      database: config.databaseUrl ? 'postgresql' : 'pglite (embedded)',
      demos: platform.demos,
    };
    if (values['json']) stdout(JSON.stringify(summary));
    else {
      stdout(
        [
          'Cardport sandbox is up.',
          `  Start here:   ${summary.url}/`,
          `  Wallet:       ${summary.wallet}`,
          `  Dashboard:    ${summary.dashboard}  (admin token in ${summary.adminToken})`,
          `  API docs:     ${summary.docs}`,
          `  mTLS (S2P):   ${summary.mtlsUrl}/ext/v1`,
          `  TSP key:      ${summary.tspPublicKey}  (encrypt sandbox issuer blobs to it)`,
          ...platform.demos.map((d) => `  Demo ${d.name.padEnd(8)} ${d.url}`),
          `  Data:         ${summary.database} in ${summary.home}`,
          'Press Ctrl+C to stop.',
        ].join('\n'),
      );
    }
    await new Promise<void>((resolve) => {
      const stop = (signal: string) => {
        stderr(`${signal}: draining and shutting down`);
        platform.close().then(resolve, resolve);
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
    });
    return { json: {}, text: '', silent: true };
  },
};
