// The heavy half of the client, in the lazily loaded chunk (leadlight-queue.js): registers the service
// worker and reaches it over comlink, or runs the queue in the page when no service worker can run.
import type { ScoreResult } from '@leadlight/scoring-core';
import { type Remote, releaseProxy, wrap } from 'comlink';
import { createPageQueue } from './pageQueue.js';
import type { PeerMessage, QueueApi, QueueBackend, QueueConfig, WorkerMessage } from './protocol.js';
import { peerChannelName } from './queueDeps.js';
import { WorkerError } from './workerError.js';

const timeout = <T>(promise: Promise<T>, ms: number): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const handle = setTimeout(() => reject(new WorkerError('timeout', `no answer within ${ms} ms`)), ms);
    promise.then(resolve, reject).finally(() => clearTimeout(handle));
  });

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
): Promise<QueueBackend> {
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
  const channel = new BroadcastChannel(peerChannelName(config.siteKey));
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
    mode: 'sw',
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

/** Connects to the service worker when one is configured and can run, else runs the queue in this page. */
export async function connectBackend(
  config: QueueConfig,
  sw: { path: string; scope?: string } | false | undefined,
  deliver: (score: ScoreResult) => void,
): Promise<QueueBackend> {
  if (sw && 'serviceWorker' in navigator) {
    try {
      return await connectWorker(config, sw, deliver);
    } catch (error) {
      // Private mode, blocked storage, an insecure origin, a 404 script: fall back to the page.
      if (config.debug)
        console.debug('[leadlight queue] service worker unavailable; queueing in the page', error);
    }
  }
  const queue = createPageQueue(config, deliver);
  return {
    mode: 'page',
    api: queue,
    hide: (buffered) => {
      queue.beacon(buffered);
    },
    close: () => queue.close(),
  };
}
