import type { ScoreResult, ScoreState, TrackedEvent } from '../types.js';

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
