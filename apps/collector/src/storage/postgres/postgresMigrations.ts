import type { Migration } from '../sqliteMigrations.js';

/**
 * The PostgreSQL schema as versioned migrations (never edit a shipped step: add a new one). Times are
 * milliseconds since the epoch in BIGINT; JSON is kept as TEXT so bodies round-trip byte for byte and
 * writes skip jsonb parsing.
 */
export const POSTGRES_MIGRATIONS: Migration[] = [
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
        ts BIGINT NOT NULL,
        received_at BIGINT NOT NULL,
        bot BOOLEAN NOT NULL,
        flags TEXT,
        body TEXT NOT NULL,
        PRIMARY KEY (site, id)
      );
      CREATE INDEX events_contact ON events (contact_id, ts, id) WHERE contact_id IS NOT NULL;
      -- Retention prunes by arrival time; a BRIN index is tiny and fits an append-mostly table.
      CREATE INDEX events_received ON events USING brin (received_at);

      CREATE TABLE contacts (
        id TEXT PRIMARY KEY,
        site TEXT NOT NULL,
        stage TEXT NOT NULL,
        email TEXT,
        score_total DOUBLE PRECISION NOT NULL,
        score TEXT NOT NULL,
        state TEXT NOT NULL,
        event_count INTEGER NOT NULL,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        first_seen_at BIGINT NOT NULL,
        last_seen_at BIGINT NOT NULL,
        mql_at BIGINT,
        mql_armed BOOLEAN NOT NULL,
        revenue DOUBLE PRECISION,
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
      );
      CREATE INDEX anonymous_ids_contact ON anonymous_ids (contact_id);

      -- One email is one contact per site: the unique key that makes cross-device merges race-safe.
      CREATE TABLE emails (
        site TEXT NOT NULL,
        email TEXT NOT NULL,
        contact_id TEXT NOT NULL,
        PRIMARY KEY (site, email)
      );
      CREATE INDEX emails_contact ON emails (contact_id);

      CREATE TABLE contact_redirects (from_id TEXT PRIMARY KEY, to_id TEXT NOT NULL);
      CREATE INDEX contact_redirects_to ON contact_redirects (to_id);

      CREATE TABLE stage_history (
        contact_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        from_stage TEXT,
        to_stage TEXT NOT NULL,
        at BIGINT NOT NULL,
        by TEXT NOT NULL,
        reason TEXT,
        revenue DOUBLE PRECISION,
        PRIMARY KEY (contact_id, seq)
      );

      CREATE TABLE outbox (
        id TEXT PRIMARY KEY,
        site TEXT NOT NULL,
        url TEXT NOT NULL,
        event_type TEXT NOT NULL,
        payload TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at BIGINT NOT NULL,
        claimed_until BIGINT NOT NULL DEFAULT 0,
        status TEXT NOT NULL DEFAULT 'pending',
        last_error TEXT,
        delivered_at BIGINT
      );
      -- Only pending rows are ever polled; delivered ones pile up outside the index.
      CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status = 'pending';

      CREATE TABLE models (
        site TEXT NOT NULL,
        seq INTEGER NOT NULL,
        hash TEXT NOT NULL,
        source TEXT NOT NULL,
        model TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        PRIMARY KEY (site, seq)
      );

      CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        site TEXT NOT NULL,
        expires_at BIGINT NOT NULL
      );

      CREATE TABLE counters (
        site TEXT NOT NULL,
        name TEXT NOT NULL,
        value BIGINT NOT NULL,
        PRIMARY KEY (site, name)
      );
    `,
  },
  {
    version: 2,
    name: 'device states and identity claims',
    sql: `
      ALTER TABLE anonymous_ids ADD COLUMN device_state TEXT;
      ALTER TABLE anonymous_ids ADD COLUMN email_claims INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE anonymous_ids ADD COLUMN verified_email TEXT;
      ALTER TABLE anonymous_ids ADD COLUMN verified_until BIGINT NOT NULL DEFAULT 0;
      CREATE INDEX events_device ON events (site, anonymous_id, ts, id);
    `,
  },
  {
    version: 3,
    name: 'privacy: retention index, suppressions, audit trail, rescore queue',
    sql: `
      -- Retention deletes by site and arrival time in bounded batches; the BRIN index cannot order or
      -- skip rows already deleted, so each batch would rescan the same block ranges.
      CREATE INDEX events_retention ON events (site, received_at) WHERE type <> 'identify';
      CREATE TABLE suppressions (
        site TEXT NOT NULL,
        key_hash TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        PRIMARY KEY (site, key_hash)
      );
      CREATE TABLE audit_log (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        site TEXT NOT NULL,
        at BIGINT NOT NULL,
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
      );
    `,
  },
  {
    version: 4,
    name: 'contact notes and owners, session display names',
    sql: `
      ALTER TABLE sessions ADD COLUMN name TEXT;
      -- Notes and owner changes of a contact, oldest first by id; the owner is the newest 'owner' row.
      CREATE TABLE contact_notes (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        site TEXT NOT NULL,
        contact_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        at BIGINT NOT NULL,
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
        score_total DOUBLE PRECISION NOT NULL,
        stage TEXT NOT NULL,
        mqa_at BIGINT,
        model_hash TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        PRIMARY KEY (site, id)
      );
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
