import {
  createState,
  foldEvents,
  resultOf,
  type ScoringModel,
  type TrackedEvent,
} from '@leadlight/scoring-core';
import { DEFAULT_LIMITS } from '../src/flushPolicy.js';
import type { QueueConfig, QueueLimits } from '../src/protocol.js';
import type { QueueDeps } from '../src/queueDeps.js';
import { deviceScoring } from '../src/queueScoring.js';
import { createMemoryQueueStore } from './memoryQueueStore.js';

/** A small model: pricing visits and form submits score. */
export const MODEL: ScoringModel = {
  version: 'test-1',
  rules: [
    { id: 'pricing', event: 'page_view', match: { path: '/pricing*' }, points: 10, max: 3 },
    { id: 'form', event: 'form_submit', points: 20 },
  ],
  fit: [],
  mql: { total: 50 },
};

let counter = 0;
/** A valid wire event with a time-ordered id. */
export function makeEvent(over: Partial<TrackedEvent> = {}, ts = 1_700_000_000_000): TrackedEvent {
  counter++;
  return {
    id: `0190${String(ts).padStart(14, '0')}-${String(counter).padStart(8, '0')}`,
    type: 'page_view',
    ts,
    anonymousId: 'anon-1',
    path: '/',
    ...over,
  };
}

export function makeConfig(limits: Partial<QueueLimits> = {}, over: Partial<QueueConfig> = {}): QueueConfig {
  return {
    endpoint: 'https://collector.test',
    siteKey: 'pk_test',
    send: true,
    automated: false,
    debug: false,
    limits: { ...DEFAULT_LIMITS, ...limits },
    ...over,
  };
}

type Reply =
  | { status: number; body?: unknown; headers?: Record<string, string> }
  | 'network'
  | 'hang'
  | 'lost';

/**
 * A fake collector speaking the real wire answers: stores events once by id, answers acked ids and the
 * contact's state, and lets a test script failures per request.
 */
export function createFakeCollector(model: ScoringModel = MODEL) {
  const stored = new Map<string, TrackedEvent>();
  const bodies: Record<string, unknown>[] = [];
  const script: Reply[] = [];
  let rejectIds = new Set<string>();
  let poisonId: string | undefined;
  /** The stage of the contact's account, as a collector tells a verified browser. */
  let account: 'account' | 'mqa' | undefined;
  const fetch = (async (url: string, init?: RequestInit) => {
    if (url.includes('/v1/model')) return new Response(JSON.stringify(model), { headers: { etag: '"m1"' } });
    if (url.includes('/v1/score')) {
      const state = createState(model);
      return new Response(JSON.stringify({ state, score: resultOf(model, state) }));
    }
    const body = JSON.parse(String(init?.body)) as { events: TrackedEvent[] };
    bodies.push(body as unknown as Record<string, unknown>);
    const reply = script.shift() ?? { status: 200 };
    if (reply === 'network') throw new TypeError('Failed to fetch');
    if (reply === 'hang') {
      return new Promise<Response>((_, reject) =>
        init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))),
      );
    }
    if (reply !== 'lost' && reply.status !== 200) {
      return new Response(JSON.stringify(reply.body ?? {}), { status: reply.status, headers: reply.headers });
    }
    if (poisonId && body.events.some((e) => e.id === poisonId)) return new Response('{}', { status: 400 });
    const rejected: { index: number; error: string }[] = [];
    const acked: string[] = [];
    let accepted = 0;
    body.events.forEach((event, index) => {
      if (rejectIds.has(event.id)) {
        rejected.push({ index, error: 'type: bad' });
        return;
      }
      if (!stored.has(event.id)) accepted++;
      stored.set(event.id, event);
      acked.push(event.id);
    });
    if (reply === 'lost') throw new TypeError('connection reset after the collector stored the batch');
    const state = foldEvents(model, createState(model), [...stored.values()]);
    return new Response(
      JSON.stringify({
        accepted,
        duplicates: acked.length - accepted,
        rejected,
        acked,
        state,
        score: { ...resultOf(model, state), ...(account ? { account } : {}) },
      }),
    );
  }) as typeof globalThis.fetch;
  return {
    fetch,
    stored,
    bodies,
    batches: () => bodies.filter((b) => Array.isArray(b.events)),
    reply: (...replies: Reply[]) => script.push(...replies),
    tellAccount: (stage: 'account' | 'mqa') => {
      account = stage;
    },
    reject: (ids: string[]) => {
      rejectIds = new Set(ids);
    },
    poison: (id: string) => {
      poisonId = id;
    },
  };
}

/** Injected clock and timers: `advance` runs due timers in order, letting promises settle between them. */
export function createFakeClock(start = 1_700_000_000_000) {
  let now = start;
  let seq = 0;
  const timers = new Map<number, { at: number; run: () => void }>();
  const settle = async () => {
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
  };
  return {
    now: () => now,
    setTimeout: (run: () => void, ms: number) => {
      const id = ++seq;
      timers.set(id, { at: now + ms, run });
      return id;
    },
    clearTimeout: (id: unknown) => {
      timers.delete(id as number);
    },
    pendingTimers: () => [...timers.values()].map((t) => t.at - now),
    settle,
    async advance(ms: number) {
      const end = now + ms;
      await settle();
      for (;;) {
        const due = [...timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = Math.max(now, due[1].at);
        due[1].run();
        await settle();
      }
      now = end;
      await settle();
    },
  };
}

/** Queue dependencies wired to the fakes. */
export function fakeDeps(
  clock: ReturnType<typeof createFakeClock>,
  collector: ReturnType<typeof createFakeCollector>,
  over: Partial<QueueDeps> = {},
): QueueDeps & { scores: unknown[]; store: ReturnType<typeof createMemoryQueueStore> } {
  const scores: unknown[] = [];
  let held = false;
  return {
    store: createMemoryQueueStore(),
    fetch: collector.fetch,
    now: clock.now,
    random: () => 0.5,
    setTimeout: clock.setTimeout,
    clearTimeout: clock.clearTimeout,
    withSendLock: async (send) => {
      if (held) return false;
      held = true;
      try {
        await send();
        return true;
      } finally {
        held = false;
      }
    },
    emitScore: (score) => scores.push(score),
    scores,
    scoring: deviceScoring,
    ...over,
  } as QueueDeps & { scores: unknown[]; store: ReturnType<typeof createMemoryQueueStore> };
}

/**
 * A Storage with a byte quota, throwing the browser's QuotaExceededError past it. Like localStorage, its
 * stored keys are its own enumerable properties (the methods live on the prototype).
 */
export function quotaStorage(quota = Number.POSITIVE_INFINITY): Storage {
  const items = () => Object.keys(storage);
  const storage: Storage = Object.create({
    get length() {
      return items().length;
    },
    key: (i: number) => items()[i] ?? null,
    getItem: (k: string) => (Object.hasOwn(storage, k) ? (storage[k] as string) : null),
    setItem(k: string, v: string) {
      const used = items().reduce((sum, key) => sum + key.length + (storage[key] as string).length, 0);
      if (used + k.length + v.length > quota) throw new DOMException('full', 'QuotaExceededError');
      storage[k] = String(v);
    },
    removeItem: (k: string) => void delete storage[k],
    clear: () => {
      for (const key of items()) delete storage[key];
    },
  });
  return storage;
}
