import { describe, expect, it } from 'vitest';
import {
  createFakeClock,
  createFakeCollector,
  fakeDeps,
  MODEL,
  makeConfig,
  makeEvent,
} from '../test/fakeQueueDeps.js';
import { createMemoryQueueStore } from '../test/memoryQueueStore.js';
import { BEACON_MAX_BYTES, createEventQueue, type EventQueue } from './eventQueue.js';
import type { QueueDeps } from './queueDeps.js';
import { deviceScoring, snapshotScoring } from './queueScoring.js';

const setup = (limits = {}, configOver = {}, depsOver = {}) => {
  const clock = createFakeClock();
  const collector = createFakeCollector();
  const deps = fakeDeps(clock, collector, depsOver);
  const queue = createEventQueue(makeConfig(limits, configOver), deps);
  return { clock, collector, deps, queue };
};
const events = (n: number, over = {}, ts = 1_700_000_000_000) =>
  Array.from({ length: n }, (_, i) => makeEvent(over, ts + i));

describe('batching', () => {
  it('splits by count and leaves only acknowledged events', async () => {
    const { queue, collector, clock } = setup({ batchMaxEvents: 50 });
    const sent = events(120);
    await queue.add(sent);
    await clock.advance(0);
    await queue.flush();
    expect(collector.batches().map((b) => (b.events as unknown[]).length)).toEqual([50, 50, 20]);
    expect([...collector.stored.keys()].sort()).toEqual(sent.map((e) => e.id).sort());
    expect((await queue.stats()).pending).toBe(0);
  });

  it('splits by bytes', async () => {
    const { queue, collector } = setup({ batchMaxBytes: 2_000 });
    await queue.add(events(30, { title: 'x'.repeat(100) }));
    await queue.flush();
    for (const body of collector.bodies.slice(2))
      expect(JSON.stringify(body).length).toBeLessThanOrEqual(2_000);
    expect(collector.stored.size).toBe(30);
    expect(collector.batches().length).toBeGreaterThan(2);
  });

  it('waits batchDelayMs for company before the first batch leaves', async () => {
    const { queue, collector, clock } = setup({ batchDelayMs: 1_000 });
    await queue.start();
    await clock.advance(10);
    await queue.add(events(1));
    await clock.advance(500);
    await queue.add(events(2, {}, 1_700_000_001_000));
    expect(collector.batches()).toHaveLength(0);
    await clock.advance(600);
    expect(collector.batches()).toHaveLength(1);
    expect(collector.stored.size).toBe(3);
  });
});

describe('retries', () => {
  it('retries 500 with exponential backoff and full jitter, then delivers once', async () => {
    const { queue, collector, clock } = setup({ retryBaseMs: 1_000 });
    await queue.start();
    await clock.advance(0);
    collector.reply({ status: 500 }, { status: 503 });
    await queue.add(events(3));
    await queue.flush();
    let stats = await queue.stats();
    expect(stats.retries).toBe(1);
    expect(stats.retryAt - clock.now()).toBe(500); // random 0.5 × 1 s
    await clock.advance(499);
    expect(collector.batches()).toHaveLength(1);
    await clock.advance(1);
    expect(collector.batches()).toHaveLength(2);
    stats = await queue.stats();
    expect(stats.retryAt - clock.now()).toBe(1_000); // 0.5 × 2 s
    await clock.advance(1_000);
    expect(collector.stored.size).toBe(3);
    expect((await queue.stats()).pending).toBe(0);
  });

  it('honors Retry-After on 429', async () => {
    const { queue, collector, clock } = setup();
    await queue.start();
    await clock.advance(0);
    collector.reply({ status: 429, headers: { 'retry-after': '30' } });
    await queue.add(events(2));
    await queue.flush();
    await clock.advance(29_000);
    expect(collector.batches()).toHaveLength(1);
    await clock.advance(1_100);
    expect(collector.batches()).toHaveLength(2);
    expect(collector.stored.size).toBe(2);
  });

  it('treats a hung request as a timeout and retries', async () => {
    const { queue, collector, clock } = setup({ requestTimeoutMs: 5_000 });
    await queue.start();
    await clock.advance(0);
    collector.reply('hang');
    await queue.add(events(2));
    const flushing = queue.flush();
    await clock.advance(5_000);
    await flushing;
    expect((await queue.stats()).retries).toBe(1);
    await clock.advance(10_000);
    expect(collector.stored.size).toBe(2);
    expect((await queue.stats()).pending).toBe(0);
  });

  it('resends a batch whose answer was lost; the collector dedupes it', async () => {
    const { queue, collector, clock } = setup();
    await queue.start();
    await clock.advance(0);
    collector.reply('lost');
    const sent = events(4);
    await queue.add(sent);
    await queue.flush();
    expect(collector.stored.size).toBe(4);
    expect((await queue.stats()).pending).toBe(4);
    await clock.advance(2_000);
    expect(collector.batches()).toHaveLength(2);
    expect((await queue.stats()).pending).toBe(0);
    expect((await queue.stats()).acked).toBe(4);
  });
});

