import type { ScoreResult, ScoreState, TrackedEvent } from '@leadlight/scoring-core';

/** How the page reaches the queue (DESIGN.md §5). */
export interface QueueOptions {
  /** Collector base URL, e.g. "https://collector.example". */
  endpoint: string;
  siteKey: string;
  /** Service worker script on the site's own origin; false runs the queue in the page. */
  serviceWorker?: { path: string; scope?: string } | false;
  /** false: local-only mode — score on the device and send nothing. */
  send?: boolean;
  /** The browser is automated (navigator.webdriver); reported with every batch. */
  automated?: boolean;
  debug?: boolean;
  /**
   * Extension: URL of the in-page queue chunk (`leadlight-page-queue.<hash>.js`), loaded only where no service
   * worker runs. Default: next to Leadlight's own script tag (leadlight*.js), else at the endpoint; where that
   * fails, the endpoint's copy.
   */
  queueUrl?: string;
  /** Extension: batching, caps and retry tuning (defaults in `DEFAULT_LIMITS`). */
  limits?: Partial<QueueLimits>;
}

/** Extension: batching, caps and retry tuning of the queue. */
export interface QueueLimits {
  /** Most events in one batch. */
  batchMaxEvents: number;
  /** Most bytes of one batch body (the collector accepts at least 256 KiB). */
  batchMaxBytes: number;
  /** How long the first queued event waits for company before a batch leaves (ms). */
  batchDelayMs: number;
  /** Caps of the stored queue; past them low-value events are dropped first. */
  maxEvents: number;
  maxBytes: number;
  /** Events older than this are dropped (below 7 days: some browsers wipe script storage after that). */
  maxAgeMs: number;
  /** Exponential backoff: first delay and ceiling (ms); full jitter is applied. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** A request that has not answered by then counts as a network error (ms). */
  requestTimeoutMs: number;
}

/** What a flush achieved. */
export interface FlushResult {
  sent: number;
  pending: number;
}

/** The page's handle on the queue, whichever side of the service-worker boundary it runs. */
export interface QueueClient {
  /** Queues one event; durable (survives a reload or tab close) by the time this returns. */
  enqueue(event: TrackedEvent): void;
  /** Sends what is queued now. */
  flush(): Promise<FlushResult>;
  /** The provisional score: the collector's last snapshot plus unacknowledged events. */
  score(): Promise<ScoreResult | undefined>;
  /** Called on every provisional-score change, in every tab of the site. */
  onScore(callback: (score: ScoreResult) => void): () => void;
  /** Consent denied: deletes queued events and the cached score state. */
  purge(): Promise<void>;
  close(): void;
  /** Extension (optional, so existing implementations stay valid): counters of the queue. */
  stats?(): Promise<QueueStats>;
  /** Extension (optional): where the queue runs: "sw", "page", or "pending" while it starts. */
  readonly mode?: 'sw' | 'page' | 'pending';
  /**
   * Extension (optional): the page shows live scores (its own onScore callbacks, personalization). A service
   * worker always scores; an in-page queue shows the collector's scores until this loads scoring.
   */
  liveScores?(): void;
}

/** What `connectQueue` returns: a QueueClient whose extensions are always there. */
export interface InspectableQueueClient extends QueueClient {
  stats(): Promise<QueueStats>;
  readonly mode: 'sw' | 'page' | 'pending';
  liveScores(): void;
}

/** Extension: counters of a queue since it started (`pending` and `dropped` are persistent). */
export interface QueueStats {
  pending: number;
  pendingBytes: number;
  /** Events acknowledged by the collector. */
  acked: number;
  /** Events the collector rejected one by one (invalid); dropped and not retried. */
  rejected: number;
  /** Events dropped by the caps and not yet reported to the collector. */
  dropped: number;
  /** Every event dropped by the caps (reported or not). */
  droppedTotal: number;
  batches: number;
  retries: number;
  /** The next send is held back until this time (ms since epoch), 0 when not backing off. */
  retryAt: number;
}

/** What the queue worker (service worker or in-page chunk) serves to the page over comlink. */
export interface QueueApi {
  /** Stores events durably (idempotent by id); resolves once they are in IndexedDB. */
  add(events: TrackedEvent[]): Promise<void>;
  flush(): Promise<FlushResult>;
  score(): Promise<ScoreResult | undefined>;
  purge(): Promise<void>;
  stats(): Promise<QueueStats>;
}

/** The page's connection to a running queue (service worker or in-page), made by the lazy chunk. */
export interface QueueBackend {
  mode: 'sw' | 'page';
  api: Pick<QueueApi, 'add' | 'flush' | 'score' | 'purge' | 'stats'>;
  /** pagehide: hands over what is not yet stored, best effort and synchronous. */
  hide(buffered: TrackedEvent[]): void;
  /** The page wants live scores (in-page queue: load scoring). */
  liveScores?(): void;
  close(): void;
}

/** The queue's settings as the page hands them to the worker. */
export interface QueueConfig {
  endpoint: string;
  siteKey: string;
  send: boolean;
  automated: boolean;
  debug: boolean;
  limits: QueueLimits;
}

/** Messages on the site's BroadcastChannel (`leadlight:<siteKey>`). */
export type PeerMessage =
  | { t: 'score'; score: ScoreResult }
  | { t: 'events'; events: TrackedEvent[] }
  | { t: 'acked'; ids: string[]; snapshot: ScoreSnapshot | undefined }
  /** Consent denied: the sender clears the shared store; every other queue forgets what it mirrors. */
  | { t: 'purged' };

/** The collector's last word on a contact: its state and score. */
export interface ScoreSnapshot {
  anonymousId: string;
  state: ScoreState;
  score: ScoreResult;
}

/** Messages a page posts straight to the service worker (extendable events, so the worker stays alive). */
export type WorkerMessage =
  | { leadlight: 'connect'; config: QueueConfig }
  | { leadlight: 'add'; config: QueueConfig; events: TrackedEvent[] }
  | { leadlight: 'flush'; config: QueueConfig };
