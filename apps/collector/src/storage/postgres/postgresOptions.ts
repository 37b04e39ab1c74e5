import { CollectorError } from '../../collectorError.js';

/** Tuning of the PostgreSQL adapter (defaults measured on the project's 2-core machine; see docs/operations.md). */
export interface PostgresOptions {
  /** Connections per collector process (default 8). */
  poolSize?: number;
  /** Longest one statement may run before the server cancels it (default 5000 ms). */
  statementTimeoutMs?: number;
  /** A session idle inside a transaction this long is ended, releasing its locks (default 30000 ms). */
  idleInTransactionTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** Runs of a transaction that lost a race (deadlock, concurrent merge) before giving up (default 8). */
  maxAttempts?: number;
  applicationName?: string;
  onError?: (message: string) => void;
}

/** Every option filled in. */
export type ResolvedPostgresOptions = Required<PostgresOptions>;

/** Fills in defaults. */
export function resolvePostgresOptions(options: PostgresOptions): ResolvedPostgresOptions {
  return {
    poolSize: options.poolSize ?? 8,
    statementTimeoutMs: options.statementTimeoutMs ?? 5000,
    idleInTransactionTimeoutMs: options.idleInTransactionTimeoutMs ?? 30_000,
    connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
    maxAttempts: options.maxAttempts ?? 8,
    applicationName: options.applicationName ?? 'leadlight-collector',
    onError: options.onError ?? ((message) => process.stderr.write(`leadlight-collector: ${message}\n`)),
  };
}

function positiveInt(env: Record<string, string | undefined>, name: string, max: number): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new CollectorError(
      'bad_cli',
      `${name}: expected an integer from 1 to ${max}, got ${JSON.stringify(raw)}`,
    );
  }
  return value;
}

/** Reads `LEADLIGHT_PG_POOL_SIZE` and `LEADLIGHT_PG_STATEMENT_TIMEOUT_MS`, saying which one is wrong. */
export function postgresOptionsFromEnv(env: Record<string, string | undefined>): PostgresOptions {
  const options: PostgresOptions = {};
  const poolSize = positiveInt(env, 'LEADLIGHT_PG_POOL_SIZE', 1000);
  if (poolSize !== undefined) options.poolSize = poolSize;
  const timeout = positiveInt(env, 'LEADLIGHT_PG_STATEMENT_TIMEOUT_MS', 3_600_000);
  if (timeout !== undefined) options.statementTimeoutMs = timeout;
  return options;
}
