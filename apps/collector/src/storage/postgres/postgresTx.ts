import type { TrackedEvent } from '@leadlight/scoring-core';
import type pg from 'pg';
import { mergeContactRows } from '../mergeContactRows.js';
import {
  CONTACT_COLUMNS,
  contactParams,
  deviceParams,
  ENQUEUE_WEBHOOK_SQL,
  eventParams,
  INSERT_CONTACT_SQL,
  outboxParams,
  type Row,
  SAVE_DEVICE_SQL,
  toChange,
  toContact,
  toDevice,
} from '../rowMapping.js';
import type {
  AuditEntry,
  ContactNote,
  ContactRecord,
  DeviceRecord,
  ErasedContact,
  ErasedDevice,
  OutboxItem,
  RescoreKind,
  StageChange,
  StorageTx,
  StoredEvent,
} from '../storage.js';
import { postgresAccountTx } from './postgresAccounts.js';
import { ConcurrentChange } from './postgresErrors.js';
import { appendNoteRow } from './postgresNotes.js';
import {
  addSuppressionRows,
  appendAuditRow,
  eraseContactRows,
  eraseDeviceRows,
  pruneEventRows,
  takeRescoreRows,
} from './postgresPrivacy.js';
import { named, numbered } from './postgresStatements.js';

/** PostgreSQL binds booleans as they are. */
const postgresBoolean = (value: boolean) => value;

// Claims the anonymous id and creates the contact in one round trip; no row back means another
// writer owns the anonymous id (a concurrent creator blocks on the claim until the winner commits).
const CREATE_CONTACT = `WITH claimed AS (
    INSERT INTO anonymous_ids (site, anonymous_id, contact_id) VALUES ($2, $19, $1)
    ON CONFLICT (site, anonymous_id) DO NOTHING RETURNING contact_id)
  INSERT INTO contacts (id, site, stage, email, score_total, score, state, event_count, created_at,
    updated_at, first_seen_at, last_seen_at, mql_at, mql_armed, revenue, channel, reached, account_id)
  SELECT $1::text, $2::text, $3::text, $4::text, $5::float8, $6::text, $7::text, $8::int, $9::bigint,
    $10::bigint, $11::bigint, $12::bigint, $13::bigint, $14::boolean, $15::float8, $16::text, $17::text, $18::text
  FROM claimed RETURNING id`;
const INSERT_CONTACT = numbered(INSERT_CONTACT_SQL);
/** Every column but the id, each bound to its place in `contactParams` (the id is `$1`). */
const SAVE_CONTACT = `UPDATE contacts SET ${CONTACT_COLUMNS.slice(1)
  .map((column, i) => `${column} = $${i + 2}`)
  .join(', ')} WHERE id = $1`;
// One statement for a whole batch: unnest turns the column arrays back into rows.
const EVENT_COLUMNS = 10;
const insertEventsSql = new Map<number, string>();

/**
 * A multi-row INSERT for `n` events. Plain VALUES rows with one parameter per field measured cheaper
 * than `unnest` over arrays (no array-literal quoting of every JSON body on either side).
 */
function insertEventsStatement(n: number): string {
  let sql = insertEventsSql.get(n);
  if (sql === undefined) {
    const rows = Array.from({ length: n }, (_, r) => {
      const p = Array.from({ length: EVENT_COLUMNS }, (_, c) => `$${r * EVENT_COLUMNS + c + 1}`);
      return `(${p.join(', ')})`;
    });
    sql = `INSERT INTO events (site, id, contact_id, anonymous_id, type, ts, received_at, bot, flags, body)
  VALUES ${rows.join(', ')} ON CONFLICT (site, id) DO NOTHING RETURNING site, id`;
    // Batches are small (the SDK sends tens of events): keep the prepared shapes bounded anyway.
    if (n <= 128) insertEventsSql.set(n, sql);
  }
  return sql;
}

const SAVE_DEVICE = numbered(SAVE_DEVICE_SQL);
const ENQUEUE_WEBHOOK = numbered(ENQUEUE_WEBHOOK_SQL);
/** A device's scored events in canonical order. */
export const DEVICE_EVENTS = `SELECT body FROM events WHERE site = $1 AND anonymous_id = $2 AND NOT bot ORDER BY ts, id`;
/** The events of `body` rows. */
export const parseBodies = (rows: Row[]) => rows.map((r) => JSON.parse(r.body as string) as TrackedEvent);

