import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createState, hashModel, resultOf, type ScoringModel, validateModel } from '@leadlight/scoring-core';
import Database from 'better-sqlite3';
import pg from 'pg';
import { openSqliteStorage, startCollector } from '../src/index.js';
import { openPostgresStorage } from '../src/storage/postgres/postgresStorage.js';
import { postgresUnavailableReason, startPostgresServer } from '../test/postgresCluster.js';
import { benchConfig } from './benchConfig.js';

// What the privacy operations cost, each against a bare SQL delete of the same rows in the same run:
// erasing one contact with 20,000 events (over HTTP: one transaction, audit, then the WAL truncate), and
// a retention pass over 1M events (bounded delete batches, then every contact and browser that lost
// events recomputed from what remains). BENCH_ERASE_EVENTS, BENCH_RETENTION_EVENTS and
// BENCH_PG_RETENTION_EVENTS change the sizes; BENCH_POSTGRES=0 skips PostgreSQL.
const ERASE_EVENTS = Number(process.env.BENCH_ERASE_EVENTS ?? 20_000);
const RETENTION_EVENTS = Number(process.env.BENCH_RETENTION_EVENTS ?? 1_000_000);
const PG_RETENTION_EVENTS = Number(process.env.BENCH_PG_RETENTION_EVENTS ?? RETENTION_EVENTS);
const EVENTS_PER_CONTACT = 100;
const DAY = 86_400_000;
const SITE = 'pk_bench';
const SECRET = 'sk_bench_secret_0123';
const NOW = Date.UTC(2026, 11, 1);
const OLD = NOW - 60 * DAY;
const RECENT = NOW - DAY;

const base = benchConfig();
const site = base.sites[0] as (typeof base.sites)[0];
const CONFIG = { sites: [{ ...site, retentionDays: 30 }] };
const checked = validateModel(site.model);
if (!checked.ok) throw new Error('the bench model does not validate');
const MODEL: ScoringModel = checked.model;

/** One contact row's constant columns: an empty state under the bench model. */
function contactColumns() {
  const state = createState(MODEL);
  return {
    state: JSON.stringify(state),
    score: JSON.stringify(resultOf(MODEL, state, { now: NOW })),
  };
}

/**
 * A seeded data set, as SQL over a generated series `i` of events: `k` is the contact of event `i`;
 * contact `c<k>` owns browser `a<k>`; its first event is an identify (kept by retention), the rest page
 * views; one contact in five is an anonymous visitor (no identify, no email).
 */
interface Layout {
  events: number;
  contacts: number;
  /** SQL over `i`: the contact number. */
  k: string;
  /** SQL over `i`: true for a contact's first event. */
  first: string;
  /** SQL over `i` and `k`: when the collector received the event. */
  received: string;
}

/** 1M events: 100 per contact; 90 % of a contact's page views are old, every event of a visitor is. */
function retentionLayout(events: number): Layout {
  const per = EVENTS_PER_CONTACT;
  return {
    events,
    contacts: Math.ceil(events / per),
    k: `(i / ${per})`,
    first: `(i % ${per} = 0)`,
    received: `CASE WHEN (i / ${per}) % 5 = 4 OR i % ${per} < ${per * 0.9} THEN ${OLD} ELSE ${RECENT} END`,
  };
}

/** Contact c0 with `ERASE_EVENTS` events, among 1,000 contacts of 20 events. */
function eraseLayout(): Layout {
  const n = ERASE_EVENTS;
  return {
    events: n + 20_000,
    contacts: 1001,
    k: `(CASE WHEN i < ${n} THEN 0 ELSE 1 + (i - ${n}) / 20 END)`,
    first: `(i = 0 OR (i >= ${n} AND (i - ${n}) % 20 = 0))`,
    received: `${RECENT}`,
  };
}

