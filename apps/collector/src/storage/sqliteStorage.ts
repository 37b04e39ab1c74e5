import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { TrackedEvent } from '@leadlight/scoring-core';
import Database from 'better-sqlite3';
import { CollectorError } from '../collectorError.js';
import type { AccountReads } from './accountStorage.js';
import { contactListSql, type SqlDialect } from './contactListSql.js';
import {
  CONTACT_COLUMNS,
  contactParams,
  deviceParams,
  type Row,
  SAVE_DEVICE_SQL,
  toChange,
  toContact,
  toContactOutcome,
  toDevice,
  toEventRecord,
} from './rowMapping.js';
import { sqliteAccounts } from './sqliteAccounts.js';
import { type SqliteCheckpointer, startSqliteCheckpointer } from './sqliteCheckpointer.js';
import { SQLITE_MIGRATIONS } from './sqliteMigrations.js';
import { sqliteNotes } from './sqliteNotes.js';
import { sqlitePrivacy } from './sqlitePrivacy.js';
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
  StoredEvent,
} from './storage.js';

/** How SQLite reads the contact list's JSON columns. */
const SQLITE_DIALECT: SqlDialect = {
  placeholder: () => '?',
  trait: (name) => `json_extract(state, '$.traits.${name}')`,
  scorePart: (name) => `json_extract(score, '$.${name}')`,
  // SQLite's own LOWER folds ASCII only: ll_lower is JavaScript's, registered on the connection.
  lower: (expression) => `ll_lower(${expression})`,
};

/**
 * A prepared UPDATE of a contact that leaves the `keep` columns as they are, taking the contact's full
 * `contactParams` values and binding only the ones it sets.
 */
function contactUpdate(db: Database.Database, keep: readonly string[]): (values: unknown[]) => void {
  const set = CONTACT_COLUMNS.filter((column) => column !== 'id' && !keep.includes(column));
  const positions = set.map((column) => CONTACT_COLUMNS.indexOf(column));
  const statement = db.prepare(`UPDATE contacts SET ${set.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`);
  return (values) => {
    statement.run(...positions.map((i) => values[i]), values[0]);
  };
}

/** SQLite has no boolean type: 1 and 0. */
const sqliteBoolean = (value: boolean) => (value ? 1 : 0);

interface Job {
  fn: (tx: StorageTx) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

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
  migrate(db);
  const background = path !== ':memory:' && (options.backgroundCheckpoint ?? true);
  if (background) db.pragma('wal_autocheckpoint = 0');
  const checkpointer = background ? startSqliteCheckpointer(path) : undefined;
  return new SqliteStorage(db, options.groupCommit ?? true, checkpointer);
}

function migrate(db: Database.Database): void {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT, applied_at INTEGER)',
  );
  const current =
    (db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null }).v ?? 0;
  for (const step of SQLITE_MIGRATIONS) {
    if (step.version <= current) continue;
    db.transaction(() => {
      db.exec(step.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        step.version,
        step.name,
        Date.now(),
      );
    }).immediate();
  }
}

class SqliteStorage implements Storage {
  readonly kind = 'sqlite';
  private readonly db: Database.Database;
  private readonly listStatements = new Map<string, Database.Statement>();
  private readonly s;
  private readonly tx: StorageTx;
  private readonly privacy: ReturnType<typeof sqlitePrivacy>['reads'];
  private readonly notes: ReturnType<typeof sqliteNotes>;
  readonly accounts: AccountReads;
  /** Transactions run one at a time on the single connection; this chains them. */
  private tail: Promise<unknown> = Promise.resolve();
  private closed = false;
  private readonly groupCommit: boolean;
  /** Transactions waiting for the next group commit. */
  private pending: Job[] = [];
  private scheduled = false;

  private readonly checkpointer: SqliteCheckpointer | undefined;
  private commitsSinceCheck = 0;