const INSERT_HISTORY = `INSERT INTO stage_history (contact_id, seq, from_stage, to_stage, at, by, reason, revenue)
  SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::text[], $8::float8[])`;

/** One pooled connection's transaction, seen through the adapter-neutral interface. */
export class PostgresTx implements StorageTx {
  constructor(
    private readonly c: pg.PoolClient,
    /** Whether a lost race may still ask for a re-run (false on the last attempt). */
    private readonly mayRetry: boolean,
  ) {}

  /**
   * Contacts already locked by the anonymous-id lookup, handed out once by `lockContact`: a batch
   * then needs one round trip less (each round trip wakes a server process; it dominates the cost).
   */
  private readonly prefetched = new Map<string, ContactRecord>();

  private run(sql: string, params: unknown[]): Promise<pg.QueryResult> {
    return this.c.query(named(sql, params));
  }

  private async one<T>(sql: string, params: unknown[]): Promise<T | undefined> {
    return (await this.run(sql, params)).rows[0] as T | undefined;
  }

  async insertEvents(events: StoredEvent[]): Promise<boolean[]> {
    if (events.length === 0) return [];
    // Unique keys only, in key order: concurrent batches then wait on each other's rows in one order
    // (no deadlock) and a key repeated inside the batch counts once.
    const firstIndex = new Map<string, number>();
    events.forEach((e, i) => {
      const key = `${e.siteKey}\u0000${e.event.id}`;
      if (!firstIndex.has(key)) firstIndex.set(key, i);
    });
    const keys = [...firstIndex.keys()].sort();
    const rows = keys.map((k) => events[firstIndex.get(k) as number] as StoredEvent);
    const params: unknown[] = [];
    for (const e of rows) params.push(...eventParams(e, postgresBoolean));
    const sql = insertEventsStatement(rows.length);
    const result = await (rows.length <= 128 ? this.run(sql, params) : this.c.query(sql, params));
    const inserted = new Set(result.rows.map((r) => `${r.site}\u0000${r.id}`));
    return events.map((e, i) => {
      const key = `${e.siteKey}\u0000${e.event.id}`;
      return firstIndex.get(key) === i && inserted.has(key);
    });
  }

  async knownEventIds(siteKey: string, ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const result = await this.run('SELECT id FROM events WHERE site = $1 AND id = ANY($2::text[])', [
      siteKey,
      ids,
    ]);
    return new Set(result.rows.map((r) => r.id as string));
  }

  async lockDevice(siteKey: string, anonymousId: string): Promise<DeviceRecord | null> {
    // The batch is about to lock the device's contact anyway: lock and read both in one round trip.
    const row = await this.one<Row>(
      `SELECT a.anonymous_id, a.contact_id AS device_contact, a.device_state, a.email_claims,
              a.verified_email, a.verified_until, c.*
       FROM anonymous_ids a JOIN contacts c ON c.id = a.contact_id
       WHERE a.site = $1 AND a.anonymous_id = $2 FOR UPDATE OF a, c`,
      [siteKey, anonymousId],
    );
    if (row) {
      const contact = toContact(row);
      this.prefetched.set(contact.id, contact);
      return toDevice({ ...row, site: siteKey, contact_id: row.device_contact });
    }
    // None, or its contact was merged away while we waited for the lock: read the current row.
    const plain = await this.one<Row>(
      'SELECT * FROM anonymous_ids WHERE site = $1 AND anonymous_id = $2 FOR UPDATE',
      [siteKey, anonymousId],
    );
    return plain ? toDevice(plain) : null;
  }

  async saveDevice(device: DeviceRecord): Promise<void> {
    await this.run(SAVE_DEVICE, deviceParams(device));
  }

  async deviceEvents(siteKey: string, anonymousId: string): Promise<TrackedEvent[]> {
    return parseBodies((await this.run(DEVICE_EVENTS, [siteKey, anonymousId])).rows);
  }

