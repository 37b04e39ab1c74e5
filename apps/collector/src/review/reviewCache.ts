import type { ModelReview, ReviewOutcome } from '@leadlight/scoring-core/wire';
import type { RunningSite } from '../siteRegistry.js';

/** How old a cached review may grow before a request starts a refresh in the background. */
export const REVIEW_MAX_AGE_MS = 5 * 60_000;

/** Computes one review; `shouldStop` turns true when the collector closes. */
export type ComputeReview = (
  site: RunningSite,
  outcome: ReviewOutcome,
  shouldStop: () => boolean,
) => Promise<ModelReview>;

interface Entry {
  review: ModelReview | null;
  running: Promise<ModelReview> | null;
  /** New outcomes were recorded since the cached review started. */
  stale: boolean;
}

/**
 * Model reviews per site and outcome: answered from the cache, refreshed in the background once older
 * than `maxAgeMs`, stale by new outcomes, or made for another model. Reviews run one at a time in the
 * process, so several sites never stack their reads on the ingest path.
 */
export class ReviewCache {
  private readonly entries = new Map<string, Entry>();
  private queue: Promise<unknown> = Promise.resolve();
  private stopping = false;

  constructor(
    private readonly compute: ComputeReview,
    private readonly now: () => number,
    private readonly onError: (error: unknown) => void,
    private readonly maxAgeMs = REVIEW_MAX_AGE_MS,
  ) {}

  /**
   * The review of a site and outcome. The first one (or, with `fresh`, a new one started after every
   * running review) is awaited; later calls answer the cached one at once and refresh it when due.
   */
  async get(
    site: RunningSite,
    outcome: ReviewOutcome,
    fresh = false,
  ): Promise<{ review: ModelReview; refreshing: boolean }> {
    const entry = this.entry(site.config.siteKey, outcome);
    if (fresh || entry.review === null) {
      const review = await (!fresh && entry.running ? entry.running : this.start(entry, site, outcome));
      return { review, refreshing: entry.running !== null };
    }
    const due =
      entry.stale ||
      this.now() - entry.review.computedAt > this.maxAgeMs ||
      entry.review.modelHash !== site.modelHash;
    if (due && entry.running === null) this.start(entry, site, outcome).catch(this.onError);
    return { review: entry.review, refreshing: entry.running !== null };
  }

  /** Marks a site's cached reviews out of date (outcomes were recorded). */
  invalidate(siteKey: string): void {
    for (const [key, entry] of this.entries) if (key.startsWith(`${siteKey}\n`)) entry.stale = true;
  }

  /** Abandons running reviews and waits for them to end. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.queue;
  }

  private entry(siteKey: string, outcome: ReviewOutcome): Entry {
    const key = `${siteKey}\n${outcome}`;
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { review: null, running: null, stale: false };
      this.entries.set(key, entry);
    }
    return entry;
  }

  private start(entry: Entry, site: RunningSite, outcome: ReviewOutcome): Promise<ModelReview> {
    const run = this.queue.then(() => {
      entry.stale = false;
      return this.compute(site, outcome, () => this.stopping);
    });
    this.queue = run.catch(() => undefined);
    entry.running = run;
    const settle = () => {
      if (entry.running === run) entry.running = null;
    };
    run.then((review) => {
      if (entry.review === null || review.computedAt >= entry.review.computedAt) entry.review = review;
      settle();
    }, settle);
    return run;
  }
}
