// The client the SDK bundles into its script tag: it writes every event ahead synchronously and runs the page's
// side of the queue (queueSession.ts: option checks, hand-over, lifecycle listeners, score cache, the service
// worker's connection). Only a page where no service worker runs loads more: the in-page queue chunk.

import type { InspectableQueueClient, QueueOptions } from './protocol.js';
import { openQueue } from './queueSession.js';
import { clearAhead, pageStorage, writeAhead } from './writeAheadLog.js';

const ignore = () => {};

/**
 * Connects the page to the site's queue (the service worker when one can run, else the in-page queue, loaded
 * lazily); never throws: invalid options reject every later call (WorkerError `invalid_options`).
 */
export function connectQueue(options: QueueOptions): InspectableQueueClient {
  const siteKey = options?.siteKey;
  // No write-ahead entries under a key no valid page would ever read back.
  const storage = typeof siteKey === 'string' && siteKey ? pageStorage() : undefined;
  let session: InspectableQueueClient;
  try {
    session = openQueue(options);
  } catch (error) {
    // Events keep their write-ahead entries, so a later page with valid options delivers them.
    if (options?.debug) console.debug('[leadlight queue]', error);
    const fail = () => Promise.reject(error);
    session = {
      mode: 'pending',
      enqueue: ignore,
      flush: fail,
      score: fail,
      stats: fail,
      purge: fail,
      onScore: () => ignore,
      close: ignore,
    };
  }
  return {
    get mode() {
      return session.mode;
    },
    enqueue(event) {
      writeAhead(storage, siteKey, event);
      session.enqueue(event);
    },
    flush: () => session.flush(),
    score: () => session.score(),
    stats: () => session.stats(),
    onScore: (callback) => session.onScore(callback),
    // Consent denied: nothing of this page may stay, even if the queue never connects.
    purge() {
      clearAhead(storage, siteKey);
      return session.purge();
    },
    close: () => session.close(),
  };
}
