import type { TrackedEvent } from '@leadlight/scoring-core';
import pg from 'pg';
import { CollectorError } from '../../collectorError.js';
import { contactListSql, type SqlDialect } from '../contactListSql.js';
import {
  type Row,
  toChange,
  toContact,
  toContactOutcome,
  toDevice,
  toEventRecord,
  toModelRecord,
  toOutboxItem,
} from '../rowMapping.js';
import type {
  ContactEvent,
  ContactOutcome,
  ContactQuery,
  ContactRecord,
  DeviceRecord,
  EventRecord,
  ListedContact,
  ModelRecord,
  OutboxItem,
  OutboxStats,
  StageChange,
  Storage,
  StorageTx,
} from '../storage.js';
import { migratePostgres } from './migratePostgres.js';
import { postgresAccountReads } from './postgresAccounts.js';
import { asStorageError, isRetryable } from './postgresErrors.js';
import { MODEL_CHANNEL, PostgresLiveRelay } from './postgresLiveRelay.js';
import { postgresNoteReads } from './postgresNotes.js';
import { type PostgresOptions, resolvePostgresOptions } from './postgresOptions.js';
import { postgresPrivacyReads } from './postgresPrivacy.js';
import { named } from './postgresStatements.js';
import { DEVICE_EVENTS, PostgresTx, parseBodies } from './postgresTx.js';

/** How PostgreSQL reads the contact list's JSON columns (stored as text). */
const POSTGRES_DIALECT: SqlDialect = {
  placeholder: (n) => `$${n}`,
  trait: (name) => `(state::jsonb #>> '{traits,${name}}')`,
  scorePart: (name) => `((score::jsonb ->> '${name}')::float8)`,
  // Code-point order, as SQLite sorts, whatever the database's collation.
  lower: (expression) => `(LOWER(${expression}) COLLATE "C")`,
};

// BIGINT (oid 20) holds millisecond times and counts: parse it as a number (exact below 2^53).
const TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === 20
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** PostgreSQL storage: reads on the pool, transactions on one pooled connection each, re-run after a lost race. */
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
    return rows[0] ? toModelRecord(rows[0]) : null;
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
