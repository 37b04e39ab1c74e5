// @vitest-environment jsdom
import type { ScoreResult, Stage, TrackedEvent } from '@leadlight/scoring-core';
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { installPersonalization, type Personalizer } from './installPersonalization.js';
import { PREHIDE_CSS, prehide } from './prehide.js';
import { RECORD_KEY, type RecordStorage } from './visitorRecord.js';

const DAY = 864e5;

function memoryStorage(): RecordStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  };
}

function score(total: number, stage: Stage): ScoreResult {
  return {
    total,
    fit: 0,
    engagement: total,
    stage,
    mql: stage === 'mql',
    modelVersion: 't',
    modelHash: 'h',
    breakdown: [],
  };
}

/** A host whose score we drive, recording what personalization tracks. */
function fakeHost(options: { canStore?: () => boolean } = {}) {
  const listeners = new Set<(s: ScoreResult) => void>();
  const tracked: [string, Record<string, unknown> | undefined][] = [];
  return {
    tracked,
    host: {
      onScore(cb: (s: ScoreResult) => void) {
        listeners.add(cb);
        return () => void listeners.delete(cb);
      },
      track: (type: string, props?: Record<string, unknown>) => void tracked.push([type, props]),
      debug: true,
      ...options,
    },
    emit: (total: number, stage: Stage) => {
      for (const cb of listeners) cb(score(total, stage));
    },
    listeners,
  };
}

let seq = 0;
const event = (type: string, extra: Partial<TrackedEvent> = {}): TrackedEvent => ({
  id: `e${++seq}`,
  type,
  ts: 1_700_000_000_000 + seq,
  anonymousId: 'a1',
  ...extra,
});

const shown = (id: string) => {
  const el = document.getElementById(id)!;
  return !el.hidden && el.hasAttribute('data-ll-shown');
};

let personalizer: Personalizer | undefined;
let warn: MockInstance<typeof console.warn>;
beforeEach(() => {
  warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
});
afterEach(() => {
  personalizer?.stop();
  personalizer = undefined;
  document.body.innerHTML = '';
  document.documentElement.removeAttribute('data-ll-ready');
  document.documentElement.className = '';
  vi.restoreAllMocks();
});

const THANK_YOU = `
  <section data-ll-variants id="thanks">
    <div id="call" data-ll-stage="mql+">Book a call</div>
    <div id="case" data-ll-if="download:whitepaper">Case study</div>
    <div id="default" data-ll-default>Thanks</div>
  </section>
  <p id="hot" data-ll-min-score="50">hot</p>
  <p id="cold" data-ll-max-score="50">cold</p>
  <p id="band" data-ll-min-score="20" data-ll-max-score="50">band</p>
  <p id="leads" data-ll-stage="lead mql">leads and mqls</p>
  <p id="pricing" data-ll-if="visited:/pricing* !form:demo-request">still deciding</p>
  <p id="plain">always</p>`;

