import { randomUUID } from 'node:crypto';
import type { TrackedEvent } from '@leadlight/scoring-core';
import pg from 'pg';
import { CollectorError } from '../../collectorError.js';
import type { LiveEvent, LiveRelay } from '../../liveHub.js';
import { contactListSql, type SqlDialect } from '../contactListSql.js';
import {
  contactParams,
  deviceParams,
  type Row,
  SAVE_DEVICE_SQL,
  toChange,
  toContact,
  toContactOutcome,
  toDevice,
  toEventRecord,
} from '../rowMapping.js';
import type {
  AuditEntry,
  ContactEvent,
  ContactNote,
  ContactOutcome,
  ContactQuery,
  ContactRecord,
  DeviceRecord,
  ErasedContact,
  ErasedDevice,
  EventRecord,
  ListedContact,
  ModelRecord,
  OutboxItem,
  OutboxStats,
  RescoreKind,
  StageChange,
  Storage,
  StorageTx,
  StoredEvent,
} from '../storage.js';
import { migratePostgres } from './migratePostgres.js';
import { postgresAccountReads, postgresAccountTx } from './postgresAccounts.js';
import { appendNoteRow, moveNoteRows, postgresNoteReads } from './postgresNotes.js';
import { type PostgresOptions, resolvePostgresOptions } from './postgresOptions.js';
import {
  addSuppressionRows,
  appendAuditRow,
  eraseContactRows,
  eraseDeviceRows,
  postgresPrivacyReads,
  pruneEventRows,
  takeRescoreRows,
} from './postgresPrivacy.js';

/** How PostgreSQL reads the contact list's JSON columns (stored as text). */
const POSTGRES_DIALECT: SqlDialect = {
  placeholder: (n) => `$${n}`,
  trait: (name) => `(state::jsonb #>> '{traits,${name}}')`,
  scorePart: (name) => `((score::jsonb ->> '${name}')::float8)`,
  // Code-point order, as SQLite sorts, whatever the database's collation.
  lower: (expression) => `(LOWER(${expression}) COLLATE "C")`,
};

/** The NOTIFY channel that fans live score and stage changes out to every collector process. */
export const LIVE_CHANNEL = 'leadlight_live';
/** The NOTIFY channel that tells every collector process a site's model was published. */
export const MODEL_CHANNEL = 'leadlight_model';
/** NOTIFY payloads must stay under 8000 bytes; live events are chunked below this. */
const MAX_NOTIFY_BYTES = 7000;

/** SQLSTATEs after which the whole transaction is safely re-run: deadlock, serialization failure, unique race. */
const RETRYABLE = new Set(['40P01', '40001', '23505']);

/** A race another process won (an email linked, a contact merged away): re-running the transaction resolves it. */
class ConcurrentChange extends Error {
  readonly retryable = true;
}

// BIGINT (oid 20) holds millisecond times and counts: parse it as a number (exact below 2^53).
const TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === 20
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

const statementNames = new Map<string, string>();

/**
 * A named (prepared) statement: each pooled connection parses and plans it once, then only binds
 * values — measurably cheaper for the handful of statements every batch runs.
 */
function named(text: string, values: unknown[]): pg.QueryConfig {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `ll_${statementNames.size}`;
    statementNames.set(text, name);
  }
  return { name, text, values };
}

/** PostgreSQL binds booleans as they are. */
const postgresBoolean = (value: boolean) => value;

function toOutboxItem(row: Row): OutboxItem {
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
}

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
const INSERT_CONTACT = `INSERT INTO contacts (id, site, stage, email, score_total, score, state, event_count,
    created_at, updated_at, first_seen_at, last_seen_at, mql_at, mql_armed, revenue, channel, reached, account_id)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`;
const SAVE_CONTACT = `UPDATE contacts SET site = $2, stage = $3, email = $4, score_total = $5, score = $6, state = $7,
  event_count = $8, created_at = $9, updated_at = $10, first_seen_at = $11, last_seen_at = $12, mql_at = $13,
  mql_armed = $14, revenue = $15, channel = $16, reached = $17, account_id = $18 WHERE id = $1`;
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

