// The collector's HTTP and live-stream protocol, as types only: the collector answers with these shapes,
// the worker, the dashboard and the tests read them. Nothing here reaches a bundle.
import type {
  AccountScore,
  AccountStage,
  ScoreResult,
  ScoreState,
  ScoringModel,
  Stage,
  TrackedEvent,
} from './types.js';

// ——— Site-key endpoints (public: a browser calls them) ———

/** `POST /v1/batch` from a browser (sent as text/plain so it needs no CORS preflight). */
export interface BatchRequest {
  /** Or the `x-leadlight-site-key` header. */
  siteKey?: string;
  /** The sender's clock when it sent (ms since epoch). */
  sentAt?: number;
  /** The browser the events come from; every event carries it too. */
  anonymousId?: string;
  events: TrackedEvent[];
  /** Events the browser had to drop (full storage) since its last report. */
  dropped?: number;
  /** Set by the SDK under automation (`navigator.webdriver`): counted as bot traffic on sites that ignore bots. */
  automated?: boolean;
}

/**
 * What a site-key answer may tell a browser (`GET /v1/score`, and the tail of every batch answer).
 * Unverified, the device view: the score of this browser's own events, no sales stage, no contact id.
 * Verified by an identity token, the contact view across its browsers; `score.account` is its account's stage.
 */
export interface ScoreAnswer {
  /** Only for a browser verified by an identity token (an unverified one must not learn whom it joined). */
  contactId: string | null;
  verified: boolean;
  score: ScoreResult;
  /** Carries only the traits fit rules read. */
  state: ScoreState;
}

/** One refused event of a batch: its index in `events` and why. */
export interface RejectedEvent {
  index: number;
  error: string;
}

/** `POST /v1/batch`'s answer. */
export interface BatchAnswer extends ScoreAnswer {
  /** Events stored now. */
  accepted: number;
  /** Events already stored before (same id): acknowledged, not stored twice. */
  duplicates: number;
  rejected: RejectedEvent[];
  /** Ids the browser may forget: stored now or before (never a rejected one). */
  acked: string[];
  /** The batch counted as bot traffic (stored, never scored). */
  bot: boolean;
}

/** A server call's answer (`POST /v1/batch` with the write key, `/v1/track`, `/v1/identify`, …: Segment's spec). */
export interface ServerBatchAnswer {
  /** No message was refused. */
  success: boolean;
  accepted: number;
  duplicates: number;
  rejected: RejectedEvent[];
}

// ——— Errors (every 4xx and 5xx) ———

/** Stable error codes; each maps to one HTTP status. */
export type ErrorCode =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'bad_config'
  | 'bad_cli'
  | 'storage'
  | 'internal';

/** The body of every error answer: a code to branch on and a message that says what and where. */
export interface ErrorAnswer {
  error: { code: ErrorCode; message: string };
}

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

// ——— Outcomes and the model review ———

/** The stages a review can learn from. */
export type ReviewOutcome = 'sql' | 'opportunity' | 'customer';

/** One item's answer of `POST /v1/outcomes`. */
export interface OutcomeResult {
  index: number;
  contactId?: string;
  /** The stage moved to; absent when the contact already stood there (nothing recorded). */
  stage?: Stage;
  unchanged?: boolean;
  error?: string;
}

/** `POST /v1/outcomes`: how many moves were recorded, and each item's contact or error. */
export interface OutcomesAnswer {
  recorded: number;
  results: OutcomeResult[];
}

/** One rule's record against the outcome. */
export interface RuleReview {
  id: string;
  kind: 'engagement' | 'fit';
  /** The rule's label, when the model gives one. */
  label?: string;
  /** The rule's points in the current model. */
  points: number;
  /** Contacts it awarded points to at their cutoff. */
  fired: number;
  /** Of those, how many reached the outcome. */
  firedPositives: number;
  rateWith: number | null;
  rateWithout: number | null;
  lift: number | null;
  interval: [number, number] | null;
  lowConfidence: boolean;
}

/** Contacts whose score at the cutoff fell in [from, to). */
export interface ScoreBucket {
  from: number;
  to: number;
  positives: number;
  negatives: number;
}