  async contactIdForAnonymousId(siteKey: string, anonymousId: string): Promise<string | null> {
    // The batch is about to lock this contact anyway: lock and read it now.
    const locked = await this.one<Row>(
      `SELECT c.* FROM anonymous_ids a JOIN contacts c ON c.id = a.contact_id
       WHERE a.site = $1 AND a.anonymous_id = $2 FOR UPDATE OF c`,
      [siteKey, anonymousId],
    );
    if (locked) {
      const contact = toContact(locked);
      this.prefetched.set(contact.id, contact);
      return contact.id;
    }
    // None, or its contact was merged away while we waited for the lock: read the current owner.
    const row = await this.one<{ contact_id: string }>(
      'SELECT contact_id FROM anonymous_ids WHERE site = $1 AND anonymous_id = $2',
      [siteKey, anonymousId],
    );
    return row?.contact_id ?? null;
  }

  async createContact(contact: ContactRecord, anonymousId: string): Promise<string> {
    // The loser of a race adopts the winner's contact instead of leaving an orphan behind.
    if (await this.one(CREATE_CONTACT, [...contactParams(contact, postgresBoolean), anonymousId])) {
      // Nobody else can see (let alone lock) an uncommitted row: what we wrote is what a lock would read.
      this.prefetched.set(contact.id, {
        ...contact,
        state: JSON.parse(JSON.stringify(contact.state)),
        score: JSON.parse(JSON.stringify(contact.score)),
        reached: { ...contact.reached },
      });
      return contact.id;
    }
    const winner = await this.contactIdForAnonymousId(contact.siteKey, anonymousId);
    if (winner === null) throw new ConcurrentChange(`anonymous id ${anonymousId} changed hands meanwhile`);
    return winner;
  }

  async insertContact(contact: ContactRecord): Promise<void> {
    await this.run(INSERT_CONTACT, contactParams(contact, postgresBoolean));
  }

  async contactIdForEmail(siteKey: string, email: string): Promise<string | null> {
    const row = await this.one<{ contact_id: string }>(
      'SELECT contact_id FROM emails WHERE site = $1 AND email = $2',
      [siteKey, email],
    );
    return row?.contact_id ?? null;
  }

  async linkEmail(siteKey: string, email: string, contactId: string): Promise<void> {
    const linked = await this.one(
      `INSERT INTO emails (site, email, contact_id) VALUES ($1, $2, $3)
       ON CONFLICT (site, email) DO NOTHING RETURNING contact_id`,
      [siteKey, email, contactId],
    );
    if (linked) return;
    const holder = await this.contactIdForEmail(siteKey, email);
    if (holder === contactId) return;
    // Another collector identified the same email at the same moment and committed first: re-running
    // this transaction sees its contact as the holder and merges into it (one email, one contact).
    if (this.mayRetry) throw new ConcurrentChange(`email ${email} was linked by a concurrent writer`);
    await this.run('UPDATE emails SET contact_id = $3 WHERE site = $1 AND email = $2', [
      siteKey,
      email,
      contactId,
    ]);
  }

  async lockContact(id: string): Promise<ContactRecord | null> {
    const ready = this.prefetched.get(id);
    if (ready) {
      this.prefetched.delete(id);
      return ready;
    }
    const row = await this.one<Row>('SELECT * FROM contacts WHERE id = $1 FOR UPDATE', [id]);
    if (row) return toContact(row);
    // Merged away by another process after this transaction looked the id up: a re-run follows the move.
    if (this.mayRetry && (await this.one('SELECT 1 FROM contact_redirects WHERE from_id = $1', [id]))) {
      throw new ConcurrentChange(`contact ${id} was merged by a concurrent writer`);
    }
    return null;
  }

  async mergeContact(fromId: string, intoId: string): Promise<void> {
    this.prefetched.delete(fromId);
    this.prefetched.delete(intoId);
    await mergeContactRows(
      {
        run: (sql, params) => this.c.query(numbered(sql), params),
        takeStageHistories: async (into, from) => {
          const { rows } = await this.c.query(
            'DELETE FROM stage_history WHERE contact_id = $1 OR contact_id = $2 RETURNING *',
            [into, from],
          );
          const historyOf = (id: string) =>
            rows
              .filter((r) => r.contact_id === id)
              .sort((x, y) => (x.seq as number) - (y.seq as number))
              .map(toChange);
          return { into: historyOf(into), from: historyOf(from) };
        },
        writeStageHistory: async (contactId, changes) => {
          if (changes.length === 0) return;
          await this.c.query(INSERT_HISTORY, [
            contactId,
            changes.map((_, i) => i + 1),
            changes.map((m) => m.from),
            changes.map((m) => m.to),
            changes.map((m) => m.at),
            changes.map((m) => m.by),
            changes.map((m) => m.reason ?? null),
            changes.map((m) => m.revenue ?? null),
          ]);
        },
      },
      fromId,
      intoId,
    );
  }

