// @vitest-environment jsdom
import type { ScoreResult } from '@leadlight/scoring-core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { click, resetPage, type TestEnvironment, testEnvironment } from '../test/testEnvironment.js';
import { createLeadlight, type Leadlight } from './createLeadlight.js';

let env: TestEnvironment;
let ll: Leadlight;
const nav = navigator as Navigator & { globalPrivacyControl?: boolean };
/** Personalization is installed one task after init. */
const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));
const cookieNames = () =>
  document.cookie
    .split('; ')
    .filter(Boolean)
    .map((c) => c.split('=')[0]);

beforeEach(() => {
  resetPage();
  env = testEnvironment();
  ll = createLeadlight(env);
});
afterEach(() => {
  ll.destroy();
  delete nav.globalPrivacyControl;
  Object.defineProperty(navigator, 'doNotTrack', { value: null, configurable: true });
  vi.useRealTimers();
});

describe('identity', () => {
  it('keeps the anonymous id in a cookie mirrored to localStorage, each restoring the other', () => {
    ll.init({ siteKey: 'pk_test' });
    const id = ll.anonymousId();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(document.cookie).toContain(`ll_aid=${id}`);
    expect(localStorage.getItem('ll_aid')).toBe(id);
    document.cookie = 'll_aid=; Max-Age=0; Path=/';
    expect(ll.anonymousId()).toBe(id);
    expect(document.cookie).toContain(`ll_aid=${id}`);
    localStorage.clear();
    expect(ll.anonymousId()).toBe(id);
    expect(localStorage.getItem('ll_aid')).toBe(id);
    // A new page load (a new instance) keeps the visitor.
    const other = testEnvironment();
    const next = createLeadlight(other).init({ siteKey: 'pk_test', pageViews: false });
    next.track('x');
    expect(other.events()[0]?.anonymousId).toBe(id);
    next.destroy();
  });

  it('renews the session after 30 idle minutes (configurable)', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    ll.init({ siteKey: 'pk_test', pageViews: false });
    ll.track('a');
    vi.advanceTimersByTime(29 * 60_000);
    ll.track('b');
    vi.advanceTimersByTime(29 * 60_000);
    ll.track('c');
    vi.advanceTimersByTime(31 * 60_000);
    ll.track('d');
    const s = env
      .events()
      .filter((e) => e.type !== 'session_start')
      .map((e) => e.sessionId);
    expect(s[0]).toBe(s[1]);
    expect(s[1]).toBe(s[2]);
    expect(s[3]).not.toBe(s[2]);
    expect(new Set(env.events().map((e) => e.anonymousId)).size).toBe(1);
  });

  it('sends identify with traits and orders ids like the events', () => {
    ll.init({ siteKey: 'pk_test' });
    ll.identify({ email: 'ada@example.com', role: 'vp' });
    for (let i = 0; i < 50; i++) ll.track('tick', { i });
    const events = env.events();
    expect(events[2]).toMatchObject({ type: 'identify', traits: { email: 'ada@example.com', role: 'vp' } });
    expect(events[2]).not.toHaveProperty('props');
    const ids = events.map((e) => e.id);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('sends an identity token with identify, and refuses one that is not a token', () => {
    ll.init({ siteKey: 'pk_test' });
    const token = 'ab'.repeat(32);
    ll.identify({ email: 'ada@example.com' }, { token });
    ll.identify({ email: 'ada@example.com' }, { token: 'not-a-token' });
    const identifies = env.events().filter((e) => e.type === 'identify');
    expect(identifies).toHaveLength(1);
    expect(identifies[0]).toMatchObject({
      traits: { email: 'ada@example.com' },
      props: { identityToken: token },
    });
  });

  it('sends group with the account id and traits, and refuses a call without an id', () => {
    ll.init({ siteKey: 'pk_test' });
    ll.group('acme-corp', { name: 'Acme Corp', companySize: 450 });
    ll.group('globex');
    (ll.group as (id: unknown) => void)(42);
    const groups = env.events().filter((e) => e.type === 'group');
    expect(groups).toHaveLength(2);
    expect(groups[0]).toMatchObject({
      props: { groupId: 'acme-corp' },
      traits: { name: 'Acme Corp', companySize: 450 },
    });
    expect(groups[1]).toMatchObject({ props: { groupId: 'globex' }, traits: {} });
  });

  it('uses the cookie domain and lifetime it is given', () => {
    const writes: string[] = [];
    const desc = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie')!;
    Object.defineProperty(document, 'cookie', {
      configurable: true,
      get: () => desc.get!.call(document),
      set: (v: string) => {
        writes.push(v);
        desc.set!.call(document, v.replace(/; Domain=[^;]+/, ''));
      },
    });
    try {
      ll.init({ siteKey: 'pk_test', cookieDomain: '.example.com', cookieDays: 30 });
    } finally {
      delete (document as { cookie?: string }).cookie;
    }
    expect(writes[0]).toMatch(
      /^ll_aid=[0-9a-f-]{36}; Path=\/; Max-Age=2592000; SameSite=Lax; Domain=\.example\.com$/,
    );
  });
});

describe('visits', () => {
  const starts = (e = env) => e.events().filter((x) => x.type === 'session_start');

  it('starts each session with session_start: visit number, landing page, referrer and UTM parameters', () => {
    history.replaceState(null, '', '/pricing?utm_source=news&utm_campaign=fall&x=1');
    document.title = 'Pricing';
    Object.defineProperty(document, 'referrer', { value: 'https://search.example/', configurable: true });
    try {
      // The SDK reads document.referrer when it is created.
      ll = createLeadlight(env).init({ siteKey: 'pk_test' });
    } finally {
      delete (document as { referrer?: string }).referrer;
    }
    const [start, view] = env.events();
    expect(start).toMatchObject({
      type: 'session_start',
      path: '/pricing',
      title: 'Pricing',
      referrer: 'https://search.example/',
      props: { visitNumber: 1, landingPage: '/pricing', utm_source: 'news', utm_campaign: 'fall' },
    });
    expect(start?.props).not.toHaveProperty('x');
    // Before the session's first page view in canonical order (ts, then id), in the same session.
    expect(view?.type).toBe('page_view');
    expect(start!.ts).toBe(view!.ts);
    expect(start!.id < view!.id).toBe(true);
    expect(start?.sessionId).toBe(view?.sessionId);
    expect(start?.anonymousId).toBe(view?.anonymousId);
  });

  it("counts visits after the idle timeout, in the anonymous id's storage, across page loads", () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    ll.init({ siteKey: 'pk_test' });
    ll.track('a');
    vi.advanceTimersByTime(29 * 60_000);
    history.replaceState(null, '', '/docs');
    // The next page load in the same session: no session_start.
    const page2 = testEnvironment();
    createLeadlight(page2).init({ siteKey: 'pk_test' }).destroy();
    expect(page2.events().map((e) => e.type)).toEqual(['page_view']);
    vi.advanceTimersByTime(31 * 60_000);
    ll.track('b');
    expect(starts().map((e) => [e.props?.visitNumber, e.props?.landingPage])).toEqual([
      [1, '/'],
      [2, '/docs'],
    ]);
    const [, second] = starts();
    expect(env.events().at(-1)?.sessionId).toBe(second?.sessionId);
    expect(second?.sessionId).not.toBe(starts()[0]?.sessionId);
    expect(localStorage.getItem('ll_visits')).toBe('2');
    expect(document.cookie).toContain('ll_visits=2');
    // Either copy restores the count, like the anonymous id.
    localStorage.removeItem('ll_visits');
    localStorage.removeItem('ll_sid');
    const page3 = testEnvironment();
    createLeadlight(page3).init({ siteKey: 'pk_test' }).destroy();
    expect(starts(page3)[0]?.props?.visitNumber).toBe(3);
  });

  it('waits for consent: the session starts at the grant, and a refusal forgets the count', () => {
    ll.init({ siteKey: 'pk_test', consent: 'required' });
    expect(localStorage.getItem('ll_visits')).toBeNull();
    ll.consent('granted');
    expect(starts()[0]?.props?.visitNumber).toBe(1);
    ll.consent('denied');
    expect(localStorage.getItem('ll_visits')).toBeNull();
    expect(document.cookie).not.toContain('ll_visits');
  });
});

