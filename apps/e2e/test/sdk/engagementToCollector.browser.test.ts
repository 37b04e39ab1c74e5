/// <reference types="node" />
// Engaged time, scroll depth and visits in real Chromium with the script tag, the service worker and the real
// collector: what the page measures, what the collector stores, and a model with numeric rules on both that
// scores the same on the page (the worker's provisional score) and on the collector.
//
// Headless Chromium keeps every page visible: opening another tab in the same window (Target.createTarget,
// Target.activateTarget), minimising the window (Browser.setWindowBounds), Page.setWebLifecycleState and
// Emulation.setFocusEmulationEnabled(false) all leave document.visibilityState at "visible" with no
// visibilitychange (Chromium 156). So the tests set visibilityState on the page and fire the event the browser
// would; `pagehide` is the real one a navigation fires. Only the page's Date is fixed (page.clock.setFixedTime:
// timers and animation frames keep running), so the seconds are exact.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningCollector, startCollector } from '@leadlight/collector';
import { hasChrome, type LaunchedBrowser, launchBrowser } from '@leadlight/devtools/browser';
import { freePort } from '@leadlight/devtools/freePort';
import type { ScoreResult, TrackedEvent } from '@leadlight/scoring-core';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkLoaded, storedEvents } from './collectorSite.js';

const SECRET = 'sk_engagement_secret_for_tests';
const MODEL = {
  version: 'sdk-engagement',
  rules: [
    {
      id: 'read-pricing',
      event: 'engagement',
      match: { path: '/pricing*', props: { engagedSeconds: { gte: 1 } } },
      points: 15,
      max: 1,
    },
    {
      id: 'return-visit',
      event: 'session_start',
      match: { props: { visitNumber: { gte: 2 } } },
      points: 10,
      max: 3,
    },
  ],
  fit: [],
  mql: { total: 100 },
};
/** Sessions end after 2 idle minutes here, so a return visit fits in the collector's 5-minute clock skew. */
const tag = (origin: string) =>
  `<script async src="${origin}/leadlight.js" data-site-key="pk_engagement" data-endpoint="${origin}" data-sw="/leadlight-sw.js" data-session-minutes="2"></script>`;

type Sdk = {
  leadlight: {
    anonymousId(): string;
    flush(): Promise<unknown>;
    score(): Promise<ScoreResult | undefined>;
  };
};
const anonymousIdOf = (page: Page) => page.evaluate(() => (window as unknown as Sdk).leadlight.anonymousId());
const flush = (page: Page) => page.evaluate(() => (window as unknown as Sdk).leadlight.flush());
/** What the browser does when the tab goes to the background or comes back (see the top of this file). */
const setVisibility = (page: Page, state: 'visible' | 'hidden') =>
  page.evaluate((s) => {
    Object.defineProperty(document, 'visibilityState', { get: () => s, configurable: true });
    Object.defineProperty(document, 'hidden', { get: () => s === 'hidden', configurable: true });
    document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
  }, state);
/** Two animation frames: the SDK's scroll read, scheduled for the next one, has run. */
const frames = (page: Page) =>
  page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
/** A time a few minutes back, so every jump the test makes stays behind the collector's clock. */
const minutesAgo = (n: number) => Date.now() - n * 60_000;

