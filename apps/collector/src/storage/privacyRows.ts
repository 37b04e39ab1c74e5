// Row ↔ record mapping of the privacy tables, shared by the SQLite and PostgreSQL adapters.
import type { Row } from './rowMapping.js';
import type { AuditRecord, ErasureCounts } from './storage.js';

/** No rows removed yet. */
export function noErasure(): ErasureCounts {
  return {
    contacts: 0,
    events: 0,
    devices: 0,
    emails: 0,
    stageChanges: 0,
    notes: 0,
    outbox: 0,
    redirects: 0,
  };
}

/** An `audit_log` row as an audit record. */
export function toAuditRecord(row: Row): AuditRecord {
  return {
    id: Number(row.id),
    siteKey: row.site as string,
    at: Number(row.at),
    by: row.by as string,
    action: row.action as AuditRecord['action'],
    contactId: (row.contact_id as string | null) ?? null,
    counts: JSON.parse(row.counts as string),
  };
}