describe('consent', () => {
  it('"required": stores and sends nothing until granted, then sends what happened before', async () => {
    ll.init({ siteKey: 'pk_test', consent: 'required' });
    ll.track('pricing_seen');
    expect(env.queues).toHaveLength(0);
    expect(cookieNames()).toEqual([]);
    expect(localStorage.length).toBe(0);
    expect(ll.anonymousId()).toBeUndefined();
    ll.consent('granted');
    // The session starts at the grant, on the page of the first held event, before it.
    expect(env.events().map((e) => e.type)).toEqual(['session_start', 'page_view', 'pricing_seen']);
    const id = ll.anonymousId();
    expect(env.events().every((e) => e.anonymousId === id)).toBe(true);
    await nextTask();
    expect(env.observed.map((e) => e.type)).toEqual(['session_start', 'page_view', 'pricing_seen']);
    // The grant is remembered on the next page.
    const next = testEnvironment();
    createLeadlight(next).init({ siteKey: 'pk_test', consent: 'required' }).destroy();
    expect(next.events().map((e) => e.type)).toEqual(['page_view']);
  });

  it('"required" then denied: the held events are dropped and only the refusal is remembered', () => {
    ll.init({ siteKey: 'pk_test', consent: 'required' });
    ll.track('x');
    ll.consent('denied');
    ll.track('y');
    expect(env.queues).toHaveLength(0);
    expect(cookieNames()).toEqual(['ll_consent']);
  });

  it('consent("denied") purges the queue, forgets the ids and stops sending', async () => {
    ll.init({ siteKey: 'pk_test' });
    ll.track('x');
    const q = env.queues[0]!;
    ll.consent('denied');
    await vi.waitFor(() => expect(q.closed).toBe(true));
    expect(q.purged).toBe(1);
    expect(q.events).toEqual([]);
    expect(ll.anonymousId()).toBeUndefined();
    expect(localStorage.getItem('ll_aid')).toBeNull();
    expect(localStorage.getItem('ll_sid')).toBeNull();
    expect(localStorage.getItem('ll_visits')).toBeNull();
    expect(cookieNames()).toEqual(['ll_consent']);
    ll.track('y');
    expect(env.queues).toHaveLength(1);
    expect(q.events).toEqual([]);
    // A later grant starts over with a new visitor id.
    ll.consent('granted');
    ll.track('z');
    expect(env.queues).toHaveLength(2);
    expect(env.queues[1]!.events.map((e) => e.type)).toEqual(['session_start', 'z']);
    expect(env.queues[1]!.events[0]?.props).toMatchObject({ visitNumber: 1 });
  });

  it('honors Do-Not-Track and Global Privacy Control by default', () => {
    nav.globalPrivacyControl = true;
    ll.init({ siteKey: 'pk_test' });
    ll.track('x');
    expect(env.queues).toHaveLength(0);
    ll.destroy();
    delete nav.globalPrivacyControl;
    Object.defineProperty(navigator, 'doNotTrack', { value: '1', configurable: true });
    const other = testEnvironment();
    createLeadlight(other).init({ siteKey: 'pk_test' }).destroy();
    expect(other.queues).toHaveLength(0);
  });

  it('ignores the signals only with a stated reason, and an explicit grant wins over them', () => {
    Object.defineProperty(navigator, 'doNotTrack', { value: '1', configurable: true });
    const warns: string[] = [];
    const original = console.warn;
    console.warn = (m: string) => void warns.push(m);
    try {
      ll.init({ siteKey: 'pk_test', honorPrivacySignals: false, debug: true });
    } finally {
      console.warn = original;
    }
    expect(warns.join()).toContain(
      'options.privacySignalsReason: required when honorPrivacySignals is false',
    );
    expect(env.queues).toHaveLength(0);
    ll.consent('granted');
    ll.track('after_grant');
    // What happened under the signal was dropped, not held.
    expect(env.events().map((e) => e.type)).toEqual(['session_start', 'after_grant']);

    resetPage();
    const other = testEnvironment();
    const reasoned = createLeadlight(other).init({
      siteKey: 'pk_test',
      honorPrivacySignals: false,
      privacySignalsReason: 'signed-in customers under contract',
    });
    expect(other.events().map((e) => e.type)).toEqual(['session_start', 'page_view']);
    reasoned.destroy();
  });

  it('"local-only" scores and personalizes on the device and tells the queue to send nothing', async () => {
    ll.init({ siteKey: 'pk_test', consent: 'local-only' });
    expect(env.queues[0]?.options.send).toBe(false);
    await nextTask();
    expect(env.observed.map((e) => e.type)).toEqual(['session_start', 'page_view']);
  });
});

