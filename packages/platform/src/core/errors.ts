// One internal error model; each API family maps it to its own wire format (ARCHITECTURE.md).

/** Stable codes of platform errors. `switch (err.code)` narrows. */
export type PlatformErrorCode =
  | 'INVALID_INPUT'
  | 'NOT_FOUND'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'CONFLICT'
  | 'GONE'
  | 'PAYLOAD_TOO_LARGE'
  | 'SERVICE_UNAVAILABLE'
  | 'API_UNAVAILABLE'
  | 'PARTNER_UNREACHABLE'
  | 'BAD_CONFIG'
  | 'INTERNAL';

const defaultStatus: Record<PlatformErrorCode, number> = {
  INVALID_INPUT: 400,
  NOT_FOUND: 404,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  CONFLICT: 409,
  GONE: 410,
  PAYLOAD_TOO_LARGE: 413,
  SERVICE_UNAVAILABLE: 503,
  API_UNAVAILABLE: 503,
  PARTNER_UNREACHABLE: 502,
  BAD_CONFIG: 500,
  INTERNAL: 500,
};

/** One offending field of a request, named by its dotted path. */
export interface FieldIssue {
  field: string;
  reason: string;
}

export interface PlatformErrorOptions {
  status?: number;
  details?: FieldIssue[];
  retryAfterSeconds?: number;
  cause?: unknown;
}

/**
 * A protocol or domain failure with a safe message: messages never contain tokens, PANs, keys,
 * cdata or issuer blobs. The cause may; it is logged through the redacting logger only.
 */
export class PlatformError extends Error {
  override readonly name = 'PlatformError';
  readonly code: PlatformErrorCode;
  readonly status: number;
  readonly details: FieldIssue[] | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: PlatformErrorCode, message: string, options: PlatformErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options.status ?? defaultStatus[code];
    this.details = options.details;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export function isPlatformError(err: unknown): err is PlatformError {
  return err instanceof PlatformError;
}

export function invalidInput(message: string, details?: FieldIssue[]): PlatformError {
  return new PlatformError('INVALID_INPUT', message, details ? { details } : {});
}

export function notFound(what: string): PlatformError {
  return new PlatformError('NOT_FOUND', `${what} not found`);
}
