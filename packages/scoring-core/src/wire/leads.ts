import type { AccountScore, AccountStage, ScoreResult, Stage, TrackedEvent } from '../types.js';

// ——— Secret-key endpoints (the dashboard, a CRM, a site's backend) ———

/** A paged answer; pass `nextCursor` back as `cursor` for the next page. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** One entry of a contact's stage history. */
export interface StageChange {
  from: Stage | null;
  to: Stage;
  at: number;
  /** `system` for automatic moves, else who moved it (`secret-key`, `session:<name>`, …). */
  by: string;
  reason?: string;
  revenue?: number;
}

/** A note on a contact: who wrote it and when. */
export interface NoteView {
  at: number;
  by: string;
  text: string;
}

/** A contact's owner: the name, who assigned it and when. */
export interface OwnerView {
  name: string;
  at: number;
  by: string;
}

/** `POST /v1/leads/:id/notes` and `PUT /v1/leads/:id/owner`: the contact's notes (oldest first) and owner. */
export interface NotesAnswer {
  contactId: string;
  notes: NoteView[];
  owner: OwnerView | null;
}

/** A contact as `GET /v1/leads` lists it. */
export interface ContactView {
  id: string;
  stage: Stage;
  email: string | null;
  traits: Record<string, unknown>;
  score: ScoreResult;
  eventCount: number;
  mqlAt: number | null;
  revenue: number | null;
  /** The first touch's channel. */
  channel: string;
  accountId: string | null;
  /** When each stage was first reached. */
  reached: Partial<Record<Stage, number>>;
  firstSeenAt: number;
  lastSeenAt: number;
  createdAt: number;
  updatedAt: number;
}

/** A list item of `GET /v1/leads`: the contact and its owner's name. */
export interface ContactListItem extends ContactView {
  owner: string | null;
}

/** A stored event as the secret API shows it. */
export interface ReceivedEvent extends TrackedEvent {
  receivedAt: number;
  /** Why it was stored flagged: its `ts` was clamped from this value. */
  flags: { clampedFrom?: number } | null;
}

/** `GET /v1/leads/:id` and `GET /v1/visitors/:anonymousId`: the contact with its history. */
export interface ContactDetail extends ContactView {
  anonymousIds: string[];
  stageHistory: StageChange[];
  notes: NoteView[];
  owner: OwnerView | null;
  /** The newest 20 events. */
  recentEvents: ReceivedEvent[];
}

/** An account (company) as `GET /v1/accounts` lists it. */
export interface AccountView {
  id: string;
  domain?: string;
  name?: string;
  traits: Record<string, unknown>;
  stage: AccountStage;
  mqaAt: number | null;
  members: number;
  score: AccountScore & { contributions?: { id: string; engagement: number }[] };
  createdAt: number;
  updatedAt: number;
}

/** One member of an account: who, their stage and score (its breakdown says what they did). */
export interface AccountMemberView {
  id: string;
  email: string | null;
  stage: Stage;
  traits: Record<string, unknown>;
  score: ScoreResult;
  lastSeenAt: number;
}

/** `GET /v1/accounts/:id`: the account and its members (its buying committee). */
export interface AccountDetail extends AccountView {
  contacts: AccountMemberView[];
}

/** Funnel figures for one group of contacts. */
export interface FunnelFigures {
  contacts: number;
  /** Contacts currently in each stage. */
  byStage: Record<Stage, number>;
  /** Contacts that ever reached each stage (or a later one). */
  reached: Record<Stage, number>;
  /** Contacts that reached SQL ÷ contacts that reached MQL (null when none reached MQL). */
  mqlToSqlRate: number | null;
  /** Contacts that reached customer ÷ contacts that reached SQL. */
  sqlToCustomerRate: number | null;
  /** Mean milliseconds from MQL to customer over contacts that made both. */
  meanMqlToCustomerMs: number | null;
  /** Revenue of the contacts that reached MQL ÷ their number. */
  meanRevenuePerMql: number | null;
}

/** The funnel of a date range, overall and by first-touch channel. */
export interface Funnel extends FunnelFigures {
  from: number;
  to: number;
  /** Accounts that became marketing-qualified (MQAs) in [from, to). */
  mqas: number;
  byChannel: ({ channel: string } & FunnelFigures)[];
}

/** `GET /v1/funnel`: the funnel and the site's traffic counters. */
export interface FunnelAnswer extends Funnel {
  /** Events stored as bot traffic, and the browsers that sent them. */
  botEvents: number;
  botVisitors: number;
  /** Events browsers reported dropping (full storage). */
  browserDropped: number;
}

/** `PUT /v1/model`: the model now published and how many contacts were scored again. */
export interface PublishAnswer {
  modelHash: string;
  modelVersion: string;
  rescored: number;
}

/** `GET /v1/session`: who is signed in, if anyone. */
export interface SessionAnswer {
  /** `name`: the display name given at sign-in, null when none was given. */
  session: { siteKey: string; name: string | null } | null;
}

/** What an erasure removed: row counts by kind, never the data itself. */
export interface ErasureCounts {
  contacts: number;
  events: number;
  devices: number;
  emails: number;
  stageChanges: number;
  /** Notes and owner changes. */
  notes: number;
  /** Webhook deliveries (any status) whose payload named the contact. */
  outbox: number;
  /** Merged-away contact ids that led to the contact. */
  redirects: number;
}

/** `DELETE /v1/leads/:id`, `DELETE /v1/leads?email=`, `DELETE /v1/visitors/:anonymousId`. */
export interface ErasureAnswer {
  /** The contact erased (or that owned the erased browser); null when none did. */
  contactId: string | null;
  erased: ErasureCounts;
}

/** One privacy operation in `GET /v1/audit` (newest first): who, when, what (counts and the contact id only). */
export interface AuditItem {
  id: number;
  at: number;
  by: string;
  action: 'erase_contact' | 'erase_visitor' | 'export_contact';
  contactId: string | null;
  counts: Record<string, number>;
}

/** `GET /v1/privacy`: the site's retention and erasure settings. */
export interface PrivacyAnswer {
  retentionDays: number | null;
  suppressErased: boolean;
}
