import type pg from 'pg';
import { noErasure, toAuditRecord } from '../privacyRows.js';
import { type Row, toEventRecord } from '../rowMapping.js';
import type {
  AuditEntry,
  AuditRecord,
  ErasedContact,
  ErasedDevice,
  EventCursor,
  EventRecord,
  RescoreKind,
} from '../storage.js';

/** Runs one statement on the transaction's connection. */
type Run = (sql: string, params: unknown[]) => Promise<pg.QueryResult>;

/** Deletes a contact and everything held about it (see `StorageTx.eraseContact`); the caller locked it. */
export async function eraseContactRows(
  run: Run,
  siteKey: string,
  contactId: string,
  options?: { outbox?: boolean },
): Promise<ErasedContact> {
  const counts = noErasure();
  const devices = await run(
    'SELECT anonymous_id FROM anonymous_ids WHERE contact_id = $1 ORDER BY anonymous_id FOR UPDATE',
    [contactId],
  );
  const anonymousIds = devices.rows.map((r) => r.anonymous_id as string);
  const emails = (
    await run('SELECT email FROM emails WHERE contact_id = $1 ORDER BY email', [contactId])
  ).rows.map((r) => r.email as string);
  const merged = (await run('SELECT from_id FROM contact_redirects WHERE to_id = $1', [contactId])).rows.map(
    (r) => r.from_id as string,
  );
  const changed = async (sql: string, params: unknown[]) => (await run(sql, params)).rowCount ?? 0;
  counts.events = await changed('DELETE FROM events WHERE contact_id = $1', [contactId]);
  counts.events += await changed(
    'DELETE FROM events WHERE site = $1 AND anonymous_id = ANY($2::text[]) AND contact_id IS NULL',
    [siteKey, anonymousIds],
  );
  counts.devices = await changed('DELETE FROM anonymous_ids WHERE contact_id = $1', [contactId]);
  counts.emails = await changed('DELETE FROM emails WHERE contact_id = $1', [contactId]);
  counts.stageChanges = await changed('DELETE FROM stage_history WHERE contact_id = $1', [contactId]);
  counts.notes = await changed('DELETE FROM contact_notes WHERE contact_id = $1', [contactId]);
  // Contact ids are UUIDs, so the quoted id appears in a payload only where it names that contact.
  if (options?.outbox !== false) {
    counts.outbox = await changed(
      `DELETE FROM outbox WHERE site = $1
         AND EXISTS (SELECT 1 FROM unnest($2::text[]) AS n(id) WHERE strpos(payload, '"' || n.id || '"') > 0)`,
      [siteKey, [contactId, ...merged]],
    );
  }
  counts.redirects = await changed('DELETE FROM contact_redirects WHERE to_id = $1', [contactId]);
  await run(
    `DELETE FROM rescore_queue WHERE site = $1
       AND ((kind = 'contact' AND ref = $2) OR (kind = 'device' AND ref = ANY($3::text[])))`,
    [siteKey, contactId, anonymousIds],
  );
  counts.contacts = await changed('DELETE FROM contacts WHERE id = $1 AND site = $2', [contactId, siteKey]);
  return { counts, emails, anonymousIds };
}

/** Deletes one anonymous id's device and events (see `StorageTx.eraseDevice`); the caller locked the device. */
export async function eraseDeviceRows(
  run: Run,
  siteKey: string,
  anonymousId: string,
  owner: string | null,
): Promise<ErasedDevice | null> {
  const counts = noErasure();
  const contactIds = (
    await run(
      'SELECT DISTINCT contact_id FROM events WHERE site = $1 AND anonymous_id = $2 AND contact_id IS NOT NULL',
      [siteKey, anonymousId],
    )
  ).rows.map((r) => r.contact_id as string);
  counts.events =
    (await run('DELETE FROM events WHERE site = $1 AND anonymous_id = $2', [siteKey, anonymousId]))
      .rowCount ?? 0;
  counts.devices =
    (await run('DELETE FROM anonymous_ids WHERE site = $1 AND anonymous_id = $2', [siteKey, anonymousId]))
      .rowCount ?? 0;
  await run(`DELETE FROM rescore_queue WHERE site = $1 AND kind = 'device' AND ref = $2`, [
    siteKey,
    anonymousId,
  ]);
  if (owner === null && counts.events === 0) return null;
  let ownerDevicesLeft = 0;
  if (owner !== null) {
    const left = await run('SELECT COUNT(*)::int AS n FROM anonymous_ids WHERE contact_id = $1', [owner]);
    ownerDevicesLeft = left.rows[0]?.n as number;
    if (!contactIds.includes(owner)) contactIds.push(owner);
  }
  return { counts, owner, ownerDevicesLeft, contactIds };
}

