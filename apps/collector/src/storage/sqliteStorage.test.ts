import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { describeAccountStorageContract } from '../../test/storage/accountStorageContract.js';
import { describeStorageContract } from '../../test/storage/storageContract.js';
import type { StorageHarness } from '../../test/storage/storageHarness.js';
import { SQLITE_MIGRATIONS } from './sqliteMigrations.js';
import { openSqliteStorage } from './sqliteStorage.js';
import type { Storage } from './storage.js';

for (const [name, options] of [
  ['sqlite', {}],
  ['sqlite with one commit per transaction', { groupCommit: false }],
] as const) {
  const harness = async (): Promise<StorageHarness> => {
    const dir = mkdtempSync(join(tmpdir(), 'll-sqlite-'));
    const path = join(dir, 'nested', 'leadlight.db');
    let storage: Storage = openSqliteStorage(path, options);
    return {
      storage,
      async reopen() {
        await storage.close();
        storage = openSqliteStorage(path, options);
        return storage;
      },
      async cleanup() {
        await storage.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  };
  describeStorageContract(name, harness);
  describeAccountStorageContract(name, harness);
}

it('sqlite: runs in WAL mode and records each migration once', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'll-sqlite-'));
  const path = join(dir, 'wal.db');
  await openSqliteStorage(path).close();
  await openSqliteStorage(path).close();
  const db = new Database(path, { readonly: true });
  expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
  const versions = db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all();
  expect(versions).toEqual(SQLITE_MIGRATIONS.map((m) => m.version));
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

it('sqlite: group commit undoes only the failing transaction of a group', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'll-sqlite-'));
  const storage = openSqliteStorage(join(dir, 'group.db'), {
    groupCommit: true,
    backgroundCheckpoint: false,
  });
  const outcomes = await Promise.allSettled([
    storage.transaction(async (tx) => tx.addCounter('s', 'n', 1)),
    storage.transaction(async () => {
      throw new Error('no');
    }),
    storage.transaction(async (tx) => tx.addCounter('s', 'n', 2)),
  ]);
  expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  expect(await storage.counters('s')).toEqual({ n: 3 });
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
});
