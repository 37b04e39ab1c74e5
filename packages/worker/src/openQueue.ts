// The page's side of the queue: option checks, the write-ahead entries, the hand-over pump to the backend (the
// service worker, or the lazily loaded in-page queue), write-ahead replay, page lifecycle listeners and the
// score cache.
import type { ScoreResult, TrackedEvent } from '@leadlight/scoring-core';
import { connectBackend } from './connectBackend.js';
import { DEFAULT_LIMITS, resolveLimits } from './flushPolicy.js';
import { listenPageHide } from './listenPageHide.js';
import type {
  FlushResult,
  InspectableQueueClient,
  QueueBackend,
  QueueConfig,
  QueueOptions,
  QueueStats,
} from './protocol.js';
import { WorkerError } from './workerError.js';
import { clearAhead, pageStorage, readAhead, removeAhead, trimAhead, writeAhead } from './writeAheadLog.js';

/** Write-ahead entries kept when the queue cannot connect (a blocker, offline): about 0.5 MB at most. */
const AHEAD_CAP = 1000;

/** The endpoint rule, shared with the SDK's option checks (so its options need no second check): http(s). */
export const isHttpUrl = (value: unknown): value is string =>
  typeof value === 'string' && /^https?:\/\//.test(value);

/**
 * Options whose caller checked them at least as strictly as `checkOptions` (the SDK: its option checks use
 * `isHttpUrl`); without limits, so the queue takes `DEFAULT_LIMITS`.
 */
export type CheckedQueueOptions = Omit<QueueOptions, 'limits'>;

/** The queue's config from checked options. */
const configOf = (options: CheckedQueueOptions, limits = DEFAULT_LIMITS): QueueConfig => ({
  endpoint: options.endpoint.replace(/\/+$/, ''),
  siteKey: options.siteKey,
  send: options.send !== false,
  automated: !!options.automated,
  debug: !!options.debug,
  limits,
});

/** Checks what the page passed to `connectQueue`, naming the bad field; throws WorkerError `invalid_options`. */
export function checkOptions(options: QueueOptions): QueueConfig {
  const fail = (message: string): never => {
    throw new WorkerError('invalid_options', message);
  };
  if (!options || typeof options !== 'object') fail('options: expected an object');
  if (!isHttpUrl(options.endpoint)) {
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
  return configOf(options, limits);
}

/**
 * Opens the page's queue (`early`: events an older script-tag client held, already written ahead, before it
 * loaded this code as a chunk). Throws WorkerError `invalid_options`; everything later is logged.
 */
export function openQueue(options: QueueOptions, early: TrackedEvent[] = []): InspectableQueueClient {
  return openSession(checkOptions(options), options, early);
}

/** `openQueue` for checked options: no second check (nor its code in the script tag that bundles this). */
export const openCheckedQueue = (options: CheckedQueueOptions): InspectableQueueClient =>
  openSession(configOf(options), options, []);

function openSession(
  config: QueueConfig,
  options: CheckedQueueOptions,
  early: TrackedEvent[],
): InspectableQueueClient {
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
        log('onScore threw', error);
      }
    }
  };

  let mode: InspectableQueueClient['mode'] = 'pending';
  let backend: QueueBackend | undefined;
  let closed = false;
  const connecting: Promise<QueueBackend> = connectBackend(
    config,
    options.serviceWorker,
    deliver,
    options.queueUrl,
  ).then((connected) => {
    // Closed while connecting (consent denied, SPA teardown): the backend must not stay open behind it.
    if (closed) connected.close();
    backend = connected;
    mode = connected.mode;
    return connected;
  });
  // Events wait in the write-ahead log for a later page (the newest AHEAD_CAP of them, should the queue never
  // connect for this visitor); calls reject with the reason.
  connecting.catch((error) => {
    trimAhead(storage, siteKey, AHEAD_CAP);
    log('queue unavailable; events kept', error);
  });

  // Leftovers of earlier pages (closed before IndexedDB had them) go first, then this page's early events
  // (their write-ahead entries are among the leftovers, or missing where storage is blocked); adding is
  // idempotent by id anyway.
  const earlyIds = new Set(early.map((e) => e.id));
  let buffer: TrackedEvent[] = [...readAhead(storage, siteKey).filter((e) => !earlyIds.has(e.id)), ...early];
  let scheduled = false;
  // Hand-overs run one after another, so a flush that waits for the chain sees every earlier enqueue.
  let handing: Promise<void> = Promise.resolve();
  /** The events of the hand-over under way: stored by no one yet, so pagehide hands them over too. */
  let inTransit: TrackedEvent[] = [];
  // Events leave the buffer only once the backend is connected: until then `purge` (consent denied) can still
  // drop every one of them, and a hand-over never carries an event purged while it waited.
  const pump = () => {
    scheduled = false;
    handing = handing.then(async () => {
      const connected = await connecting.catch(() => undefined);
      const events = buffer;
      if (!connected || !events.length) return;
      buffer = [];
      inTransit = events;
      try {
        await connected.api.add(events);
        removeAhead(
          storage,
          siteKey,
          events.map((e) => e.id),
        );
      } catch (error) {
        log('hand-over failed; events kept', error);
      }
      inTransit = [];
    });
    return handing;
  };
  const schedulePump = () => {
    if (scheduled) return;
    scheduled = true;
    setTimeout(pump, 0);
  };
  if (buffer.length) schedulePump();

  // Hands over synchronously what is not stored yet (run twice, it hands over the same events: added once by id).
  const onHide = () => {
    if (!backend) return;
    try {
      backend.hide([...inTransit, ...buffer]);
    } catch (error) {
      log('pagehide failed', error);
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
  const listening = new AbortController();
  if (typeof window !== 'undefined') {
    const { signal } = listening;
    listenPageHide(window, onHide, { signal });
    window.addEventListener('online', flushSoon, { signal });
    document.addEventListener('visibilitychange', onVisibility, { signal });
  }

  return {
    get mode() {
      return mode;
    },
    // The client wrote the entry ahead already; this only schedules the hand-over.
    // Durable when this returns: the write-ahead entry first, the hand-over a task later.
    enqueue(event) {
      writeAhead(storage, siteKey, event);
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
    liveScores() {
      connecting.then(
        (b) => b.liveScores?.(),
        () => {},
      );
    },
    onScore(callback) {
      listeners.add(callback);
      const known = lastScore;
      if (known) queueMicrotask(() => listeners.has(callback) && callback(known));
      return () => listeners.delete(callback);
    },
    // Consent denied: nothing of this page may stay (synchronously), even if the queue never connects.
    async purge() {
      clearAhead(storage, siteKey);
      buffer = inTransit = [];
      lastScore = undefined;
      storage?.removeItem(scoreKey);
      // A hand-over already under way lands before the purge.
      await pump();
      await (await connecting).api.purge();
    },
    async stats(): Promise<QueueStats> {
      return (await connecting).api.stats();
    },
    close() {
      closed = true;
      listeners.clear();
      listening.abort();
      backend?.close();
    },
  };
}
