/// <reference lib="WebWorker" />
// The service worker (dist/leadlight-sw.js): one queue for every tab of the site, reached over comlink.
import { expose } from 'comlink';
import { createEventQueue, type EventQueue } from './eventQueue.js';
import type { PeerMessage, QueueApi, QueueConfig, WorkerMessage } from './protocol.js';
import { createBrowserQueueDeps, peerChannelName, postTo } from './queueDeps.js';
import { deviceScoring } from './queueScoring.js';
import { createIdbQueueStore } from './queueStore.js';

declare const self: ServiceWorkerGlobalScope;

const SYNC_TAG = 'leadlight-drain';
const configStore = createIdbQueueStore('leadlight-sw');
let queue: EventQueue | undefined;
let queueKey = '';
let channel: BroadcastChannel | undefined;

// The worker may start with no page around (Background Sync, a restart): it then uses the last config
// a page handed it.
async function queueFor(config?: QueueConfig): Promise<EventQueue | undefined> {
  const wanted = config ?? (queue ? undefined : await configStore.getMeta<QueueConfig>('config'));
  if (wanted && JSON.stringify(wanted) !== queueKey) {
    queue?.close();
    channel?.close();
    queueKey = JSON.stringify(wanted);
    const peers = new BroadcastChannel(peerChannelName(wanted.siteKey));
    const q = createEventQueue(
      wanted,
      createBrowserQueueDeps(wanted, (score) => postTo(peers, { t: 'score', score }), {
        requestSync: () => {
          self.registration.sync?.register(SYNC_TAG).catch(() => {});
        },
        scoring: deviceScoring,
        // A purge reaches every other queue of the site that mirrors the shared store in memory: an older
        // version of this worker still running (an update, an unregistration), in-page queues. Only purges:
        // pages on this worker hear scores on this channel, and queue news stay within each worker.
        postPeers: (message) => message.t === 'purged' && postTo(peers, message),
      }),
    );
    peers.onmessage = (event: MessageEvent<PeerMessage>) => {
      if (event.data?.t === 'purged') q.receive(event.data);
    };
    queue = q;
    channel = peers;
    if (config) await configStore.setMeta('config', config);
  }
  await queue?.start();
  return queue;
}

function apiOf(q: EventQueue): QueueApi {
  return {
    add: (events) => q.add(events),
    flush: () => q.flush(),
    score: () => q.score(),
    purge: () => q.purge(),
    stats: () => q.stats(),
  };
}

self.addEventListener('install', (event) => event.waitUntil(self.skipWaiting()));
self.addEventListener('activate', (event) =>
  event.waitUntil(self.clients.claim().then(() => queueFor().then((q) => q?.drain()))),
);

self.addEventListener('message', (event) => {
  const data = event.data as WorkerMessage | undefined;
  if (!data || typeof data !== 'object' || !('leadlight' in data)) return;
  if (data.leadlight === 'connect') {
    const port = event.ports[0];
    if (!port) return;
    event.waitUntil(queueFor(data.config).then((q) => q && expose(apiOf(q), port)));
  } else if (data.leadlight === 'add') {
    // Sent on pagehide: an extendable event keeps the worker alive until the events are stored and sent.
    event.waitUntil(
      queueFor(data.config).then(async (q) => {
        await q?.add(data.events);
        await q?.flush();
      }),
    );
  } else if (data.leadlight === 'flush') {
    event.waitUntil(queueFor(data.config).then((q) => q?.flush()));
  }
});

self.addEventListener('sync', (event) => {
  if (event.tag !== SYNC_TAG) return;
  event.waitUntil(
    queueFor().then(async (q) => {
      if (!q) return;
      // A plain drain: it honors the backoff (a fresh worker has none, so it sends at once).
      await q.drain();
      const { pending } = await q.stats();
      // Rejecting asks the browser to fire the sync again later.
      if (pending) throw new Error(`leadlight: ${pending} events still queued`);
    }),
  );
});

self.addEventListener('online', () => void queueFor().then((q) => q?.resume()));

// Drain on every worker start: a restart finds whatever earlier runs left behind.
void queueFor().then((q) => q?.drain());
