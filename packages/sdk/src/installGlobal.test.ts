// @vitest-environment jsdom
/// <reference types="node" />
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { API_METHODS, resetPage, type TestEnvironment, testEnvironment } from '../test/testEnvironment.js';
import type { Leadlight } from './createLeadlight.js';
import { installGlobal } from './installGlobal.js';
import { readScriptOptions } from './readScriptOptions.js';
import { installStub } from './snippetQueue.js';

type Win = Window & { leadlight?: Leadlight };
const win = window as Win;
let env: TestEnvironment;
const script = (attrs: Record<string, string>) => {
  const s = document.createElement('script');
  s.src = 'https://collector.example/leadlight.js';
  for (const [k, v] of Object.entries(attrs)) s.setAttribute(k, v);
  return s;
};
const types = () => env.events().map((e) => e.type);

beforeEach(() => {
  resetPage();
  delete win.leadlight;
  env = testEnvironment();
});
afterEach(() => {
  win.leadlight?.destroy?.();
  delete win.leadlight;
});

describe('loader snippet and replay', () => {
  it('queues every call before load and replays them in order after auto-init from data attributes', async () => {
    installStub(win);
    const ll = win.leadlight!;
    ll.track('first', { n: 1 });
    ll.identify({ email: 'ada@example.com' });
    expect(ll.anonymousId()).toBeUndefined();
    const score = ll.score();
    const flushed = ll.flush();
    const readyOrder: string[] = [];
    ll.ready(() => readyOrder.push('ready'));
    ll.track('second');
    installGlobal(
      win,
      script({ 'data-site-key': 'pk_tag', 'data-sw': '/sw.js', 'data-debug': 'false' }),
      (origin) => Object.assign(env, { scriptOrigin: origin }),
    );
    expect(types()).toEqual(['session_start', 'page_view', 'first', 'identify', 'second']);
    expect(env.queues[0]?.options).toMatchObject({
      siteKey: 'pk_tag',
      endpoint: 'https://collector.example',
      serviceWorker: { path: '/sw.js' },
    });
    await expect(score).resolves.toBeUndefined();
    await expect(flushed).resolves.toEqual({ sent: 4, pending: 0 });
    expect(readyOrder).toEqual(['ready']);
    // The stub object itself became the SDK, so references the page kept keep working.
    expect(win.leadlight).toBe(ll);
    ll.track('after');
    expect(types().at(-1)).toBe('after');
    expect(ll.anonymousId()).toBe(env.events()[0]?.anonymousId);
  });

  it('keeps order for calls made while replaying (re-entrant ready callbacks)', () => {
    installStub(win);
    const ll = win.leadlight!;
    ll.track('a');
    ll.ready(() => {
      ll.track('from_ready');
      ll.ready(() => ll.track('nested_ready'));
    });
    ll.track('b');
    installGlobal(win, script({ 'data-site-key': 'pk_tag', 'data-page-views': 'false' }), (origin) =>
      Object.assign(env, { scriptOrigin: origin }),
    );
    expect(types()).toEqual(['session_start', 'a', 'b', 'from_ready', 'nested_ready']);
  });

  it('lets a queued init override the data attributes, and holds calls made before it', () => {
    installStub(win);
    const ll = win.leadlight!;
    ll.track('early');
    ll.init({ siteKey: 'pk_init', pageViews: false });
    installGlobal(
      win,
      script({ 'data-site-key': 'pk_tag', 'data-endpoint': 'https://c2.example' }),
      (origin) => Object.assign(env, { scriptOrigin: origin }),
    );
    expect(types()).toEqual(['session_start', 'early']);
    expect(env.queues[0]?.options).toMatchObject({ siteKey: 'pk_init', endpoint: 'https://c2.example' });
  });

  it('waits for init when the tag has no site key', () => {
    installGlobal(win, script({}), (origin) => Object.assign(env, { scriptOrigin: origin }));
    win.leadlight!.track('x');
    expect(env.queues).toHaveLength(0);
    win.leadlight!.init({ siteKey: 'pk_late', pageViews: false });
    expect(types()).toEqual(['session_start', 'x']);
  });

  it('unsubscribes onScore callbacks cancelled before or after the replay', () => {
    installStub(win);
    const ll = win.leadlight!;
    const seen: string[] = [];
    const offBefore = ll.onScore(() => seen.push('before'));
    offBefore();
    const offAfter = ll.onScore(() => seen.push('after'));
    installGlobal(win, script({ 'data-site-key': 'pk_tag' }), (origin) =>
      Object.assign(env, { scriptOrigin: origin }),
    );
    env.queues[0]!.emit({ total: 1 } as never);
    offAfter();
    env.queues[0]!.emit({ total: 2 } as never);
    expect(seen).toEqual(['after']);
  });

  it('reads every documented data attribute', () => {
    installGlobal(
      win,
      script({
        'data-site-key': 'pk_tag',
        'data-consent': 'local-only',
        'data-sw': 'false',
        'data-hash-routing': 'true',
        'data-download-extensions': 'stl, step',
        'data-cta-selectors': '.btn, .cta',
        'data-email-fields': 'work_email',
        'data-touch-exit-intent': 'back hidden',
        'data-cookie-domain': '.example.com',
        'data-cookie-days': '90',
        'data-session-minutes': '15',
        'data-personalize': 'false',
        'data-forms': 'false',
      }),
      (origin) => Object.assign(env, { scriptOrigin: origin }),
    );
    expect(env.queues[0]?.options).toMatchObject({ send: false, serviceWorker: false });
    expect(env.observed).toHaveLength(0);
    expect(
      readScriptOptions(
        script({
          'data-site-key': 'pk',
          'data-endpoint': 'https://c.example',
          'data-sw': '/sw.js',
          'data-consent': 'required',
          'data-honor-privacy-signals': 'false',
          'data-privacy-signals-reason': 'contract',
          'data-page-views': 'off',
          'data-engagement': '0',
          'data-hash-routing': '',
          'data-download-extensions': 'stl, step',
          'data-cta-selectors': '.btn, .cta',
          'data-redact-params': 'member_id, ref',
          'data-email-fields': 'work_email mail',
          'data-touch-exit-intent': 'back hidden',
          'data-cookie-domain': '.example.com',
          'data-cookie-days': '90',
          'data-session-minutes': '15',
          'data-personalize': 'false',
          'data-debug': 'true',
          'data-unrelated': 'x',
        }),
      ),
    ).toEqual({
      siteKey: 'pk',
      endpoint: 'https://c.example',
      serviceWorker: '/sw.js',
      consent: 'required',
      honorPrivacySignals: false,
      privacySignalsReason: 'contract',
      pageViews: false,
      engagement: false,
      hashRouting: true,
      downloadExtensions: ['stl', 'step'],
      ctaSelectors: ['.btn, .cta'],
      redactParams: ['member_id', 'ref'],
      traitFields: { email: ['work_email', 'mail'] },
      touchExitIntent: ['back', 'hidden'],
      cookieDomain: '.example.com',
      cookieDays: 90,
      sessionMinutes: 15,
      personalize: false,
      debug: true,
    });
  });

  it('ships a built snippet that defines every method and queues calls', () => {
    const built = join(process.cwd(), 'dist/snippet.js');
    if (!existsSync(built))
      return expect.fail('dist/snippet.js is missing: run pnpm --filter @leadlight/sdk build');
    // biome-ignore lint/security/noGlobalEval: runs the built snippet the way an inline script tag would
    window.eval(readFileSync(built, 'utf8'));
    const ll = win.leadlight as unknown as Record<string, (...a: unknown[]) => unknown> & { q: unknown[] };
    for (const m of API_METHODS) {
      expect(typeof ll[m]).toBe('function');
    }
    ll.track!('a');
    ll.page!();
    expect(ll.q.map((c) => (c as unknown[])[0])).toEqual(['track', 'page']);
    expect(document.head.querySelector('style')?.textContent).toContain('display:none');
  });
});
