// The test page's script: connects the queue the way the SDK does and exposes a handle to the tests.
import type { ScoreResult, TrackedEvent } from '@leadlight/scoring-core';
import { createUuidV7 } from '@leadlight/scoring-core/uuidV7';
import { connectQueue } from '@leadlight/worker';

const params = new URLSearchParams(location.search);
const anonymousId = params.get('anon') ?? 'anon-test';
const uuidv7 = createUuidV7((bytes) => crypto.getRandomValues(bytes));

const client = connectQueue({
  endpoint: params.get('endpoint') ?? location.origin,
  siteKey: 'pk_test',
  serviceWorker: params.get('sw') === '1' ? { path: '/leadlight-sw.js', scope: '/' } : false,
  queueUrl: params.get('queueUrl') ?? undefined,
  send: params.get('send') !== '0',
  automated: true,
  debug: params.has('debug'),
  limits: {
    batchDelayMs: Number(params.get('delay') ?? 100),
    retryBaseMs: 200,
    retryMaxMs: 2_000,
    requestTimeoutMs: 5_000,
    ...(params.has('maxEvents') ? { maxEvents: Number(params.get('maxEvents')) } : {}),
  },
});

// Like a page with onScore callbacks of its own: an in-page queue then scores on the device.
if (params.get('live') !== '0') client.liveScores();

const scores: ScoreResult[] = [];
const scoreTimes: number[] = [];
const clock = () => performance.timeOrigin + performance.now();
client.onScore((score) => {
  scores.push(score);
  scoreTimes.push(clock());
});

/** Tracks `n` events now; returns their ids. */
function track(
  n: number,
  type = 'page_view',
  props: Record<string, unknown> = {},
  path = '/pricing',
): string[] {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const ts = Date.now();
    const event: TrackedEvent = { id: uuidv7(ts), type, ts, anonymousId, path, props };
    client.enqueue(event);
    ids.push(event.id);
  }
  return ids;
}

// Bench support: single-call timings (5 µs resolution under cross-origin isolation), long tasks, and a raw
// BroadcastChannel as the baseline of tab-to-tab latency.
const longTasks: number[] = [];
try {
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longTasks.push(entry.duration);
  }).observe({ type: 'longtask', buffered: true });
} catch {
  // longtask timing unsupported
}
// Yields to the event loop without setTimeout's 4 ms clamp, so each chunk runs in a task of its own.
const yielder = new MessageChannel();
const nextTask = () =>
  new Promise<void>((resolve) => {
    yielder.port1.onmessage = () => resolve();
    yielder.port2.postMessage(0);
  });
async function timeCalls(n: number, kind: 'enqueue' | 'baseline', perTask = 100): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i += perTask) {
    for (let j = i; j < Math.min(n, i + perTask); j++) {
      const t0 = performance.now();
      const ts = Date.now();
      const event: TrackedEvent = {
        id: uuidv7(ts),
        type: 'page_ping',
        ts,
        anonymousId,
        path: '/bench',
        props: { n: j },
      };
      if (kind === 'enqueue') client.enqueue(event);
      else localStorage.setItem(`bench:${event.id}`, JSON.stringify(event));
      times.push(performance.now() - t0);
    }
    await nextTask();
  }
  if (kind === 'baseline')
    for (const key of Object.keys(localStorage)) if (key.startsWith('bench:')) localStorage.removeItem(key);
  return times;
}
const ping = new BroadcastChannel('bench-ping');
const pingTimes: number[] = [];
ping.onmessage = () => pingTimes.push(clock());
const bench = { timeCalls, longTasks, scoreTimes, pingTimes, clock, ping: () => ping.postMessage(1) };

const lifecycle = { controllerChanges: 0 };
navigator.serviceWorker?.addEventListener('controllerchange', () => lifecycle.controllerChanges++);

Object.assign(window, { ll: { client, track, scores, anonymousId, lifecycle, bench } });
