import { resolve } from 'node:path';
import { z } from 'zod';

/** pino's levels, as CARDPORT_LOG_LEVEL accepts them. */
export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];

/**
 * The one validated configuration object; only the CLI entry reads the environment (once, with
 * loadConfig). Nothing changes it after, with one exception: `publicUrl`, which startPlatform
 * (and the test harnesses) set once to the address actually bound when the port was 0, before
 * the first request is served.
 */
export type Config = Readonly<{
  home: string;
  host: string;
  port: number;
  mtlsPort: number;
  databaseUrl: string | undefined;
  /** 32-byte key from CARDPORT_MASTER_KEY; undefined means "read or create $CARDPORT_HOME/master-key". */
  masterKey: Readonly<Buffer> | undefined;
  /** CARDPORT_LOG_LEVEL; `info` by default. */
  logLevel: LogLevel;
}> & {
  publicUrl: string;
};

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
  }
}

const port = (name: string) =>
  z
    .string()
    .regex(/^\d{1,5}$/, `${name} must be a port number (0-65535)`)
    .transform(Number)
    .refine((n) => n <= 65535, `${name} must be a port number (0-65535)`);

const schema = z.object({
  CARDPORT_HOME: z.string().min(1).default('./.cardport'),
  CARDPORT_HOST: z.string().min(1).default('127.0.0.1'),
  CARDPORT_PORT: port('CARDPORT_PORT').default(8080),
  CARDPORT_MTLS_PORT: port('CARDPORT_MTLS_PORT').default(8443),
  CARDPORT_PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'CARDPORT_PUBLIC_URL must be an absolute http(s) URL' })
    .optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// or postgresql:// connection string')
    .optional(),
  CARDPORT_LOG_LEVEL: z
    .enum(logLevels, { error: `CARDPORT_LOG_LEVEL must be one of ${logLevels.join(', ')}` })
    .default('info'),
  CARDPORT_MASTER_KEY: z
    .string()
    .regex(
      /^([0-9a-fA-F]{64}|[A-Za-z0-9+/_-]{43}=?)$/,
      'CARDPORT_MASTER_KEY must be 32 bytes as 64 hex characters or base64',
    )
    .optional(),
});

function decodeMasterKey(text: string): Buffer {
  return /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64url');
}

/** Validates the environment; the first bad variable fails fast with a message naming it. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const picked = Object.fromEntries(
    Object.keys(schema.shape)
      .map((k) => [k, env[k]])
      .filter(([, v]) => v !== undefined && v !== ''),
  );
  const parsed = schema.safeParse(picked);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue?.path[0] ?? 'environment');
    throw new ConfigError(variable, issue?.message ?? 'invalid');
  }
  const e = parsed.data;
  const masterKey = e.CARDPORT_MASTER_KEY ? decodeMasterKey(e.CARDPORT_MASTER_KEY) : undefined;
  if (masterKey && masterKey.length !== 32) {
    throw new ConfigError('CARDPORT_MASTER_KEY', 'must decode to exactly 32 bytes');
  }
  const hostForUrl =
    e.CARDPORT_HOST === '0.0.0.0' || e.CARDPORT_HOST === '::' ? '127.0.0.1' : e.CARDPORT_HOST;
  const publicUrl = (e.CARDPORT_PUBLIC_URL ?? `http://${hostForUrl}:${e.CARDPORT_PORT}`).replace(/\/+$/, '');
  return {
    home: resolve(e.CARDPORT_HOME),
    host: e.CARDPORT_HOST,
    port: e.CARDPORT_PORT,
    mtlsPort: e.CARDPORT_MTLS_PORT,
    publicUrl,
    databaseUrl: e.DATABASE_URL,
    masterKey,
    logLevel: e.CARDPORT_LOG_LEVEL,
  };
}
