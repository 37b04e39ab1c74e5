// The client the SDK bundles into its script tag, kept tiny: it writes every event ahead synchronously,
// loads the queue chunk (leadlight-queue.js) and delegates the rest to it — option checks, the hand-over
// to IndexedDB, lifecycle listeners and the score cache all live in the chunk (queueSession.ts).
import type { ScoreResult, TrackedEvent } from '@leadlight/scoring-core';
import { loadScript, ownScript } from './loadScript.js';
import type { InspectableQueueClient, QueueBackend, QueueConfig, QueueOptions } from './protocol.js';
import { clearAhead, pageStorage, trimAhead, writeAhead } from './writeAheadLog.js';

/** What the lazily loaded chunk (`leadlight-queue.js`) puts on `globalThis.LeadlightQueue`. */
export interface QueueChunk {
  /**
   * Checks the options (throws WorkerError `invalid_options` naming the field) and opens the page's
   * queue; `early` holds the events enqueued before the chunk arrived, already written ahead. The
   * returned client's `enqueue` only hands over: the caller writes each event ahead first.
   */
  open(options: QueueOptions, early: TrackedEvent[]): InspectableQueueClient;
  /** The backend alone, for clients built before `open` existed (a cached SDK meeting a newer chunk). */
  connect(
    config: QueueConfig,
    sw: QueueOptions['serviceWorker'],
    deliver: (score: ScoreResult) => void,
  ): Promise<QueueBackend>;
}

const ignore = () => {};
/** Write-ahead entries kept when the chunk cannot load (a blocker, invalid options): about 0.5 MB at most. */
const AHEAD_CAP = 1000;

/**
 * Connects the page to the site's queue (the service worker when one can run, else the in-page queue),
 * loading its code lazily; never throws: invalid options reject every later call (WorkerError
 * `invalid_options`).
 */
export function connectQueue(options: QueueOptions): InspectableQueueClient {
  const siteKey = options?.siteKey;
  // No write-ahead entries under a key no valid page would ever read back.
  const storage = typeof siteKey === 'string' && siteKey ? pageStorage() : undefined;
  // Events enqueued before the chunk opened the queue (their entries may have failed: blocked storage).
  let early: TrackedEvent[] = [];
  let queue: InspectableQueueClient | undefined;
  const connecting = loadScript<QueueChunk>(
    options?.queueUrl ??
      (ownScript ? new URL('leadlight-queue.js', ownScript).href : `${options?.endpoint}/leadlight-queue.js`),
    'LeadlightQueue',
  ).then((chunk) => (queue = chunk.open(options, early)));
  // Events wait in the write-ahead log for a later page (the newest AHEAD_CAP of them, should the chunk never
  // load for this visitor); calls reject with the reason.
  connecting.catch((error) => {
    trimAhead(storage, siteKey, AHEAD_CAP);
    if (options?.debug) console.debug('[leadlight queue]', error);
  });
  const call = <K extends 'flush' | 'score' | 'stats' | 'purge'>(name: K) =>
    (() => connecting.then((q): Promise<unknown> => q[name]())) as InspectableQueueClient[K];
  const purge = call('purge');

  return {
    get mode() {
      return queue?.mode ?? 'pending';
    },
    enqueue(event) {
      writeAhead(storage, siteKey, event);
      if (queue) queue.enqueue(event);
      else early.push(event);
    },
    flush: call('flush'),
    score: call('score'),
    stats: call('stats'),
    onScore(callback) {
      // Both steps wait for the chunk, in order: unsubscribing before it connects cancels the subscription.
      let off: () => void;
      connecting.then((q) => {
        off = q.onScore(callback);
      }, ignore);
      return () => void connecting.then(() => off(), ignore);
    },
    // Consent denied: nothing of this page may stay, even if the chunk never arrives.
    purge() {
      early = [];
      clearAhead(storage, siteKey);
      return purge();
    },
    close() {
      connecting.then((q) => q.close(), ignore);
    },
  };
}