/** The INSERT … SELECT expressions of a layout, `concat` joining text the engine's way. */
function eventSql(layout: Layout, concat: (...parts: string[]) => string) {
  const anonymous = '(k % 5 = 4)';
  const identify = `(${layout.first} AND NOT ${anonymous})`;
  const type = `CASE WHEN ${identify} THEN 'identify' ELSE 'page_view' END`;
  return {
    id: concat(`'e'`, 'i'),
    contact: concat(`'c'`, 'k'),
    anon: concat(`'a'`, 'k'),
    type,
    ts: `(${OLD} + i)`,
    received: layout.received,
    body: concat(
      `'{"id":"e'`,
      'i',
      `'","type":"'`,
      type,
      `'","ts":'`,
      `(${OLD} + i)`,
      `',"anonymousId":"a'`,
      'k',
      `'","path":"/pricing/'`,
      'i',
      `'"'`,
      `CASE WHEN ${identify} THEN ${concat(`',"traits":{"email":"p'`, 'k', `'@bench.test","role":"vp"}'`)} ELSE '' END`,
      `'}'`,
    ),
    email: `CASE WHEN ${anonymous} THEN NULL ELSE ${concat(`'p'`, 'k', `'@bench.test'`)} END`,
    stage: `CASE WHEN ${anonymous} THEN 'visitor' ELSE 'lead' END`,
  };
}

/** Seeds an SQLite file (migrated by the adapter first) with `layout`. */
function seedSqlite(path: string, layout: Layout): void {
  openSqliteStorage(path, { backgroundCheckpoint: false }).close();
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const sql = eventSql(layout, (...parts) => parts.join(' || '));
  const { state, score } = contactColumns();
  db.transaction(() => {
    db.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${layout.events - 1}),
         m AS (SELECT i, ${layout.k} AS k FROM n)
       INSERT INTO events (site, id, contact_id, anonymous_id, type, ts, received_at, bot, flags, body)
       SELECT '${SITE}', ${sql.id}, ${sql.contact}, ${sql.anon}, ${sql.type}, ${sql.ts}, ${sql.received}, 0, NULL,
              ${sql.body} FROM m`,
    ).run();
    db.prepare(
      `WITH RECURSIVE n(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM n WHERE k < ${layout.contacts - 1})
       INSERT INTO contacts (id, site, stage, email, score_total, score, state, event_count, created_at, updated_at,
         first_seen_at, last_seen_at, mql_at, mql_armed, revenue, channel, reached)
       SELECT 'c' || k, '${SITE}', ${sql.stage}, ${sql.email}, 0, @score, @state, 0, ${OLD},
         ${OLD}, ${OLD}, ${NOW}, NULL, 1, NULL, 'direct', '{"visitor":${OLD}}' FROM n`,
    ).run({ score, state });
    db.prepare(
      `INSERT INTO anonymous_ids (site, anonymous_id, contact_id) SELECT '${SITE}', 'a' || substr(id, 2), id FROM contacts`,
    ).run();
    db.prepare(
      `INSERT INTO emails (site, email, contact_id) SELECT '${SITE}', email, id FROM contacts WHERE email IS NOT NULL`,
    ).run();
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

/** Seeds a PostgreSQL database (migrated by the adapter first) with `layout`. */
async function seedPostgres(url: string, layout: Layout): Promise<void> {
  await (await openPostgresStorage(url, { poolSize: 1 })).close();
  const client = new pg.Client(url);
  await client.connect();
  const sql = eventSql(layout, (...parts) => parts.map((p) => `(${p})::text`).join(' || '));
  const { state, score } = contactColumns();
  try {
    await client.query(
      `INSERT INTO events (site, id, contact_id, anonymous_id, type, ts, received_at, bot, flags, body)
       SELECT '${SITE}', ${sql.id}, ${sql.contact}, ${sql.anon}, ${sql.type}, ${sql.ts}, ${sql.received}, false, NULL,
              ${sql.body}
       FROM (SELECT i, ${layout.k} AS k FROM generate_series(0, ${layout.events - 1}) AS i) m`,
    );
    await client.query(
      `INSERT INTO contacts (id, site, stage, email, score_total, score, state, event_count, created_at, updated_at,
         first_seen_at, last_seen_at, mql_at, mql_armed, revenue, channel, reached)
       SELECT 'c' || k, '${SITE}', ${sql.stage}, ${sql.email}, 0, $1, $2, 0, ${OLD},
         ${OLD}, ${OLD}, ${NOW}, NULL, true, NULL, 'direct', '{"visitor":${OLD}}'
       FROM generate_series(0, ${layout.contacts - 1}) AS k`,
      [score, state],
    );
    await client.query(
      `INSERT INTO anonymous_ids (site, anonymous_id, contact_id) SELECT '${SITE}', 'a' || substr(id, 2), id FROM contacts`,
    );
    await client.query(
      `INSERT INTO emails (site, email, contact_id) SELECT '${SITE}', email, id FROM contacts WHERE email IS NOT NULL`,
    );
    await client.query('VACUUM ANALYZE');
  } finally {
    await client.end();
  }
}

/** Erases contact `c0` through the HTTP API (transaction, audit, WAL truncate); answers ms. */
async function eraseOverHttp(storage: { dbPath: string } | { databaseUrl: string }): Promise<number> {
  const collector = await startCollector({ config: CONFIG, ...storage, assetDirs: [], now: () => NOW });
  try {
    const started = performance.now();
    const res = await fetch(`${collector.url}/v1/leads/c0`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${SECRET}` },
    });
    const body = (await res.json()) as { erased?: { events: number } };
    const ms = performance.now() - started;
    if (res.status !== 200 || body.erased?.events !== ERASE_EVENTS)
      throw new Error(`erasure answered ${res.status}: ${JSON.stringify(body)}`);
    return ms;
  } finally {
    await collector.close();
  }
}

