// Shared set-up of the real-browser scenarios: one proxy origin + real collector, one headless Chromium.
import { type LaunchedBrowser, launchBrowser } from '@leadlight/devtools/browser';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { type QueueTestServer, startQueueTestServer } from './queueTestServer.js';

/** A running scenario: its test origin, its browser, and helpers to open harness pages. */
export interface Scenario {
  server: QueueTestServer;
  browser: LaunchedBrowser;
  /** Opens the harness page (query like `sw=1&anon=a1`) and waits until its queue is connected. */
  open(query: string): Promise<Page>;
  /** Waits until the collector holds exactly these ids for the visitor, each once. */
  expectStored(anonymousId: string, ids: string[], timeout?: number): Promise<void>;
  close(): Promise<void>;
}

/** Starts a scenario with a fresh origin (so no storage or service worker leaks between scenarios). */
export async function startScenario(): Promise<Scenario> {
  const server = await startQueueTestServer();
  const browser = await launchBrowser();
  return {
    server,
    browser,
    async open(query) {
      const page = await browser.context.newPage();
      await page.goto(`${server.url}/page.html?${query}`);
      await page.waitForFunction(
        () => (window as unknown as HarnessWindow).ll.client.mode !== 'pending',
        null,
        {
          timeout: 20_000,
        },
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
    client: import('../src/protocol.js').InspectableQueueClient;
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
export function track(page: Page, n: number, type = 'page_view', path = '/pricing'): Promise<string[]> {
  return page.evaluate(
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
export function stats(page: Page) {
  return page.evaluate(() => (window as unknown as HarnessWindow).ll.client.stats());
}