/** Scores bucketed by a round width. */
export interface ScoreDistribution {
  width: number;
  buckets: ScoreBucket[];
}

/** The MQLs a total threshold would select at the cutoffs, and how many of them reached the outcome. */
export interface ThresholdRow {
  total: number;
  mqls: number;
  precision: number | null;
  recall: number | null;
}

/** Funnel and money figures of one first-touch channel or campaign (stages as reached by now). */
export interface ChannelFigures {
  contacts: number;
  mqls: number;
  sqls: number;
  customers: number;
  revenue: number;
  revenuePerMql: number | null;
  /** Present when the site's `spend` names this channel or campaign. */
  spend?: number;
  costPerMql?: number | null;
  costPerSql?: number | null;
  costPerCustomer?: number | null;
}

/**
 * How the contacts that did not reach the outcome were dated: each one is judged at its last event plus
 * a delay drawn from the delays of those that did (last event before the outcome → the outcome), or at
 * the review's time when that comes first.
 */
export interface NegativeCutoff {
  /** Contacts that reached the outcome with an event before it: the delays drawn from. */
  delays: number;
  /** The 10th, 50th and 90th percentile of those delays (ms). */
  p10DelayMs: number;
  medianDelayMs: number;
  p90DelayMs: number;
  /** Contacts without the outcome judged before the review's time (the others are judged at it). */
  judgedEarlier: number;
}

/** A model re-fitted from outcomes: the same rules, new points, a threshold. */
export interface Suggestion {
  model: ScoringModel;
  /** ROC AUC of the suggested model on the held-out contacts. */
  auc: number | null;
  /** ROC AUC of the current model on the same held-out contacts. */
  currentAuc: number | null;
  method: string;
  /** The suggested MQL threshold (`model.mql.total`). */
  threshold: number;
  /** Contacts the suggested threshold selects at their cutoffs, next to today's MQLs. */
  selects: number;
  currentSelects: number;
  trainContacts: number;
  testContacts: number;
}

/** `GET /v1/model/review`. */
export interface ModelReview {
  outcome: ReviewOutcome;
  /** When the review read the data (ms since epoch): the latest cutoff of contacts without the outcome. */
  computedAt: number;
  durationMs: number;
  modelVersion: string;
  modelHash: string;
  /** Identified contacts (with an email) reviewed. */
  contacts: number;
  /** Of those, how many reached the outcome. */
  positives: number;
  /** Contacts folded again from their events (their stored state held events from the cutoff on). */
  refolded: number;
  /** How contacts without the outcome were dated; null when every one is judged at `computedAt`. */
  negativeCutoff: NegativeCutoff | null;
  current: {
    auc: number | null;
    /** Contacts whose score at their cutoff met today's MQL thresholds. */
    mqls: number;
    precision: number | null;
    recall: number | null;
    thresholds: { total?: number; fit?: number; engagement?: number };
  };
  /** Today's totals at the cutoffs, bucketed, for contacts that reached the outcome and the others. */
  distribution: ScoreDistribution;
  /** MQLs, precision and recall if the total threshold were each bucket's lower edge (or today's). */
  tradeoff: ThresholdRow[];
  rules: RuleReview[];
  channels: ({ channel: string } & ChannelFigures)[];
  campaigns: ({ campaign: string } & ChannelFigures)[];
  currency: string | null;
  suggestion: Suggestion | null;
  /** Why there is no suggestion (too little data), in words. */
  reason?: string;
}

/** `GET /v1/model/review`'s answer: the (cached) review, and whether a fresher one is being computed. */
export interface ReviewAnswer extends ModelReview {
  refreshing: boolean;
}

// ——— The live stream (`GET /v1/stream`, server-sent events named by `type`, `data` as JSON) ———

/** A live change pushed to a site's subscribers. */
export type LiveEvent =
  | {
      type: 'score';
      data: { contactId: string; total: number; fit: number; engagement: number; stage: Stage; at: number };
    }
  | { type: 'stage'; data: { contactId: string; from: Stage | null; to: Stage; at: number; by: string } }
  | { type: 'note'; data: { contactId: string; kind: 'note' | 'owner'; at: number; by: string } };

/** The event names the stream sends. */
export type LiveEventType = LiveEvent['type'];