describe('background sync', () => {
  it('is requested after a network failure, not after a 5xx or on every add', async () => {
    let syncs = 0;
    const { queue, collector, clock } = setup({}, {}, { requestSync: () => syncs++ });
    await queue.start();
    await clock.advance(0);
    await queue.add(events(2));
    expect(syncs).toBe(0);
    collector.reply({ status: 500 }, 'network');
    await queue.flush();
    expect(syncs).toBe(0);
    await clock.advance(1_000);
    expect(syncs).toBe(1);
    await clock.advance(5_000);
    expect(collector.stored.size).toBe(2);
  });
});

describe('rejections', () => {
  it('drops events the collector rejects one by one and counts them', async () => {
    const { queue, collector } = setup();
    const sent = events(3);
    collector.reject([sent[1]!.id]);
    await queue.add(sent);
    await queue.flush();
    const stats = await queue.stats();
    expect(stats).toMatchObject({ pending: 0, rejected: 1, acked: 2 });
  });

  it('isolates a poison event that fails the whole batch with 400', async () => {
    const { queue, collector } = setup();
    const sent = events(8);
    collector.poison(sent[5]!.id);
    await queue.add(sent);
    await queue.flush();
    expect(collector.stored.size).toBe(7);
    expect(collector.stored.has(sent[5]!.id)).toBe(false);
    expect(await queue.stats()).toMatchObject({ pending: 0, rejected: 1 });
  });

  it('refuses malformed events at the boundary', async () => {
    const { queue } = setup();
    await queue.add([{ ...makeEvent(), type: 'Bad Type!' }]);
    expect(await queue.stats()).toMatchObject({ pending: 0, rejected: 1 });
  });
});

describe('caps', () => {
  it('drops low-value events first, counts them and reports them in the next batch', async () => {
    const { queue, collector, clock } = setup({ maxEvents: 10 }, {}, {});
    await queue.start();
    await clock.advance(0);
    collector.reply('network');
    const forms = events(5, { type: 'form_submit' });
    const pings = events(20, { type: 'page_ping' }, 1_700_000_100_000);
    await queue.add(forms);
    await queue.add(pings);
    expect(await queue.stats()).toMatchObject({ pending: 10, dropped: 15, droppedTotal: 15 });
    await queue.flush(); // network error: nothing leaves
    await clock.advance(5_000);
    expect(forms.every((e) => collector.stored.has(e.id))).toBe(true);
    expect(collector.stored.size).toBe(10);
    const reported = collector.batches().map((b) => b.dropped);
    expect(reported).toContain(15);
    expect(await queue.stats()).toMatchObject({ dropped: 0, droppedTotal: 15 });
  });

  it('drops events past maxAgeMs', async () => {
    const { queue, clock, deps } = setup({ maxAgeMs: 60_000 }, { send: true });
    await deps.store.putEvents([
      {
        id: 'old',
        event: makeEvent({}, clock.now() - 120_000),
        bytes: 100,
        priority: 2,
        at: clock.now() - 120_000,
      },
    ]);
    await queue.start();
    expect(await queue.stats()).toMatchObject({ pending: 0, droppedTotal: 1 });
  });

  it('survives a QuotaExceededError: the store stays whole and drops are counted', async () => {
    const store = createMemoryQueueStore(2_000);
    const { queue, collector, clock } = setup({}, {}, { store });
    await queue.start();
    await clock.advance(0);
    collector.reply('network', 'network');
    await queue.add(events(3, { type: 'form_submit' }));
    await queue.add(events(30, { type: 'page_ping' }, 1_700_000_100_000));
    const stored = await store.loadEvents();
    expect(stored.reduce((s, r) => s + r.bytes, 0)).toBeLessThanOrEqual(2_000);
    expect(stored.filter((r) => r.event.type === 'form_submit')).toHaveLength(3);
    const stats = await queue.stats();
    expect(stats.droppedTotal).toBe(33 - stored.length);
    expect(stats.pending).toBe(stored.length);
  });
});

