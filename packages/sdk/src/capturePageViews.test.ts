// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetPage, type TestEnvironment, testEnvironment } from '../test/testEnvironment.js';
import { createLeadlight, type Leadlight } from './createLeadlight.js';

let env: TestEnvironment;
let ll: Leadlight;
const views = () => env.events().filter((e) => e.type === 'page_view');

beforeEach(() => {
  resetPage();
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  env = testEnvironment();
  ll = createLeadlight(env);
});
afterEach(() => {
  ll.destroy();
  vi.useRealTimers();
});

describe('page views', () => {
  it('counts the first load with page context, referrer and UTM parameters', () => {
    history.replaceState(null, '', '/pricing?utm_source=news&utm_medium=email&utm_campaign=fall&x=1');
    document.title = 'Pricing';
    ll.init({ siteKey: 'pk_test' });
    const [view] = views();
    expect(view).toMatchObject({
      type: 'page_view',
      path: '/pricing',
      title: 'Pricing',
      url: 'http://localhost:3000/pricing?utm_source=news&utm_medium=email&utm_campaign=fall&x=1',
      props: { utm_source: 'news', utm_medium: 'email', utm_campaign: 'fall' },
    });
    expect(view?.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(view?.anonymousId).toBeTruthy();
    expect(view?.sessionId).toBeTruthy();
    expect(view?.props).not.toHaveProperty('x');
  });

  it('counts pushState, replaceState and popstate navigations, the previous URL as referrer', () => {
    ll.init({ siteKey: 'pk_test' });
    history.pushState(null, '', '/a');
    vi.advanceTimersByTime(150);
    history.replaceState(null, '', '/b');
    vi.advanceTimersByTime(150);
    history.pushState(null, '', '/c');
    vi.advanceTimersByTime(150);
    history.replaceState(null, '', '/a');
    window.dispatchEvent(new PopStateEvent('popstate'));
    vi.advanceTimersByTime(150);
    expect(views().map((v) => v.path)).toEqual(['/', '/a', '/b', '/c', '/a']);
    expect(views()[2]?.referrer).toBe('http://localhost:3000/a');
  });

  it('records the title the SPA sets right after navigating', () => {
    ll.init({ siteKey: 'pk_test' });
    history.pushState(null, '', '/docs');
    document.title = 'Docs';
    vi.advanceTimersByTime(150);
    expect(views()[1]).toMatchObject({ path: '/docs', title: 'Docs' });
  });

  it('coalesces a navigation storm into one page view of where it settled', () => {
    ll.init({ siteKey: 'pk_test' });
    for (let i = 0; i < 1000; i++) history.pushState(null, '', `/step/${i}`);
    vi.advanceTimersByTime(150);
    for (let i = 0; i < 50; i++) history.replaceState({ i }, '', '/step/999');
    vi.advanceTimersByTime(150);
    expect(views().map((v) => v.path)).toEqual(['/', '/step/999']);
  });

  it('ignores state-only replaceState and hash changes unless hash routing is on', () => {
    ll.init({ siteKey: 'pk_test' });
    history.replaceState({ scroll: 10 }, '');
    history.pushState(null, '', '#/settings');
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    vi.advanceTimersByTime(150);
    expect(views()).toHaveLength(1);
  });

  it('counts hash routes when asked', () => {
    ll.init({ siteKey: 'pk_test', hashRouting: true });
    location.hash = '#/settings';
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    vi.advanceTimersByTime(150);
    expect(views().map((v) => v.url)).toEqual(['http://localhost:3000/', 'http://localhost:3000/#/settings']);
  });

  it('counts back-forward-cache restores, not ordinary pageshow events', () => {
    ll.init({ siteKey: 'pk_test' });
    window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: false }));
    window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
    expect(views()).toHaveLength(2);
  });

  it('counts a prerendered page only once it is shown', () => {
    Object.defineProperty(document, 'prerendering', { value: true, configurable: true });
    try {
      ll.init({ siteKey: 'pk_test' });
      expect(views()).toHaveLength(0);
      Object.defineProperty(document, 'prerendering', { value: false, configurable: true });
      document.dispatchEvent(new Event('prerenderingchange'));
      expect(views()).toHaveLength(1);
    } finally {
      delete (document as { prerendering?: boolean }).prerendering;
    }
  });

  it('can be switched off, and page() still records explicitly', () => {
    ll.init({ siteKey: 'pk_test', pageViews: false });
    history.pushState(null, '', '/x');
    vi.advanceTimersByTime(150);
    expect(views()).toHaveLength(0);
    ll.page();
    expect(views()).toHaveLength(1);
  });

  it('restores history methods on destroy', () => {
    const push = history.pushState;
    ll.init({ siteKey: 'pk_test' });
    expect(history.pushState).not.toBe(push);
    ll.destroy();
    expect(history.pushState).toBe(push);
  });
});
