import type { ScoreResult, ScoreState, ScoringModel, Stage, TrackedEvent } from '@leadlight/scoring-core';
import type { AuditItem, ErasureCounts, StageChange } from '@leadlight/scoring-core/wire';
import type { LiveRelay } from '../liveHub.js';

export type { ErasureCounts, StageChange };

import type { AccountReads, AccountTx } from './accountStorage.js';

/** Why an event was stored flagged (absent when nothing was odd). */
export interface EventFlags {
  /** The client's `ts` before the collector clamped it (too far in the future or absurdly old). */
  clampedFrom?: number;
}

/** One event as the collector stores it. */
export interface StoredEvent {
  siteKey: string;
  event: TrackedEvent;
  /** The contact it belongs to; null for bot traffic, which is stored but never attached or scored. */
  contactId: string | null;
  receivedAt: number;
  bot: boolean;
  flags: EventFlags | null;
  /** `JSON.stringify(event)` when the caller already has it (saves serializing twice). */
  json?: string;
}

/** A note or an owner change on a contact, with who made it and when (kept like the stage history). */
export interface ContactNote {
  kind: 'note' | 'owner';
  at: number;
  /** Who wrote it, as stage changes name people (`session:<display name>`, `secret-key`, …). */
  by: string;
  /** The note, or the new owner's name (empty when the contact was unassigned). */
  text: string;
}

/** A live dashboard session: its site and the display name given at sign-in. */
export interface SessionRecord {
  siteKey: string;
  name: string | null;
}

/** A contact with its persisted scoring state. */
export interface ContactRecord {
  id: string;
  siteKey: string;
  stage: Stage;
  /** Lower-cased email once identified. */
  email: string | null;
  /** scoring-core's incremental state (latest traits included). */
  state: ScoreState;
  /** The score as of `updatedAt`. */
  score: ScoreResult;
  eventCount: number;
  createdAt: number;
  updatedAt: number;
  /** Time of the earliest scored event (the first touch). */
  firstSeenAt: number;
  lastSeenAt: number;
  /** When the contact first crossed the MQL threshold; set once. */
  mqlAt: number | null;
  /** False after a recycle, until the score drops below the MQL threshold again. */
  mqlArmed: boolean;
  revenue: number | null;
  /** First-touch channel: `utm_source / utm_medium`, a referrer domain, or `direct`. */
  channel: string;
  /** First time each stage was reached. */
  reached: Partial<Record<Stage, number>>;
  /** The account (company) it belongs to, or null. */
  accountId: string | null;
}

/**
 * One browser (anonymous id) of a site: the contact its events go to, its own score state (the device
 * view a browser is answered with) and its identity claims.
 */
export interface DeviceRecord {
  siteKey: string;
  anonymousId: string;
  contactId: string;
  /** The fold of this device's own events; null until first computed (devices stored before it existed). */
  state: ScoreState | null;
  /** Emails this device has claimed without a verification token (bounded). */
  emailClaims: number;
  /** The email an identity token verified, while `verifiedUntil` lies ahead. */
  verifiedEmail: string | null;
  verifiedUntil: number;
}

/** A stored event as read back. */
export interface EventRecord {
  event: TrackedEvent;
  receivedAt: number;
  bot: boolean;
  flags: EventFlags | null;
}

/** What the model review reads of an identified contact: its outcomes, its state, its first touch's campaign. */
export interface ContactOutcome {
  id: string;
  email: string;
  channel: string;
  revenue: number | null;
  mqlAt: number | null;
  reached: Partial<Record<Stage, number>>;
  eventCount: number;
  state: ScoreState;
  /**
   * `props.utm_campaign` of the contact's earliest event, when it is a string and that first touch had a
   * UTM source or medium (its channel is `source / medium`): only those are read.
   */
  campaign: string | null;
}

/** A scored event with the contact it belongs to. */
export interface ContactEvent {
  contactId: string;
  event: TrackedEvent;
}

