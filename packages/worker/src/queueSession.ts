// The page's side of the queue, in the lazily loaded chunk (leadlight-queue.js): option checks, the
// hand-over pump to the backend, write-ahead replay, page lifecycle listeners and the score cache. The
// client the SDK bundles (connectQueue.ts) only writes ahead, loads this chunk and delegates to it.
import type { ScoreResult, TrackedEvent } from '@leadlight/scoring-core';
import { resolveLimits } from './flushPolicy.js';
import type {
  FlushResult,
  InspectableQueueClient,
  QueueBackend,
  QueueConfig,
  QueueOptions,
  QueueStats,
} from './protocol.js';
import { connectBackend } from './queueConnector.js';
import { WorkerError } from './workerError.js';
import { pageStorage, readAhead, removeAhead } from './writeAheadLog.js';

/** Checks what the page passed to `connectQueue`, naming the bad field; throws WorkerError `invalid_options`. */
export function checkOptions(options: QueueOptions): QueueConfig {
  const fail = (message: string): never => {
    throw new WorkerError('invalid_options', message);
  };
  if (!options || typeof options !== 'object') fail('options: expected an object');
  if (typeof options.endpoint !== 'string' || !/^https?:\/\//.test(options.endpoint)) {
    fail(`endpoint: expected an http(s) URL, got ${JSON.stringify(options.endpoint)}`);
  }
  if (typeof options.siteKey !== 'string' || !options.siteKey) fail('siteKey: expected a non-empty string');
  const sw = options.serviceWorker;
  if (sw && typeof sw.path !== 'string') fail('serviceWorker.path: expected a string');
  if (options.queueUrl !== undefined && typeof options.queueUrl !== 'string') {
    fail('queueUrl: expected a string');
  }
  let limits: QueueConfig['limits'] | undefined;
  try {
    limits = resolveLimits(options.limits);
  } catch (error) {
    fail((error as Error).message);
  }
  return {
    endpoint: options.endpoint.replace(/\/+$/, ''),
    siteKey: options.siteKey,
    send: options.send !== false,
    automated: !!options.automated,
    debug: !!options.debug,
    limits: limits!,
  };
}

/**
 * Opens the queue for a page whose client already wrote `early` ahead (and keeps writing every later event
 * ahead before handing it to `enqueue`). Throws WorkerError `invalid_options`; everything later is logged.
 */
export function openQueue(options: QueueOptions, early: TrackedEvent[]): InspectableQueueClient {
  const config = checkOptions(options);
  const storage = pageStorage();
  const siteKey = config.siteKey;
  const scoreKey = `ll:s:${siteKey}`;
  const listeners = new Set<(score: ScoreResult) => void>();
  const log = (message: string, detail?: unknown) => {
    if (config.debug) console.debug(`[leadlight queue] ${message}`, detail ?? '');
  };
  let lastScore: ScoreResult | undefined;
  try {
    lastScore = JSON.parse(storage?.getItem(scoreKey) ?? 'null') ?? undefined;
  } catch {
    lastScore = undefined;
  }
  const deliver = (score: ScoreResult) => {
    lastScore = score;
    try {
      storage?.setItem(scoreKey, JSON.stringify(score));
    } catch {
      // the cached score is a convenience
    }
    for (const listener of listeners) {
      try {
        listener(score);
      } catch (error) {
        log('onScore callback threw', error);
      }
    }
  };

  let mode: InspectableQueueClient['mode'] = 'pending';
  let backend: QueueBackend | undefined;
  let closed = false;
  const connecting: Promise<QueueBackend> = connectBackend(config, options.serviceWorker, deliver).then(
    (connected) => {
      // Closed while connecting (consent denied, SPA teardown): the backend must not stay open behind it.
      if (closed) connected.close();
      backend = connected;
      mode = connected.mode;
      return connected;
    },
  );
  connecting.catch((error) => log('queue unavailable; events wait in the write-ahead log', error));

  // Leftovers of earlier pages (closed before IndexedDB had them) go first, then this page's early events
  // (their write-ahead entries are among the leftovers, or missing where storage is blocked); adding is
  // idempotent by id anyway.
  const earlyIds = new Set(early.map((e) => e.id));
  let buffer: TrackedEvent[] = [...readAhead(storage, siteKey).filter((e) => !earlyIds.has(e.id)), ...early];
  let scheduled = false;
  // Hand-overs run one after another, so a flush that waits for the chain sees every earlier enqueue.
  let handing: Promise<void> = Promise.resolve();
  const pump = () => {
    scheduled = false;
    const events = buffer;
    buffer = [];
    if (events.length) {
      handing = handing.then(async () => {
        try {
          await (await connecting).api.add(events);
          removeAhead(
            storage,
            siteKey,
            events.map((e) => e.id),
          );
        } catch (error) {
          log('could not hand events to the queue; they stay in the write-ahead log', error);
        }
      });
    }
    return handing;
  };
  const schedulePump = () => {
    if (scheduled) return;
    scheduled = true;
    setTimeout(pump, 0);
  };
  if (buffer.length) schedulePump();

  const onHide = () => {
    if (!backend) return;
    try {
      backend.hide(buffer);
    } catch (error) {
      log('pagehide hand-over failed', error);
    }
  };
  const flushSoon = () => {
    void pump()
      .then(() => connecting)
      .then((b) => b.api.flush())
      .catch((error) => log('flush failed', error));
  };
  // Hidden is often the last moment a mobile page gets: send now, while fetch still works.
  const onVisibility = () => {
    if (document.visibilityState === 'hidden') flushSoon();
  };
  if (typeof window !== 'undefined') {
    window.addEventListener('pagehide', onHide);
    window.addEventListener('online', flushSoon);
    document.addEventListener('visibilitychange', onVisibility);
  }

  return {
    get mode() {
      return mode;
    },
    // The client wrote the entry ahead already; this only schedules the hand-over.
    enqueue(event) {
      buffer.push(event);
      schedulePump();
    },
    async flush(): Promise<FlushResult> {
      await pump();
      return (await connecting).api.flush();
    },
    async score() {
      if (!backend && lastScore) return lastScore;
      return (await connecting).api.score();
    },
    onScore(callback) {
      listeners.add(callback);
      const known = lastScore;
      if (known) queueMicrotask(() => listeners.has(callback) && callback(known));
      return () => listeners.delete(callback);
    },
    async purge() {
      buffer = [];
      lastScore = undefined;
      storage?.removeItem(scoreKey);
      // The client cleared the write-ahead entries; a hand-over already under way lands before the purge.
      await pump();
      await (await connecting).api.purge();
    },
    async stats(): Promise<QueueStats> {
      return (await connecting).api.stats();
    },
    close() {
      closed = true;
      listeners.clear();
      if (typeof window !== 'undefined') {
        window.removeEventListener('pagehide', onHide);
        window.removeEventListener('online', flushSoon);
        document.removeEventListener('visibilitychange', onVisibility);
      }
      backend?.close();
    },
  };
}
