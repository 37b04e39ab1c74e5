import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { postgresUnavailableReason, startPostgresServer } from './postgresCluster.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Maintenance URL of the test PostgreSQL server; '' when none could be started (outside CI only). */
    postgresUrl: string;
    /** Prefix of every database this run creates (dropped at teardown on an external server). */
    postgresRun: string;
  }
}

/** Prints a warning nobody can miss. */
export function shout(message: string): void {
  const bar = '!'.repeat(78);
  process.stderr.write(`\n${bar}\n!! ${message}\n${bar}\n\n`);
}

/** Starts (or connects to) PostgreSQL once for the `postgres` test project; required when `CI` is set. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const run = `llt_${process.pid.toString(36)}_${Date.now().toString(36)}`;
  project.provide('postgresRun', run);
  const fail = (why: string) => {
    if (process.env.CI) throw new Error(`PostgreSQL is required in CI: ${why}`);
    shout(`PostgreSQL suites SKIPPED: ${why}`);
    project.provide('postgresUrl', '');
    return async () => undefined;
  };
  const reason = postgresUnavailableReason();
  if (reason) return fail(reason);
  let server: Awaited<ReturnType<typeof startPostgresServer>>;
  try {
    server = await startPostgresServer();
  } catch (error) {
    return fail(`cannot start a throwaway cluster: ${(error as Error).message}`);
  }
  const probe = new pg.Client({ connectionString: server.url, connectionTimeoutMillis: 10_000 });
  try {
    await probe.connect();
    await probe.query('SELECT 1');
  } catch (error) {
    await server.stop();
    return fail(`cannot connect to ${server.url.replace(/:[^:@/]*@/, ':***@')}: ${(error as Error).message}`);
  } finally {
    await probe.end().catch(() => undefined);
  }
  project.provide('postgresUrl', server.url);
  return async () => {
    if (!server.owned) {
      // An external server outlives the run: drop what this run created.
      const client = new pg.Client(server.url);
      await client.connect();
      try {
        const { rows } = await client.query('SELECT datname FROM pg_database WHERE datname LIKE $1', [
          `${run}%`,
        ]);
        for (const row of rows) await client.query(`DROP DATABASE IF EXISTS "${row.datname}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    }
    await server.stop();
  };
}
