import type { QueueConfig } from './protocol.js';
import type { ProvisionalScore } from './provisionalScore.js';
import type { QueueDeps } from './queueDeps.js';

/** What the queue engine's parts (model sync, score sync, batch sender) share with it. */
export interface QueueContext {
  config: QueueConfig;
  deps: QueueDeps;
  /** The provisional score of the moment (`useScoring` replaces it). */
  score(): ProvisionalScore;
  /** Counts purges: an answer to a request sent before one belongs to the purged visitor. */
  purges(): number;
  /** GETs a collector path with the queue's request timeout. */
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  /** Tells the page of a changed score. */
  emit(): void;
  log(message: string, detail?: unknown): void;
}
