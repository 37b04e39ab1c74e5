/** A scalar a trait, prop or match value may hold. */
export type Scalar = string | number | boolean;

/** One event as it travels on the wire (DESIGN.md §2). */
export interface TrackedEvent {
  /** Unique per event, time-ordered (UUID v7); the idempotency key. */
  id: string;
  type: string;
  /** Client time, ms since epoch. */
  ts: number;
  anonymousId: string;
  sessionId?: string;
  url?: string;
  path?: string;
  title?: string;
  referrer?: string;
  props?: Record<string, unknown>;
  /** `identify` only. */
  traits?: Record<string, unknown>;
}

/** Lifecycle stages, in order. */
export type Stage = 'visitor' | 'lead' | 'mql' | 'sql' | 'opportunity' | 'customer';

/** A match value: one value, or a list meaning any of. Strings compare case-insensitively. */
export type MatchValue = Scalar | Scalar[];

/** A numeric match: the prop, read as a number, lies in [gte, lte] (either bound may be left out). */
export interface NumericMatch {
  gte?: number;
  lte?: number;
}

/** What a match key may hold (numeric ranges for props only, never for globbed fields). */
export type MatchCondition = MatchValue | NumericMatch;

/**
 * Scoring features a model may need beyond the first version's: a worker built before a feature existed
 * must not score a model that needs it (it shows the collector's score instead).
 */
export type ScoringFeature = 'numeric-match' | 'engagement-per-view';

/** An engagement (behavior) rule. */
export interface EngagementRule {
  id: string;
  /** Shown to people where the rule is named (at most 100 characters); ids stay the keys. Never scores. */
  label?: string;
  /** One event type or a list of them. */
  event: string | string[];
  /**
   * Every key must hold. `path`, `url`, `referrer`, `type`, `title` read the event; `ext`, `cta`, `form`,
   * `file`, `href`, `utm_*` read `props`; `props` is an object matching any other prop by name.
   */
  match?: Record<string, MatchCondition | Record<string, MatchCondition>>;
  /** May be negative. */
  points: number;
  /** How many times the rule awards points per contact (earliest events in canonical order win). */
  max?: number;
}

/** A fit rule over the contact's latest traits; awards its points once. Exactly one operator. */
export interface FitRule {
  id: string;
  /** Shown to people where the rule is named (at most 100 characters); ids stay the keys. Never scores. */
  label?: string;
  trait: string;
  points: number;
  equals?: Scalar;
  in?: Scalar[];
  gte?: number;
  lte?: number;
  exists?: boolean;
}

/** MQL thresholds; a lead meeting every one given is an MQL. At least one is required. */
export interface MqlThresholds {
  total?: number;
  fit?: number;
  engagement?: number;
}

/** MQA thresholds; an account meeting every one given is a marketing-qualified account. */
export interface MqaThresholds {
  total?: number;
  fit?: number;
  engagement?: number;
  /** Members with engagement above 0. */
  contacts?: number;
}

/** How accounts (companies) are scored: fit rules over the account's traits, and the MQA thresholds. */
export interface AccountModel {
  fit: FitRule[];
  mqa: MqaThresholds;
}

/** A site's scoring model (DESIGN.md §3). */
export interface ScoringModel {
  version: string;
  /** The features this model needs (filled in by `validateModel`), sorted; absent when none. */
  requires?: ScoringFeature[];
  halfLifeDays?: number;
  rules: EngagementRule[];
  fit: FitRule[];
  mql: MqlThresholds;
  /** Account scoring; absent: accounts roll up engagement but have no fit and never become MQAs. */
  accounts?: AccountModel;
}

/** One line of a score's explanation. */
export interface BreakdownEntry {
  rule: string;
  kind: 'engagement' | 'fit';
  /** Events (engagement) or 1 (fit) that awarded points. */
  count: number;
  /** Points now, decayed for engagement, rounded to 2 decimals. */
  points: number;
}

/** An explainable score. */
export interface ScoreResult {
  total: number;
  fit: number;
  engagement: number;
  stage: Stage;
  /** The contact is identified and meets every MQL threshold now (the stage stays `mql` once reached). */
  mql: boolean;
  modelVersion: string;
  /** Content hash of the normalized model: client and server agree when these match. */
  modelHash: string;
  breakdown: BreakdownEntry[];
  /**
   * The stage of the contact's account: only in the collector's answer to a browser verified by an
   * identity token (never computed by `resultOf`).
   */
  account?: AccountStage;
}

