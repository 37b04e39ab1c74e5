import pg from 'pg';
import { inject } from 'vitest';

/** True in the `postgres` test project when a server is available. */
export function usePostgres(): boolean {
  return process.env.LEADLIGHT_TEST_STORAGE === 'postgres' && Boolean(inject('postgresUrl'));
}

let created = 0;

/** Creates an empty database on the test server and answers its URL (each suite gets its own). */
export async function createTestDatabase(label: string): Promise<string> {
  const base = inject('postgresUrl');
  if (!base) throw new Error('no PostgreSQL test server (see the warning printed at the start of the run)');
  created += 1;
  const tag = label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .slice(-20);
  const name = `${inject('postgresRun')}_${process.pid.toString(36)}_${created}_${tag}`.slice(0, 63);
  const client = new pg.Client(base);
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

const byPath = new Map<string, Promise<string>>();

/**
 * Where a test collector keeps its data: the SQLite file, or — in the `postgres` test project — a
 * database of its own, the same one each time the same file path is asked for (restarts).
 */
export async function testStorage(dbPath: string): Promise<{ dbPath: string } | { databaseUrl: string }> {
  if (!usePostgres()) return { dbPath };
  let url = byPath.get(dbPath);
  if (!url) {
    url = createTestDatabase(dbPath.split('/').pop() ?? 'db');
    byPath.set(dbPath, url);
  }
  return { databaseUrl: await url };
}
