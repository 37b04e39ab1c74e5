// The client the SDK bundles into its script tag, kept tiny: it writes every event ahead synchronously,
// loads the queue chunk (leadlight-queue.js) and delegates the rest to it — option checks, the hand-over
// to IndexedDB, lifecycle listeners and the score cache all live in the chunk (queueSession.ts).
import type { ScoreResult, TrackedEvent } from '@leadlight/scoring-core';
import type { InspectableQueueClient, QueueBackend, QueueConfig, QueueOptions } from './protocol.js';
import { clearAhead, pageStorage, writeAhead } from './writeAheadLog.js';

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

// The script that bundled us, read while it runs: when it is Leadlight's own script tag (leadlight*.js),
// the chunk sits next to it; a site's own bundle is not, so then the collector serves the chunk.
const current = globalThis.document?.currentScript as HTMLScriptElement | null | undefined;
const scriptSrc = current?.src;
const ownScript = scriptSrc && /\/leadlight[^/]*\.js(\?|#|$)/.test(scriptSrc) ? scriptSrc : undefined;

interface TrustedUrlPolicy {
  createScriptURL(url: string): unknown;
}
let policy: TrustedUrlPolicy | undefined;

/** Loads the queue chunk once per page with a script tag (works from a classic script-tag SDK). */
function loadChunk(url: string): Promise<QueueChunk> {
  const scope = globalThis as unknown as { LeadlightQueue?: QueueChunk };
  return new Promise<QueueChunk>((resolve, reject) => {
    if (scope.LeadlightQueue) return resolve(scope.LeadlightQueue);
    const script = document.createElement('script');
    let src: unknown = url;
    try {
      // Pages that enforce Trusted Types take a script URL only through a policy (one per page: its name
      // may be allowed only once).
      policy ??= (
        globalThis as { trustedTypes?: { createPolicy(name: string, rules: object): TrustedUrlPolicy } }
      ).trustedTypes?.createPolicy('leadlight-queue', { createScriptURL: (u: unknown) => u });
      src = policy?.createScriptURL(url) ?? url;
    } catch {
      // the site's policy list does not allow ours: a plain URL is all we can try
    }
    script.src = src as string;
    // Under a nonce-based Content-Security-Policy the chunk needs the nonce of the script that loads it.
    script.nonce = current?.nonce ?? '';
    // A plain Error, not the WorkerError class: the client stays small.
    script.onload = script.onerror = () =>
      scope.LeadlightQueue ? resolve(scope.LeadlightQueue) : reject(new Error(`could not load ${url}`));
    document.head.appendChild(script);
  });
}

const ignore = () => {};

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
  const connecting = loadChunk(
    options?.queueUrl ??
      (ownScript ? new URL('leadlight-queue.js', ownScript).href : `${options?.endpoint}/leadlight-queue.js`),
  ).then((chunk) => (queue = chunk.open(options, early)));
  // Events wait in the write-ahead log for a later page; calls reject with the reason.
  connecting.catch((error) => options?.debug && console.debug('[leadlight queue]', error));
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
