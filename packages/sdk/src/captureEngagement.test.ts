// @vitest-environment jsdom
import type { TrackedEvent } from '@leadlight/scoring-core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetPage, type TestEnvironment, testEnvironment } from '../test/testEnvironment.js';
import { createLeadlight, type Leadlight } from './createLeadlight.js';

let env: TestEnvironment;
let ll: Leadlight;
let visibility: DocumentVisibilityState = 'visible';
const engagements = () => env.events().filter((e) => e.type === 'engagement');
const seconds = () => engagements().map((e) => e.props?.engagedSeconds);
/** What the browser does when the tab goes to the background or comes back (jsdom's page is always visible). */
const show = (state: DocumentVisibilityState) => {
  visibility = state;
  document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
};
const pass = (ms: number) => vi.advanceTimersByTime(ms);
/** The SDK reads scroll right after a frame; this resolves once the read scheduled before it has run. */
const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
const scrollTo = (y: number) => {
  Object.defineProperty(window, 'scrollY', { value: y, configurable: true });
  window.dispatchEvent(new Event('scroll'));
};
const layout = (height: number) =>
  Object.defineProperty(document.documentElement, 'scrollHeight', { value: height, configurable: true });

beforeEach(() => {
  resetPage();
  visibility = 'visible';
  Object.defineProperty(document, 'visibilityState', { get: () => visibility, configurable: true });
  Object.defineProperty(document, 'hidden', { get: () => visibility !== 'visible', configurable: true });
  // Only the clock is fake (the SDK measures time by timestamps); animation frames stay real.
  vi.useFakeTimers({ toFake: ['Date'] });
  env = testEnvironment();
  ll = createLeadlight(env);
});
afterEach(() => {
  ll.destroy();
  vi.useRealTimers();
  // The page's own getters (on the prototype) show again.
  for (const key of ['visibilityState', 'hidden'] as const)
    delete (document as { visibilityState?: string; hidden?: boolean })[key];
  // jsdom keeps scrollY on the window itself: put its value back rather than deleting it.
  Object.defineProperty(window, 'scrollY', { value: 0, configurable: true });
  delete (document.documentElement as { scrollHeight?: number }).scrollHeight;
});

describe('engagement', () => {
  it('counts visible time only, cumulative across hides, one event per hide', () => {
    ll.init({ siteKey: 'pk_test' });
    pass(4_000);
    show('hidden');
    pass(60_000);
    show('visible');
    pass(2_500);
    show('hidden');
    pass(600_000);
    show('visible');
    pass(1_240);
    show('hidden');
    expect(seconds()).toEqual([4, 6.5, 7.7]);
    const [first] = engagements();
    expect(first).toMatchObject({ path: '/', url: 'http://localhost:3000/', title: 'Test page' });
    expect(new Set(engagements().map((e) => e.props?.pageViewId)).size).toBe(1);
    expect(first?.props?.pageViewId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends on pagehide, and a hide right after it (or a page shown and hidden at once) sends nothing', () => {
    ll.init({ siteKey: 'pk_test' });
    pass(3_000);
    window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: false }));
    show('hidden');
    show('visible');
    show('hidden');
    expect(seconds()).toEqual([3]);
  });

  it('sends nothing for a view that was never seen', () => {
    visibility = 'hidden';
    ll.init({ siteKey: 'pk_test' });
    pass(30_000);
    window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: false }));
    expect(engagements()).toEqual([]);
  });

  it('ends the page view on SPA navigation: before the next page view, with the page being left', () => {
    // The navigation settles on a timer: fake it too, so the clock moves only when the test says.
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
    history.replaceState(null, '', '/pricing?plan=team');
    document.title = 'Pricing';
    ll.init({ siteKey: 'pk_test' });
    pass(12_000);
    history.pushState(null, '', '/docs');
    document.title = 'Docs';
    // The 100 ms a navigation takes to settle still belong to the page being left.
    pass(100);
    pass(1_000);
    show('hidden');
    const types = env.events().map((e) => `${e.type} ${e.path}`);
    expect(types).toEqual([
      'session_start /pricing',
      'page_view /pricing',
      'engagement /pricing',
      'page_view /docs',
      'engagement /docs',
    ]);
    const [left, docs] = engagements() as [TrackedEvent, TrackedEvent];
    expect(left).toMatchObject({
      url: 'http://localhost:3000/pricing?plan=team',
      title: 'Pricing',
      props: { engagedSeconds: 12.1 },
    });
    expect(docs).toMatchObject({ title: 'Docs', referrer: 'http://localhost:3000/pricing?plan=team' });
    expect(docs.props?.engagedSeconds).toBe(1);
    expect(docs.props?.pageViewId).not.toBe(left.props?.pageViewId);
  });

  it('measures from page() when page views are not captured', () => {
    ll.init({ siteKey: 'pk_test', pageViews: false });
    pass(5_000);
    show('hidden');
    // No page view yet: nothing to measure.
    expect(engagements()).toEqual([]);
    show('visible');
    ll.page();
    pass(2_000);
    show('hidden');
    expect(seconds()).toEqual([2]);
  });

  it('starts a new page view when the page comes back from the back-forward cache', () => {
    ll.init({ siteKey: 'pk_test' });
    pass(1_000);
    window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true }));
    show('hidden');
    pass(60_000);
    show('visible');
    window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
    pass(1_500);
    show('hidden');
    expect(seconds()).toEqual([1, 1.5]);
    const [before, after] = engagements().map((e) => e.props?.pageViewId);
    expect(after).not.toBe(before);
  });

  it('keeps the deepest scroll: the bottom of the viewport as a share of the document', async () => {
    layout(2_000);
    ll.init({ siteKey: 'pk_test' });
    await nextFrame();
    pass(1_000);
    show('hidden');
    // jsdom's viewport is 768 px tall: 768 / 2000 before any scroll.
    expect(engagements()[0]?.props?.scrollDepth).toBe(38);
    show('visible');
    scrollTo(732);
    await nextFrame();
    scrollTo(0);
    await nextFrame();
    pass(1_000);
    show('hidden');
    expect(engagements()[1]?.props).toMatchObject({ engagedSeconds: 2, scrollDepth: 75 });
  });

  it('reads 100 % for a page that does not scroll', async () => {
    layout(500);
    ll.init({ siteKey: 'pk_test' });
    await nextFrame();
    pass(700);
    show('hidden');
    expect(engagements()[0]?.props).toMatchObject({ engagedSeconds: 0.7, scrollDepth: 100 });
  });

  it('can be switched off', () => {
    ll.init({ siteKey: 'pk_test', engagement: false });
    pass(5_000);
    show('hidden');
    window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: false }));
    expect(engagements()).toEqual([]);
  });

  it('sends nothing once consent is denied, not even a view measured or a scroll read scheduled before', async () => {
    layout(2_000);
    ll.init({ siteKey: 'pk_test' });
    pass(3_000);
    scrollTo(500); // a read scheduled for after the next frame
    ll.consent('denied');
    await nextFrame();
    show('hidden');
    window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: false }));
    history.pushState(null, '', '/next');
    expect(engagements()).toEqual([]);
    expect(env.queues[0]!.events).toEqual([]);
  });

  it('waits for consent like every event', () => {
    ll.init({ siteKey: 'pk_test', consent: 'required' });
    pass(2_000);
    show('hidden');
    expect(env.events()).toEqual([]);
    ll.consent('granted');
    expect(env.events().map((e) => e.type)).toEqual(['session_start', 'page_view', 'engagement']);
  });
});