let placeholder = 0;
const SAVE_DEVICE = SAVE_DEVICE_SQL.replace(/\?/g, () => `$${++placeholder}`);
const DEVICE_EVENTS = `SELECT body FROM events WHERE site = $1 AND anonymous_id = $2 AND NOT bot ORDER BY ts, id`;
const parseBodies = (rows: Row[]) => rows.map((r) => JSON.parse(r.body as string) as TrackedEvent);

const INSERT_HISTORY = `INSERT INTO stage_history (contact_id, seq, from_stage, to_stage, at, by, reason, revenue)
  SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::text[], $8::float8[])`;

/** One pooled connection's transaction, seen through the adapter-neutral interface. */
class PostgresTx implements StorageTx {
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
    for (const e of rows) {
      params.push(
        e.siteKey,
        e.event.id,
        e.contactId,
        e.event.anonymousId,
        e.event.type,
        e.event.ts,
        e.receivedAt,
        e.bot,
        e.flags ? JSON.stringify(e.flags) : null,
        JSON.stringify(e.event),
      );
    }
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
    const c = this.c;
    await c.query('UPDATE anonymous_ids SET contact_id = $1 WHERE contact_id = $2', [intoId, fromId]);
    await c.query('UPDATE emails SET contact_id = $1 WHERE contact_id = $2', [intoId, fromId]);
    await c.query('UPDATE events SET contact_id = $1 WHERE contact_id = $2', [intoId, fromId]);
    // Stage histories interleave by time; renumber the union.
    const history = await c.query(
      'DELETE FROM stage_history WHERE contact_id = $1 OR contact_id = $2 RETURNING *',
      [intoId, fromId],
    );
    const merged = history.rows
      .sort(
        (a, b) =>
          (a.at as number) - (b.at as number) ||
          (a.contact_id === intoId ? 0 : 1) - (b.contact_id === intoId ? 0 : 1) ||
          (a.seq as number) - (b.seq as number),
      )
      .map(toChange);
    if (merged.length > 0) {
      await c.query(INSERT_HISTORY, [
        intoId,
        merged.map((_, i) => i + 1),
        merged.map((m) => m.from),
        merged.map((m) => m.to),
        merged.map((m) => m.at),
        merged.map((m) => m.by),
        merged.map((m) => m.reason ?? null),
        merged.map((m) => m.revenue ?? null),
      ]);
    }
    await moveNoteRows(this.runner, fromId, intoId);
    await c.query('DELETE FROM contacts WHERE id = $1', [fromId]);
    await c.query('UPDATE contact_redirects SET to_id = $1 WHERE to_id = $2', [intoId, fromId]);
    await c.query(
      `INSERT INTO contact_redirects (from_id, to_id) VALUES ($1, $2)
       ON CONFLICT (from_id) DO UPDATE SET to_id = EXCLUDED.to_id`,
      [fromId, intoId],
    );
  }

  async contactEvents(contactId: string): Promise<TrackedEvent[]> {
    const result = await this.run(
      'SELECT body FROM events WHERE contact_id = $1 AND NOT bot ORDER BY ts, id',
      [contactId],
    );
    return result.rows.map((r) => JSON.parse(r.body as string) as TrackedEvent);
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
    await this.run(
      `INSERT INTO outbox (id, site, url, event_type, payload, created_at, attempts, next_attempt_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        item.id,
        item.siteKey,
        item.url,
        item.eventType,
        item.payload,
        item.createdAt,
        item.attempts,
        item.nextAttemptAt,
      ],
    );
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

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EPIPE',
  'EHOSTUNREACH',
]);

/**
 * The database is down, overloaded or cancelled the statement (SQLSTATE classes 08, 53, 57 — 57014 is the
 * statement timeout): answer 503 `storage` so clients and load balancers retry, instead of a bare 500.
 */
function asStorageError(error: unknown): unknown {
  if (error instanceof CollectorError || !(error instanceof Error)) return error;
  const code = (error as { code?: unknown }).code;
  const unavailable =
    (typeof code === 'string' && (/^(08|53|57)/.test(code) || NETWORK_CODES.has(code))) ||
    /Connection terminated|timeout exceeded when trying to connect/i.test(error.message);
  return unavailable
    ? new CollectorError('storage', `PostgreSQL unavailable: ${error.message}`, { cause: error })
    : error;
}

function isRetryable(error: unknown): boolean {
  if (error instanceof ConcurrentChange) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && RETRYABLE.has(code);
}

/** Live events of other processes, through LISTEN/NOTIFY on a dedicated connection. */
class PostgresLiveRelay implements LiveRelay {
  private readonly origin = randomUUID();
  private client: pg.Client | undefined;
  private deliver: ((siteKey: string, events: LiveEvent[]) => void) | undefined;
  /** Listeners of published models (the same connection LISTENs to both channels). */
  readonly modelListeners: ((siteKey: string) => void)[] = [];
  private closed = false;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly pool: pg.Pool,
    private readonly config: pg.ClientConfig,
    private readonly onError: (message: string) => void,
  ) {}

  async start(): Promise<void> {
    const client = new pg.Client(this.config);
    client.on('notification', (msg) => {
      if (msg.channel === MODEL_CHANNEL && msg.payload) {
        for (const listener of this.modelListeners) listener(msg.payload);
        return;
      }
      if (msg.channel !== LIVE_CHANNEL || !msg.payload) return;
      try {
        const note = JSON.parse(msg.payload) as { o: string; s: string; e: LiveEvent[] };
        if (note.o !== this.origin) this.deliver?.(note.s, note.e);
      } catch {
        this.onError('live relay: ignored a malformed notification');
      }
    });
    client.on('error', (error) => {
      this.onError(`live relay: ${error.message}; reconnecting`);
      this.restart(client);
    });
    client.on('end', () => this.restart(client));
    await client.connect();
    await client.query(`LISTEN ${LIVE_CHANNEL}; LISTEN ${MODEL_CHANNEL}`);
    this.client = client;
  }

  private restart(dead: pg.Client): void {
    if (this.closed || this.client !== dead) return;
    this.client = undefined;
    dead.end().catch(() => undefined);
    this.retryTimer = setTimeout(() => {
      this.start().catch((error: Error) => {
        this.onError(`live relay: ${error.message}`);
        if (!this.closed) this.retryTimer = setTimeout(() => this.restartLater(), 1000);
      });
    }, 500);
    this.retryTimer.unref();
  }

  private restartLater(): void {
    if (this.closed || this.client) return;
    this.start().catch(() => {
      if (!this.closed) this.retryTimer = setTimeout(() => this.restartLater(), 1000);
    });
  }

  listen(deliver: (siteKey: string, events: LiveEvent[]) => void): void {
    this.deliver = deliver;
  }

  send(siteKey: string, events: LiveEvent[]): void {
    if (this.closed || events.length === 0) return;
    const chunks: LiveEvent[][] = [];
    let chunk: LiveEvent[] = [];
    let size = 0;
    for (const event of events) {
      const bytes = Buffer.byteLength(JSON.stringify(event));
      if (chunk.length > 0 && size + bytes > MAX_NOTIFY_BYTES) {
        chunks.push(chunk);
        chunk = [];
        size = 0;
      }
      chunk.push(event);
      size += bytes;
    }
    chunks.push(chunk);
    for (const part of chunks) {
      const payload = JSON.stringify({ o: this.origin, s: siteKey, e: part });
      this.pool
        .query('SELECT pg_notify($1, $2)', [LIVE_CHANNEL, payload])
        .catch((error: Error) => this.onError(`live relay: ${error.message}`));
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}

class PostgresStorage implements Storage {
  readonly kind = 'postgres';
  readonly liveRelay: PostgresLiveRelay;
  private closed = false;

  constructor(
    private readonly pool: pg.Pool,
    relay: PostgresLiveRelay,
    private readonly maxAttempts: number,
  ) {
    this.liveRelay = relay;
  }

  private check(): void {
    if (this.closed) throw new CollectorError('storage', 'storage is closed');
  }

  private async q(sql: string, params: unknown[] = []): Promise<Row[]> {
    this.check();
    try {
      return (await this.pool.query(named(sql, params))).rows;
    } catch (error) {
      throw asStorageError(error);
    }
  }

  async transaction<T>(fn: (tx: StorageTx) => Promise<T>): Promise<T> {
    this.check();
    for (let attempt = 1; ; attempt += 1) {
      const client = await this.pool.connect().catch((error: unknown) => {
        throw asStorageError(error);
      });
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const result = await fn(new PostgresTx(client, attempt < this.maxAttempts));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        try {
          await client.query('ROLLBACK');
        } catch (rollbackError) {
          broken = rollbackError as Error;
        }
        if (attempt >= this.maxAttempts || !isRetryable(error)) throw asStorageError(error);
      } finally {
        client.release(broken);
      }
      // Lost a race: back off a little (jittered, growing) so the winners finish, then re-run.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
    }
  }

  async ping(): Promise<void> {
    await this.q('SELECT 1');
  }

  async getContact(siteKey: string, id: string): Promise<ContactRecord | null> {
    const rows = await this.q(
      `SELECT * FROM contacts WHERE site = $2
         AND id = COALESCE((SELECT to_id FROM contact_redirects WHERE from_id = $1), $1)`,
      [id, siteKey],
    );
    return rows[0] ? toContact(rows[0]) : null;
  }

  async device(siteKey: string, anonymousId: string): Promise<DeviceRecord | null> {
    const rows = await this.q('SELECT * FROM anonymous_ids WHERE site = $1 AND anonymous_id = $2', [
      siteKey,
      anonymousId,
    ]);
    return rows[0] ? toDevice(rows[0]) : null;
  }

  async deviceEvents(siteKey: string, anonymousId: string): Promise<TrackedEvent[]> {
    return parseBodies(await this.q(DEVICE_EVENTS, [siteKey, anonymousId]));
  }

  async contactByAnonymousId(siteKey: string, anonymousId: string): Promise<ContactRecord | null> {
    const rows = await this.q(
      `SELECT c.* FROM anonymous_ids a JOIN contacts c ON c.id = a.contact_id
       WHERE a.site = $1 AND a.anonymous_id = $2`,
      [siteKey, anonymousId],
    );
    return rows[0] ? toContact(rows[0]) : null;
  }

  async anonymousIds(contactId: string): Promise<string[]> {
    const rows = await this.q(
      'SELECT anonymous_id FROM anonymous_ids WHERE contact_id = $1 ORDER BY anonymous_id',
      [contactId],
    );
    return rows.map((r) => r.anonymous_id as string);
  }

  async stageHistory(contactId: string): Promise<StageChange[]> {
    return (await this.q('SELECT * FROM stage_history WHERE contact_id = $1 ORDER BY seq', [contactId])).map(
      toChange,
    );
  }

  async listContacts(siteKey: string, query: ContactQuery): Promise<ListedContact[]> {
    const { sql, params } = contactListSql(siteKey, query, POSTGRES_DIALECT);
    const rows = await this.q(sql, params);
    return rows.map((row) => ({ contact: toContact(row), key: row.sort_key as number | string }));
  }

  async listEvents(
    contactId: string,
    q: { type?: string; limit: number; after?: { ts: number; id: string } },
  ): Promise<EventRecord[]> {
    const rows = await this.q(
      `SELECT * FROM events WHERE contact_id = $1 AND ($2::text IS NULL OR type = $2)
         AND ($3::bigint IS NULL OR (ts, id) > ($3, $4)) ORDER BY ts, id LIMIT $5`,
      [contactId, q.type ?? null, q.after?.ts ?? null, q.after?.id ?? null, q.limit],
    );
    return rows.map(toEventRecord);
  }

  async recentEvents(contactId: string, limit: number): Promise<EventRecord[]> {
    const rows = await this.q(
      'SELECT * FROM events WHERE contact_id = $1 ORDER BY ts DESC, id DESC LIMIT $2',
      [contactId, limit],
    );
    return rows.map(toEventRecord);
  }

  async funnelContacts(siteKey: string, range: { from: number; to: number }): Promise<ContactRecord[]> {
    const rows = await this.q(
      'SELECT * FROM contacts WHERE site = $1 AND first_seen_at >= $2 AND first_seen_at < $3',
      [siteKey, range.from, range.to],
    );
    return rows.map(toContact);
  }

  async contactIds(siteKey: string, q: { afterId?: string; limit: number }): Promise<string[]> {
    const rows = await this.q(
      'SELECT id FROM contacts WHERE site = $1 AND ($2::text IS NULL OR id > $2) ORDER BY id LIMIT $3',
      [siteKey, q.afterId ?? null, q.limit],
    );
    return rows.map((r) => r.id as string);
  }

  async contactOutcomes(siteKey: string, q: { afterId?: string; limit: number }): Promise<ContactOutcome[]> {
    const rows = await this.q(
      `SELECT c.id, c.email, c.channel, c.revenue, c.mql_at, c.reached, c.event_count, c.state,
         CASE WHEN position(' / ' in c.channel) > 0 THEN
           (SELECT CASE WHEN json_typeof(e.body::json -> 'props' -> 'utm_campaign') = 'string'
                   THEN e.body::json -> 'props' ->> 'utm_campaign' END
            FROM events e WHERE e.contact_id = c.id ORDER BY e.ts, e.id LIMIT 1) END AS campaign
       FROM contacts c WHERE c.site = $1 AND c.id > $2 AND c.email IS NOT NULL ORDER BY c.id LIMIT $3`,
      [siteKey, q.afterId ?? '', q.limit],
    );
    return rows.map(toContactOutcome);
  }

  async siteEvents(siteKey: string, q: { afterId?: string; limit: number }): Promise<ContactEvent[]> {
    const rows = await this.q(
      `SELECT contact_id, body FROM events
       WHERE site = $1 AND id > $2 AND contact_id IS NOT NULL AND NOT bot ORDER BY id LIMIT $3`,
      [siteKey, q.afterId ?? '', q.limit],
    );
    return rows.map((r) => ({
      contactId: r.contact_id as string,
      event: JSON.parse(r.body as string) as TrackedEvent,
    }));
  }

  async counters(siteKey: string): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const row of await this.q('SELECT name, value FROM counters WHERE site = $1', [siteKey]))
      out[row.name as string] = row.value as number;
    return out;
  }

  async claimWebhooks(now: number, limit: number, leaseMs: number): Promise<OutboxItem[]> {
    // One statement: rows another process is claiming right now are skipped, never waited on or taken twice.
    const rows = await this.q(
      `UPDATE outbox SET claimed_until = $3 WHERE id IN (
         SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= $1 AND claimed_until <= $1
         ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED)
       RETURNING *`,
      [now, limit, now + leaseMs],
    );
    return rows
      .sort((a, b) => (a.next_attempt_at as number) - (b.next_attempt_at as number))
      .map(toOutboxItem);
  }

  async completeWebhook(id: string, at: number): Promise<void> {
    await this.q(
      `UPDATE outbox SET status = 'delivered', delivered_at = $1, attempts = attempts + 1, claimed_until = 0,
         last_error = NULL WHERE id = $2`,
      [at, id],
    );
  }

  async retryWebhook(id: string, nextAttemptAt: number, error: string): Promise<void> {
    await this.q(
      'UPDATE outbox SET attempts = attempts + 1, next_attempt_at = $1, last_error = $2, claimed_until = 0 WHERE id = $3',
      [nextAttemptAt, error.slice(0, 500), id],
    );
  }

  async failWebhook(id: string, error: string): Promise<void> {
    await this.q(
      `UPDATE outbox SET status = 'dead', attempts = attempts + 1, last_error = $1, claimed_until = 0 WHERE id = $2`,
      [error.slice(0, 500), id],
    );
  }

  async outboxStats(siteKey?: string): Promise<OutboxStats> {
    const stats: OutboxStats = { pending: 0, delivered: 0, dead: 0 };
    const rows = await this.q(
      'SELECT status, COUNT(*) AS n FROM outbox WHERE ($1::text IS NULL OR site = $1) GROUP BY status',
      [siteKey ?? null],
    );
    for (const row of rows) stats[row.status as keyof OutboxStats] = row.n as number;
    return stats;
  }

  async latestModel(siteKey: string): Promise<ModelRecord | null> {
    const rows = await this.q('SELECT * FROM models WHERE site = $1 ORDER BY seq DESC LIMIT 1', [siteKey]);
    const row = rows[0];
    if (!row) return null;
    return {
      model: JSON.parse(row.model as string),
      hash: row.hash as string,
      source: row.source as 'config' | 'api',
      createdAt: row.created_at as number,
    };
  }

  async saveModel(siteKey: string, record: ModelRecord): Promise<void> {
    this.check();
    const client = await this.pool.connect();
    try {
      // Collectors starting together all publish the config model: a per-site lock orders their seq numbers.
      await client.query('BEGIN');
      await client.query("SELECT pg_advisory_xact_lock(hashtext('leadlight:models:' || $1))", [siteKey]);
      await client.query(
        `INSERT INTO models (site, seq, hash, source, model, created_at)
         VALUES ($1, (SELECT COALESCE(MAX(seq), 0) + 1 FROM models WHERE site = $1), $2, $3, $4, $5)`,
        [siteKey, record.hash, record.source, JSON.stringify(record.model), record.createdAt],
      );
      // Delivered at commit to every collector on this database, this one included.
      await client.query('SELECT pg_notify($1, $2)', [MODEL_CHANNEL, siteKey]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  onModelPublished(listener: (siteKey: string) => void): void {
    this.liveRelay.modelListeners.push(listener);
  }

  async lastConfigModelHash(siteKey: string): Promise<string | null> {
    const rows = await this.q(
      `SELECT hash FROM models WHERE site = $1 AND source = 'config' ORDER BY seq DESC LIMIT 1`,
      [siteKey],
    );
    return (rows[0]?.hash as string | undefined) ?? null;
  }

  async createSession(
    tokenHash: string,
    siteKey: string,
    expiresAt: number,
    name?: string | null,
  ): Promise<void> {
    await this.q('DELETE FROM sessions WHERE expires_at <= $1', [Date.now()]);
    await this.q(
      `INSERT INTO sessions (token_hash, site, expires_at, name) VALUES ($1, $2, $3, $4)
       ON CONFLICT (token_hash) DO UPDATE
         SET site = EXCLUDED.site, expires_at = EXCLUDED.expires_at, name = EXCLUDED.name`,
      [tokenHash, siteKey, expiresAt, name ?? null],
    );
  }

  async sessionSite(tokenHash: string, now: number): Promise<string | null> {
    const rows = await this.q('SELECT site FROM sessions WHERE token_hash = $1 AND expires_at > $2', [
      tokenHash,
      now,
    ]);
    return (rows[0]?.site as string | undefined) ?? null;
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.q('DELETE FROM sessions WHERE token_hash = $1', [tokenHash]);
  }

  private readonly privacy = postgresPrivacyReads((sql, params) => this.q(sql, params));
  readonly suppressed = this.privacy.suppressed;
  readonly listAudit = this.privacy.listAudit;
  readonly emailsOf = this.privacy.emailsOf;
  readonly listUnattachedEvents = this.privacy.listUnattachedEvents;
  private readonly noteReads = postgresNoteReads((sql, params) => this.q(sql, params));
  readonly accounts = postgresAccountReads((sql, params) => this.q(sql, params));
  readonly contactNotes = this.noteReads.contactNotes;
  readonly ownersOf = this.noteReads.ownersOf;
  readonly session = this.noteReads.session;

  /** PostgreSQL keeps deleted tuples until VACUUM and its WAL until recycled: see the README. */
  async scrubDeleted(): Promise<void> {}

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.liveRelay.close();
    await this.pool.end();
  }
}

/**
 * Opens PostgreSQL storage: a connection pool with per-statement timeouts, migrations applied under an
 * advisory lock (safe when several collectors start together), and a LISTEN connection for live events.
 */
export async function openPostgresStorage(url: string, options: PostgresOptions = {}): Promise<Storage> {
  const o = resolvePostgresOptions(options);
  const config: pg.ClientConfig = {
    connectionString: url,
    application_name: o.applicationName,
    statement_timeout: o.statementTimeoutMs,
    // A process that dies or hangs inside a transaction must not keep contact rows locked for long.
    idle_in_transaction_session_timeout: o.idleInTransactionTimeoutMs,
    connectionTimeoutMillis: o.connectTimeoutMs,
    types: TYPES,
  };
  const pool = new pg.Pool({ ...config, max: o.poolSize, idleTimeoutMillis: 30_000 });
  // An idle pooled connection that breaks (server restart) must not crash the process; the pool replaces it.
  pool.on('error', (error) => o.onError(`postgres pool: ${error.message}`));
  try {
    await migratePostgres(pool);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new CollectorError('storage', `cannot open PostgreSQL database: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const relay = new PostgresLiveRelay(pool, config, o.onError);
  try {
    await relay.start();
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new CollectorError('storage', `cannot LISTEN on PostgreSQL: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return new PostgresStorage(pool, relay, o.maxAttempts);
}
