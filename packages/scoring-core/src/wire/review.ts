import type { ScoringModel, Stage } from '../types.js';

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
