import { ConfigError, loadConfig } from '../../core/config.ts';
import { adminTokenPath, HomeError } from '../../core/home.ts';
import { CliError, type Command } from '../command.ts';

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
    // Loaded here so that every other command starts without the server's dependencies.
    const { startPlatform } = await import('../../runtime.ts');
    const platform = await startPlatform(config, {
      demo: values['demo'] === true,
      worker: values['no-worker'] !== true,
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
