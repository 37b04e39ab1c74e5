// Shared set-up of the real-browser scenarios: one proxy origin + real collector, one headless browser
// (Chromium, or Firefox for the scenarios that run in both: `describeInBrowsers`).
import {
  type BrowserName,
  browsersFor,
  launchTestBrowser,
  type TestBrowser,
  type TestPage,
} from '@leadlight/devtools/browser';
import type { BrowserContext, Page } from 'playwright-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type QueueTestServer, startQueueTestServer } from './queueTestServer.js';

/** A running scenario: its test origin, its browser, and helpers to open harness pages. */
export interface Scenario<P extends TestPage = TestPage> {
  server: QueueTestServer;
  browser: TestBrowser;
  /** Opens the harness page (query like `sw=1&anon=a1`) and waits until its queue is connected. */
  open(query: string): Promise<P>;
  /** Waits until the collector holds exactly these ids for the visitor, each once. */
  expectStored(anonymousId: string, ids: string[], timeout?: number): Promise<void>;
  close(): Promise<void>;
}

/** A Chromium scenario: its pages are Playwright pages, and its context does what only Chromium can here. */
export interface ChromiumScenario extends Scenario<Page & TestPage> {
  browser: TestBrowser & { context: BrowserContext };
}

/** Runs `body` once per browser found (Chromium and Firefox; both are required in CI). */
export function describeInBrowsers(suite: string, body: (name: BrowserName) => void): void {
  const names = browsersFor(suite);
  if (!names.length) describe.skip(suite, () => it.skip('needs a browser', () => {}));
  for (const name of names) describe(`${suite} (${name})`, () => body(name));
}

/**
 * A fresh scenario for each test of the enclosing suite, closed after it: the returned object always speaks for
 * the running test's scenario.
 */
export function useScenario(): ChromiumScenario;
export function useScenario(name: BrowserName): Scenario;
export function useScenario(name?: BrowserName): Scenario {
  let current: Scenario | undefined;
  beforeEach(async () => {
    current = await (name ? startScenario(name) : startScenario());
  });
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  const live = () => {
    if (!current) throw new Error('a scenario exists only while a test runs');
    return current;
  };
  return {
    get server() {
      return live().server;
    },
    get browser() {
      return live().browser;
    },
    open: (query) => live().open(query),
    expectStored: (anonymousId, ids, timeout) => live().expectStored(anonymousId, ids, timeout),
    close: () => live().close(),
  };
}

/** Starts a scenario with a fresh origin (so no storage or service worker leaks between scenarios). */
export async function startScenario(): Promise<ChromiumScenario>;
export async function startScenario(name: BrowserName): Promise<Scenario>;
export async function startScenario(name: BrowserName = 'chromium'): Promise<Scenario> {
  const server = await startQueueTestServer();
  const browser = await launchTestBrowser(name);
  return {
    server,
    browser,
    async open(query) {
      const page = await browser.newPage();
      await page.goto(`${server.url}/page.html?${query}`);
      await page.waitForFunction(
        () => (window as unknown as HarnessWindow).ll.client.mode !== 'pending',
        undefined,
        { timeout: 20_000 },
      );
      return page;
    },
    async expectStored(anonymousId, ids, timeout = 30_000) {
      const want = [...ids].sort();
      await expect
        .poll(async () => [...(await server.storedIds(anonymousId))].sort(), { timeout, interval: 200 })
        .toEqual(want);
    },
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/** What the harness page puts on window. */
export interface HarnessWindow {
  ll: {
    client: import('@leadlight/worker').InspectableQueueClient;
    track(n: number, type?: string, props?: Record<string, unknown>, path?: string): string[];
    scores: import('@leadlight/scoring-core').ScoreResult[];
    anonymousId: string;
    lifecycle: { controllerChanges: number };
    bench: {
      timeCalls(n: number, kind: 'enqueue' | 'baseline', perTask?: number): Promise<number[]>;
      longTasks: number[];
      scoreTimes: number[];
      pingTimes: number[];
      clock(): number;
      ping(): void;
    };
  };
}

/** Tracks n events in the page; returns their ids. */
export function track(
  page: TestPage | Page,
  n: number,
  type = 'page_view',
  path = '/pricing',
): Promise<string[]> {
  return (page as TestPage).evaluate(
    ([count, eventType, eventPath]) =>
      (window as unknown as HarnessWindow).ll.track(
        count as number,
        eventType as string,
        {},
        eventPath as string,
      ),
    [n, type, path] as const,
  );
}

/** The queue counters in the page. */
export function stats(page: TestPage | Page) {
  return (page as TestPage).evaluate(() => (window as unknown as HarnessWindow).ll.client.stats());
}
