import type { ScoreResult, TrackedEvent } from '@leadlight/scoring-core';

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
}