/** A webhook delivery waiting in (or claimed from) the durable outbox. */
export interface OutboxItem {
  id: string;
  siteKey: string;
  url: string;
  eventType: string;
  /** The exact JSON body that is signed and sent. */
  payload: string;
  createdAt: number;
  attempts: number;
  nextAttemptAt: number;
}

/** Outbox counts by status, for tests and health pages. */
export interface OutboxStats {
  pending: number;
  delivered: number;
  dead: number;
}

/** A published scoring model. */
export interface ModelRecord {
  model: ScoringModel;
  hash: string;
  source: 'config' | 'api';
  createdAt: number;
}

/** Paging position in a sorted contact list: the sort key's value of the last contact seen, and its id. */
export interface ContactCursor {
  key: number | string;
  id: string;
}

/** Columns a contact list sorts by: all numbers but `name` (lower-cased name, else email). */
export type ContactSortKey = 'score' | 'fit' | 'engagement' | 'lastSeen' | 'stage' | 'name';

/** What a contact list is filtered and sorted by; ties go by id. Default: score, highest first. */
export interface ContactQuery {
  stage?: Stage;
  minScore?: number;
  maxScore?: number;
  /** Lower-cased words that must each appear in the name, email or company. */
  words?: string[];
  /** Only contacts owned by this name; null: only contacts nobody owns. */
  owner?: string | null;
  sort?: { key: ContactSortKey; dir: 'asc' | 'desc' };
  limit: number;
  after?: ContactCursor;
}

/** A listed contact with its sort key's value, as the database computed it (the next page's cursor). */
export interface ListedContact {
  contact: ContactRecord;
  key: number | string;
}

/** Paging position in an event list (canonical order). */
export interface EventCursor {
  ts: number;
  id: string;
}

/** A contact just erased: the counts, and the identifiers it held (for hashing in memory; never stored). */
export interface ErasedContact {
  counts: ErasureCounts;
  emails: string[];
  anonymousIds: string[];
}

/** A device (anonymous id) just erased. */
export interface ErasedDevice {
  counts: ErasureCounts;
  /** The contact the device belonged to; null when only unattached (bot) events carried the id. */
  owner: string | null;
  /** Devices the owner still has. */
  ownerDevicesLeft: number;
  /** The owner and every contact that lost events of this anonymous id (a browser can move between contacts). */
  contactIds: string[];
}

/** A privacy operation as the audit trail keeps it: the API's audit item, of one site, before it has an id. */
export interface AuditEntry extends Omit<AuditItem, 'id'> {
  siteKey: string;
}

/** A stored audit entry. */
export interface AuditRecord extends AuditEntry {
  /** Increasing per database; the paging key (newest first). */
  id: number;
}

/** What retention queues for recomputation after deleting events: a contact id or an anonymous id. */
export type RescoreKind = 'contact' | 'device';

/**
 * Operations inside one atomic transaction. Adapters must serialize concurrent writers of one contact:
 * SQLite runs one transaction at a time; a PostgreSQL adapter locks rows (`lockContact` is
 * `SELECT … FOR UPDATE`, merges lock both contacts in id order) and dedupes with `ON CONFLICT DO NOTHING`.
 */
