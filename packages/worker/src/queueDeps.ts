import type { ScoreResult } from '@leadlight/scoring-core';
import type { PeerMessage, QueueConfig } from './protocol.js';
import type { QueueScoring } from './queueScoring.js';
import { createIdbQueueStore, type QueueStore } from './queueStore.js';
import { createSendLock, type LockManagerLike } from './sendLock.js';

/** What the queue needs from its surroundings; tests swap each one (TanStack-style injection). */
export interface QueueDeps {
  store: QueueStore;
  fetch: typeof fetch;
  now: () => number;
  random: () => number;
  setTimeout: (run: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
  /** Runs `send` holding the site's send lock; resolves false without running it when another context holds it. */
  withSendLock: (send: () => Promise<void>) => Promise<boolean>;
  /** Receives every provisional-score change. */
  emitScore: (score: ScoreResult) => void;
  /** Tells the site's other queue instances (other tabs, in page mode). */
  postPeers?: (message: PeerMessage) => void;
  /** Asks for a Background Sync, so the browser wakes the worker when the network returns. */
  requestSync?: () => void;
  sendBeacon?: (url: string, body: string) => boolean;
  log?: (message: string, detail?: unknown) => void;
  /** Told once, also outside debug mode, when the model needs a feature this build cannot score. */
  warn?: (message: string) => void;
  /** `deviceScoring`, or `snapshotScoring` (the collector's snapshots) until `useScoring` brings the former. */
  scoring: QueueScoring;
}

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