/**
 * Deletes up to `limit` old non-identify events and queues their contacts and devices, in one statement.
 * Rows another collector is deleting right now are skipped, not waited on (the pick runs once, see
 * `takeRescoreRows`).
 */
export async function pruneEventRows(
  run: Run,
  siteKey: string,
  receivedBefore: number,
  limit: number,
): Promise<number> {
  const result = await run(
    `WITH picked AS (
       SELECT ctid FROM events WHERE site = $1 AND received_at < $2 AND type <> 'identify'
       LIMIT $3 FOR UPDATE SKIP LOCKED),
     gone AS (
       DELETE FROM events WHERE ctid = ANY (ARRAY(SELECT ctid FROM picked))
       RETURNING contact_id, anonymous_id, bot),
     queued AS (
       INSERT INTO rescore_queue (site, kind, ref)
       SELECT DISTINCT $1, 'contact', contact_id FROM gone WHERE contact_id IS NOT NULL
       UNION SELECT DISTINCT $1, 'device', anonymous_id FROM gone WHERE NOT bot
       ON CONFLICT DO NOTHING)
     SELECT COUNT(*)::int AS n FROM gone`,
    [siteKey, receivedBefore, limit],
  );
  return result.rows[0]?.n as number;
}

/**
 * Takes queued rescores of one kind; rows other collectors hold are skipped. The locking pick runs once
 * (a CTE read through `ARRAY(…)`, then a lookup by the locked rows' ctid): as a plain `IN (subquery)` PostgreSQL may run it
 * again for every outer row, each time locking other rows, and so take far more than `limit`.
 */
export async function takeRescoreRows(
  run: Run,
  siteKey: string,
  kind: RescoreKind,
  limit: number,
): Promise<string[]> {
  const result = await run(
    `WITH picked AS (
       SELECT ctid FROM rescore_queue WHERE site = $1 AND kind = $2 LIMIT $3 FOR UPDATE SKIP LOCKED)
     DELETE FROM rescore_queue WHERE ctid = ANY (ARRAY(SELECT ctid FROM picked))
     RETURNING ref`,
    [siteKey, kind, limit],
  );
  return result.rows.map((r) => r.ref as string);
}

/** Records suppression keys. */
export async function addSuppressionRows(
  run: Run,
  siteKey: string,
  hashes: string[],
  at: number,
): Promise<void> {
  if (hashes.length === 0) return;
  await run(
    `INSERT INTO suppressions (site, key_hash, created_at) SELECT $1, h, $3 FROM unnest($2::text[]) AS h
     ON CONFLICT DO NOTHING`,
    [siteKey, hashes, at],
  );
}

/** Appends an audit entry. */
export async function appendAuditRow(run: Run, e: AuditEntry): Promise<void> {
  await run(
    'INSERT INTO audit_log (site, at, by, action, contact_id, counts) VALUES ($1, $2, $3, $4, $5, $6)',
    [e.siteKey, e.at, e.by, e.action, e.contactId, JSON.stringify(e.counts)],
  );
}

/** Reads of the privacy operations, over the pool. */
export function postgresPrivacyReads(q: (sql: string, params: unknown[]) => Promise<Row[]>) {
  return {
    async suppressed(siteKey: string, hashes: string[]): Promise<Set<string>> {
      if (hashes.length === 0) return new Set();
      const rows = await q(
        'SELECT key_hash FROM suppressions WHERE site = $1 AND key_hash = ANY($2::text[])',
        [siteKey, hashes],
      );
      return new Set(rows.map((r) => r.key_hash as string));
    },
    async listAudit(siteKey: string, query: { limit: number; beforeId?: number }): Promise<AuditRecord[]> {
      const rows = await q(
        `SELECT * FROM audit_log WHERE site = $1 AND ($2::bigint IS NULL OR id < $2) ORDER BY id DESC LIMIT $3`,
        [siteKey, query.beforeId ?? null, query.limit],
      );
      return rows.map(toAuditRecord);
    },
    async emailsOf(contactId: string): Promise<string[]> {
      const rows = await q('SELECT email FROM emails WHERE contact_id = $1 ORDER BY email', [contactId]);
      return rows.map((r) => r.email as string);
    },
    async listUnattachedEvents(
      siteKey: string,
      anonymousId: string,
      query: { limit: number; after?: EventCursor },
    ): Promise<EventRecord[]> {
      const rows = await q(
        `SELECT * FROM events WHERE site = $1 AND anonymous_id = $2 AND contact_id IS NULL
           AND ($3::bigint IS NULL OR (ts, id) > ($3, $4)) ORDER BY ts, id LIMIT $5`,
        [siteKey, anonymousId, query.after?.ts ?? null, query.after?.id ?? null, query.limit],
      );
      return rows.map(toEventRecord);
    },
  };
}