export interface StorageTx {
  /** Accounts and memberships (lock accounts after contacts, in id order). */
  readonly accounts: AccountTx;
  /** The ids among `ids` already stored for the site. */
  knownEventIds(siteKey: string, ids: string[]): Promise<Set<string>>;
  /** A device, locked with its contact until the transaction ends; null when the anonymous id is new. */
  lockDevice(siteKey: string, anonymousId: string): Promise<DeviceRecord | null>;
  /** Saves a device's contact, state and identity fields. */
  saveDevice(device: DeviceRecord): Promise<void>;
  /** Every scored (non-bot) event one device sent, in canonical order. */
  deviceEvents(siteKey: string, anonymousId: string): Promise<TrackedEvent[]>;
  /** Stores each event unless (site, id) exists; answers, per event, whether it was new. */
  insertEvents(events: StoredEvent[]): Promise<boolean[]>;
  contactIdForAnonymousId(siteKey: string, anonymousId: string): Promise<string | null>;
  /** Creates a contact owning `anonymousId`; when another writer won the race, answers that contact's id. */
  createContact(contact: ContactRecord, anonymousId: string): Promise<string>;
  /** Creates a contact that owns no anonymous id yet (a browser moving on to a newly claimed email). */
  insertContact(contact: ContactRecord): Promise<void>;
  contactIdForEmail(siteKey: string, email: string): Promise<string | null>;
  linkEmail(siteKey: string, email: string, contactId: string): Promise<void>;
  /** Reads a contact for update (the row stays locked until the transaction ends). */
  lockContact(id: string): Promise<ContactRecord | null>;
  /** Moves anonymous ids, emails, events and stage history of `fromId` to `intoId`, then deletes `fromId`. */
  mergeContact(fromId: string, intoId: string): Promise<void>;
  /** Every scored (non-bot) event of a contact, in canonical order. */
  contactEvents(contactId: string): Promise<TrackedEvent[]>;
  saveContact(contact: ContactRecord): Promise<void>;
  appendStageChange(contactId: string, change: StageChange): Promise<void>;
  /** Adds a note or an owner change to a contact (the caller holds its lock). */
  appendNote(siteKey: string, contactId: string, note: ContactNote): Promise<void>;
  enqueueWebhook(item: OutboxItem): Promise<void>;
  addCounter(siteKey: string, name: string, delta: number): Promise<void>;
  /**
   * Which of `anonymousIds` no bot event is stored for yet; asked before the batch's events are stored. Two
   * batches of one new bot answer it once (SQLite runs one transaction at a time; PostgreSQL locks each id).
   */
  newBotVisitors(siteKey: string, anonymousIds: string[]): Promise<Set<string>>;
  /**
   * Deletes a contact (the caller holds its lock) and everything held about it: its events and the
   * unattached events of its anonymous ids, devices, email links, stage history, outbox entries naming
   * it or an id merged into it, redirects to it, queued rescores. `{outbox: false}` skips the outbox
   * (a full scan of its payloads) for a contact no webhook can name: an anonymous visitor never moved.
   */
  eraseContact(siteKey: string, contactId: string, options?: { outbox?: boolean }): Promise<ErasedContact>;
  /** Deletes one anonymous id's device row and every event it sent; null when nothing was held. */
  eraseDevice(siteKey: string, anonymousId: string): Promise<ErasedDevice | null>;
  /** Records suppression keys (hashes, never clear values). */
  addSuppressions(siteKey: string, hashes: string[], at: number): Promise<void>;
  appendAudit(entry: AuditEntry): Promise<void>;
  /**
   * Deletes up to `limit` events received before `receivedBefore`, except `identify` events (they carry
   * the traits a recompute needs), and queues their contacts and devices for rescoring; answers how many.
   */
  pruneEvents(siteKey: string, receivedBefore: number, limit: number): Promise<number>;
  /** Takes (removes and answers) up to `limit` queued rescores of one kind. */
  takeRescores(siteKey: string, kind: RescoreKind, limit: number): Promise<string[]>;
}

