import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { TrackedEvent } from '@leadlight/scoring-core';
import Database from 'better-sqlite3';
import { CollectorError } from '../collectorError.js';
import type { AccountReads } from './accountStorage.js';
import { contactListSql, type SqlDialect } from './contactListSql.js';
import { migrateSqlite } from './migrateSqlite.js';
import {
  type Row,
  toChange,
  toContact,
  toContactOutcome,
  toEventRecord,
  toModelRecord,
  toOutboxItem,
} from './rowMapping.js';
import { sqliteAccounts } from './sqliteAccounts.js';
import { type SqliteCheckpointer, startSqliteCheckpointer } from './sqliteCheckpointer.js';
import { sqliteNotes } from './sqliteNotes.js';
import { sqlitePrivacy } from './sqlitePrivacy.js';
import { SqliteQueue } from './sqliteQueue.js';
import { prepareSqliteStatements, type SqliteStatements } from './sqliteStatements.js';
import { createSqliteTx, readDevice, readDeviceEvents } from './sqliteTx.js';
import type {
  AuditRecord,
  ContactEvent,
  ContactNote,
  ContactOutcome,
  ContactQuery,
  ContactRecord,
  DeviceRecord,
  EventCursor,
  EventRecord,
  ListedContact,
  ModelRecord,
  OutboxItem,
  OutboxStats,
  SessionRecord,
  StageChange,
  Storage,
  StorageTx,
} from './storage.js';

/** How SQLite reads the contact list's JSON columns. */
const SQLITE_DIALECT: SqlDialect = {
  placeholder: () => '?',
  trait: (name) => `json_extract(state, '$.traits.${name}')`,
  scorePart: (name) => `json_extract(score, '$.${name}')`,
  // SQLite's own LOWER folds ASCII only: ll_lower is JavaScript's, registered on the connection.
  lower: (expression) => `ll_lower(${expression})`,
};

/** Options of the SQLite adapter. */
export interface SqliteOptions {
  /**
   * Let batches that arrive together share one COMMIT, each inside its own SAVEPOINT (so each batch is
   * still all-or-nothing and answered only after the shared commit). Default true: it saves 10–25 % of the
   * CPU of a batch under load (see README, Performance); false gives one COMMIT per batch.
   */
  groupCommit?: boolean;
  /** Checkpoint the WAL from a worker thread instead of on the committing request (default true). */
  backgroundCheckpoint?: boolean;
}

