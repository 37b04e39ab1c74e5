// The page's side of the queue (openQueue.ts: write-ahead entries, hand-over, lifecycle listeners, score cache,
// the service worker's connection): `connectQueue` checks its options first; the SDK's script tag bundles
// `connectCheckedQueue`, as it checked its own. Only a page where no service worker runs loads more: the in-page
// queue chunk.

import { type CheckedQueueOptions, openCheckedQueue, openQueue } from './openQueue.js';
import type { InspectableQueueClient, QueueOptions } from './protocol.js';
import { clearAhead, pageStorage, writeAhead } from './writeAheadLog.js';

const ignore = () => {};

/**
 * Connects the page to the site's queue (the service worker when one can run, else the in-page queue, loaded
 * lazily); never throws: invalid options reject every later call (WorkerError `invalid_options`).
 */
export function connectQueue(options: QueueOptions): InspectableQueueClient {
  try {
    return openQueue(options);
  } catch (error) {
    if (options?.debug) console.debug('[leadlight queue]', error);
    // Events keep their write-ahead entries, so a later page with valid options delivers them (none under a
    // key no valid page would ever read back).
    const siteKey = options?.siteKey;
    const storage = typeof siteKey === 'string' && siteKey ? pageStorage() : undefined;
    const fail = () => Promise.reject(error);
    return {
      mode: 'pending',
      enqueue: (event) => writeAhead(storage, siteKey, event),
      flush: fail,
      score: fail,
      stats: fail,
      purge() {
        clearAhead(storage, siteKey);
        return fail();
      },
      onScore: () => ignore,
      liveScores: ignore,
      close: ignore,
    };
  }
}

/**
 * `connectQueue` for options checked at least as strictly already (the SDK's option checks): the same queue
 * without the checks, so a script tag that validated its options does not carry them twice.
 */
export const connectCheckedQueue = (options: CheckedQueueOptions): InspectableQueueClient =>
  openCheckedQueue(options);