describe('queue, score and personalization', () => {
  it('connects the queue with endpoint, service worker and the automated flag', () => {
    Object.defineProperty(navigator, 'webdriver', { value: true, configurable: true });
    try {
      ll.init({ siteKey: 'pk_test', endpoint: 'https://c.example/', serviceWorker: '/leadlight-sw.js' });
    } finally {
      delete (navigator as { webdriver?: boolean }).webdriver;
    }
    expect(env.queues[0]?.options).toEqual({
      endpoint: 'https://c.example',
      siteKey: 'pk_test',
      serviceWorker: { path: '/leadlight-sw.js' },
      send: true,
      automated: true,
      debug: false,
    });
    expect(env.events()).toHaveLength(2);
  });

  it('starts no queue without an endpoint it could send to (a page whose origin is "null")', () => {
    resetPage();
    const opaque = testEnvironment({ scriptOrigin: 'null' });
    const page = createLeadlight(opaque).init({ siteKey: 'pk_test' });
    page.track('x');
    expect(opaque.queues).toHaveLength(0);
    page.destroy();
  });

  it('fans queue scores out to onScore callbacks, isolating one that throws', () => {
    ll.init({ siteKey: 'pk_test' });
    const seen: number[] = [];
    ll.onScore(() => {
      throw new Error('site bug');
    });
    const off = ll.onScore((s) => seen.push(s.total));
    env.queues[0]!.emit({ total: 12 } as ScoreResult);
    off();
    env.queues[0]!.emit({ total: 13 } as ScoreResult);
    expect(seen).toEqual([12]);
  });

  it('delegates flush, score and when', async () => {
    ll.init({ siteKey: 'pk_test' });
    await expect(ll.flush()).resolves.toEqual({ sent: 2, pending: 0 });
    await expect(ll.score()).resolves.toBeUndefined();
    const off = ll.when('download:whitepaper', () => {});
    expect(env.whenCalls).toEqual(['download:whitepaper']);
    off();
    expect(env.whenCalls).toEqual(['download:whitepaper', 'off:download:whitepaper']);
  });

  it('skips personalization with personalize: false', async () => {
    ll.init({ siteKey: 'pk_test', personalize: false });
    await nextTask();
    expect(env.observed).toHaveLength(0);
  });
});