  constructor(db: Database.Database, groupCommit: boolean, checkpointer: SqliteCheckpointer | undefined) {
    this.db = db;
    this.groupCommit = groupCommit;
    this.checkpointer = checkpointer;
    const p = (sql: string) => db.prepare(sql);
    db.function('ll_lower', { deterministic: true }, (value: unknown) =>
      typeof value === 'string' ? value.toLowerCase() : value,
    );
    this.s = {
      begin: p('BEGIN IMMEDIATE'),
      commit: p('COMMIT'),
      rollback: p('ROLLBACK'),
      savepoint: p('SAVEPOINT batch'),
      release: p('RELEASE batch'),
      rollbackTo: p('ROLLBACK TO batch'),
      insertEvent: p(
        `INSERT INTO events (site, id, contact_id, anonymous_id, type, ts, received_at, bot, flags, body)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (site, id) DO NOTHING`,
      ),
      anonContact: p('SELECT contact_id FROM anonymous_ids WHERE site = ? AND anonymous_id = ?').pluck(),
      knownIds: p('SELECT id FROM events WHERE site = ? AND id IN (SELECT value FROM json_each(?))').pluck(),
      device: p('SELECT * FROM anonymous_ids WHERE site = ? AND anonymous_id = ?'),
      saveDevice: p(SAVE_DEVICE_SQL),
      deviceEvents: p(
        'SELECT body FROM events WHERE site = ? AND anonymous_id = ? AND bot = 0 ORDER BY ts, id',
      ).pluck(),
      linkAnon: p(
        `INSERT INTO anonymous_ids (site, anonymous_id, contact_id) VALUES (?, ?, ?)
         ON CONFLICT (site, anonymous_id) DO NOTHING`,
      ),
      insertContact: p(
        `INSERT INTO contacts (${CONTACT_COLUMNS.join(', ')}) VALUES (${CONTACT_COLUMNS.map(() => '?').join(', ')})`,
      ),
      saveContact: contactUpdate(db, []),
      // SQLite rewrites an index entry whenever one of its columns is SET, even to the same value: leaving
      // out the unchanged indexed columns spares the contacts_score / contacts_first_seen pages a batch.
      saveContactKeepFirstSeen: contactUpdate(db, ['site', 'first_seen_at']),
      saveContactKeepIndexed: contactUpdate(db, ['site', 'first_seen_at', 'score_total']),
      emailContact: p('SELECT contact_id FROM emails WHERE site = ? AND email = ?').pluck(),
      linkEmail: p(
        `INSERT INTO emails (site, email, contact_id) VALUES (?, ?, ?)
         ON CONFLICT (site, email) DO UPDATE SET contact_id = excluded.contact_id`,
      ),
      contact: p('SELECT * FROM contacts WHERE id = ?'),
      contactInSite: p('SELECT * FROM contacts WHERE id = ? AND site = ?'),
      redirect: p('SELECT to_id FROM contact_redirects WHERE from_id = ?').pluck(),
      moveAnon: p('UPDATE anonymous_ids SET contact_id = ? WHERE contact_id = ?'),
      moveEmails: p('UPDATE emails SET contact_id = ? WHERE contact_id = ?'),
      moveEvents: p('UPDATE events SET contact_id = ? WHERE contact_id = ?'),
      historyOf: p('SELECT * FROM stage_history WHERE contact_id = ? ORDER BY seq'),
      deleteHistory: p('DELETE FROM stage_history WHERE contact_id = ?'),
      deleteContact: p('DELETE FROM contacts WHERE id = ?'),
      retarget: p('UPDATE contact_redirects SET to_id = ? WHERE to_id = ?'),
      addRedirect: p('INSERT OR REPLACE INTO contact_redirects (from_id, to_id) VALUES (?, ?)'),
      scoredEvents: p('SELECT body FROM events WHERE contact_id = ? AND bot = 0 ORDER BY ts, id').pluck(),
      nextSeq: p('SELECT COALESCE(MAX(seq), 0) + 1 FROM stage_history WHERE contact_id = ?').pluck(),
      appendChange: p(
        `INSERT INTO stage_history (contact_id, seq, from_stage, to_stage, at, by, reason, revenue)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      enqueue: p(
        `INSERT INTO outbox (id, site, url, event_type, payload, created_at, attempts, next_attempt_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      addCounter: p(
        `INSERT INTO counters (site, name, value) VALUES (?, ?, ?)
         ON CONFLICT (site, name) DO UPDATE SET value = value + excluded.value`,
      ),
      counters: p('SELECT name, value FROM counters WHERE site = ?'),
      botSeen: p('SELECT 1 FROM events WHERE site = ? AND anonymous_id = ? AND bot = 1 LIMIT 1').pluck(),
      anonIds: p('SELECT anonymous_id FROM anonymous_ids WHERE contact_id = ? ORDER BY anonymous_id').pluck(),
      eventsPage: p(
        `SELECT * FROM events WHERE contact_id = @contact AND (@type IS NULL OR type = @type)
           AND (@ts IS NULL OR ts > @ts OR (ts = @ts AND id > @id)) ORDER BY ts, id LIMIT @limit`,
      ),
      recent: p('SELECT * FROM events WHERE contact_id = ? ORDER BY ts DESC, id DESC LIMIT ?'),
      funnel: p('SELECT * FROM contacts WHERE site = ? AND first_seen_at >= ? AND first_seen_at < ?'),
      contactIds: p(
        'SELECT id FROM contacts WHERE site = @site AND (@after IS NULL OR id > @after) ORDER BY id LIMIT @limit',
      ).pluck(),
      // Pages seek the key: `id > ?` with '' for the first page (an `? IS NULL OR` would stop the seek), and
      // `+site` keeps the planner off the site indexes, which would sort every contact of the site per page.
      contactOutcomes: p(
        `SELECT c.id, c.email, c.channel, c.revenue, c.mql_at, c.reached, c.event_count, c.state,
           CASE WHEN instr(c.channel, ' / ') > 0 THEN
             (SELECT json_extract(e.body, '$.props.utm_campaign') FROM events e
              WHERE e.contact_id = c.id ORDER BY e.ts, e.id LIMIT 1) END AS campaign
         FROM contacts c WHERE c.id > ? AND +c.site = ? AND c.email IS NOT NULL ORDER BY c.id LIMIT ?`,
      ),
      siteEvents: p(
        `SELECT contact_id, body FROM events
         WHERE site = ? AND id > ? AND contact_id IS NOT NULL AND bot = 0 ORDER BY id LIMIT ?`,
      ).raw(),
      due: p(
        `SELECT * FROM outbox WHERE status = 'pending' AND next_attempt_at <= @now AND claimed_until <= @now
         ORDER BY next_attempt_at LIMIT @limit`,
      ),
      claim: p('UPDATE outbox SET claimed_until = ? WHERE id = ?'),
      complete: p(
        `UPDATE outbox SET status = 'delivered', delivered_at = ?, attempts = attempts + 1, claimed_until = 0,
           last_error = NULL WHERE id = ?`,
      ),
      retry: p(
        'UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?, claimed_until = 0 WHERE id = ?',
      ),
      fail: p(
        `UPDATE outbox SET status = 'dead', attempts = attempts + 1, last_error = ?, claimed_until = 0 WHERE id = ?`,
      ),
      stats: p(
        'SELECT status, COUNT(*) AS n FROM outbox WHERE (@site IS NULL OR site = @site) GROUP BY status',
      ),
      latestModel: p(
        `SELECT * FROM models WHERE site = ? AND seq = (SELECT MAX(seq) FROM models WHERE site = ?)`,
      ),
      lastConfigHash: p(
        `SELECT hash FROM models WHERE site = ? AND source = 'config' ORDER BY seq DESC LIMIT 1`,
      ).pluck(),
      saveModel: p(
        `INSERT INTO models (site, seq, hash, source, model, created_at)
         VALUES (@site, (SELECT COALESCE(MAX(seq), 0) + 1 FROM models WHERE site = @site), @hash, @source, @model, @at)`,
      ),
      session: p('SELECT site FROM sessions WHERE token_hash = ? AND expires_at > ?').pluck(),
      deleteSession: p('DELETE FROM sessions WHERE token_hash = ?'),
      expireSessions: p('DELETE FROM sessions WHERE expires_at <= ?'),
      ping: p('SELECT 1').pluck(),
    };
    const s = this.s;
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
    /** What each locked contact's indexed columns hold in the database, so a save can skip unchanged ones. */
    const loaded = new WeakMap<ContactRecord, { siteKey: string; scoreTotal: number; firstSeenAt: number }>();
    this.tx = {
      accounts: accounts.tx,
      knownEventIds: async (siteKey, ids) =>
        new Set(ids.length === 0 ? [] : (s.knownIds.all(siteKey, JSON.stringify(ids)) as string[])),
      lockDevice: async (siteKey, anonymousId) => this.readDevice(siteKey, anonymousId),
      saveDevice: async (d) => {
        s.saveDevice.run(...deviceParams(d));
      },
      deviceEvents: async (siteKey, anonymousId) => this.readDeviceEvents(siteKey, anonymousId),
      insertEvents: async (events: StoredEvent[]) =>
        events.map(
          (e) =>
            s.insertEvent.run(
              e.siteKey,
              e.event.id,
              e.contactId,
              e.event.anonymousId,
              e.event.type,
              e.event.ts,
              e.receivedAt,
              e.bot ? 1 : 0,
              e.flags ? JSON.stringify(e.flags) : null,
              e.json ?? JSON.stringify(e.event),
            ).changes === 1,
        ),
      contactIdForAnonymousId: async (siteKey, anonymousId) =>
        (s.anonContact.get(siteKey, anonymousId) as string | undefined) ?? null,
      createContact: async (contact, anonymousId) => {
        const existing = s.anonContact.get(contact.siteKey, anonymousId) as string | undefined;
        if (existing) return existing;
        s.insertContact.run(...contactParams(contact, sqliteBoolean));
        s.linkAnon.run(contact.siteKey, anonymousId, contact.id);
        return contact.id;
      },
      insertContact: async (contact) => {
        s.insertContact.run(...contactParams(contact, sqliteBoolean));
      },
      contactIdForEmail: async (siteKey, email) =>
        (s.emailContact.get(siteKey, email) as string | undefined) ?? null,
      linkEmail: async (siteKey, email, contactId) => {
        s.linkEmail.run(siteKey, email, contactId);
      },
      lockContact: async (id) => {
        const row = s.contact.get(id) as Row | undefined;
        if (!row) return null;
        const contact = toContact(row);
        loaded.set(contact, {
          siteKey: contact.siteKey,
          scoreTotal: row.score_total as number,
          firstSeenAt: contact.firstSeenAt,
        });
        return contact;
      },
      mergeContact: async (fromId, intoId) => {
        s.moveAnon.run(intoId, fromId);
        s.moveEmails.run(intoId, fromId);
        s.moveEvents.run(intoId, fromId);
        // Stage histories interleave by time; renumber the union.
        const merged = [...(s.historyOf.all(intoId) as Row[]), ...(s.historyOf.all(fromId) as Row[])]
          .map(toChange)
          .sort((a, b) => a.at - b.at);
        s.deleteHistory.run(intoId);
        s.deleteHistory.run(fromId);
        merged.forEach((c, i) => {
          s.appendChange.run(intoId, i + 1, c.from, c.to, c.at, c.by, c.reason ?? null, c.revenue ?? null);
        });
        notes.move(fromId, intoId);
        s.deleteContact.run(fromId);
        s.retarget.run(intoId, fromId);
        s.addRedirect.run(fromId, intoId);
      },
      contactEvents: async (contactId) =>
        (s.scoredEvents.all(contactId) as string[]).map((body) => JSON.parse(body) as TrackedEvent),
      saveContact: async (contact) => {
        const values = contactParams(contact, sqliteBoolean);
        const before = loaded.get(contact);
        if (!before || before.siteKey !== contact.siteKey || before.firstSeenAt !== contact.firstSeenAt) {
          s.saveContact(values);
        } else if (before.scoreTotal !== contact.score.total) {
          s.saveContactKeepFirstSeen(values);
        } else {
          s.saveContactKeepIndexed(values);
        }
        if (before) {
          before.scoreTotal = contact.score.total;
          before.firstSeenAt = contact.firstSeenAt;
        }
      },
      appendStageChange: async (contactId, c) => {
        const seq = s.nextSeq.get(contactId) as number;
        s.appendChange.run(contactId, seq, c.from, c.to, c.at, c.by, c.reason ?? null, c.revenue ?? null);
      },
      appendNote: async (siteKey, contactId, note) => {
        notes.append(siteKey, contactId, note);
      },
      enqueueWebhook: async (item) => {
        s.enqueue.run(
          item.id,
          item.siteKey,
          item.url,
          item.eventType,
          item.payload,
          item.createdAt,
          item.attempts,
          item.nextAttemptAt,
        );
      },
      addCounter: async (siteKey, name, delta) => {
        s.addCounter.run(siteKey, name, delta);
      },
      newBotVisitors: async (siteKey, anonymousIds) =>
        new Set(anonymousIds.filter((id) => s.botSeen.get(siteKey, id) === undefined)),
      ...privacy.tx,
    };
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

  private check(): void {
    if (this.closed) throw new CollectorError('storage', 'storage is closed');
  }

  transaction<T>(fn: (tx: StorageTx) => Promise<T>): Promise<T> {
    if (!this.groupCommit) {
      const run = async (): Promise<T> => {
        this.check();
        this.s.begin.run();
        try {
          const result = await fn(this.tx);
          this.s.commit.run();
          this.afterCommit();
          return result;
        } catch (error) {
          if (this.db.inTransaction) this.s.rollback.run();
          throw error;
        }
      };
      const next = this.tail.then(run, run);
      this.tail = next.catch(() => undefined);
      return next;
    }
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ fn, resolve: resolve as (value: unknown) => void, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      // Wait one turn of the event loop so every request read in this turn joins the same commit.
      setImmediate(() => {
        const next = this.tail.then(() => this.runGroup());
        this.tail = next.catch(() => undefined);
      });
    });
  }

  /** Runs the queued transactions under one BEGIN … COMMIT, each in a SAVEPOINT of its own. */
  private async runGroup(): Promise<void> {
    const jobs = this.pending;
    this.pending = [];
    this.scheduled = false;
    if (this.closed) {
      for (const job of jobs) job.reject(new CollectorError('storage', 'storage is closed'));
      return;
    }
    const outcomes: { job: Job; ok: boolean; value: unknown }[] = [];
    try {
      this.s.begin.run();
      for (const job of jobs) {
        this.s.savepoint.run();
        try {
          const value = await job.fn(this.tx);
          this.s.release.run();
          outcomes.push({ job, ok: true, value });
        } catch (error) {
          // Only this batch is undone; the others in the group still commit.
          this.s.rollbackTo.run();
          this.s.release.run();
          outcomes.push({ job, ok: false, value: error });
        }
      }
      this.s.commit.run();
    } catch (error) {
      if (this.db.inTransaction) this.s.rollback.run();
      for (const job of jobs) job.reject(error);
      return;
    }
    this.afterCommit();
    for (const { job, ok, value } of outcomes) {
      if (ok) job.resolve(value);
      else job.reject(value);
    }
  }

  /** Reads wait for running transactions so they never see half a batch through the shared connection. */
  private read<T>(fn: () => T): Promise<T> {
    const run = async (): Promise<T> => {
      this.check();
      return fn();
    };
    const next = this.tail.then(run, run);
    this.tail = next.catch(() => undefined);
    return next;
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

  private readDevice(siteKey: string, anonymousId: string): DeviceRecord | null {
    const row = this.s.device.get(siteKey, anonymousId) as Row | undefined;
    return row ? toDevice(row) : null;
  }

  private readDeviceEvents(siteKey: string, anonymousId: string): TrackedEvent[] {
    return (this.s.deviceEvents.all(siteKey, anonymousId) as string[]).map(
      (body) => JSON.parse(body) as TrackedEvent,
    );
  }

  device(siteKey: string, anonymousId: string): Promise<DeviceRecord | null> {
    return this.read(() => this.readDevice(siteKey, anonymousId));
  }

  deviceEvents(siteKey: string, anonymousId: string): Promise<TrackedEvent[]> {
    return this.read(() => this.readDeviceEvents(siteKey, anonymousId));
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
        return {
          id: row.id as string,
          siteKey: row.site as string,
          url: row.url as string,
          eventType: row.event_type as string,
          payload: row.payload as string,
          createdAt: row.created_at as number,
          attempts: row.attempts as number,
          nextAttemptAt: row.next_attempt_at as number,
        };
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
      if (!row) return null;
      return {
        model: JSON.parse(row.model as string),
        hash: row.hash as string,
        source: row.source as 'config' | 'api',
        createdAt: row.created_at as number,
      };
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
    if (this.closed) return;
    while (this.scheduled || this.pending.length > 0) await new Promise((resolve) => setImmediate(resolve));
    await this.tail;
    this.closed = true;
    await this.checkpointer?.stop();
    this.db.close();
  }
}
