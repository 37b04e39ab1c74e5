import { CollectorError } from '../collectorError.js';
import { openSqliteStorage } from './sqliteStorage.js';
import type { Storage } from './storage.js';

/** Where the data lives: an SQLite file, or a PostgreSQL database URL. */
export interface StorageLocation {
  dbPath?: string;
  databaseUrl?: string;
}

/** A function that opens PostgreSQL storage; registered by the PostgreSQL adapter module. */
export type PostgresOpener = (url: string) => Promise<Storage>;

let postgresOpener: PostgresOpener | undefined;

/** Replaces the PostgreSQL adapter (tests, custom pools); by default `openStorage` loads the built-in one lazily. */
export function registerPostgresOpener(opener: PostgresOpener): void {
  postgresOpener = opener;
}

/** Opens storage: PostgreSQL when a database URL is given, else the SQLite file. */
export async function openStorage(location: StorageLocation): Promise<Storage> {
  if (location.databaseUrl) {
    if (postgresOpener) return postgresOpener(location.databaseUrl);
    // Loaded lazily so SQLite-only runs never load `pg`.
    const { openPostgresStorage } = await import('./postgres/postgresStorage.js');
    const { postgresOptionsFromEnv } = await import('./postgres/postgresOptions.js');
    return openPostgresStorage(location.databaseUrl, postgresOptionsFromEnv(process.env));
  }
  if (!location.dbPath)
    throw new CollectorError('storage', 'no storage given: pass a --db file or set DATABASE_URL');
  return openSqliteStorage(location.dbPath);
}
