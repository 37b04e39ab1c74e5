// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetPage, type TestEnvironment, testEnvironment } from '../test/testEnvironment.js';
import { createLeadlight, type Leadlight } from './createLeadlight.js';

let env: TestEnvironment;
let ll: Leadlight;
const exits = () => env.events().filter((e) => e.type === 'exit_intent').length;
const leave = (clientY: number, relatedTarget: EventTarget | null = null) =>
  document.body.dispatchEvent(new MouseEvent('mouseout', { bubbles: true, clientY, relatedTarget }));
const touchDevice = (touch: boolean) => {
  window.matchMedia = ((q: string) => ({
    matches: touch && q.includes('coarse'),
    media: q,
  })) as typeof window.matchMedia;
};
const scrollTo = (y: number) => {
  Object.defineProperty(window, 'scrollY', { value: y, configurable: true });
  window.dispatchEvent(new Event('scroll'));
};

beforeEach(() => {
  resetPage();
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  env = testEnvironment();
  ll = createLeadlight(env);
});
afterEach(() => {
  ll.destroy();
  vi.useRealTimers();
  touchDevice(false);
  scrollTo(0);
});

describe('exit intent on desktop', () => {
  it('fires when the pointer leaves through the top, once per page view, and tells personalization', () => {
    touchDevice(false);
    ll.init({ siteKey: 'pk_test' });
    vi.advanceTimersByTime(1); // personalization installs one task after init
    leave(400); // left through the side or bottom
    leave(-5, document.body); // moved onto another element
    expect(exits()).toBe(0);
    leave(-2);
    leave(-2);
    expect(exits()).toBe(1);
    expect(env.exitIntents).toBe(1);
    history.pushState(null, '', '/next');
    vi.advanceTimersByTime(150);
    leave(0);
    expect(exits()).toBe(2);
  });

  it('does not use the touch rules', () => {
    touchDevice(false);
    ll.init({ siteKey: 'pk_test' });
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
    delete (document as { visibilityState?: string }).visibilityState;
    expect(exits()).toBe(0);
  });
});

describe('exit intent on touch devices', () => {
  it('fires on a fast upward scroll, not a slow one', () => {
    touchDevice(true);
    ll.init({ siteKey: 'pk_test', touchExitIntent: ['scroll-up'] });
    scrollTo(2000);
    vi.advanceTimersByTime(1000);
    scrollTo(1900); // 100 px in 1 s: reading
    expect(exits()).toBe(0);
    vi.advanceTimersByTime(50);
    scrollTo(1500); // 400 px in 50 ms: flinging to the top
    expect(exits()).toBe(1);
  });

  it('fires when the tab is hidden with the default rules, and not on pointer leaving', () => {
    touchDevice(true);
    ll.init({ siteKey: 'pk_test' });
    leave(-1);
    expect(exits()).toBe(0);
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
    delete (document as { visibilityState?: string }).visibilityState;
    expect(exits()).toBe(1);
  });

  it('fires on the back button from the landing page with the "back" rule', () => {
    touchDevice(true);
    const before = history.length;
    ll.init({ siteKey: 'pk_test', touchExitIntent: ['back'] });
    expect(history.length).toBe(before + 1);
    window.dispatchEvent(new PopStateEvent('popstate', { state: null }));
    expect(exits()).toBe(1);
  });

  it('can be switched off', () => {
    touchDevice(false);
    ll.init({ siteKey: 'pk_test', exitIntent: false });
    leave(-1);
    expect(exits()).toBe(0);
  });
});