describe('never throws into the host page', () => {
  it('survives bad calls and logs them only in debug mode', () => {
    const warns: string[] = [];
    const original = console.warn;
    console.warn = (m: string) => void warns.push(m);
    try {
      ll.init({ siteKey: 'pk_test', debug: true, pageViews: false });
      const loose = ll as unknown as Record<string, (...a: unknown[]) => unknown>;
      expect(() => loose.track!('Bad Type!')).not.toThrow();
      expect(() => loose.track!('ok', 'nope')).not.toThrow();
      expect(() => loose.identify!(null)).not.toThrow();
      expect(() => loose.consent!('maybe')).not.toThrow();
      expect(() => loose.onScore!(42)).not.toThrow();
      expect(() =>
        ll.ready(() => {
          throw new Error('site bug');
        }),
      ).not.toThrow();
      expect(() => ll.init({ siteKey: 'again' })).not.toThrow();
    } finally {
      console.warn = original;
    }
    expect(env.events()).toEqual([]);
    expect(warns).toHaveLength(7);
    expect(warns[0]).toContain('track: type must match');
  });

  it('stays off without a site key, silently outside debug mode', () => {
    const warn = vi.spyOn(console, 'warn');
    const loose = ll as unknown as { init(o: unknown): Leadlight };
    loose.init({ siteKey: '' });
    loose.init('nope');
    ll.track('x');
    expect(env.queues).toHaveLength(0);
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
  });

  it('survives a queue that throws', () => {
    const broken = testEnvironment({
      connectQueue: () => {
        throw new Error('no IndexedDB');
      },
    });
    const sdk = createLeadlight(broken);
    expect(() => sdk.init({ siteKey: 'pk_test' })).not.toThrow();
    expect(() => sdk.track('x')).not.toThrow();
    sdk.destroy();
  });
});