describe.skipIf(!hasChrome('sdk engagement → collector'))('engagement and visits (Chromium)', () => {
  let collector: RunningCollector;
  let browser: LaunchedBrowser;
  let dir: string;
  let origin: string;
  const stored = (anonymousId: string) => storedEvents(collector, SECRET, anonymousId);
  const ofType = async (anonymousId: string, type: string) =>
    (await stored(anonymousId)).filter((e) => e.type === type);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'll-sdk-engagement-'));
    const site = join(dir, 'site');
    mkdirSync(site, { recursive: true });
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    const page = (title: string, body: string) =>
      `<!doctype html><html><head><title>${title}</title>${tag(origin)}</head><body style="margin:0">${body}</body></html>`;
    // 4,000 px tall in a 720 px viewport: 18 % seen before any scroll, 75 % with the viewport's top at 2,280 px.
    writeFileSync(join(site, 'pricing.html'), page('Pricing', '<div style="height:4000px">Pricing</div>'));
    writeFileSync(join(site, 'index.html'), page('Home', '<h1>Acme</h1>'));
    writeFileSync(join(site, 'blank.html'), '<!doctype html><title>Blank</title>');
    collector = await startCollector({
      config: {
        sites: [
          { siteKey: 'pk_engagement', secretKey: SECRET, origins: [origin], model: MODEL, bots: 'score' },
        ],
      },
      dbPath: join(dir, 'collector.db'),
      port,
      staticDir: site,
    });
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await collector?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** A first-time visitor: no cookie, no storage, no service worker (nor its score) from an earlier test. */
  const newVisitor = async (): Promise<Page> => {
    await browser.context.clearCookies();
    const page = await browser.context.newPage();
    await page.goto(`${origin}/blank.html`);
    await page.evaluate(async () => {
      localStorage.clear();
      for (const r of await navigator.serviceWorker.getRegistrations()) await r.unregister();
    });
    return page;
  };

  it('sends visible seconds (hidden periods left out) and the deepest scroll on each hide and on pagehide', async () => {
    const page = await newVisitor();
    const t0 = minutesAgo(4);
    await page.clock.setFixedTime(t0);
    await page.goto(`${origin}/pricing.html`);
    await sdkLoaded(page);
    const anonymousId = await anonymousIdOf(page);
    await frames(page);

    await page.clock.setFixedTime(t0 + 2_000);
    await setVisibility(page, 'hidden');
    // A minute in the background counts for nothing.
    await page.clock.setFixedTime(t0 + 62_000);
    await setVisibility(page, 'visible');
    await page.evaluate(() => window.scrollTo(0, 2_280));
    await frames(page);
    await page.evaluate(() => window.scrollTo(0, 0));
    await frames(page);
    await page.clock.setFixedTime(t0 + 63_500);
    await setVisibility(page, 'hidden');
    await setVisibility(page, 'visible');
    await page.clock.setFixedTime(t0 + 64_500);
    // Leaving fires pagehide; the next page (same session) delivers what is queued.
    await page.goto(`${origin}/index.html`);
    await sdkLoaded(page);
    await flush(page);

    await expect
      .poll(async () => (await ofType(anonymousId, 'engagement')).length, { timeout: 30_000 })
      .toBe(3);
    const engagements = (await ofType(anonymousId, 'engagement')).sort((a, b) => a.ts - b.ts);
    expect(engagements.map((e) => [e.path, e.props?.engagedSeconds, e.props?.scrollDepth])).toEqual([
      ['/pricing.html', 2, 18],
      ['/pricing.html', 3.5, 75],
      ['/pricing.html', 4.5, 75],
    ]);
    expect(new Set(engagements.map((e) => e.props?.pageViewId)).size).toBe(1);
    expect(engagements[0]?.url).toBe(`${origin}/pricing.html`);
    await page.close();
  }, 90_000);

  it('starts each session with session_start, and a numeric rule scores the same on the page and on the collector', async () => {
    const page = await newVisitor();
    const t0 = minutesAgo(4);
    await page.clock.setFixedTime(t0);
    await page.goto(`${origin}/pricing.html?utm_source=news&utm_campaign=spring`, {
      referer: 'http://search.example/results',
    });
    await sdkLoaded(page);
    const anonymousId = await anonymousIdOf(page);
    // 1.5 s on pricing: "read-pricing" (+15, gte 1).
    await page.clock.setFixedTime(t0 + 1_500);
    await setVisibility(page, 'hidden');
    // Back three minutes later, past the 2-minute session: a return visit (+10).
    await page.clock.setFixedTime(t0 + 1_500 + 3 * 60_000);
    await page.goto(`${origin}/index.html`);
    await sdkLoaded(page);
    expect(await anonymousIdOf(page)).toBe(anonymousId);
    await flush(page);

    await expect
      .poll(async () => (await ofType(anonymousId, 'session_start')).length, { timeout: 30_000 })
      .toBe(2);
    const events = await stored(anonymousId);
    const starts = events.filter((e) => e.type === 'session_start').sort((a, b) => a.ts - b.ts);
    const [first, second] = starts as [TrackedEvent, TrackedEvent];
    expect(first.props).toEqual({
      visitNumber: 1,
      landingPage: '/pricing.html',
      utm_source: 'news',
      utm_campaign: 'spring',
    });
    expect(first.referrer).toContain('search.example');
    expect(second.props).toEqual({ visitNumber: 2, landingPage: '/index.html' });
    // Canonical order (ts, then id): each session opens with its session_start, before its first page view.
    const canonical = [...events].sort((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : 1));
    for (const start of starts) {
      const session = canonical.filter((e) => e.sessionId === start.sessionId).map((e) => e.type);
      expect(session.slice(0, 2)).toEqual(['session_start', 'page_view']);
    }
    expect(new Set(starts.map((e) => e.sessionId)).size).toBe(2);

    const fromCollector = async () => {
      const res = await fetch(`${collector.url}/v1/visitors/${anonymousId}`, {
        headers: { authorization: `Bearer ${SECRET}` },
      });
      return ((await res.json()) as { score: ScoreResult }).score;
    };
    const onPage = () => page.evaluate(() => (window as unknown as Sdk).leadlight.score());
    await expect.poll(async () => (await fromCollector()).total, { timeout: 30_000 }).toBe(25);
    await expect.poll(async () => (await onPage())?.total, { timeout: 30_000 }).toBe(25);
    const rules = (s: ScoreResult | undefined) =>
      Object.fromEntries((s?.breakdown ?? []).map((b) => [b.rule, b.points]));
    expect(rules(await onPage())).toEqual({ 'read-pricing': 15, 'return-visit': 10 });
    expect(rules(await fromCollector())).toEqual(rules(await onPage()));
    await page.close();
  }, 90_000);
});