describe('without device scoring (an in-page queue before the page wants live scores)', () => {
  it("shows the collector's score, then folds what it has not acknowledged once scoring arrives", async () => {
    const { queue, clock, collector } = setup({}, {}, { scoring: snapshotScoring });
    await queue.start();
    await clock.advance(0);
    await queue.add([makeEvent({ path: '/pricing' }, clock.now())]);
    expect(await queue.score()).toBeUndefined(); // nothing folded on the device
    await queue.flush();
    expect((await queue.score())?.engagement).toBe(10); // the collector's answer
    collector.reply('network');
    await queue.add([makeEvent({ type: 'form_submit' }, clock.now())]);
    expect((await queue.score())?.engagement).toBe(10);
    queue.useScoring(deviceScoring);
    expect((await queue.score())?.engagement).toBe(30); // snapshot + the unacknowledged submit
    await clock.advance(2_000);
    await queue.flush();
    expect(collector.stored.size).toBe(2);
    expect((await queue.score())?.engagement).toBe(30);
  });

  it('local-only: events wait in memory until scoring arrives, then fold into the kept state', async () => {
    const { queue, clock, collector } = setup({}, { send: false }, { scoring: snapshotScoring });
    await queue.start();
    await clock.advance(0);
    await queue.add([
      makeEvent({ path: '/pricing' }, clock.now()),
      makeEvent({ type: 'form_submit' }, clock.now()),
    ]);
    expect(await queue.score()).toBeUndefined();
    queue.useScoring(deviceScoring);
    expect((await queue.score())?.engagement).toBe(30);
    expect(collector.stored.size).toBe(0);
  });
});

describe('provisional score', () => {
  it('scores at once, then adopts the collector state when acknowledged', async () => {
    const { queue, deps, clock, collector } = setup();
    await queue.start();
    await clock.advance(0);
    collector.reply('network');
    await queue.add([makeEvent({ path: '/pricing' }, clock.now())]);
    expect((await queue.score())?.engagement).toBe(10);
    await queue.flush();
    await clock.advance(1_000);
    expect(collector.stored.size).toBe(1);
    await queue.add([makeEvent({ type: 'form_submit' }, clock.now())]);
    expect((await queue.score())?.engagement).toBe(30);
    await queue.flush();
    expect((await queue.score())?.engagement).toBe(30);
    expect(deps.scores.length).toBeGreaterThanOrEqual(2);
  });

  it('keeps the account stage the collector told (verified browsers) in the provisional score', async () => {
    const { queue, clock, collector } = setup();
    await queue.start();
    await clock.advance(0);
    collector.tellAccount('mqa');
    await queue.add([makeEvent({ path: '/pricing' }, clock.now())]);
    await queue.flush();
    expect((await queue.score())?.account).toBe('mqa');
    // A local event rescores on the spot; the account stage comes from the collector's last answer.
    await queue.add([makeEvent({ type: 'form_submit' }, clock.now())]);
    expect(await queue.score()).toMatchObject({ engagement: 30, account: 'mqa' });
  });

  it('never scores locally with a model needing a feature it does not know: it shows the collector score', async () => {
    const clock = createFakeClock();
    const future = { ...MODEL, requires: ['a-future-feature'] } as unknown as typeof MODEL;
    const collector = createFakeCollector(future);
    const warnings: string[] = [];
    const queue = createEventQueue(
      makeConfig(),
      fakeDeps(clock, collector, { warn: (m) => warnings.push(m) }),
    );
    await queue.start();
    await clock.advance(0);
    collector.reply('network');
    await queue.add([makeEvent({ path: '/pricing' }, clock.now())]);
    // No local reading: the score is still the collector's (none yet) until it answers.
    expect((await queue.score())?.engagement ?? 0).toBe(0);
    await queue.flush();
    await clock.advance(1_000);
    await queue.flush();
    expect(collector.stored.size).toBe(1);
    expect((await queue.score())?.engagement).toBe(10);
    expect(warnings).toEqual([expect.stringContaining('"a-future-feature"')]);
  });

  it('score-changing events get top priority only when a rule awards points', async () => {
    const { queue, deps, collector, clock } = setup({ maxEvents: 3 });
    await queue.start();
    await clock.advance(0);
    collector.reply('network');
    const pricing = events(3, { path: '/pricing/a' });
    const home = events(3, { path: '/home' }, 1_700_000_000_100);
    await queue.add([...pricing, ...home]);
    const kept = (await deps.store.loadEvents()).map((r) => r.id).sort();
    expect(kept).toEqual(pricing.map((e) => e.id).sort());
    expect(MODEL.rules[0]!.max).toBe(3);
  });

  it('local-only mode scores without sending', async () => {
    const { queue, collector, clock } = setup({}, { send: false });
    await queue.start();
    await clock.advance(0);
    await queue.add([makeEvent({ path: '/pricing' })]);
    await queue.flush();
    expect(collector.batches()).toHaveLength(0);
    expect((await queue.score())?.engagement).toBe(10);
  });
});

