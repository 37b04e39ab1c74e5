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
import { WorkerError } from './workerError.js';
import { createWriteAheadLog } from './writeAheadLog.js';

/** What the lazily loaded chunk (`leadlight-queue.js`) puts on `globalThis.LeadlightQueue`. */
export interface QueueChunk {
  connect(
    config: QueueConfig,
    sw: QueueOptions['serviceWorker'],
    deliver: (score: ScoreResult) => void,
  ): Promise<QueueBackend>;
}

// The script that bundled us, read while it runs: when it is Leadlight's own script tag (leadlight*.js),
// the chunk sits next to it; a site's own bundle is not, so then the collector serves the chunk.
const scriptSrc =
  typeof document !== 'undefined' ? (document.currentScript as HTMLScriptElement | null)?.src : undefined;
const ownScript = scriptSrc && /\/leadlight[^/]*\.js(\?|#|$)/.test(scriptSrc) ? scriptSrc : undefined;

/** Loads the queue chunk once per page with a script tag (works from a classic script-tag SDK). */
function loadChunk(url: string): Promise<QueueChunk> {
  const scope = globalThis as unknown as { LeadlightQueue?: QueueChunk };
  if (scope.LeadlightQueue) return Promise.resolve(scope.LeadlightQueue);
  return new Promise<QueueChunk>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = url;
    script.async = true;
    script.onload = () =>
      scope.LeadlightQueue
        ? resolve(scope.LeadlightQueue)
        : reject(new WorkerError('chunk_failed', `${url} did not define LeadlightQueue`));
    script.onerror = () => reject(new WorkerError('chunk_failed', `could not load ${url}`));
    document.head.appendChild(script);
  });
}

function checkOptions(options: QueueOptions): QueueConfig {
  if (!options || typeof options !== 'object')
    throw new WorkerError('invalid_options', 'options: expected an object');
  if (typeof options.endpoint !== 'string' || !/^https?:\/\//.test(options.endpoint)) {
    throw new WorkerError(
      'invalid_options',
      `endpoint: expected an http(s) URL, got ${JSON.stringify(options.endpoint)}`,
    );
  }
  if (typeof options.siteKey !== 'string' || !options.siteKey) {
    throw new WorkerError('invalid_options', 'siteKey: expected a non-empty string');
  }
  const sw = options.serviceWorker;
  if (sw && typeof sw.path !== 'string') {
    throw new WorkerError('invalid_options', 'serviceWorker.path: expected a string');
  }
  let limits: QueueConfig['limits'];
  try {
    limits = resolveLimits(options.limits);
  } catch (error) {
    throw new WorkerError('invalid_options', (error as Error).message);
  }
  return {
    endpoint: options.endpoint.replace(/\/+$/, ''),
    siteKey: options.siteKey,
    send: options.send !== false,
    automated: !!options.automated,
    debug: !!options.debug,
    limits,
  };
}

/** Connects the page to the site's queue: the service worker when one can run, else the in-page chunk. */
export function connectQueue(options: QueueOptions): InspectableQueueClient {
  const config = checkOptions(options);
  const storage = (() => {
    try {
      return globalThis.localStorage;
    } catch {
      return undefined; // storage blocked: events are durable once the queue has them
    }
  })();
  const wal = createWriteAheadLog(storage, config.siteKey);
  const scoreKey = `ll:s:${config.siteKey}`;
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
  const queueUrl =
    options.queueUrl ??
    (ownScript ? new URL('leadlight-queue.js', ownScript).href : `${config.endpoint}/leadlight-queue.js`);
  const connecting: Promise<QueueBackend> = loadChunk(queueUrl)
    .then((chunk) => chunk.connect(config, options.serviceWorker, deliver))
    .then((connected) => {
      backend = connected;
      mode = connected.mode;
      return connected;
    });
  connecting.catch((error) => log('queue unavailable; events wait in the write-ahead log', error));

  // Leftovers of an earlier page (closed before IndexedDB had them) go first; adding is idempotent by id.
  let buffer: TrackedEvent[] = wal.readAll();
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
          wal.remove(events.map((e) => e.id));
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
    const pending = buffer;
    try {
      backend.hide(pending);
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
    enqueue(event) {
      wal.write(event);
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
      wal.clear();
      lastScore = undefined;
      storage?.removeItem(scoreKey);
      await (await connecting).api.purge();
    },
    async stats(): Promise<QueueStats> {
      return (await connecting).api.stats();
    },
    close() {
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