describe('page context', () => {
  it('redacts sensitive query parameters in url and referrer', () => {
    history.replaceState(
      null,
      '',
      '/thanks?email=a%40b.c&password=hunter2&cardnumber=4111&csrf_token=x&q=shoes',
    );
    ll.init({ siteKey: 'pk_test' });
    const [view] = env.events();
    expect(view?.url).toBe(
      'http://localhost:3000/thanks?email=[redacted]&password=[redacted]&cardnumber=[redacted]&csrf_token=[redacted]&q=shoes',
    );
    ll.destroy();
    const other = testEnvironment();
    Object.defineProperty(document, 'referrer', {
      value: 'https://x.example/login?pwd=1',
      configurable: true,
    });
    try {
      const sdk = createLeadlight(other).init({ siteKey: 'pk_test' });
      expect(other.events()[0]?.referrer).toBe('https://x.example/login?pwd=[redacted]');
      sdk.destroy();
    } finally {
      delete (document as { referrer?: string }).referrer;
    }
  });

  it('redacts every event before the queue: url, path, title, props, and the names a site adds', () => {
    history.replaceState(
      null,
      '',
      '/u/jane%40acme.com?utm_source=news&member_id=42&code=abc#access_token=xyz&state=s1',
    );
    document.title = 'Welcome back, jane@acme.com';
    document.body.innerHTML = `
      <a id="file" href="/files/jane%2540acme.com.pdf?X-Amz-Signature=f00d">Report</a>
      <a id="cta" data-ll-cta="contact" href="mailto:jane@acme.com">Write</a>`;
    ll.init({ siteKey: 'pk_test', redactParams: ['Member_ID'] });
    click(document.getElementById('file')!);
    click(document.getElementById('cta')!);
    ll.track('custom', { note: 'from jane@acme.com', list: ['?token=t1'], n: 1 });
    ll.identify({ email: 'jane@acme.com' });
    const [start, view, download, cta, custom, identify] = env.events();
    expect(start?.props).toEqual({ visitNumber: 1, landingPage: '/u/[email]', utm_source: 'news' });
    expect(view).toMatchObject({
      url: 'http://localhost:3000/u/[email]?utm_source=news&member_id=[redacted]&code=[redacted]#access_token=[redacted]&state=[redacted]',
      path: '/u/[email]',
      title: 'Welcome back, [email]',
      props: { utm_source: 'news' },
    });
    // "acme.com.pdf" could be a domain: the extension goes with the address (ext is read before redaction).
    expect(download?.props).toEqual({
      href: 'http://localhost:3000/files/[email]?X-Amz-Signature=[redacted]',
      file: '[email]',
      ext: 'pdf',
    });
    expect(cta?.props).toEqual({ cta: 'contact', href: 'mailto:[email]' });
    expect(custom?.props).toEqual({ note: 'from [email]', list: ['?token=[redacted]'], n: 1 });
    // identify is how a site sends an email on purpose: traits are left alone.
    expect(identify?.traits).toEqual({ email: 'jane@acme.com' });
    // Only the page context and props: ids and times are random hex and may hold "42" or "abc".
    const context = env
      .events()
      .slice(0, 5)
      .map(({ url, path, title, referrer, props }) => ({ url, path, title, referrer, props }));
    expect(JSON.stringify(context)).not.toMatch(/jane|abc|xyz|s1|f00d|42/);
  });
});
