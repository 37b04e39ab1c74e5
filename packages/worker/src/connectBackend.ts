// The page's connection to the queue: registers the service worker and reaches it over comlink's wire format,
// or, only where no service worker can run, loads the in-page queue (leadlight-page-queue.js: the queue
// engine and IndexedDB) and runs it here, with scoring (leadlight-scoring.js) once the page shows scores.
import type { ScoreResult } from '@leadlight/scoring-core';
import { callPort, type PortCall } from './callPort.js';
import { PAGE_QUEUE_CHUNK, SCORING_CHUNK } from './chunkNames.js';
import { loadChunk } from './loadScript.js';
import type { createPageQueue } from './pageQueue.js';
import type { PeerMessage, QueueApi, QueueBackend, QueueConfig, WorkerMessage } from './protocol.js';
import { peerChannelName } from './queueDeps.js';
import type { QueueScoring } from './queueScoring.js';
import { WorkerError } from './workerError.js';

/** What the in-page queue chunk (`leadlight-page-queue.js`) puts on `globalThis.LeadlightPageQueue`. */
export interface PageQueueChunk {
  createPageQueue: typeof createPageQueue;
}

const timeout = <T>(promise: Promise<T>, ms: number): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const handle = setTimeout(() => reject(new WorkerError('timeout', `${ms} ms`)), ms);
    promise.then(resolve, reject).finally(() => clearTimeout(handle));
  });

async function activeWorker(registration: ServiceWorkerRegistration): Promise<ServiceWorker> {
  const pending = registration.installing ?? registration.waiting;
  if (!registration.active && pending) {
    await timeout(
      new Promise<void>((resolve, reject) => {
        pending.addEventListener('statechange', () => {
          if (pending.state === 'activated') resolve();
          else if (pending.state === 'redundant') reject(new WorkerError('sw_redundant', 'install failed'));
        });
      }),
      10_000,
    );
  }
  if (!registration.active) throw new WorkerError('sw_inactive', 'not active');
  return registration.active;
}

async function connectWorker(
  config: QueueConfig,
  sw: { path: string; scope?: string },
  deliver: (score: ScoreResult) => void,
): Promise<QueueBackend> {
  const container = navigator.serviceWorker;
  const registering = container.register(sw.path, sw.scope ? { scope: sw.scope } : undefined);
  let registration: ServiceWorkerRegistration | undefined;
  registering.then(
    (r) => {
      registration = r;
    },
    () => {},
  );
  // register() is a job the browser queues behind its update checks of the worker script, which start once
  // the worker is idle after a navigation: seconds when pages follow quickly. A page our worker controls
  // already connects at once, so its events and scores do not wait for that check.
  const controller = container.controller;
  let worker =
    controller?.scriptURL === new URL(sw.path, document.baseURI).href
      ? controller
      : await activeWorker(await registering);
  let port: ReturnType<typeof callPort> | undefined;
  let lastReply = 0;
  // A port to a stopped worker goes silent, and only a message event wakes a worker: so after a quiet
  // spell, or when a call times out, post a fresh MessageChannel to whichever worker is active now.
  const open = () => {
    worker = registration?.active ?? container.controller ?? worker;
    const channel = new MessageChannel();
    worker.postMessage({ leadlight: 'connect', config } satisfies WorkerMessage, [channel.port2]);
    port?.release();
    port = callPort(channel.port1);
    lastReply = Date.now();
  };
  open();
  const onControllerChange = () => open();
  container.addEventListener('controllerchange', onControllerChange);
  const channel = new BroadcastChannel(peerChannelName(config.siteKey));
  channel.onmessage = (event: MessageEvent<PeerMessage>) => {
    if (event.data?.t === 'score') deliver(event.data.score);
  };
  const call = async (...args: Parameters<PortCall>) => {
    if (Date.now() - lastReply > 15_000) open();
    let result: unknown;
    try {
      result = await timeout(port!.call(...args), 5_000);
    } catch {
      open();
      result = await timeout(port!.call(...args), 15_000);
    }
    lastReply = Date.now();
    return result;
  };
  return {
    mode: 'sw',
    api: {
      add: (events) => call('add', events),
      flush: () => call('flush'),
      score: () => call('score'),
      purge: () => call('purge'),
      stats: () => call('stats'),
    } as QueueApi,
    hide(buffered) {
      // A message event is extendable: the worker stays alive to store and send after the page is gone.
      const message: WorkerMessage = buffered.length
        ? { leadlight: 'add', config, events: buffered }
        : { leadlight: 'flush', config };
      (registration?.active ?? worker).postMessage(message);
    },
    close() {
      container.removeEventListener('controllerchange', onControllerChange);
      channel.close();
      port?.release();
    },
  };
}

/**
 * Connects to the service worker when one is configured and can run, else loads the in-page queue (from
 * `queueUrl`, or next to Leadlight's script, or the collector) and runs it in this page.
 */
export async function connectBackend(
  config: QueueConfig,
  sw: { path: string; scope?: string } | false | undefined,
  deliver: (score: ScoreResult) => void,
  queueUrl?: string,
): Promise<QueueBackend> {
  if (sw && 'serviceWorker' in navigator) {
    try {
      return await connectWorker(config, sw, deliver);
    } catch (error) {
      // Private mode, blocked storage, an insecure origin, a 404 script: fall back to the page.
      if (config.debug) console.debug('[leadlight queue] no service worker', error);
    }
  }
  const chunk = await loadChunk<PageQueueChunk>(
    PAGE_QUEUE_CHUNK,
    'LeadlightPageQueue',
    config.endpoint,
    queueUrl,
  );
  const queue = chunk.createPageQueue(config, deliver);
  // Scoring loads through this script's loader too: a page allows one Trusted Types policy named leadlight.
  let scoring = false;
  const liveScores = () => {
    if (scoring) return;
    scoring = true;
    // Without it the page keeps showing the collector's scores.
    loadChunk<QueueScoring>(SCORING_CHUNK, 'LeadlightScoring', config.endpoint).then(
      queue.useScoring,
      () => {},
    );
  };
  // Local-only scores only on the device: it needs scoring at once.
  if (!config.send) liveScores();
  return {
    mode: 'page',
    api: queue,
    hide: (buffered) => {
      queue.beacon(buffered);
    },
    liveScores,
    close: () => queue.close(),
  };
}
