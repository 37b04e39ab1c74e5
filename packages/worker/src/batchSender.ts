import type { BatchAnswer } from '@leadlight/scoring-core/wire';
import { batchBody } from './batchBody.js';
import type { DropCounter } from './dropCounter.js';
import { backoffDelay, parseRetryAfter, type QueuedEvent } from './flushPolicy.js';
import type { QueueConfig, QueueStats } from './protocol.js';
import type { ProvisionalScore } from './provisionalScore.js';
import type { QueueDeps } from './queueDeps.js';
import { readBatchAnswer } from './readBatchAnswer.js';
import type { ScoreSync } from './scoreSync.js';
import type { Unchecked } from './unchecked.js';

/** The queue's counters since it started. */
export type QueueCounters = Pick<QueueStats, 'acked' | 'rejected' | 'batches' | 'retries'>;

/** How one batch went: events that left the queue, or try again later, halve the batch, or wait for the site's fix. */
export type SendOutcome = { removed: string[] } | 'retry' | 'split' | 'blocked';

/**
 * Sends batches to the collector, reads its answers, and keeps the backoff between failures. A tuple of functions,
 * not an object: the bundles' minifier cannot shorten property names.
 */
export type BatchSender = [
  send: (batch: QueuedEvent[]) => Promise<SendOutcome>,
  /** A failure: waits a jittered, growing delay, or as long as the collector asked (Retry-After), whichever is later. */
  backOff: (retryAfterMs: number | undefined) => SendOutcome,
  /** When the next send may go (0: now). */
  retryAt: () => number,
  /** A batch went through: the backoff starts over. */
  succeeded: () => void,
  /** The network is back, or someone asked to send now: skip our own backoff (not the collector's). */
  skipBackoff: () => void,
];

/**
 * Creates the batch sender of one queue: it POSTs with `request` (the queue's, with its timeout), counts in
 * `counters`, reports drops to the drop counter, caches snapshots with `adopt` (the score sync's), deletes what left
 * the queue with `deleteLater` (overlapping the next request), and acknowledges to `score` (the provisional score of
 * the moment) unless `purges` (their count) changed meanwhile.
 */
export function createBatchSender(
  config: QueueConfig,
  deps: QueueDeps,
  request: (path: string, init: RequestInit) => Promise<Response>,
  counters: QueueCounters,
  [dropCounts, , reported]: DropCounter,
  adopt: ScoreSync[0],
  deleteLater: (ids: string[]) => void,
  score: () => ProvisionalScore,
  purges: () => number,
  log: (message: string, detail?: unknown) => void,
): BatchSender {
  const limits = config.limits;
  let attempt = 0;
  let retryAt = 0;
  // What the collector asked for (Retry-After): a nudge (online, flush) may skip our backoff, not this.
  let serverHold = 0;

  const backOff = (retryAfterMs: number | undefined): SendOutcome => {
    const jitter = backoffDelay(attempt, limits, deps.random);
    attempt++;
    counters.retries++;
    if (retryAfterMs !== undefined) serverHold = deps.now() + retryAfterMs;
    retryAt = Math.max(deps.now() + jitter, serverHold);
    return 'retry';
  };

  const send = async (batch: QueuedEvent[]): Promise<SendOutcome> => {
    const purge = purges();
    const unreported = dropCounts().unreported;
    const anonymousId = batch[0]!.event.anonymousId;
    const body = batchBody(config, deps.now(), batch, anonymousId, unreported);
    let response: Response;
    try {
      // text/plain keeps the request "simple": no CORS preflight per batch.
      response = await request('/v1/batch', {
        method: 'POST',
        headers: { 'content-type': 'text/plain;charset=UTF-8' },
        body,
      });
    } catch (error) {
      log('batch failed; retrying', error);
      // Only a network failure asks for Background Sync: the browser then wakes the worker when it is
      // online again. A 5xx answer while online would make the sync fire at once, defeating the backoff.
      deps.requestSync?.();
      return backOff(undefined);
    }
    counters.batches++;
    const { status } = response;
    if (status === 400 || status === 413) {
      // A poison event or an oversized body: split until the culprit travels alone, then drop it.
      if (batch.length > 1) return 'split';
      counters.rejected++;
      deleteLater([batch[0]!.id]);
      log(`${status}: dropped ${batch[0]!.id}`);
      return { removed: [batch[0]!.id] };
    }
    if (status === 401 || status === 403 || status === 404) {
      log(`${status}: check siteKey and origins`);
      backOff(undefined);
      return 'blocked';
    }
    if (!response.ok) return backOff(parseRetryAfter(response.headers.get('retry-after'), deps.now()));
    const answer = (await response.json().catch(() => undefined)) as Unchecked<BatchAnswer> | undefined;
    // Sent before a purge: its answer (acks, the visitor's score) is the purged visitor's and is not kept.
    if (purge !== purges()) return { removed: [] };
    if (!answer || typeof answer !== 'object') {
      log('bad batch answer; retrying');
      return backOff(undefined);
    }
    const [acked, removed] = readBatchAnswer(batch, answer);
    if (!removed.length) {
      log('nothing acked; retrying');
      return backOff(undefined);
    }
    deleteLater(removed);
    counters.acked += acked.length;
    counters.rejected += removed.length - acked.length;
    if (unreported) reported(unreported);
    const snapshot = adopt(anonymousId, answer);
    score().acknowledge(acked, snapshot);
    deps.postPeers?.({ t: 'acked', ids: removed, snapshot });
    return { removed };
  };

  return [
    send,
    backOff,
    () => retryAt,
    () => {
      attempt = 0;
      retryAt = 0;
    },
    () => {
      retryAt = serverHold > deps.now() ? serverHold : 0;
    },
  ];
}