  async contactEvents(contactId: string): Promise<TrackedEvent[]> {
    const result = await this.run(
      'SELECT body FROM events WHERE contact_id = $1 AND NOT bot ORDER BY ts, id',
      [contactId],
    );
    return parseBodies(result.rows);
  }

  async saveContact(contact: ContactRecord): Promise<void> {
    this.prefetched.delete(contact.id);
    await this.run(SAVE_CONTACT, contactParams(contact, postgresBoolean));
  }

  async appendStageChange(contactId: string, c: StageChange): Promise<void> {
    // The caller holds the contact's row lock, so MAX(seq) + 1 cannot race.
    await this.run(
      `INSERT INTO stage_history (contact_id, seq, from_stage, to_stage, at, by, reason, revenue)
       VALUES ($1, (SELECT COALESCE(MAX(seq), 0) + 1 FROM stage_history WHERE contact_id = $1), $2, $3, $4, $5, $6, $7)`,
      [contactId, c.from, c.to, c.at, c.by, c.reason ?? null, c.revenue ?? null],
    );
  }

  async appendNote(siteKey: string, contactId: string, note: ContactNote): Promise<void> {
    await appendNoteRow(this.runner, siteKey, contactId, note);
  }

  async enqueueWebhook(item: OutboxItem): Promise<void> {
    await this.run(ENQUEUE_WEBHOOK, outboxParams(item));
  }

  async addCounter(siteKey: string, name: string, delta: number): Promise<void> {
    await this.run(
      `INSERT INTO counters (site, name, value) VALUES ($1, $2, $3)
       ON CONFLICT (site, name) DO UPDATE SET value = counters.value + EXCLUDED.value`,
      [siteKey, name, delta],
    );
  }

  async newBotVisitors(siteKey: string, anonymousIds: string[]): Promise<Set<string>> {
    if (anonymousIds.length === 0) return new Set();
    const ids = [...new Set(anonymousIds)].sort();
    // A lock per id, in one order (a deadlock from colliding hashes is re-run like any other), in a statement of
    // its own: the check below then reads a snapshot taken after a concurrent batch of the same bot committed.
    await this.run(
      `SELECT pg_advisory_xact_lock(hashtext('leadlight:bot'), hashtext($1 || '/' || a)) FROM unnest($2::text[]) AS a`,
      [siteKey, ids],
    );
    const seen = await this.run(
      'SELECT DISTINCT anonymous_id FROM events WHERE site = $1 AND anonymous_id = ANY($2::text[]) AND bot',
      [siteKey, ids],
    );
    const known = new Set(seen.rows.map((r) => r.anonymous_id as string));
    return new Set(ids.filter((id) => !known.has(id)));
  }

  private readonly runner = (sql: string, params: unknown[]) => this.run(sql, params);
  readonly accounts = postgresAccountTx(this.runner);

  async eraseContact(
    siteKey: string,
    contactId: string,
    options?: { outbox?: boolean },
  ): Promise<ErasedContact> {
    this.prefetched.delete(contactId);
    return eraseContactRows(this.runner, siteKey, contactId, options);
  }

  async eraseDevice(siteKey: string, anonymousId: string): Promise<ErasedDevice | null> {
    // Locks the device and its contact (in that order, as ingest does) before anything is deleted.
    const device = await this.lockDevice(siteKey, anonymousId);
    return eraseDeviceRows(this.runner, siteKey, anonymousId, device?.contactId ?? null);
  }

  async addSuppressions(siteKey: string, hashes: string[], at: number): Promise<void> {
    await addSuppressionRows(this.runner, siteKey, hashes, at);
  }

  async appendAudit(entry: AuditEntry): Promise<void> {
    await appendAuditRow(this.runner, entry);
  }

  async pruneEvents(siteKey: string, receivedBefore: number, limit: number): Promise<number> {
    return pruneEventRows(this.runner, siteKey, receivedBefore, limit);
  }

  async takeRescores(siteKey: string, kind: RescoreKind, limit: number): Promise<string[]> {
    return takeRescoreRows(this.runner, siteKey, kind, limit);
  }
}
