import type { ScoreResult, TrackedEvent } from '@leadlight/scoring-core';
import { type Remote, releaseProxy, wrap } from 'comlink';
import { resolveLimits } from './flushPolicy.js';
import type {
  FlushResult,
  PeerMessage,
  QueueApi,
  QueueClient,
  QueueConfig,
  QueueOptions,
  QueueStats,
  WorkerMessage,
} from './protocol.js';
import { WorkerError } from './workerError.js';
import { createWriteAheadLog } from './writeAheadLog.js';

/** What the in-page chunk (`leadlight-queue.js`) puts on `globalThis.LeadlightQueue`. */
export interface PageQueueModule {
  createPageQueue(
    config: QueueConfig,
    emitScore: (score: ScoreResult) => void,
  ): QueueApi & { beacon(extra: TrackedEvent[]): boolean; drain(): Promise<void> };
}

interface Backend {
  api: Pick<QueueApi, 'add' | 'flush' | 'score' | 'purge' | 'stats'>;
  /** pagehide: hand over what is not yet stored, best effort and synchronous. */
  hide(buffered: TrackedEvent[]): void;
  close(): void;
}

// The script that bundled us, read while it runs: the in-page chunk sits next to it.
const scriptSrc =
  typeof document !== 'undefined' ? (document.currentScript as HTMLScriptElement | null)?.src : undefined;

const timeout = <T>(promise: Promise<T>, ms: number): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const handle = setTimeout(() => reject(new WorkerError('timeout', `no answer within ${ms} ms`)), ms);
    promise.then(resolve, reject).finally(() => clearTimeout(handle));
  });

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

async function activeWorker(registration: ServiceWorkerRegistration): Promise<ServiceWorker> {
  const pending = registration.installing ?? registration.waiting;
  if (!registration.active && pending) {
    await timeout(
      new Promise<void>((resolve, reject) => {
        pending.addEventListener('statechange', () => {
          if (pending.state === 'activated') resolve();
          else if (pending.state === 'redundant')
            reject(new WorkerError('sw_redundant', 'service worker failed to install'));
        });
      }),
      10_000,
    );
  }
  if (!registration.active) throw new WorkerError('sw_inactive', 'no active service worker');
  return registration.active;
}

async function connectWorker(
  config: QueueConfig,
  sw: { path: string; scope?: string },
  deliver: (score: ScoreResult) => void,
): Promise<Backend> {
  const container = navigator.serviceWorker;
  const registration = await container.register(sw.path, sw.scope ? { scope: sw.scope } : undefined);
  let worker = await activeWorker(registration);
  let api: Remote<QueueApi> | undefined;
  let lastReply = 0;
  // A port to a stopped worker goes silent, and only a message event wakes a worker: so after a quiet
  // spell, or when a call times out, post a fresh MessageChannel to whichever worker is active now.
  const open = () => {
    worker = registration.active ?? container.controller ?? worker;
    const channel = new MessageChannel();
    worker.postMessage({ leadlight: 'connect', config } satisfies WorkerMessage, [channel.port2]);
    api?.[releaseProxy]();
    api = wrap<QueueApi>(channel.port1);
    lastReply = Date.now();
  };
  open();
  const onControllerChange = () => open();
  container.addEventListener('controllerchange', onControllerChange);
  const channel = new BroadcastChannel(`leadlight:${config.siteKey}`);
  channel.onmessage = (event: MessageEvent<PeerMessage>) => {
    if (event.data?.t === 'score') deliver(event.data.score);
  };
  const call = async <T>(run: (remote: Remote<QueueApi>) => Promise<T>): Promise<T> => {
    if (Date.now() - lastReply > 15_000) open();
    try {
      const result = await timeout(run(api!), 5_000);
      lastReply = Date.now();
      return result;
    } catch {
      open();
      const result = await timeout(run(api!), 15_000);
      lastReply = Date.now();
      return result;
    }
  };
  return {
    api: {
      add: (events) => call((r) => r.add(events)),
      flush: () => call((r) => r.flush()),
      score: () => call((r) => r.score()),
      purge: () => call((r) => r.purge()),
      stats: () => call((r) => r.stats()),
    },
    hide(buffered) {
      // A message event is extendable: the worker stays alive to store and send after the page is gone.
      const message: WorkerMessage = buffered.length
        ? { leadlight: 'add', config, events: buffered }
        : { leadlight: 'flush', config };
      (registration.active ?? worker).postMessage(message);
    },
    close() {
      container.removeEventListener('controllerchange', onControllerChange);
      channel.close();
      api?.[releaseProxy]();
    },
  };
}

async function connectPage(
  config: QueueConfig,
  queueUrl: string,
  deliver: (score: ScoreResult) => void,
): Promise<Backend> {
  const scope = globalThis as unknown as { LeadlightQueue?: PageQueueModule };
  if (!scope.LeadlightQueue) {
    await new Promise<void>((resolve, reject) => {
      const script = document.createElement('script');
      script.src = queueUrl;
      script.async = true;
      script.onload = () => resolve();
      script.onerror = () => reject(new WorkerError('chunk_failed', `could not load ${queueUrl}`));
      document.head.appendChild(script);
    });
  }
  if (!scope.LeadlightQueue)
    throw new WorkerError('chunk_failed', `${queueUrl} did not define LeadlightQueue`);
  const queue = scope.LeadlightQueue.createPageQueue(config, deliver);
  return {
    api: queue,
    hide: (buffered) => {
      queue.beacon(buffered);
    },
    close: () => {},
  };
}

/** Connects the page to the site's queue: the service worker when one can run, else the in-page chunk. */
export function connectQueue(options: QueueOptions): QueueClient {
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

  let mode: QueueClient['mode'] = 'pending';
  let backend: Backend | undefined;
  const queueUrl =
    options.queueUrl ??
    (scriptSrc ? new URL('leadlight-queue.js', scriptSrc).href : `${config.endpoint}/leadlight-queue.js`);
  const sw = options.serviceWorker;
  const connecting: Promise<Backend> = (async () => {
    if (sw && typeof navigator !== 'undefined' && 'serviceWorker' in navigator) {
      try {
        backend = await connectWorker(config, sw, deliver);
        mode = 'sw';
        return backend;
      } catch (error) {
        // Private mode, blocked storage, an insecure origin, a 404 script: fall back to the page.
        log('service worker unavailable; queueing in the page', error);
      }
    }
    backend = await connectPage(config, queueUrl, deliver);
    mode = 'page';
    return backend;
  })();
  connecting.catch((error) => log('queue unavailable; events wait in the write-ahead log', error));

  // Leftovers of an earlier page (closed before IndexedDB had them) go first; adding is idempotent by id.
  let buffer: TrackedEvent[] = wal.readAll();
  let scheduled = false;
  const pump = async () => {
    scheduled = false;
    const events = buffer;
    buffer = [];
    if (!events.length) return;
    try {
      await (await connecting).api.add(events);
      wal.remove(events.map((e) => e.id));
    } catch (error) {
      log('could not hand events to the queue; they stay in the write-ahead log', error);
    }
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
  // Hidden is often the last moment a mobile page gets: send now, while fetch still works.
  const onVisibility = () => {
    if (document.visibilityState === 'hidden') {
      void pump()
        .then(() => connecting)
        .then((b) => b.api.flush())
        .catch((error) => log('flush on hide failed', error));
    }
  };
  if (typeof window !== 'undefined') {
    window.addEventListener('pagehide', onHide);
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
        document.removeEventListener('visibilitychange', onVisibility);
      }
      backend?.close();
    },
  };
}
