/** One schema step; versions are applied in order, each once, inside a transaction. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** The SQLite schema, as versioned migrations (never edit a shipped step: add a new one). */
export const SQLITE_MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
      CREATE TABLE events (
        site TEXT NOT NULL,
        id TEXT NOT NULL,
        contact_id TEXT,
        anonymous_id TEXT NOT NULL,
        type TEXT NOT NULL,
        ts INTEGER NOT NULL,
        received_at INTEGER NOT NULL,
        bot INTEGER NOT NULL,
        flags TEXT,
        body TEXT NOT NULL,
        PRIMARY KEY (site, id)
      ) WITHOUT ROWID;
      CREATE INDEX events_contact ON events (contact_id, ts, id) WHERE contact_id IS NOT NULL;

      CREATE TABLE contacts (
        id TEXT PRIMARY KEY,
        site TEXT NOT NULL,
        stage TEXT NOT NULL,
        email TEXT,
        score_total REAL NOT NULL,
        score TEXT NOT NULL,
        state TEXT NOT NULL,
        event_count INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        first_seen_at INTEGER NOT NULL,
        last_seen_at INTEGER NOT NULL,
        mql_at INTEGER,
        mql_armed INTEGER NOT NULL,
        revenue REAL,
        channel TEXT NOT NULL,
        reached TEXT NOT NULL
      );
      CREATE INDEX contacts_score ON contacts (site, score_total DESC, id);
      CREATE INDEX contacts_first_seen ON contacts (site, first_seen_at);

      CREATE TABLE anonymous_ids (
        site TEXT NOT NULL,
        anonymous_id TEXT NOT NULL,
        contact_id TEXT NOT NULL,
        PRIMARY KEY (site, anonymous_id)
      ) WITHOUT ROWID;
      CREATE INDEX anonymous_ids_contact ON anonymous_ids (contact_id);

      CREATE TABLE emails (
        site TEXT NOT NULL,
        email TEXT NOT NULL,
        contact_id TEXT NOT NULL,
        PRIMARY KEY (site, email)
      ) WITHOUT ROWID;
      CREATE INDEX emails_contact ON emails (contact_id);

      CREATE TABLE contact_redirects (from_id TEXT PRIMARY KEY, to_id TEXT NOT NULL) WITHOUT ROWID;

      CREATE TABLE stage_history (
        contact_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        from_stage TEXT,
        to_stage TEXT NOT NULL,
        at INTEGER NOT NULL,
        by TEXT NOT NULL,
        reason TEXT,
        revenue REAL,
        PRIMARY KEY (contact_id, seq)
      );

      CREATE TABLE outbox (
        id TEXT PRIMARY KEY,
        site TEXT NOT NULL,
        url TEXT NOT NULL,
        event_type TEXT NOT NULL,
        payload TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        claimed_until INTEGER NOT NULL DEFAULT 0,
        status TEXT NOT NULL DEFAULT 'pending',
        last_error TEXT,
        delivered_at INTEGER
      );
      CREATE INDEX outbox_due ON outbox (status, next_attempt_at);

      CREATE TABLE models (
        site TEXT NOT NULL,
        seq INTEGER NOT NULL,
        hash TEXT NOT NULL,
        source TEXT NOT NULL,
        model TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (site, seq)
      );

      CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        site TEXT NOT NULL,
        expires_at INTEGER NOT NULL
      ) WITHOUT ROWID;

      CREATE TABLE counters (
        site TEXT NOT NULL,
        name TEXT NOT NULL,
        value INTEGER NOT NULL,
        PRIMARY KEY (site, name)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 2,
    name: 'device states and identity claims',
    sql: `
      ALTER TABLE anonymous_ids ADD COLUMN device_state TEXT;
      ALTER TABLE anonymous_ids ADD COLUMN email_claims INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE anonymous_ids ADD COLUMN verified_email TEXT;
      ALTER TABLE anonymous_ids ADD COLUMN verified_until INTEGER NOT NULL DEFAULT 0;
      CREATE INDEX events_device ON events (site, anonymous_id, ts, id);
    `,
  },
  {
    version: 3,
    name: 'privacy: retention index, suppressions, audit trail, rescore queue',
    sql: `
      CREATE INDEX events_retention ON events (site, received_at) WHERE type <> 'identify';
      CREATE TABLE suppressions (
        site TEXT NOT NULL,
        key_hash TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (site, key_hash)
      ) WITHOUT ROWID;
      CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        site TEXT NOT NULL,
        at INTEGER NOT NULL,
        by TEXT NOT NULL,
        action TEXT NOT NULL,
        contact_id TEXT,
        counts TEXT NOT NULL
      );
      CREATE INDEX audit_log_site ON audit_log (site, id);
      CREATE TABLE rescore_queue (
        site TEXT NOT NULL,
        kind TEXT NOT NULL,
        ref TEXT NOT NULL,
        PRIMARY KEY (site, kind, ref)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 4,
    name: 'contact notes and owners, session display names',
    sql: `
      ALTER TABLE sessions ADD COLUMN name TEXT;
      -- Notes and owner changes of a contact, oldest first by id; the owner is the newest 'owner' row.
      CREATE TABLE contact_notes (
        id INTEGER PRIMARY KEY,
        site TEXT NOT NULL,
        contact_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        at INTEGER NOT NULL,
        by TEXT NOT NULL,
        text TEXT NOT NULL
      );
      CREATE INDEX contact_notes_contact ON contact_notes (contact_id, kind, id);
    `,
  },
  {
    version: 5,
    name: 'accounts: companies scored from their members',
    sql: `
      -- The account a contact belongs to (a group call's id, else its work-email domain); NULL: none.
      ALTER TABLE contacts ADD COLUMN account_id TEXT;
      CREATE TABLE accounts (
        site TEXT NOT NULL,
        id TEXT NOT NULL,
        domain TEXT,
        traits TEXT NOT NULL,
        -- Which member set each trait, so erasing that person takes their traits out too.
        trait_sources TEXT NOT NULL,
        state TEXT NOT NULL,
        score TEXT NOT NULL,
        score_total REAL NOT NULL,
        stage TEXT NOT NULL,
        mqa_at INTEGER,
        model_hash TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (site, id)
      ) WITHOUT ROWID;
      CREATE INDEX accounts_score ON accounts (site, score_total DESC, id);
      -- Each member's last contribution, taken out of the account's sums when it changes or leaves.
      CREATE TABLE account_members (
        contact_id TEXT PRIMARY KEY,
        site TEXT NOT NULL,
        account_id TEXT NOT NULL,
        source TEXT NOT NULL,
        entry TEXT NOT NULL
      );
      CREATE INDEX account_members_account ON account_members (site, account_id);
    `,
  },
];
