import type { ErrorCode } from '@leadlight/scoring-core/wire';

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  bad_config: 500,
  bad_cli: 500,
  storage: 503,
  internal: 500,
};

/** The collector's one error type: a string `code`, an HTTP status and a message that says what and where. */
export class CollectorError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  /** Seconds a client should wait (429 only). */
  readonly retryAfter: number | undefined;

  constructor(code: ErrorCode, message: string, options: { retryAfter?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CollectorError';
    this.code = code;
    this.status = STATUS[code];
    this.retryAfter = options.retryAfter;
  }
}
