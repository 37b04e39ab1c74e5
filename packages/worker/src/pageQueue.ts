import type { ScoreResult } from '@leadlight/scoring-core';
import { createEventQueue } from './eventQueue.js';
import type { QueueConfig } from './protocol.js';
import { createBrowserQueueDeps, peerChannelName, postTo } from './queueDeps.js';
import { snapshotScoring } from './queueScoring.js';

/**
 * Runs the site's queue in this page; tabs share IndexedDB, a Web Lock elects the sender. It shows the
 * collector's scores until `useScoring` brings scoring on the device (connectBackend.ts loads it).
 */
export function createPageQueue(config: QueueConfig, emitScore: (score: ScoreResult) => void) {
  const channel = new BroadcastChannel(peerChannelName(config.siteKey));
  const queue = createEventQueue(
    config,
    createBrowserQueueDeps(config, emitScore, {
      postPeers: (message) => postTo(channel, message),
      sendBeacon: (url, body) => navigator.sendBeacon(url, body),
      scoring: snapshotScoring,
    }),
  );
  channel.onmessage = (event) => queue.receive(event.data);
  addEventListener('online', () => void queue.resume());
  void queue.start();
  return queue;
}
