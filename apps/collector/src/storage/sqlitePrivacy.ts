import type Database from 'better-sqlite3';
import { noErasure, toAuditRecord } from './privacyRows.js';
import { type Row, toEventRecord } from './rowMapping.js';
import type {
  AuditEntry,
  AuditRecord,
  ErasedContact,
  ErasedDevice,
  EventCursor,
  EventRecord,
  RescoreKind,
  StorageTx,
} from './storage.js';

/** The privacy operations of the storage transaction (erasure, suppression, audit, retention). */
export type PrivacyTx = Pick<
  StorageTx,
  'eraseContact' | 'eraseDevice' | 'addSuppressions' | 'appendAudit' | 'pruneEvents' | 'takeRescores'
>;

/** The SQLite statements of the privacy operations, prepared once on the adapter's connection. */
export function sqlitePrivacy(db: Database.Database) {
  const p = (sql: string) => db.prepare(sql);
  const s = {
    devicesOf: p('SELECT anonymous_id FROM anonymous_ids WHERE contact_id = ? ORDER BY anonymous_id').pluck(),
    emailsOf: p('SELECT email FROM emails WHERE contact_id = ? ORDER BY email').pluck(),
    redirectsTo: p('SELECT from_id FROM contact_redirects WHERE to_id = ?').pluck(),
    deleteContactEvents: p('DELETE FROM events WHERE contact_id = ?'),
    // Without ORDER BY, and without statistics, SQLite prefers scanning the site's primary-key range
    // (the table itself) to events_device: a full scan per browser. Name the index.
    deleteUnattached: p(
      'DELETE FROM events INDEXED BY events_device WHERE site = ? AND anonymous_id = ? AND contact_id IS NULL',
    ),
    deleteDevices: p('DELETE FROM anonymous_ids WHERE contact_id = ?'),
    deleteEmails: p('DELETE FROM emails WHERE contact_id = ?'),
    deleteHistory: p('DELETE FROM stage_history WHERE contact_id = ?'),
    deleteNotes: p('DELETE FROM contact_notes WHERE contact_id = ?'),
    // Contact ids are UUIDs, so the quoted id appears in a payload only where it names that contact.
    deleteOutbox: p(`DELETE FROM outbox WHERE site = ? AND instr(payload, '"' || ? || '"') > 0`),
    deleteRedirects: p('DELETE FROM contact_redirects WHERE to_id = ?'),
    deleteContact: p('DELETE FROM contacts WHERE id = ? AND site = ?'),
    unqueue: p('DELETE FROM rescore_queue WHERE site = ? AND kind = ? AND ref = ?'),
    device: p('SELECT contact_id FROM anonymous_ids WHERE site = ? AND anonymous_id = ?').pluck(),
    deviceContacts: p(
      `SELECT DISTINCT contact_id FROM events INDEXED BY events_device
       WHERE site = ? AND anonymous_id = ? AND contact_id IS NOT NULL`,
    ).pluck(),
    deleteDeviceEvents: p('DELETE FROM events INDEXED BY events_device WHERE site = ? AND anonymous_id = ?'),
    deleteDevice: p('DELETE FROM anonymous_ids WHERE site = ? AND anonymous_id = ?'),
    countDevices: p('SELECT COUNT(*) FROM anonymous_ids WHERE contact_id = ?').pluck(),
    suppress: p('INSERT OR IGNORE INTO suppressions (site, key_hash, created_at) VALUES (?, ?, ?)'),
    suppressed: p(
      'SELECT key_hash FROM suppressions WHERE site = ? AND key_hash IN (SELECT value FROM json_each(?))',
    ).pluck(),
    audit: p('INSERT INTO audit_log (site, at, by, action, contact_id, counts) VALUES (?, ?, ?, ?, ?, ?)'),
    auditPage: p(
      `SELECT * FROM audit_log WHERE site = @site AND (@before IS NULL OR id < @before)
       ORDER BY id DESC LIMIT @limit`,
    ),
    // The condition on type repeats the partial index's, so SQLite uses events_retention.
    oldEvents: p(
      `SELECT id, contact_id, anonymous_id, bot FROM events
       WHERE site = ? AND received_at < ? AND type <> 'identify' LIMIT ?`,
    ),
    deleteEvent: p('DELETE FROM events WHERE site = ? AND id = ?'),
    queue: p('INSERT OR IGNORE INTO rescore_queue (site, kind, ref) VALUES (?, ?, ?)'),
    queued: p('SELECT ref FROM rescore_queue WHERE site = ? AND kind = ? LIMIT ?').pluck(),
    unattachedPage: p(
      `SELECT * FROM events WHERE site = @site AND anonymous_id = @anon AND contact_id IS NULL
         AND (@ts IS NULL OR ts > @ts OR (ts = @ts AND id > @id)) ORDER BY ts, id LIMIT @limit`,
    ),
  };

  const tx: PrivacyTx = {
    eraseContact: async (siteKey, contactId, options): Promise<ErasedContact> => {
      const counts = noErasure();
      const anonymousIds = s.devicesOf.all(contactId) as string[];
      const emails = s.emailsOf.all(contactId) as string[];
      const merged = s.redirectsTo.all(contactId) as string[];
      counts.events = s.deleteContactEvents.run(contactId).changes;
      for (const anonymousId of anonymousIds) {
        counts.events += s.deleteUnattached.run(siteKey, anonymousId).changes;
        s.unqueue.run(siteKey, 'device', anonymousId);
      }
      counts.devices = s.deleteDevices.run(contactId).changes;
      counts.emails = s.deleteEmails.run(contactId).changes;
      counts.stageChanges = s.deleteHistory.run(contactId).changes;
      counts.notes = s.deleteNotes.run(contactId).changes;
      if (options?.outbox !== false)
        for (const id of [contactId, ...merged]) counts.outbox += s.deleteOutbox.run(siteKey, id).changes;
      counts.redirects = s.deleteRedirects.run(contactId).changes;
      s.unqueue.run(siteKey, 'contact', contactId);
      counts.contacts = s.deleteContact.run(contactId, siteKey).changes;
      return { counts, emails, anonymousIds };
    },
    eraseDevice: async (siteKey, anonymousId): Promise<ErasedDevice | null> => {
      const owner = (s.device.get(siteKey, anonymousId) as string | undefined) ?? null;
      const contactIds = s.deviceContacts.all(siteKey, anonymousId) as string[];
      const counts = noErasure();
      counts.events = s.deleteDeviceEvents.run(siteKey, anonymousId).changes;
      counts.devices = s.deleteDevice.run(siteKey, anonymousId).changes;
      s.unqueue.run(siteKey, 'device', anonymousId);
      if (owner === null && counts.events === 0) return null;
      const ownerDevicesLeft = owner === null ? 0 : (s.countDevices.get(owner) as number);
      if (owner !== null && !contactIds.includes(owner)) contactIds.push(owner);
      return { counts, owner, ownerDevicesLeft, contactIds };
    },
    addSuppressions: async (siteKey, hashes, at) => {
      for (const hash of hashes) s.suppress.run(siteKey, hash, at);
    },
    appendAudit: async (e: AuditEntry) => {
      s.audit.run(e.siteKey, e.at, e.by, e.action, e.contactId, JSON.stringify(e.counts));
    },
    pruneEvents: async (siteKey, receivedBefore, limit) => {
      const rows = s.oldEvents.all(siteKey, receivedBefore, limit) as Row[];
      const contacts = new Set<string>();
      const devices = new Set<string>();
      for (const row of rows) {
        if (row.contact_id !== null) contacts.add(row.contact_id as string);
        if (row.bot === 0) devices.add(row.anonymous_id as string);
        s.deleteEvent.run(siteKey, row.id);
      }
      for (const id of contacts) s.queue.run(siteKey, 'contact', id);
      for (const id of devices) s.queue.run(siteKey, 'device', id);
      return rows.length;
    },
    takeRescores: async (siteKey, kind: RescoreKind, limit) => {
      const refs = s.queued.all(siteKey, kind, limit) as string[];
      for (const ref of refs) s.unqueue.run(siteKey, kind, ref);
      return refs;
    },
  };

  /** Reads; the adapter runs them in its read queue. */
  const reads = {
    suppressed: (siteKey: string, hashes: string[]): Set<string> =>
      new Set(hashes.length === 0 ? [] : (s.suppressed.all(siteKey, JSON.stringify(hashes)) as string[])),
    listAudit: (siteKey: string, q: { limit: number; beforeId?: number }): AuditRecord[] =>
      (s.auditPage.all({ site: siteKey, before: q.beforeId ?? null, limit: q.limit }) as Row[]).map(
        toAuditRecord,
      ),
    emailsOf: (contactId: string): string[] => s.emailsOf.all(contactId) as string[],
    listUnattachedEvents: (
      siteKey: string,
      anonymousId: string,
      q: { limit: number; after?: EventCursor },
    ): EventRecord[] =>
      (
        s.unattachedPage.all({
          site: siteKey,
          anon: anonymousId,
          ts: q.after?.ts ?? null,
          id: q.after?.id ?? null,
          limit: q.limit,
        }) as Row[]
      ).map(toEventRecord),
  };
  return { tx, reads };
}
