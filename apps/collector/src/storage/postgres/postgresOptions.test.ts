import { describe, expect, it } from 'vitest';
import { postgresOptionsFromEnv, resolvePostgresOptions } from './postgresOptions.js';

describe('PostgreSQL options from the environment', () => {
  it('reads the pool size and statement timeout, and defaults the rest', () => {
    expect(postgresOptionsFromEnv({})).toEqual({});
    expect(
      postgresOptionsFromEnv({ LEADLIGHT_PG_POOL_SIZE: '16', LEADLIGHT_PG_STATEMENT_TIMEOUT_MS: '2500' }),
    ).toEqual({ poolSize: 16, statementTimeoutMs: 2500 });
    expect(resolvePostgresOptions({ poolSize: 3 })).toMatchObject({
      poolSize: 3,
      statementTimeoutMs: 5000,
      idleInTransactionTimeoutMs: 30_000,
      maxAttempts: 8,
    });
  });

  it('names the variable and the value it refuses', () => {
    expect(() => postgresOptionsFromEnv({ LEADLIGHT_PG_POOL_SIZE: '0' })).toThrow(
      'LEADLIGHT_PG_POOL_SIZE: expected an integer from 1 to 1000, got "0"',
    );
    expect(() => postgresOptionsFromEnv({ LEADLIGHT_PG_STATEMENT_TIMEOUT_MS: '1.5' })).toThrow(
      'LEADLIGHT_PG_STATEMENT_TIMEOUT_MS: expected an integer from 1 to 3600000, got "1.5"',
    );
  });
});