describe('declarative decisions', () => {
  it('shows what matches and hides the rest, then follows the live score', () => {
    document.body.innerHTML = THANK_YOU;
    const { host, emit } = fakeHost();
    personalizer = installPersonalization(host, { storage: memoryStorage() });
    expect(['default', 'cold'].filter(shown)).toEqual(['default', 'cold']);
    for (const id of ['call', 'case', 'hot', 'band', 'leads', 'pricing']) expect(shown(id), id).toBe(false);
    expect(document.getElementById('plain')!.hasAttribute('hidden')).toBe(false);
    expect(document.documentElement.hasAttribute('data-ll-ready')).toBe(true);

    emit(30, 'lead');
    expect(['cold', 'band', 'leads', 'default'].every(shown)).toBe(true);
    expect(shown('hot')).toBe(false);

    emit(50, 'mql');
    expect(['hot', 'leads', 'call'].every(shown)).toBe(true);
    expect(['cold', 'band', 'default', 'case'].some(shown)).toBe(false);

    emit(70, 'sql');
    expect(shown('leads')).toBe(false);
    expect(shown('call')).toBe(true);
  });

  it('shows data-ll-stage="mqa" while the collector says the visitor’s company is an MQA', () => {
    document.body.innerHTML = '<p id="mqa" data-ll-stage="mqa">Your team is already looking</p>';
    const { host, listeners } = fakeHost();
    personalizer = installPersonalization(host, { storage: memoryStorage() });
    expect(shown('mqa')).toBe(false);
    for (const cb of listeners) cb({ ...score(20, 'lead'), account: 'mqa' });
    expect(shown('mqa')).toBe(true);
    // Only a verified browser is told: without it the block hides again.
    for (const cb of listeners) cb(score(20, 'lead'));
    expect(shown('mqa')).toBe(false);
  });

  it('picks the first matching variant by what the visitor did', () => {
    document.body.innerHTML = THANK_YOU;
    const { host, emit } = fakeHost();
    personalizer = installPersonalization(host, { storage: memoryStorage() });
    personalizer.observe(
      event('download', { props: { href: '/files/leadlight-whitepaper.pdf', ext: 'pdf' } }),
    );
    expect(shown('case')).toBe(true);
    expect(shown('default')).toBe(false);
    emit(55, 'mql');
    expect(shown('call')).toBe(true);
    expect(shown('case')).toBe(false);
  });

  it('combines behavior terms with and / not', () => {
    document.body.innerHTML = THANK_YOU;
    const { host } = fakeHost();
    personalizer = installPersonalization(host, { storage: memoryStorage() });
    personalizer.observe(event('page_view', { path: '/pricing/' }));
    expect(shown('pricing')).toBe(true);
    personalizer.observe(event('form_submit', { props: { form: 'Demo-Request' } }));
    expect(shown('pricing')).toBe(false);
  });

  it('decides elements added later before they can paint', async () => {
    const { host, emit } = fakeHost();
    personalizer = installPersonalization(host, { storage: memoryStorage() });
    emit(80, 'mql');
    document.body.insertAdjacentHTML(
      'beforeend',
      '<p id="late" data-ll-min-score="60">late</p><p id="no" data-ll-stage="lead">no</p>',
    );
    await Promise.resolve();
    expect(shown('late')).toBe(true);
    expect(shown('no')).toBe(false);
    document.getElementById('no')!.setAttribute('data-ll-stage', 'mql');
    await Promise.resolve();
    expect(shown('no')).toBe(true);
  });

  it('hides elements with invalid conditions and says why in debug mode', () => {
    document.body.innerHTML =
      '<p id="bad" data-ll-if="downlod:x">x</p><p id="nan" data-ll-min-score="ten">y</p>';
    const { host } = fakeHost();
    personalizer = installPersonalization(host, { storage: memoryStorage() });
    expect(shown('bad')).toBe(false);
    expect(shown('nan')).toBe(false);
    const messages = warn.mock.calls.map((c) => String(c[0]));
    expect(messages).toContain(
      'leadlight: data-ll-if="downlod:x": alternative 1, term "downlod:x": expected download, visited, cta, form, event, stage or score>=N (or >, <=, <)',
    );
    expect(messages.some((m) => m.includes('data-ll-min-score="ten"'))).toBe(true);
  });
});

describe('the visitor record', () => {
  it('remembers what the visitor did and the last score across pages', () => {
    const storage = memoryStorage();
    const first = fakeHost();
    personalizer = installPersonalization(first.host, { storage });
    personalizer.observe(event('download', { props: { file: 'Whitepaper.PDF' } }));
    personalizer.observe(event('cta_click', { props: { cta: 'book-demo' } }));
    first.emit(61, 'mql');
    personalizer.stop();

    // The next page: decided from the record before the worker reports any score.
    document.body.innerHTML = `${THANK_YOU}<p id="demo" data-ll-if="cta:book-demo download:.pdf">demo</p>`;
    personalizer = installPersonalization(fakeHost().host, { storage });
    expect(['call', 'hot', 'leads', 'demo'].every(shown)).toBe(true);
    const stored = JSON.parse(storage.data.get(RECORD_KEY)!);
    expect(stored.did.download).toEqual(['whitepaper.pdf']);
    expect(stored.score).toBe(61);
  });

  it('stores nothing without consent, and removes what an earlier grant stored', () => {
    const storage = memoryStorage();
    let allowed = true;
    const { host } = fakeHost({ canStore: () => allowed });
    personalizer = installPersonalization(host, { storage });
    personalizer.observe(event('cta_click', { props: { cta: 'trial' } }));
    expect(storage.data.has(RECORD_KEY)).toBe(true);
    allowed = false;
    personalizer.observe(event('cta_click', { props: { cta: 'pricing' } }));
    expect(storage.data.size).toBe(0);
    personalizer.stop();

    storage.setItem(RECORD_KEY, JSON.stringify({ did: { cta: ['trial'] } }));
    document.body.innerHTML = '<p id="t" data-ll-if="cta:trial">t</p>';
    personalizer = installPersonalization(host, { storage });
    expect(shown('t')).toBe(false);
    expect(storage.data.size).toBe(0);
    // It still personalizes within the page, from memory.
    personalizer.observe(event('cta_click', { props: { cta: 'trial' } }));
    expect(shown('t')).toBe(true);
    expect(storage.data.size).toBe(0);
  });

  it('tolerates a damaged record', () => {
    const storage = memoryStorage();
    storage.setItem(RECORD_KEY, '{"score":"lots","did":{"cta":[1,"ok",null]},"shown":{"x":"y"}}');
    document.body.innerHTML = '<p id="ok" data-ll-if="cta:ok score<1">ok</p>';
    personalizer = installPersonalization(fakeHost().host, { storage });
    expect(shown('ok')).toBe(true);
    storage.setItem(RECORD_KEY, 'not json');
    personalizer.stop();
    personalizer = installPersonalization(fakeHost().host, { storage });
    expect(shown('ok')).toBe(false);
  });
});

