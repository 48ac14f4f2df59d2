import pino from 'pino';

export type Logger = pino.Logger;

/** Paths that may carry secrets: never logged (ARCHITECTURE.md: logs redact them). */
export const redactPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  '*.pan',
  '*.cdata',
  '*.issuerBlob',
  '*.encryptedData',
  '*.privateKey',
  '*.token',
  '*.tokenPan',
];

// Database errors carry the statement's values: `params` (PGlite), `detail` ("Key (pan)=(4111…)
// already exists"), `where` ("parameter $1 = '…'"), `internalQuery`, and for data and integrity
// errors (SQLSTATE classes 22 and 23) the message itself quotes the value. A PAN sent in S2P
// data or a decrypted card would reach the log through them: the err serializer removes them.
const dbValueFields = ['params', 'detail', 'where', 'internalQuery'] as const;

function isDatabaseError(err: unknown): err is Error & Record<string, unknown> {
  const e = err as Record<string, unknown> | null;
  return (
    err instanceof Error &&
    typeof e?.['severity'] === 'string' &&
    typeof e['code'] === 'string' &&
    ('routine' in e || 'params' in e || 'where' in e)
  );
}

/** A database error's message with quoted values removed where its class quotes values. */
function safeDatabaseMessage(err: Error & Record<string, unknown>): string {
  return /^2[23]/.test(String(err['code']))
    ? err.message.replace(/"[^"]*"/g, '"[redacted]"').replace(/'[^']*'/g, "'[redacted]'")
    : err.message;
}

/** pino's error serializer, minus the values database errors (anywhere in the cause chain) carry. */
export function serializeError(err: unknown): unknown {
  const out = pino.stdSerializers.err(err as Error) as unknown as Record<string, unknown>;
  if (!(err instanceof Error)) return out;
  const chain: unknown[] = [];
  for (let e: unknown = err; e instanceof Error && chain.length < 10 && !chain.includes(e); e = e.cause)
    chain.push(e);
  for (const e of chain) {
    if (!isDatabaseError(e)) continue;
    const safe = safeDatabaseMessage(e);
    if (safe === e.message) continue;
    for (const key of ['message', 'stack'] as const) {
      if (typeof out[key] === 'string') out[key] = (out[key] as string).split(e.message).join(safe);
    }
  }
  if (isDatabaseError(err)) {
    for (const field of dbValueFields) {
      if (out[field] !== undefined && out[field] !== null) out[field] = '[redacted]';
    }
  }
  return out;
}

/** The platform's logger; `level` comes from Config.logLevel (`info` when absent). */
export function createLogger(options: { level?: string; destination?: pino.DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      redact: { paths: redactPaths, censor: '[redacted]' },
      // Request URLs can carry tokens in their path (welcome links, checkout tokens): log the route only.
      serializers: {
        err: serializeError,
        req: (req: { method?: string; routeOptions?: { url?: string }; url?: string; id?: string }) => ({
          id: req.id,
          method: req.method,
          route: req.routeOptions?.url ?? '(unmatched)',
        }),
      },
    },
    options.destination,
  );
}

export const silentLogger: Logger = pino({ level: 'silent' });