describe('beacon', () => {
  it('sends one body under the keepalive quota without removing anything', async () => {
    const beacons: string[] = [];
    const { queue, collector, clock } = setup(
      {},
      {},
      {
        sendBeacon: (_url: string, body: string) => beacons.push(body) > 0,
      },
    );
    await queue.start();
    await clock.advance(0);
    collector.reply('network');
    await queue.add(events(400, { title: 'y'.repeat(300) }));
    expect(queue.beacon([])).toBe(true);
    expect(beacons).toHaveLength(1);
    expect(new TextEncoder().encode(beacons[0]).length).toBeLessThan(BEACON_MAX_BYTES);
    expect((await queue.stats()).pending).toBe(400);
  });
});

describe('peers', () => {
  it('folds events and acknowledgements announced by another tab', async () => {
    const { queue, clock } = setup();
    await queue.start();
    await clock.advance(0);
    const event = makeEvent({ path: '/pricing' });
    queue.receive({ t: 'events', events: [event] });
    expect((await queue.score())?.engagement).toBe(10);
  });
});

describe('purge (consent denied)', () => {
  it('sends nothing it forgot, even while the store is still being cleared', async () => {
    let cleared!: () => void;
    const store = createMemoryQueueStore();
    const clearAll = store.clearAll;
    store.clearAll = () => new Promise<void>((resolve) => (cleared = resolve)).then(clearAll);
    const { queue, collector, clock } = setup({ batchDelayMs: 1_000 }, {}, { store });
    await queue.start();
    await clock.advance(0);
    await queue.add(events(3));
    const purged = queue.purge();
    // A flush from another caller, and the batch timer, while the store is still clearing.
    const flushed = queue.flush();
    await clock.advance(2_000);
    expect(collector.batches()).toHaveLength(0);
    cleared();
    await purged;
    await flushed;
    expect(store.events.size).toBe(0);
    expect(collector.batches()).toHaveLength(0);
  });

  it('stops a pass under way: no later batch, and the answer of the one on the wire is not kept', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const collector = createFakeCollector();
    const { queue, clock } = setup(
      { batchMaxEvents: 2 },
      {},
      {
        fetch: (async (url: string, init?: RequestInit) => {
          if (url.includes('/v1/batch')) await gate;
          return collector.fetch(url, init);
        }) as typeof fetch,
      },
    );
    await queue.start();
    await clock.advance(0);
    await queue.add(events(6, { path: '/pricing' }));
    const flushed = queue.flush();
    await clock.settle();
    await queue.purge();
    release();
    await flushed;
    await clock.advance(5_000);
    // The first batch was on the wire before the purge; nothing was built after it.
    expect(collector.batches()).toHaveLength(1);
    expect(await queue.score()).toBeUndefined();
    expect(await queue.stats()).toMatchObject({ pending: 0, acked: 0 });
  });

  it("tells the site's other queues, which send nothing of what they mirror", async () => {
    const clock = createFakeClock();
    const collector = createFakeCollector();
    const store = createMemoryQueueStore();
    const queues: EventQueue[] = [];
    const peer = (self: number): Partial<QueueDeps> => ({
      store,
      postPeers: (message) => {
        for (const q of queues) if (q !== queues[self]) q.receive(structuredClone(message));
      },
    });
    const purging = createEventQueue(makeConfig(), fakeDeps(clock, collector, peer(0)));
    const other = createEventQueue(makeConfig(), fakeDeps(clock, collector, peer(1)));
    queues.push(purging, other);
    await purging.start();
    await other.start();
    await clock.advance(0);
    collector.reply('network');
    await other.add(events(3));
    await other.flush(); // fails: the events stay queued, mirrored by both tabs
    expect((await purging.stats()).pending).toBe(3);
    await purging.purge();
    await other.flush();
    await clock.advance(600_000);
    expect(collector.batches()).toHaveLength(1);
    expect((await other.stats()).pending).toBe(0);
    expect(store.events.size).toBe(0);
  });
});