describe('when()', () => {
  it('calls back now if true, then on every false → true turn, until unsubscribed', () => {
    const { host, emit } = fakeHost();
    personalizer = installPersonalization(host, { storage: memoryStorage() });
    const calls: number[] = [];
    const off = personalizer.when('score>=50 | cta:book-demo', (s) => calls.push(s.score));
    expect(calls).toEqual([]);
    emit(55, 'lead');
    emit(60, 'lead');
    expect(calls).toEqual([55]);
    emit(10, 'lead');
    emit(52, 'lead');
    expect(calls).toEqual([55, 52]);
    off();
    emit(10, 'lead');
    emit(90, 'lead');
    expect(calls).toEqual([55, 52]);
    const now: number[] = [];
    personalizer.when('stage:lead', (s) => now.push(s.score));
    expect(now).toEqual([90]);
  });

  it('never calls back on an invalid condition, and survives a throwing callback', () => {
    const { host, emit } = fakeHost();
    personalizer = installPersonalization(host, { storage: memoryStorage() });
    const cb = vi.fn();
    personalizer.when('score>>1', cb);
    personalizer.when('score>1', () => {
      throw new Error('boom');
    });
    personalizer.when('score>1', cb);
    emit(5, 'lead');
    expect(cb).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls.map((c) => String(c[0]))).toEqual(
      expect.arrayContaining([expect.stringContaining('when("score>>1")'), expect.stringContaining('boom')]),
    );
  });
});

