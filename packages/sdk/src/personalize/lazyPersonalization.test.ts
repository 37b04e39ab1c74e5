// @vitest-environment jsdom
import type { ScoreResult, Stage, TrackedEvent } from '@leadlight/scoring-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { installPersonalization, type Personalizer } from './installPersonalization.js';
import { lazyPersonalization, type PersonalizeChunk } from './lazyPersonalization.js';
import { RECORD_KEY, type RecordStorage } from './visitorRecord.js';

function memoryStorage(): RecordStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  };
}

const score = (total: number, stage: Stage) => ({ total, stage }) as ScoreResult;
let seq = 0;
const event = (type: string, extra: Partial<TrackedEvent> = {}): TrackedEvent => ({
  id: `e${++seq}`,
  type,
  ts: 1_700_000_000_000 + seq,
  anonymousId: 'a1',
  ...extra,
});

/** A host whose score and consent the test drives, and a chunk whose arrival it controls. */
function setup(canStore = () => true) {
  const listeners = new Set<(s: ScoreResult) => void>();
  const storage = memoryStorage();
  const host = {
    onScore(cb: (s: ScoreResult) => void) {
      listeners.add(cb);
      return () => void listeners.delete(cb);
    },
    track: vi.fn(),
    debug: false,
    canStore,
  };
  let arrive!: () => void;
  let fail!: () => void;
  const load = vi.fn(
    () =>
      new Promise<PersonalizeChunk>((resolve, reject) => {
        arrive = () => resolve({ installPersonalization });
        fail = () => reject(new Error('blocked'));
      }),
  );
  const p = lazyPersonalization(load)(host, { storage });
  started.push(p);
  return {
    p,
    load,
    storage,
    stored: () => JSON.parse(storage.data.get(RECORD_KEY) ?? 'null'),
    emit: (total: number, stage: Stage) => {
      for (const cb of listeners) cb(score(total, stage));
    },
    arrive: async () => {
      arrive();
      await new Promise((r) => setTimeout(r, 0));
    },
    fail: async () => {
      fail();
      await new Promise((r) => setTimeout(r, 0));
    },
  };
}

const started: Personalizer[] = [];
afterEach(() => {
  for (const p of started.splice(0)) p.stop();
  document.body.innerHTML = '';
  document.documentElement.removeAttribute('data-ll-ready');
  document.documentElement.className = '';
});

describe('lazyPersonalization', () => {
  it('on a page with nothing to decide, never loads the chunk but still records the visitor', () => {
    const t = setup();
    t.p.observe(event('page_view', { path: '/pricing/' }));
    t.p.observe(event('download', { props: { file: '/files/Whitepaper.pdf' } }));
    t.emit(42, 'mql');
    expect(t.load).not.toHaveBeenCalled();
    expect(document.documentElement.hasAttribute('data-ll-ready')).toBe(true);
    expect(t.stored()).toMatchObject({
      score: 42,
      stage: 'mql',
      did: { visited: ['/pricing'], download: ['whitepaper.pdf'] },
    });
  });

  it('stores nothing without consent, and removes an earlier record', () => {
    let granted = false;
    const storage = memoryStorage();
    storage.setItem(RECORD_KEY, '{"score":9}');
    const p = lazyPersonalization(vi.fn())(
      { onScore: () => () => {}, track: vi.fn(), debug: false, canStore: () => granted },
      { storage },
    );
    started.push(p);
    expect(storage.data.has(RECORD_KEY)).toBe(false);
    p.observe(event('cta_click', { props: { cta: 'demo' } }));
    expect(storage.data.has(RECORD_KEY)).toBe(false);
    granted = true;
    p.observe(event('page_view', { path: '/' }));
    expect(JSON.parse(storage.data.get(RECORD_KEY)!).did.cta).toEqual(['demo']);
  });

  it('loads the chunk for a candidate on the page and decides with what was seen while it loaded', async () => {
    document.body.innerHTML = '<p id="wp" data-ll-if="download:whitepaper" hidden></p>';
    const t = setup();
    expect(t.load).toHaveBeenCalledTimes(1);
    expect(document.documentElement.hasAttribute('data-ll-ready')).toBe(false);
    t.p.observe(event('download', { props: { file: 'whitepaper.pdf' } }));
    await t.arrive();
    expect(document.getElementById('wp')!.hidden).toBe(false);
    expect(document.documentElement.hasAttribute('data-ll-ready')).toBe(true);
    // From now on the chunk decides live, and the record is still one.
    t.p.observe(event('page_view', { path: '/thanks' }));
    t.emit(60, 'mql');
    expect(t.stored()).toMatchObject({
      score: 60,
      did: { download: ['whitepaper.pdf'], visited: ['/thanks'] },
    });
    expect(t.load).toHaveBeenCalledTimes(1);
  });

  it('loads the chunk when a candidate or popup is added later (SPA view)', async () => {
    const t = setup();
    expect(t.load).not.toHaveBeenCalled();
    document.body.innerHTML = '<dialog data-ll-exit-popup="x"><h2>Hi</h2></dialog>';
    await Promise.resolve();
    expect(t.load).toHaveBeenCalledTimes(1);
  });

  it('loads the chunk for when(), calls back once it holds, and an early unsubscribe wins', async () => {
    const t = setup();
    const seen = vi.fn();
    const never = vi.fn();
    t.p.when('download', seen);
    t.p.when('download', never)();
    expect(t.load).toHaveBeenCalledTimes(1);
    t.p.observe(event('download', { props: { file: 'a.zip' } }));
    await t.arrive();
    expect(seen).toHaveBeenCalledTimes(1);
    expect(never).not.toHaveBeenCalled();
  });

  it('hands an exit intent seen while loading to the chunk', async () => {
    document.body.innerHTML = '<dialog data-ll-exit-popup="offer"><h2>Offer</h2></dialog>';
    const dialog = document.querySelector('dialog')!;
    dialog.showModal = vi.fn(() => dialog.setAttribute('open', ''));
    const t = setup();
    t.p.exitIntent();
    await t.arrive();
    expect(dialog.showModal).toHaveBeenCalled();
  });

  it('shows the fallbacks at once when the chunk cannot load', async () => {
    document.body.innerHTML = '<p data-ll-stage="mql"></p>';
    const t = setup();
    await t.fail();
    expect(document.documentElement.classList.contains('ll-off')).toBe(true);
  });
});
