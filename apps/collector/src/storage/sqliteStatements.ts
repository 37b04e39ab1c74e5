import type Database from 'better-sqlite3';
import { CONTACT_COLUMNS, ENQUEUE_WEBHOOK_SQL, INSERT_CONTACT_SQL, SAVE_DEVICE_SQL } from './rowMapping.js';

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

/** One prepared statement (named, so the statements' type can be spelled in declarations). */
export interface Statement extends Database.Statement {}

/** The SQLite adapter's prepared statements, each parsed once per connection. */
export type SqliteStatements = ReturnType<typeof prepareSqliteStatements>;

/** Prepares every statement the SQLite adapter runs on `db`. */
export function prepareSqliteStatements(db: Database.Database) {
  const p = (sql: string): Statement => db.prepare(sql);
  /** A statement that answers the first column's values. */
  const pluck = (sql: string): Statement => db.prepare(sql).pluck();
  /** A statement that answers rows as arrays. */
  const raw = (sql: string): Statement => db.prepare(sql).raw();
  return {
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
    anonContact: pluck('SELECT contact_id FROM anonymous_ids WHERE site = ? AND anonymous_id = ?'),
    knownIds: pluck('SELECT id FROM events WHERE site = ? AND id IN (SELECT value FROM json_each(?))'),
    device: p('SELECT * FROM anonymous_ids WHERE site = ? AND anonymous_id = ?'),
    saveDevice: p(SAVE_DEVICE_SQL),
    deviceEvents: pluck(
      'SELECT body FROM events WHERE site = ? AND anonymous_id = ? AND bot = 0 ORDER BY ts, id',
    ),
    linkAnon: p(
      `INSERT INTO anonymous_ids (site, anonymous_id, contact_id) VALUES (?, ?, ?)
         ON CONFLICT (site, anonymous_id) DO NOTHING`,
    ),
    insertContact: p(INSERT_CONTACT_SQL),
    saveContact: contactUpdate(db, []),
    // SQLite rewrites an index entry whenever one of its columns is SET, even to the same value: leaving
    // out the unchanged indexed columns spares the contacts_score / contacts_first_seen pages a batch.
    saveContactKeepFirstSeen: contactUpdate(db, ['site', 'first_seen_at']),
    saveContactKeepIndexed: contactUpdate(db, ['site', 'first_seen_at', 'score_total']),
    emailContact: pluck('SELECT contact_id FROM emails WHERE site = ? AND email = ?'),
    linkEmail: p(
      `INSERT INTO emails (site, email, contact_id) VALUES (?, ?, ?)
         ON CONFLICT (site, email) DO UPDATE SET contact_id = excluded.contact_id`,
    ),
    contact: p('SELECT * FROM contacts WHERE id = ?'),
    contactInSite: p('SELECT * FROM contacts WHERE id = ? AND site = ?'),
    redirect: pluck('SELECT to_id FROM contact_redirects WHERE from_id = ?'),
    historyOf: p('SELECT * FROM stage_history WHERE contact_id = ? ORDER BY seq'),
    deleteHistory: p('DELETE FROM stage_history WHERE contact_id = ?'),
    scoredEvents: pluck('SELECT body FROM events WHERE contact_id = ? AND bot = 0 ORDER BY ts, id'),
    nextSeq: pluck('SELECT COALESCE(MAX(seq), 0) + 1 FROM stage_history WHERE contact_id = ?'),
    appendChange: p(
      `INSERT INTO stage_history (contact_id, seq, from_stage, to_stage, at, by, reason, revenue)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    enqueue: p(ENQUEUE_WEBHOOK_SQL),
    addCounter: p(
      `INSERT INTO counters (site, name, value) VALUES (?, ?, ?)
         ON CONFLICT (site, name) DO UPDATE SET value = value + excluded.value`,
    ),
    counters: p('SELECT name, value FROM counters WHERE site = ?'),
    botSeen: pluck('SELECT 1 FROM events WHERE site = ? AND anonymous_id = ? AND bot = 1 LIMIT 1'),
    anonIds: pluck('SELECT anonymous_id FROM anonymous_ids WHERE contact_id = ? ORDER BY anonymous_id'),
    eventsPage: p(
      `SELECT * FROM events WHERE contact_id = @contact AND (@type IS NULL OR type = @type)
           AND (@ts IS NULL OR ts > @ts OR (ts = @ts AND id > @id)) ORDER BY ts, id LIMIT @limit`,
    ),
    recent: p('SELECT * FROM events WHERE contact_id = ? ORDER BY ts DESC, id DESC LIMIT ?'),
    funnel: p('SELECT * FROM contacts WHERE site = ? AND first_seen_at >= ? AND first_seen_at < ?'),
    contactIds: pluck(
      'SELECT id FROM contacts WHERE site = @site AND (@after IS NULL OR id > @after) ORDER BY id LIMIT @limit',
    ),
    // Pages seek the key: `id > ?` with '' for the first page (an `? IS NULL OR` would stop the seek), and
    // `+site` keeps the planner off the site indexes, which would sort every contact of the site per page.
    contactOutcomes: p(
      `SELECT c.id, c.email, c.channel, c.revenue, c.mql_at, c.reached, c.event_count, c.state,
           CASE WHEN instr(c.channel, ' / ') > 0 THEN
             (SELECT json_extract(e.body, '$.props.utm_campaign') FROM events e
              WHERE e.contact_id = c.id ORDER BY e.ts, e.id LIMIT 1) END AS campaign
         FROM contacts c WHERE c.id > ? AND +c.site = ? AND c.email IS NOT NULL ORDER BY c.id LIMIT ?`,
    ),
    siteEvents: raw(
      `SELECT contact_id, body FROM events
         WHERE site = ? AND id > ? AND contact_id IS NOT NULL AND bot = 0 ORDER BY id LIMIT ?`,
    ),
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
    lastConfigHash: pluck(
      `SELECT hash FROM models WHERE site = ? AND source = 'config' ORDER BY seq DESC LIMIT 1`,
    ),
    saveModel: p(
      `INSERT INTO models (site, seq, hash, source, model, created_at)
         VALUES (@site, (SELECT COALESCE(MAX(seq), 0) + 1 FROM models WHERE site = @site), @hash, @source, @model, @at)`,
    ),
    session: pluck('SELECT site FROM sessions WHERE token_hash = ? AND expires_at > ?'),
    deleteSession: p('DELETE FROM sessions WHERE token_hash = ?'),
    expireSessions: p('DELETE FROM sessions WHERE expires_at <= ?'),
    ping: pluck('SELECT 1'),
  };
}
