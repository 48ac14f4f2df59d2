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

export function createLogger(options: { level?: string; destination?: pino.DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? process.env['CARDPORT_LOG_LEVEL'] ?? 'info',
      redact: { paths: redactPaths, censor: '[redacted]' },
      // Request URLs can carry tokens in their path (welcome links, checkout tokens): log the route only.
      serializers: {
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
