import { CollectorError } from '../../collectorError.js';

/** SQLSTATEs after which the whole transaction is safely re-run: deadlock, serialization failure, unique race. */
const RETRYABLE = new Set(['40P01', '40001', '23505']);

/** A race another process won (an email linked, a contact merged away): re-running the transaction resolves it. */
export class ConcurrentChange extends Error {
  readonly retryable = true;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EPIPE',
  'EHOSTUNREACH',
]);

/**
 * The database is down, overloaded or cancelled the statement (SQLSTATE classes 08, 53, 57 — 57014 is the
 * statement timeout): answer 503 `storage` so clients and load balancers retry, instead of a bare 500.
 */
export function asStorageError(error: unknown): unknown {
  if (error instanceof CollectorError || !(error instanceof Error)) return error;
  const code = (error as { code?: unknown }).code;
  const unavailable =
    (typeof code === 'string' && (/^(08|53|57)/.test(code) || NETWORK_CODES.has(code))) ||
    /Connection terminated|timeout exceeded when trying to connect/i.test(error.message);
  return unavailable
    ? new CollectorError('storage', `PostgreSQL unavailable: ${error.message}`, { cause: error })
    : error;
}

/** Whether a failed transaction may simply be run again (it lost a race). */
export function isRetryable(error: unknown): boolean {
  if (error instanceof ConcurrentChange) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && RETRYABLE.has(code);
}
