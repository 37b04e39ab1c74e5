import type { ScoreResult } from '@leadlight/scoring-core';
import type { QueueDeps } from './eventQueue.js';
import type { PeerMessage, QueueConfig } from './protocol.js';
import { createIdbQueueStore } from './queueStore.js';
import { createSendLock, type LockManagerLike } from './sendLock.js';

/** The real browser surroundings of a queue, in a service worker or a page. */
export function createBrowserQueueDeps(
  config: QueueConfig,
  emitScore: (score: ScoreResult) => void,
  extra: Partial<QueueDeps> & Pick<QueueDeps, 'scoring'>,
): QueueDeps {
  const scope = globalThis as unknown as {
    navigator?: { locks?: LockManagerLike };
    console: Console;
  };
  return {
    store: createIdbQueueStore(),
    fetch: (input, init) => fetch(input, init),
    now: () => Date.now(),
    random: Math.random,
    setTimeout: (run, ms) => setTimeout(run, ms),
    clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    withSendLock: createSendLock(`leadlight-send:${config.siteKey}`, scope.navigator?.locks),
    emitScore,
    warn: (message) => scope.console.warn(`[leadlight] ${message}`),
    log: config.debug
      ? (message, detail) => scope.console.debug(`[leadlight queue] ${message}`, detail ?? '')
      : undefined,
    ...extra,
  };
}

/** The site's BroadcastChannel name: score changes and queue news travel on it between tabs. */
export function peerChannelName(siteKey: string): string {
  return `leadlight:${siteKey}`;
}

/** Posts on a BroadcastChannel, ignoring a closed one (the page may be going away). */
export function postTo(channel: BroadcastChannel, message: PeerMessage): void {
  try {
    channel.postMessage(message);
  } catch {
    // closed channel: nobody to tell
  }
}
