// What the suites that run the script tag against a real collector share.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningCollector, startCollector } from '@leadlight/collector';
import { type BrowserName, launchTestBrowser, type TestBrowser } from '@leadlight/devtools/browser';
import { type Route, servePages } from '@leadlight/devtools/servePages';
import type { TrackedEvent } from '@leadlight/scoring-core';
import type { Page } from 'playwright-core';

/** leadlight.js has run: the global is the SDK, not a snippet stub. */
export const sdkLoaded = (page: Page) =>
  page.waitForFunction(() => {
    const ll = (window as { leadlight?: { q?: unknown; track?: unknown } }).leadlight;
    return typeof ll?.track === 'function' && !ll.q;
  });

/** The events the collector stored for the contact that owns this anonymous id (none yet: an empty list). */
export async function storedEvents(
  collector: RunningCollector,
  secret: string,
  anonymousId: string,
): Promise<TrackedEvent[]> {
  const auth = { authorization: `Bearer ${secret}` };
  const visitor = await fetch(`${collector.url}/v1/visitors/${anonymousId}`, { headers: auth });
  if (visitor.status !== 200) return [];
  const { id } = (await visitor.json()) as { id: string };
  const res = await fetch(`${collector.url}/v1/leads/${id}/events?limit=200`, { headers: auth });
  return ((await res.json()) as { items: TrackedEvent[] }).items;
}

/** A new visitor: from a page of the site, its cookies and local storage are cleared. */
export const forgetVisitor = (page: { evaluate(fn: () => void): Promise<unknown> }) =>
  page.evaluate(() => {
    for (const c of document.cookie.split('; ')) document.cookie = `${c.split('=')[0]}=; Max-Age=0; Path=/`;
    localStorage.clear();
  });

/** A site (its pages are `routes`, filled in once the collector's URL is known), its collector and a browser. */
export interface SdkSite {
  url: string;
  collector: RunningCollector;
  browser: TestBrowser;
  close(): Promise<void>;
}

/** Serves `routes`, starts a collector (SQLite in a temp folder) that accepts the site, and launches `name`. */
export async function startSdkSite(
  name: BrowserName,
  site: { siteKey: string; secretKey: string; model: unknown },
  routes: Record<string, Route>,
): Promise<SdkSite> {
  const dir = mkdtempSync(join(tmpdir(), 'll-sdk-site-'));
  const pages = await servePages(routes);
  const collector = await startCollector({
    config: { sites: [{ ...site, origins: [pages.url], bots: 'score' }] },
    dbPath: join(dir, 'collector.db'),
  });
  const browser = await launchTestBrowser(name);
  return {
    url: pages.url,
    collector,
    browser,
    async close() {
      await browser.close();
      await pages.close();
      await collector.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