/** A validation error with the exact path of the offending value. */
export interface ModelError {
  path: string;
  message: string;
}

export type ValidationResult = { ok: true; model: ScoringModel } | { ok: false; errors: ModelError[] };

/** Options of `evaluate` and `resultOf`. */
export interface EvaluateOptions {
  /** The time to decay to, ms since epoch; defaults to the newest event's time (not the wall clock). */
  now?: number;
  /** The stage the contact already has (sales stages, or a sticky `mql`); it never moves back by itself. */
  stage?: Stage;
}

/**
 * The incremental score state: JSON-serializable, folded event by event in canonical order.
 * Engagement sums are kept relative to `refTs` (the first folded event's time) so decay is applied once,
 * when a result is read. `counts` and `sums` are aligned with the model's `rules` (the state carries the
 * model's hash, so the alignment always holds).
 */
export interface ScoreState {
  v: 1;
  modelHash: string;
  /** Reference time of the decayed sums, ms since epoch (0 before any event). */
  refTs: number;
  /** Per engagement rule (model order): events that awarded points. */
  counts: number[];
  /** Per engagement rule (model order): Σ points · 2^((ts − refTs)/H). */
  sums: number[];
  /** Latest value of each trait (canonical order). */
  traits: Record<string, unknown>;
  /** The contact has identified with an email. */
  identified: boolean;
  /** Canonical position of the newest folded event: [ts, id]; [0, ""] when empty. */
  last: EventPosition;
  /** Events folded. */
  events: number;
  /**
   * Per engagement rule (model order): for a rule with `max`, the positions of its newest counted events
   * (at most 16, oldest first), so a late event can take a counted place; null for uncapped rules.
   * Absent in states written before it existed.
   */
  tails?: (EventPosition[] | null)[];
  /** Position of the identify that last set or cleared each trait, so a late identify sets only newer ones. */
  traitAt?: Record<string, EventPosition>;
  /**
   * Models with rules on `engagement` events: per page view (`props.pageViewId`), the engagement event
   * that counts — [engagedSeconds, ts, id, indices of the rules it awarded] — for the newest 64 views.
   */
  views?: Record<string, EngagementView>;
  /** The newest `ts` of a view dropped from `views` (an engagement event at or before it needs a recompute). */
  viewsFloor?: number;
  /** Per engagement rule: matching events its cap turned away (kept for models with rules on `engagement`). */
  over?: number[];
}

/** The engagement event that counts for one page view: [engagedSeconds, ts, id, awarded rule indices]. */
export type EngagementView = [number, number, string, number[]];

/** An event's place in canonical order: [ts, id]. */
export type EventPosition = [number, string];

/** An account's stage: `mqa` once it met every MQA threshold (it stays, like `mql`). */
export type AccountStage = 'account' | 'mqa';

/** One member's contribution to its account: its engagement as its own score read at `at`. */
export interface AccountMember {
  /** The contact's id. */
  id: string;
  /** When the contribution was read, ms since epoch; it decays from there like the contact's score. */
  at: number;
  engagement: number;
  /** Engagement points per rule id at `at` (rules that awarded none are left out). */
  rules: Record<string, number>;
}

/**
 * The running sums of an account's members (plain JSON): engagement weighted by `2^((at − refTs)/H)`, so
 * one member's change costs the same whatever the account's size; decay is applied when a score is read.
 */
export interface AccountState {
  v: 1;
  refTs: number;
  engagement: number;
  /** Per rule id: weighted engagement points, and how many members it counts. */
  rules: Record<string, [number, number]>;
  members: number;
  /** Members whose engagement was above 0 when last read. */
  engaged: number;
}

/** One line of an account score: an account fit rule, or an engagement rule summed over members. */
export interface AccountBreakdownEntry {
  rule: string;
  kind: 'engagement' | 'fit';
  /** Members whose engagement this rule added to (engagement), or 1 (fit). */
  count: number;
  points: number;
}

/** An explainable account score. */
export interface AccountScore {
  total: number;
  fit: number;
  engagement: number;
  engagedContacts: number;
  members: number;
  stage: AccountStage;
  /** Meets every MQA threshold now (the stage stays `mqa` once reached). */
  mqa: boolean;
  modelVersion: string;
  modelHash: string;
  breakdown: AccountBreakdownEntry[];
}

/** `rollUpAccount`'s answer: the score, and each member's engagement now (highest first). */
export interface AccountRollUp extends AccountScore {
  contributions: { id: string; engagement: number }[];
}