/** The one storage interface every adapter (SQLite, PostgreSQL) implements; all methods are async. */
export interface Storage {
  readonly kind: string;
  readonly accounts: AccountReads;
  /** Fans live events out to other collector processes on the same database (PostgreSQL only). */
  readonly liveRelay?: LiveRelay;
  /** Calls `listener` when any process on the same database published a model (PostgreSQL only). */
  onModelPublished?(listener: (siteKey: string) => void): void;
  /** Runs `fn` atomically; resolves only after commit, rolls back when `fn` throws. */
  transaction<T>(fn: (tx: StorageTx) => Promise<T>): Promise<T>;
  /** Resolves when storage answers. */
  ping(): Promise<void>;
  /** A contact by id, following merges to the surviving contact. */
  getContact(siteKey: string, id: string): Promise<ContactRecord | null>;
  contactByAnonymousId(siteKey: string, anonymousId: string): Promise<ContactRecord | null>;
  /** A device as stored (no lock). */
  device(siteKey: string, anonymousId: string): Promise<DeviceRecord | null>;
  /** Every scored (non-bot) event one device sent, in canonical order. */
  deviceEvents(siteKey: string, anonymousId: string): Promise<TrackedEvent[]>;
  anonymousIds(contactId: string): Promise<string[]>;
  stageHistory(contactId: string): Promise<StageChange[]>;
  /** A contact's notes and owner changes, oldest first. */
  contactNotes(contactId: string): Promise<ContactNote[]>;
  /** The current owner of each of these contacts that has one. */
  ownersOf(contactIds: string[]): Promise<Map<string, string>>;
  /** Non-bot contacts, filtered and sorted (score, highest first, by default; then id). */
  listContacts(siteKey: string, query: ContactQuery): Promise<ListedContact[]>;
  /** A contact's events oldest first (canonical order). */
  listEvents(
    contactId: string,
    query: { type?: string; limit: number; after?: EventCursor },
  ): Promise<EventRecord[]>;
  /** A contact's newest events, newest first. */
  recentEvents(contactId: string, limit: number): Promise<EventRecord[]>;
  /** Contacts first seen in [from, to), for the funnel. */
  funnelContacts(siteKey: string, range: { from: number; to: number }): Promise<ContactRecord[]>;
  /** Contact ids of a site in id order, for rescoring after a model change. */
  contactIds(siteKey: string, query: { afterId?: string; limit: number }): Promise<string[]>;
  /** Identified contacts (with an email) of a site in id order, as the model review reads them. */
  contactOutcomes(siteKey: string, query: { afterId?: string; limit: number }): Promise<ContactOutcome[]>;
  /**
   * A site's scored events (not bot traffic) in event-id order with their contacts: the model review reads
   * them in one pass over the primary key instead of one index walk per contact.
   */
  siteEvents(siteKey: string, query: { afterId?: string; limit: number }): Promise<ContactEvent[]>;
  counters(siteKey: string): Promise<Record<string, number>>;
  /** Leases up to `limit` due deliveries for `leaseMs` so no other process sends them meanwhile. */
  claimWebhooks(now: number, limit: number, leaseMs: number): Promise<OutboxItem[]>;
  completeWebhook(id: string, at: number): Promise<void>;
  retryWebhook(id: string, nextAttemptAt: number, error: string): Promise<void>;
  failWebhook(id: string, error: string): Promise<void>;
  outboxStats(siteKey?: string): Promise<OutboxStats>;
  latestModel(siteKey: string): Promise<ModelRecord | null>;
  /** Records a published model, and for `config` models, the config hash it came from. */
  saveModel(siteKey: string, record: ModelRecord): Promise<void>;
  /** The hash of the config model last seen for a site (so a changed config wins over an older API model). */
  lastConfigModelHash(siteKey: string): Promise<string | null>;
  /** Stores a dashboard session (by the token's hash) with the display name given at sign-in. */
  createSession(tokenHash: string, siteKey: string, expiresAt: number, name?: string | null): Promise<void>;
  sessionSite(tokenHash: string, now: number): Promise<string | null>;
  /** A live session's site and display name. */
  session(tokenHash: string, now: number): Promise<SessionRecord | null>;
  deleteSession(tokenHash: string): Promise<void>;
  /** Which of `hashes` are suppression keys of the site. */
  suppressed(siteKey: string, hashes: string[]): Promise<Set<string>>;
  /** Audit entries of a site, newest first. */
  listAudit(siteKey: string, query: { limit: number; beforeId?: number }): Promise<AuditRecord[]>;
  /** Every email linked to a contact. */
  emailsOf(contactId: string): Promise<string[]>;
  /** Events of an anonymous id attached to no contact (bot traffic), oldest first. */
  listUnattachedEvents(
    siteKey: string,
    anonymousId: string,
    query: { limit: number; after?: EventCursor },
  ): Promise<EventRecord[]>;
  /** Makes deleted rows unreadable in the database's own files where the engine can (SQLite: WAL truncate). */
  scrubDeleted(): Promise<void>;
  close(): Promise<void>;
}
