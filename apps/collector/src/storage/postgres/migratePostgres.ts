import type pg from 'pg';
import { POSTGRES_MIGRATIONS } from './postgresMigrations.js';

/** Session-level advisory lock key held while migrating (any constant shared by every collector). */
export const MIGRATION_LOCK_KEY = 0x4c4c_6d67; // "LLmg"

/**
 * Applies pending migrations, each once, in order. An advisory lock serializes collectors that start
 * together: the first migrates, the others wait, then find nothing left to do.
 */
export async function migratePostgres(pool: pg.Pool): Promise<number[]> {
  const client = await pool.connect();
  const applied: number[] = [];
  try {
    // Waiting for another process's migration, or building an index on a big table, may take longer
    // than the pool's statement timeout: lift it on this connection for the duration.
    await client.query('SET statement_timeout = 0');
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await client.query(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)',
      );
      const { rows } = await client.query('SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations');
      const current = Number(rows[0]?.v ?? 0);
      for (const step of POSTGRES_MIGRATIONS) {
        if (step.version <= current) continue;
        await client.query('BEGIN');
        try {
          await client.query(step.sql);
          await client.query(
            'INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)',
            [step.version, step.name, Date.now()],
          );
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw new Error(`migration ${step.version} (${step.name}): ${(error as Error).message}`);
        }
        applied.push(step.version);
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    }
  } finally {
    await client.query('RESET statement_timeout').catch(() => undefined);
    client.release();
  }
  return applied;
}
