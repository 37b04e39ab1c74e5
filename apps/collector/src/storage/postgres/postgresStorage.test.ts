import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { createTestDatabase } from '../../../test/postgresDatabase.js';
import { describeAccountStorageContract } from '../../../test/storage/accountStorageContract.js';
import { describeStorageContract } from '../../../test/storage/storageContract.js';
import type { StorageHarness } from '../../../test/storage/storageHarness.js';
import type { Storage } from '../storage.js';
import { MIGRATION_LOCK_KEY } from './migratePostgres.js';
import { POSTGRES_MIGRATIONS } from './postgresMigrations.js';
import { openPostgresStorage } from './postgresStorage.js';

const available = Boolean(inject('postgresUrl'));

describe.skipIf(!available)('postgres adapter', () => {
  const harness = async (): Promise<StorageHarness> => {
    const url = await createTestDatabase('contract');
    let storage: Storage = await openPostgresStorage(url, { poolSize: 4 });
    return {
      storage,
      async reopen() {
        await storage.close();
        storage = await openPostgresStorage(url, { poolSize: 4 });
        return storage;
      },
      async cleanup() {
        await storage.close();
      },
    };
  };
  describeStorageContract('postgres', harness);
  describeAccountStorageContract('postgres', harness);

  it('migrates once when eight processes open the same empty database together', async () => {
    const url = await createTestDatabase('migrate');
    const opened = await Promise.all(
      Array.from({ length: 8 }, () => openPostgresStorage(url, { poolSize: 1 })),
    );
    await Promise.all(opened.map((s) => s.close()));
    const client = new pg.Client(url);
    await client.connect();
    try {
      const { rows } = await client.query('SELECT version FROM schema_migrations ORDER BY version');
      expect(rows.map((r) => r.version)).toEqual(POSTGRES_MIGRATIONS.map((m) => m.version));
      // The advisory lock is released once migrations are done.
      const held = await client.query(
        'SELECT count(*)::int AS n FROM pg_locks WHERE locktype = $1 AND objid = $2',
        ['advisory', MIGRATION_LOCK_KEY],
      );
      expect(held.rows[0].n).toBe(0);
    } finally {
      await client.end();
    }
  });

  it('makes a second batch of a new bot wait for the first, then read what it stored', async () => {
    const url = await createTestDatabase('botvisitors');
    const storage = await openPostgresStorage(url, { poolSize: 3 });
    const watcher = new pg.Client(url);
    await watcher.connect();
    try {
      const bot = (id: string) => ({
        siteKey: 's',
        event: { id, type: 'page_view', ts: 1, anonymousId: 'bot-1', path: '/' },
        contactId: null,
        receivedAt: 5,
        bot: true,
        flags: null,
      });
      let release = () => {};
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      let stored = () => {};
      const firstStored = new Promise<void>((resolve) => {
        stored = resolve;
      });
      const first = storage.transaction(async (tx) => {
        const fresh = await tx.newBotVisitors('s', ['bot-1']);
        await tx.insertEvents([bot('e1')]);
        stored();
        await held;
        return fresh.has('bot-1');
      });
      await firstStored;
      let secondChecked = false;
      const second = storage.transaction(async (tx) => {
        const fresh = await tx.newBotVisitors('s', ['bot-1']);
        secondChecked = true;
        await tx.insertEvents([bot('e2')]);
        return fresh.has('bot-1');
      });
      // The second batch waits on the first one's lock (its events are not committed yet)...
      await expect
        .poll(async () => {
          const { rows } = await watcher.query(
            "SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted",
          );
          return rows[0].n;
        })
        .toBe(1);
      expect(secondChecked).toBe(false);
      // ...and once they are, finds the bot already seen.
      release();
      expect(await Promise.all([first, second])).toEqual([true, false]);
    } finally {
      await watcher.end();
      await storage.close();
    }
  });

  it('inserts a batch in one statement and reports, per event, whether it was new', async () => {
    const url = await createTestDatabase('batch');
    const storage = await openPostgresStorage(url, { poolSize: 2 });
    try {
      const events = Array.from({ length: 500 }, (_, i) => ({
        siteKey: 's',
        event: {
          id: `e${String(i).padStart(4, '0')}`,
          type: 'page_view',
          ts: 1000 + i,
          anonymousId: 'a',
          path: '/',
        },
        contactId: null,
        receivedAt: 5,
        bot: true,
        flags: null,
      }));
      const first = await storage.transaction((tx) => tx.insertEvents(events.slice(0, 300)));
      expect(first.every(Boolean)).toBe(true);
      // Reversed order and a key repeated inside the batch: only the 200 unseen ids are new, each once.
      const second = await storage.transaction((tx) =>
        tx.insertEvents([...events].reverse().concat(events[499]!)),
      );
      expect(second.filter(Boolean).length).toBe(200);
      expect(second.at(-1)).toBe(false);
    } finally {
      await storage.close();
    }
  });

  it('claims each due webhook once across concurrent claimers (FOR UPDATE SKIP LOCKED)', async () => {
    const url = await createTestDatabase('outbox');
    const stores = await Promise.all([1, 2, 3, 4].map(() => openPostgresStorage(url, { poolSize: 2 })));
    try {
      await stores[0]!.transaction(async (tx) => {
        for (let i = 0; i < 200; i += 1) {
          await tx.enqueueWebhook({
            id: `w${i}`,
            siteKey: 's',
            url: 'http://127.0.0.1:9/hook',
            eventType: 'lead.mql',
            payload: '{}',
            createdAt: 1,
            attempts: 0,
            nextAttemptAt: 1,
          });
        }
      });
      const claims = await Promise.all(
        stores.flatMap((s) => [0, 1, 2].map(() => s.claimWebhooks(10, 25, 60_000))),
      );
      const ids = claims.flat().map((i) => i.id);
      expect(new Set(ids).size).toBe(ids.length);
      const rest = await stores[1]!.claimWebhooks(10, 1000, 60_000);
      expect(ids.length + rest.length).toBe(200);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  it('cancels a statement stuck on a lock after the statement timeout and answers a storage error', async () => {
    const url = await createTestDatabase('timeout');
    const storage = await openPostgresStorage(url, { statementTimeoutMs: 300 });
    const holder = new pg.Client(url);
    await holder.connect();
    try {
      const c = {
        id: 'c-stuck',
        siteKey: 's',
        stage: 'visitor' as const,
        email: null,
        state: { events: 0 } as never,
        score: { total: 0 } as never,
        eventCount: 0,
        createdAt: 1,
        updatedAt: 1,
        firstSeenAt: 1,
        lastSeenAt: 1,
        mqlAt: null,
        mqlArmed: true,
        revenue: null,
        channel: 'direct',
        reached: {},
        accountId: null,
      };
      await storage.transaction((tx) => tx.createContact(c, 'a-stuck'));
      // Another session holds the row lock and never finishes.
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM contacts WHERE id = $1 FOR UPDATE', [c.id]);
      const started = Date.now();
      const error = await storage.transaction((tx) => tx.lockContact(c.id)).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'storage', status: 503 });
      expect((error as Error).message).toContain('statement timeout');
      expect(Date.now() - started).toBeLessThan(5000);
      await holder.query('ROLLBACK');
      // The pool recovered: the same storage works once the lock is gone.
      expect((await storage.transaction((tx) => tx.lockContact(c.id)))?.id).toBe(c.id);
    } finally {
      await holder.end();
      await storage.close();
    }
  });

  it('reconnects its LISTEN connection after the server ends it', async () => {
    const url = await createTestDatabase('relisten');
    const [a, b] = await Promise.all([
      openPostgresStorage(url, { onError: () => undefined }),
      openPostgresStorage(url, { onError: () => undefined }),
    ]);
    const admin = new pg.Client(url);
    await admin.connect();
    try {
      const got: string[] = [];
      b.liveRelay?.listen((siteKey) => got.push(siteKey));
      const ended = await admin.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'",
      );
      expect(ended.rowCount).toBe(2);
      const event = {
        type: 'stage' as const,
        data: { contactId: 'c', from: 'lead' as const, to: 'mql' as const, at: 1, by: 'system' },
      };
      // Notifications sent while nobody listens are lost (NOTIFY is not a queue): keep sending until heard.
      await expect
        .poll(
          () => {
            a.liveRelay?.send('pk_relisten', [event]);
            return got.length;
          },
          { timeout: 15_000, interval: 200 },
        )
        .toBeGreaterThan(0);
      expect(got[0]).toBe('pk_relisten');
    } finally {
      await admin.end();
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('fans live events out to the other processes through LISTEN/NOTIFY', async () => {
    const url = await createTestDatabase('live');
    const [a, b] = await Promise.all([openPostgresStorage(url), openPostgresStorage(url)]);
    try {
      const got: unknown[] = [];
      b.liveRelay?.listen((siteKey, events) => got.push([siteKey, events.length]));
      const own: unknown[] = [];
      a.liveRelay?.listen((siteKey) => own.push(siteKey));
      // 300 events exceed one NOTIFY payload: they arrive in several chunks, all of them.
      const events = Array.from({ length: 300 }, (_, i) => ({
        type: 'score' as const,
        data: { contactId: `c${i}`, total: i, fit: 0, engagement: i, stage: 'visitor' as const, at: i },
      }));
      a.liveRelay?.send('pk', events);
      await expect
        .poll(() => (got as [string, number][]).reduce((n, [, k]) => n + k, 0), { timeout: 10_000 })
        .toBe(300);
      expect(got.length).toBeGreaterThan(1);
      expect(own).toEqual([]);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
