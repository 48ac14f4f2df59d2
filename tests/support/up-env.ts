// The environment of a `cardport up` a test starts as a child process.

/**
 * Its own home, free ports (0), quiet logs and the embedded PGlite (DATABASE_URL removed); `vars`
 * go on top (a scale-out test passes DATABASE_URL back in).
 */
export function upEnv(home: string, vars: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CARDPORT_HOME: home,
    CARDPORT_PORT: '0',
    CARDPORT_MTLS_PORT: '0',
    CARDPORT_LOG_LEVEL: 'warn',
  };
  delete env['DATABASE_URL'];
  return { ...env, ...vars };
}