/** Opens (creating if needed) an SQLite database file in WAL mode and applies pending migrations. */
export function openSqliteStorage(path: string, options: SqliteOptions = {}): Storage {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  let db: Database.Database;
  try {
    db = new Database(path);
  } catch (error) {
    throw new CollectorError('storage', `cannot open SQLite database ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  db.pragma('journal_mode = WAL');
  // NORMAL in WAL mode: a committed transaction survives a process crash (SIGKILL); only an OS crash
  // or power loss can lose the last commits.
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = OFF');
  // Deleted rows are overwritten with zeros, so an erased person's bytes do not linger in free pages.
  db.pragma('secure_delete = ON');
  migrateSqlite(db);
  const background = path !== ':memory:' && (options.backgroundCheckpoint ?? true);
  if (background) db.pragma('wal_autocheckpoint = 0');
  const checkpointer = background ? startSqliteCheckpointer(path) : undefined;
  return new SqliteStorage(db, options.groupCommit ?? true, checkpointer);
}

class SqliteStorage implements Storage {
  readonly kind = 'sqlite';
  private readonly db: Database.Database;
  private readonly listStatements = new Map<string, Database.Statement>();
  private readonly s: SqliteStatements;
  private readonly privacy: ReturnType<typeof sqlitePrivacy>['reads'];
  private readonly notes: ReturnType<typeof sqliteNotes>;
  readonly accounts: AccountReads;
  private readonly queue: SqliteQueue;

  private readonly checkpointer: SqliteCheckpointer | undefined;
  private commitsSinceCheck = 0;

  constructor(db: Database.Database, groupCommit: boolean, checkpointer: SqliteCheckpointer | undefined) {
    this.db = db;
    this.checkpointer = checkpointer;
    db.function('ll_lower', { deterministic: true }, (value: unknown) =>
      typeof value === 'string' ? value.toLowerCase() : value,
    );
    const s = prepareSqliteStatements(db);
    this.s = s;
    const privacy = sqlitePrivacy(db);
    this.privacy = privacy.reads;
    const notes = sqliteNotes(db);
    this.notes = notes;
    const accounts = sqliteAccounts(db);
    this.accounts = {
      getAccount: (siteKey, id) => this.read(() => accounts.reads.getAccount(siteKey, id)),
      listAccounts: (siteKey, q) => this.read(() => accounts.reads.listAccounts(siteKey, q)),
      memberEntries: (siteKey, id) => this.read(() => accounts.reads.memberEntries(siteKey, id)),
      countMqas: (siteKey, range) => this.read(() => accounts.reads.countMqas(siteKey, range)),
    };
    const tx = createSqliteTx(db, s, notes, privacy.tx, accounts.tx);
    this.queue = new SqliteQueue(db, s, tx, groupCommit, () => this.afterCommit());
  }

  /** A safety valve: should the background checkpointer fall far behind, checkpoint here. */
  private afterCommit(): void {
    if (!this.checkpointer || ++this.commitsSinceCheck < 500) return;
    this.commitsSinceCheck = 0;
    let size = 0;
    try {
      size = statSync(`${this.db.name}-wal`).size;
    } catch {
      return;
    }
    if (size > 256 * 1024 * 1024) this.db.pragma('wal_checkpoint(PASSIVE)');
  }

  transaction<T>(fn: (tx: StorageTx) => Promise<T>): Promise<T> {
    return this.queue.transaction(fn);
  }

  /** Reads wait for running transactions so they never see half a batch through the shared connection. */
  private read<T>(fn: () => T): Promise<T> {
    return this.queue.read(fn);
  }

  ping(): Promise<void> {
    return this.read(() => {
      this.s.ping.get();
    });
  }

  getContact(siteKey: string, id: string): Promise<ContactRecord | null> {
    return this.read(() => {
      const target = (this.s.redirect.get(id) as string | undefined) ?? id;
      const row = this.s.contactInSite.get(target, siteKey) as Row | undefined;
      return row ? toContact(row) : null;
    });
  }

  device(siteKey: string, anonymousId: string): Promise<DeviceRecord | null> {
    return this.read(() => readDevice(this.s, siteKey, anonymousId));
  }

  deviceEvents(siteKey: string, anonymousId: string): Promise<TrackedEvent[]> {
    return this.read(() => readDeviceEvents(this.s, siteKey, anonymousId));
  }

  contactByAnonymousId(siteKey: string, anonymousId: string): Promise<ContactRecord | null> {
    return this.read(() => {
      const id = this.s.anonContact.get(siteKey, anonymousId) as string | undefined;
      const row = id ? (this.s.contact.get(id) as Row | undefined) : undefined;
      return row ? toContact(row) : null;
    });
  }

  anonymousIds(contactId: string): Promise<string[]> {
    return this.read(() => this.s.anonIds.all(contactId) as string[]);
  }

  stageHistory(contactId: string): Promise<StageChange[]> {
    return this.read(() => (this.s.historyOf.all(contactId) as Row[]).map(toChange));
  }

  contactNotes(contactId: string): Promise<ContactNote[]> {
    return this.read(() => this.notes.notesOf(contactId));
  }

  ownersOf(contactIds: string[]): Promise<Map<string, string>> {
    return this.read(() => this.notes.ownersOf(contactIds));
  }

  listContacts(siteKey: string, query: ContactQuery): Promise<ListedContact[]> {
    const { sql, params } = contactListSql(siteKey, query, SQLITE_DIALECT);
    return this.read(() => {
      let statement = this.listStatements.get(sql);
      if (!statement) {
        // One statement per combination of filters and sort: a handful in practice, each prepared once.
        statement = this.db.prepare(sql);
        this.listStatements.set(sql, statement);
      }
      return (statement.all(...params) as Row[]).map((row) => ({
        contact: toContact(row),
        key: row.sort_key as number | string,
      }));
    });
  }

  listEvents(
    contactId: string,
    q: { type?: string; limit: number; after?: { ts: number; id: string } },
  ): Promise<EventRecord[]> {
    return this.read(() =>
      (
        this.s.eventsPage.all({
          contact: contactId,
          type: q.type ?? null,
          ts: q.after?.ts ?? null,
          id: q.after?.id ?? null,
          limit: q.limit,
        }) as Row[]
      ).map(toEventRecord),
    );
  }

  recentEvents(contactId: string, limit: number): Promise<EventRecord[]> {
    return this.read(() => (this.s.recent.all(contactId, limit) as Row[]).map(toEventRecord));
  }

  funnelContacts(siteKey: string, range: { from: number; to: number }): Promise<ContactRecord[]> {
    return this.read(() => (this.s.funnel.all(siteKey, range.from, range.to) as Row[]).map(toContact));
  }

  contactIds(siteKey: string, q: { afterId?: string; limit: number }): Promise<string[]> {
    return this.read(
      () => this.s.contactIds.all({ site: siteKey, after: q.afterId ?? null, limit: q.limit }) as string[],
    );
  }

  contactOutcomes(siteKey: string, q: { afterId?: string; limit: number }): Promise<ContactOutcome[]> {
    return this.read(() =>
      (this.s.contactOutcomes.all(q.afterId ?? '', siteKey, q.limit) as Row[]).map(toContactOutcome),
    );
  }

  siteEvents(siteKey: string, q: { afterId?: string; limit: number }): Promise<ContactEvent[]> {
    return this.read(() =>
      (this.s.siteEvents.all(siteKey, q.afterId ?? '', q.limit) as [string, string][]).map(
        ([contactId, body]) => ({
          contactId,
          event: JSON.parse(body) as TrackedEvent,
        }),
      ),
    );
  }

  counters(siteKey: string): Promise<Record<string, number>> {
    return this.read(() => {
      const out: Record<string, number> = {};
      for (const row of this.s.counters.all(siteKey) as { name: string; value: number }[])
        out[row.name] = row.value;
      return out;
    });
  }

  claimWebhooks(now: number, limit: number, leaseMs: number): Promise<OutboxItem[]> {
    return this.transaction(async () =>
      (this.s.due.all({ now, limit }) as Row[]).map((row) => {
        this.s.claim.run(now + leaseMs, row.id);
        return toOutboxItem(row);
      }),
    );
  }

  completeWebhook(id: string, at: number): Promise<void> {
    return this.read(() => {
      this.s.complete.run(at, id);
    });
  }

  retryWebhook(id: string, nextAttemptAt: number, error: string): Promise<void> {
    return this.read(() => {
      this.s.retry.run(nextAttemptAt, error.slice(0, 500), id);
    });
  }

  failWebhook(id: string, error: string): Promise<void> {
    return this.read(() => {
      this.s.fail.run(error.slice(0, 500), id);
    });
  }

  outboxStats(siteKey?: string): Promise<OutboxStats> {
    return this.read(() => {
      const stats: OutboxStats = { pending: 0, delivered: 0, dead: 0 };
      for (const row of this.s.stats.all({ site: siteKey ?? null }) as {
        status: keyof OutboxStats;
        n: number;
      }[]) {
        stats[row.status] = row.n;
      }
      return stats;
    });
  }

  latestModel(siteKey: string): Promise<ModelRecord | null> {
    return this.read(() => {
      const row = this.s.latestModel.get(siteKey, siteKey) as Row | undefined;
      return row ? toModelRecord(row) : null;
    });
  }

  saveModel(siteKey: string, record: ModelRecord): Promise<void> {
    return this.read(() => {
      this.s.saveModel.run({
        site: siteKey,
        hash: record.hash,
        source: record.source,
        model: JSON.stringify(record.model),
        at: record.createdAt,
      });
    });
  }

  lastConfigModelHash(siteKey: string): Promise<string | null> {
    return this.read(() => (this.s.lastConfigHash.get(siteKey) as string | undefined) ?? null);
  }

  createSession(tokenHash: string, siteKey: string, expiresAt: number, name?: string | null): Promise<void> {
    return this.read(() => {
      this.s.expireSessions.run(Date.now());
      this.notes.createSession(tokenHash, siteKey, expiresAt, name ?? null);
    });
  }

  session(tokenHash: string, now: number): Promise<SessionRecord | null> {
    return this.read(() => this.notes.session(tokenHash, now));
  }

  sessionSite(tokenHash: string, now: number): Promise<string | null> {
    return this.read(() => (this.s.session.get(tokenHash, now) as string | undefined) ?? null);
  }

  deleteSession(tokenHash: string): Promise<void> {
    return this.read(() => {
      this.s.deleteSession.run(tokenHash);
    });
  }

  suppressed(siteKey: string, hashes: string[]): Promise<Set<string>> {
    return this.read(() => this.privacy.suppressed(siteKey, hashes));
  }

  listAudit(siteKey: string, query: { limit: number; beforeId?: number }): Promise<AuditRecord[]> {
    return this.read(() => this.privacy.listAudit(siteKey, query));
  }

  emailsOf(contactId: string): Promise<string[]> {
    return this.read(() => this.privacy.emailsOf(contactId));
  }

  listUnattachedEvents(
    siteKey: string,
    anonymousId: string,
    query: { limit: number; after?: EventCursor },
  ): Promise<EventRecord[]> {
    return this.read(() => this.privacy.listUnattachedEvents(siteKey, anonymousId, query));
  }

  /**
   * Copies the WAL into the database file and truncates it to zero bytes, so frames that held erased
   * rows are gone from disk too. The background checkpointer may hold the checkpoint lock for a moment
   * (the pragma then reports busy): try again shortly.
   */
  async scrubDeleted(): Promise<void> {
    for (let attempt = 0; attempt < 50; attempt += 1) {
      const done = await this.read(() => {
        const [row] = this.db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number }[];
        return row === undefined || (row.busy === 0 && row.log <= 0);
      });
      if (done || this.db.memory) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new CollectorError('storage', 'the WAL could not be truncated after an erasure: retry it');
  }

  async close(): Promise<void> {
    if (!(await this.queue.close())) return;
    await this.checkpointer?.stop();
    this.db.close();
  }
}
