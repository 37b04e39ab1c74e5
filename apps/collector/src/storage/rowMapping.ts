// Row ↔ record mapping shared by the SQLite and PostgreSQL adapters: their tables have the same columns,
// and differ only in how a boolean is stored.
import type { Stage } from '@leadlight/scoring-core';
import type {
  ContactOutcome,
  ContactRecord,
  DeviceRecord,
  EventRecord,
  ModelRecord,
  OutboxItem,
  StageChange,
  StoredEvent,
} from './storage.js';

/** A database row, as either driver returns it. */
export type Row = Record<string, unknown>;

/** A boolean column: SQLite answers 0/1, PostgreSQL true/false. */
function asBoolean(value: unknown): boolean {
  return value === true || value === 1;
}

/** A `contacts` row as a contact record. */
export function toContact(row: Row): ContactRecord {
  return {
    id: row.id as string,
    siteKey: row.site as string,
    stage: row.stage as Stage,
    email: (row.email as string | null) ?? null,
    state: JSON.parse(row.state as string),
    score: JSON.parse(row.score as string),
    eventCount: row.event_count as number,
    createdAt: row.created_at as number,
    updatedAt: row.updated_at as number,
    firstSeenAt: row.first_seen_at as number,
    lastSeenAt: row.last_seen_at as number,
    mqlAt: (row.mql_at as number | null) ?? null,
    mqlArmed: asBoolean(row.mql_armed),
    revenue: (row.revenue as number | null) ?? null,
    channel: row.channel as string,
    reached: JSON.parse(row.reached as string),
    accountId: (row.account_id as string | null) ?? null,
  };
}

/** A `contacts` row with its first event's `campaign` as the model review reads it. */
export function toContactOutcome(row: Row): ContactOutcome {
  return {
    id: row.id as string,
    email: row.email as string,
    channel: row.channel as string,
    revenue: (row.revenue as number | null) ?? null,
    mqlAt: (row.mql_at as number | null) ?? null,
    reached: JSON.parse(row.reached as string),
    eventCount: row.event_count as number,
    state: JSON.parse(row.state as string),
    campaign: typeof row.campaign === 'string' ? row.campaign : null,
  };
}

/** An `anonymous_ids` row as a device record. */
export function toDevice(row: Row): DeviceRecord {
  return {
    siteKey: row.site as string,
    anonymousId: row.anonymous_id as string,
    contactId: row.contact_id as string,
    state: typeof row.device_state === 'string' ? JSON.parse(row.device_state) : null,
    emailClaims: Number(row.email_claims ?? 0),
    verifiedEmail: (row.verified_email as string | null) ?? null,
    verifiedUntil: Number(row.verified_until ?? 0),
  };
}

/** The UPDATE every adapter runs to save a device; its parameters are `deviceParams`. */
export const SAVE_DEVICE_SQL = `UPDATE anonymous_ids SET contact_id = ?, device_state = ?, email_claims = ?,
  verified_email = ?, verified_until = ? WHERE site = ? AND anonymous_id = ?`;

/** The parameters of `SAVE_DEVICE_SQL`, in order. */
export function deviceParams(d: DeviceRecord): unknown[] {
  return [
    d.contactId,
    d.state === null ? null : JSON.stringify(d.state),
    d.emailClaims,
    d.verifiedEmail,
    d.verifiedUntil,
    d.siteKey,
    d.anonymousId,
  ];
}

/** The `contacts` columns in the order of `contactParams`. */
export const CONTACT_COLUMNS = [
  'id',
  'site',
  'stage',
  'email',
  'score_total',
  'score',
  'state',
  'event_count',
  'created_at',
  'updated_at',
  'first_seen_at',
  'last_seen_at',
  'mql_at',
  'mql_armed',
  'revenue',
  'channel',
  'reached',
  'account_id',
] as const;

/** The INSERT of a whole contact; its parameters are `contactParams`. */
export const INSERT_CONTACT_SQL = `INSERT INTO contacts (${CONTACT_COLUMNS.join(', ')})
  VALUES (${CONTACT_COLUMNS.map(() => '?').join(', ')})`;

/**
 * A contact's values in the column order both adapters' INSERT/UPDATE statements use. `bool` writes a
 * boolean: SQLite binds 0/1, PostgreSQL a boolean.
 */
export function contactParams(c: ContactRecord, bool: (value: boolean) => unknown): unknown[] {
  return [
    c.id,
    c.siteKey,
    c.stage,
    c.email,
    c.score.total,
    JSON.stringify(c.score),
    JSON.stringify(c.state),
    c.eventCount,
    c.createdAt,
    c.updatedAt,
    c.firstSeenAt,
    c.lastSeenAt,
    c.mqlAt,
    bool(c.mqlArmed),
    c.revenue,
    c.channel,
    JSON.stringify(c.reached),
    c.accountId,
  ];
}

/**
 * An event's values in the column order of both adapters' `events` INSERT (site, id, contact_id,
 * anonymous_id, type, ts, received_at, bot, flags, body); `bool` writes the bot flag.
 */
export function eventParams(e: StoredEvent, bool: (value: boolean) => unknown): unknown[] {
  return [
    e.siteKey,
    e.event.id,
    e.contactId,
    e.event.anonymousId,
    e.event.type,
    e.event.ts,
    e.receivedAt,
    bool(e.bot),
    e.flags ? JSON.stringify(e.flags) : null,
    e.json ?? JSON.stringify(e.event),
  ];
}

/** An `events` row as a stored event. */
export function toEventRecord(row: Row): EventRecord {
  return {
    event: JSON.parse(row.body as string),
    receivedAt: row.received_at as number,
    bot: asBoolean(row.bot),
    flags: row.flags ? JSON.parse(row.flags as string) : null,
  };
}

/** A `stage_history` row as a stage change. */
export function toChange(row: Row): StageChange {
  const change: StageChange = {
    from: (row.from_stage as Stage | null) ?? null,
    to: row.to_stage as Stage,
    at: row.at as number,
    by: row.by as string,
  };
  if (row.reason !== null) change.reason = row.reason as string;
  if (row.revenue !== null) change.revenue = row.revenue as number;
  return change;
}

/** The INSERT of a webhook delivery into the outbox; its parameters are `outboxParams`. */
export const ENQUEUE_WEBHOOK_SQL = `INSERT INTO outbox (id, site, url, event_type, payload, created_at, attempts, next_attempt_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?)`;

/** The parameters of `ENQUEUE_WEBHOOK_SQL`, in order. */
export function outboxParams(item: OutboxItem): unknown[] {
  return [
    item.id,
    item.siteKey,
    item.url,
    item.eventType,
    item.payload,
    item.createdAt,
    item.attempts,
    item.nextAttemptAt,
  ];
}

/** An `outbox` row as a webhook delivery. */
export function toOutboxItem(row: Row): OutboxItem {
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

/** A `models` row as a published model. */
export function toModelRecord(row: Row): ModelRecord {
  return {
    model: JSON.parse(row.model as string),
    hash: row.hash as string,
    source: row.source as 'config' | 'api',
    createdAt: row.created_at as number,
  };
}