/** A retention pass through the collector; answers ms and what it did. */
async function retentionPass(storage: { dbPath: string } | { databaseUrl: string }) {
  const collector = await startCollector({ config: CONFIG, ...storage, assetDirs: [], now: () => NOW });
  try {
    const started = performance.now();
    const [report] = await collector.runRetention();
    return { ms: performance.now() - started, report };
  } finally {
    await collector.close();
  }
}

const CUTOFF = NOW - 30 * DAY;
const BARE_BATCH = 2000;

function bareSqlite(path: string, work: (db: Database.Database) => number): { ms: number; rows: number } {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const started = performance.now();
  const rows = work(db);
  const ms = performance.now() - started;
  db.close();
  return { ms, rows };
}

async function barePostgres(url: string, work: (c: pg.Client) => Promise<number>) {
  const client = new pg.Client(url);
  await client.connect();
  try {
    const started = performance.now();
    const rows = await work(client);
    return { ms: performance.now() - started, rows };
  } finally {
    await client.end();
  }
}

type Row = [string, string, string, string, string, string];
const rows: Row[] = [];
const seconds = (ms: number) => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(0)} ms`);
function record(storage: string, operation: string, what: string, full: number, bare: number): void {
  rows.push([storage, operation, what, seconds(full), seconds(bare), (full / bare).toFixed(2)]);
  process.stdout.write(`${rows.at(-1)?.join('\t')}\n`);
}

process.stdout.write(
  `load average before: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}\n`,
);
const dir = mkdtempSync(join(tmpdir(), 'll-privacy-'));
try {
  // SQLite: erase one contact.
  {
    const seed = join(dir, 'erase-seed.db');
    seedSqlite(seed, eraseLayout());
    copyFileSync(seed, join(dir, 'erase-full.db'));
    copyFileSync(seed, join(dir, 'erase-bare.db'));
    const full = await eraseOverHttp({ dbPath: join(dir, 'erase-full.db') });
    const bare = bareSqlite(join(dir, 'erase-bare.db'), (d) =>
      d.transaction(() => {
        const n = d.prepare(`DELETE FROM events WHERE contact_id = 'c0'`).run().changes;
        d.prepare(`DELETE FROM contacts WHERE id = 'c0'`).run();
        return n;
      })(),
    );
    record('SQLite', 'erase a contact', `${ERASE_EVENTS.toLocaleString('en')} events`, full, bare.ms);
  }
  // SQLite: a retention pass.
  {
    const seed = join(dir, 'retention-seed.db');
    seedSqlite(seed, retentionLayout(RETENTION_EVENTS));
    copyFileSync(seed, join(dir, 'retention-full.db'));
    copyFileSync(seed, join(dir, 'retention-bare.db'));
    rmSync(seed);
    const full = await retentionPass({ dbPath: join(dir, 'retention-full.db') });
    const bare = bareSqlite(join(dir, 'retention-bare.db'), (d) => {
      const batch = d.prepare(
        `DELETE FROM events WHERE site = ? AND id IN (SELECT id FROM events WHERE site = ? AND received_at < ?
           AND type <> 'identify' LIMIT ${BARE_BATCH})`,
      );
      let total = 0;
      for (let n = -1; n !== 0; total += n) n = d.transaction(() => batch.run(SITE, SITE, CUTOFF).changes)();
      return total;
    });
    if (bare.rows !== full.report?.deletedEvents)
      throw new Error(`retention deleted ${full.report?.deletedEvents}, the bare delete ${bare.rows}`);
    record(
      'SQLite',
      'retention pass',
      `${RETENTION_EVENTS.toLocaleString('en')} events: ${bare.rows.toLocaleString('en')} deleted, ${full.report?.rescoredContacts.toLocaleString('en')} contacts rescored, ${full.report?.removedContacts.toLocaleString('en')} removed`,
      full.ms,
      bare.ms,
    );
  }

  const missing = process.env.BENCH_POSTGRES === '0' ? 'BENCH_POSTGRES=0' : postgresUnavailableReason();
  if (missing) {
    process.stdout.write(`\n!!! privacy bench: PostgreSQL rows SKIPPED: ${missing}\n\n`);
  } else {
    const server = await startPostgresServer({ durable: true });
    try {
      const admin = new pg.Client(server.url);
      await admin.connect();
      const database = async (name: string) => {
        await admin.query(`CREATE DATABASE ${name}`);
        const url = new URL(server.url);
        url.pathname = `/${name}`;
        return url.toString();
      };
      const eraseUrls = [await database('erase_full'), await database('erase_bare')];
      for (const url of eraseUrls) {
        await seedPostgres(url, eraseLayout());
      }
      const full = await eraseOverHttp({ databaseUrl: eraseUrls[0] as string });
      const bare = await barePostgres(eraseUrls[1] as string, async (c) => {
        await c.query('BEGIN');
        const n = (await c.query(`DELETE FROM events WHERE contact_id = 'c0'`)).rowCount ?? 0;
        await c.query(`DELETE FROM contacts WHERE id = 'c0'`);
        await c.query('COMMIT');
        return n;
      });
      record('PostgreSQL', 'erase a contact', `${ERASE_EVENTS.toLocaleString('en')} events`, full, bare.ms);

      const retentionUrls = [await database('retention_full'), await database('retention_bare')];
      for (const url of retentionUrls) await seedPostgres(url, retentionLayout(PG_RETENTION_EVENTS));
      const pass = await retentionPass({ databaseUrl: retentionUrls[0] as string });
      const bareRetention = await barePostgres(retentionUrls[1] as string, async (c) => {
        let total = 0;
        for (let n = -1; n !== 0; total += n) {
          n =
            (
              await c.query(
                `DELETE FROM events WHERE ctid = ANY (ARRAY(SELECT ctid FROM events WHERE site = $1
                   AND received_at < $2 AND type <> 'identify' LIMIT ${BARE_BATCH}))`,
                [SITE, CUTOFF],
              )
            ).rowCount ?? 0;
        }
        return total;
      });
      record(
        'PostgreSQL',
        'retention pass',
        `${PG_RETENTION_EVENTS.toLocaleString('en')} events: ${bareRetention.rows.toLocaleString('en')} deleted, ${pass.report?.rescoredContacts.toLocaleString('en')} contacts rescored, ${pass.report?.removedContacts.toLocaleString('en')} removed`,
        pass.ms,
        bareRetention.ms,
      );
      await admin.end();
    } finally {
      await server.stop();
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

process.stdout.write(
  `load average after: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}\n`,
);
process.stdout.write(
  `\nprivacy operations (model ${hashModel(MODEL).slice(0, 8)}): Leadlight's operation against a bare SQL delete of the same rows\n`,
);
process.stdout.write(`${['storage', 'operation', 'data', 'leadlight', 'bare delete', 'ratio'].join('\t')}\n`);
for (const row of rows) process.stdout.write(`${row.join('\t')}\n`);