describe('prehide', () => {
  it('adds the hiding rule with the nonce, and shows defaults if leadlight.js never arrives', () => {
    vi.useFakeTimers();
    try {
      prehide('n0nce', 1000);
      const style = [...document.head.querySelectorAll('style')].find((s) => s.textContent === PREHIDE_CSS)!;
      expect(style.nonce).toBe('n0nce');
      vi.advanceTimersByTime(1000);
      expect(document.documentElement.classList.contains('ll-off')).toBe(true);
      style.remove();
    } finally {
      vi.useRealTimers();
    }
  });

  it('stands down when personalization took over in time', () => {
    vi.useFakeTimers();
    try {
      prehide(undefined, 1000);
      personalizer = installPersonalization(fakeHost().host, { storage: memoryStorage() });
      vi.advanceTimersByTime(1000);
      expect(document.documentElement.classList.contains('ll-off')).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('exit popup rules', () => {
  const POPUP = `<button id="before">before</button>
    <dialog id="offer" data-ll-exit-popup="offer" data-ll-min-score="10" data-ll-suppress-stages="mql+" data-ll-every-days="3">
      <h2>Before you go</h2><form><button id="send">Send</button></form><form method="dialog"><button id="no">No thanks</button></form>
    </dialog>`;

  it('honors score, suppressed stages, the frequency cap and conversion', async () => {
    let now = 1_800_000_000_000;
    const storage = memoryStorage();
    const setup = () => {
      personalizer?.stop();
      document.body.innerHTML = POPUP;
      const dialog = document.querySelector('dialog')!;
      const opened = vi.fn(function (this: HTMLDialogElement) {
        this.setAttribute('open', '');
      });
      dialog.showModal = opened;
      const fake = fakeHost();
      personalizer = installPersonalization(fake.host, { storage, now: () => now });
      return { dialog, opened, fake };
    };
    let { opened, fake, dialog } = setup();
    personalizer!.exitIntent();
    expect(opened).not.toHaveBeenCalled(); // score 0 < 10
    fake.emit(20, 'lead');
    personalizer!.exitIntent();
    expect(opened).toHaveBeenCalledTimes(1);
    expect(fake.tracked).toEqual([['popup_shown', { popup: 'offer' }]]);
    expect(dialog.getAttribute('aria-labelledby')).toBe(dialog.querySelector('h2')!.id);
    dialog.removeAttribute('open');
    personalizer!.exitIntent();
    expect(opened).toHaveBeenCalledTimes(1); // once per page view

    now += 2 * DAY;
    ({ opened, fake } = setup());
    personalizer!.exitIntent();
    expect(opened).not.toHaveBeenCalled(); // capped for 3 days

    now += 1 * DAY;
    ({ opened, fake, dialog } = setup());
    personalizer!.exitIntent();
    expect(opened).toHaveBeenCalledTimes(1);
    // The native close button is not a conversion; a real submit is.
    const no = document.getElementById('no')!;
    no.closest('form')!.dispatchEvent(
      new SubmitEvent('submit', { bubbles: true, cancelable: true, submitter: no }),
    );
    expect(fake.tracked.map((t) => t[0])).toEqual(['popup_shown']);
    document
      .getElementById('send')!
      .closest('form')!
      .addEventListener('submit', (e) => e.preventDefault());
    document.getElementById('send')!.click();
    expect(fake.tracked).toEqual([
      ['popup_shown', { popup: 'offer' }],
      ['popup_converted', { popup: 'offer' }],
    ]);

    now += 30 * DAY;
    ({ opened } = setup());
    personalizer!.exitIntent();
    expect(opened).not.toHaveBeenCalled(); // converted
  });

  it('converts once on data-ll-convert, closes on data-ll-close, and respects a conversion the site tracked', () => {
    document.body.innerHTML = `<dialog id="D" data-ll-exit-popup aria-label="Offer">
      <a id="go" data-ll-convert href="#x">Get it</a><button id="x" data-ll-close>×</button></dialog>`;
    const dialog = document.querySelector('dialog')!;
    dialog.showModal = vi.fn(() => dialog.setAttribute('open', ''));
    dialog.close = vi.fn(() => dialog.removeAttribute('open'));
    const { host, tracked } = fakeHost();
    const storage = memoryStorage();
    personalizer = installPersonalization(host, { storage });
    personalizer.exitIntent();
    expect(dialog.getAttribute('aria-labelledby')).toBeNull(); // the page's own label is kept
    document.getElementById('go')!.click();
    document.getElementById('go')!.click();
    document.getElementById('x')!.click();
    expect(dialog.close).toHaveBeenCalledTimes(1);
    expect(tracked).toEqual([
      ['popup_shown', { popup: 'd' }],
      ['popup_converted', { popup: 'd' }],
    ]);
    expect(JSON.parse(storage.data.get(RECORD_KEY)!).converted).toEqual(['d']);

    personalizer.stop();
    const other = memoryStorage();
    personalizer = installPersonalization(fakeHost().host, { storage: other });
    personalizer.observe(event('popup_converted', { props: { popup: 'D' } }));
    personalizer.exitIntent();
    expect(dialog.showModal).toHaveBeenCalledTimes(1);
  });

  it('allows one popup per page view, SPA navigations included', () => {
    document.body.innerHTML = '<dialog data-ll-exit-popup="spa" data-ll-every-days="0"><h2>Hi</h2></dialog>';
    const dialog = document.querySelector('dialog')!;
    dialog.showModal = vi.fn();
    personalizer = installPersonalization(fakeHost().host, { storage: memoryStorage() });
    personalizer.exitIntent();
    personalizer.exitIntent();
    expect(dialog.showModal).toHaveBeenCalledTimes(1);
    personalizer.observe(event('page_view', { path: '/next' }));
    personalizer.exitIntent();
    expect(dialog.showModal).toHaveBeenCalledTimes(2);
  });

  it('falls back to a 7-day cap when popupEveryDays is not a number of days', () => {
    let now = 1_800_000_000_000;
    document.body.innerHTML = '<dialog data-ll-exit-popup="cap"><h2>Hi</h2></dialog>';
    const dialog = document.querySelector('dialog')!;
    dialog.showModal = vi.fn();
    const storage = memoryStorage();
    const options = { storage, now: () => now, popupEveryDays: Number.NaN };
    personalizer = installPersonalization(fakeHost().host, options);
    personalizer.exitIntent();
    const nextPage = (afterDays: number) => {
      now += afterDays * DAY;
      personalizer?.stop();
      personalizer = installPersonalization(fakeHost().host, options);
      personalizer.exitIntent();
    };
    nextPage(6);
    expect(dialog.showModal).toHaveBeenCalledTimes(1);
    nextPage(1);
    expect(dialog.showModal).toHaveBeenCalledTimes(2);
    expect(warn.mock.calls.map((c) => String(c[0]))).toContain(
      'leadlight: personalize.popupEveryDays: expected days ≥ 0, got NaN',
    );
  });

  it('stays away from suppressed stages', () => {
    document.body.innerHTML = POPUP;
    const dialog = document.querySelector('dialog')!;
    const opened = vi.fn();
    dialog.showModal = opened;
    const { host, emit } = fakeHost();
    personalizer = installPersonalization(host, { storage: memoryStorage() });
    emit(80, 'mql');
    personalizer.exitIntent();
    expect(opened).not.toHaveBeenCalled();
  });
});
