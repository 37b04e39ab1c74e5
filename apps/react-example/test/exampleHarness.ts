// Shared setup of the example's browser suite: a real collector (tmp SQLite) and the example site on
// ephemeral ports, and pages opened with the client bundle held back until hydration can be watched.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningCollector, startCollector } from '@leadlight/collector';
import { freePort } from '@leadlight/devtools/freePort';
import type { BrowserContext, Page } from 'playwright-core';
import { type ExampleServer, startExampleServer } from '../src/exampleServer.js';
import { EXAMPLE_SITE, exampleConfig } from '../src/exampleSite.js';

/** The collector and the example site, running. */
export interface Example {
  collector: RunningCollector;
  site: ExampleServer;
  close(): Promise<void>;
}

/**
 * Starts the collector with the example's site (`bots: "score"`: headless Chromium announces itself) and the
 * example site with React's development build, which reports every hydration mismatch.
 */
export async function startExample(): Promise<Example> {
  const dir = mkdtempSync(join(tmpdir(), 'll-react-example-'));
  const port = await freePort();
  const collector = await startCollector({
    config: exampleConfig(`http://127.0.0.1:${port}`, 'score'),
    dbPath: join(dir, 'collector.db'),
  });
  const site = await startExampleServer({
    endpoint: collector.url,
    siteKey: EXAMPLE_SITE.siteKey,
    identitySecret: EXAMPLE_SITE.identitySecret,
    port,
    bundle: 'development',
  });
  return {
    collector,
    site,
    async close() {
      await site.close();
      await collector.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A page whose hydration was watched: what the console and React reported, and what changed in #root. */
export interface HydratedPage {
  page: Page;
  /** Console errors and warnings (React's mismatch reports and recoverable errors among them), page errors. */
  problems: string[];
  /** Changes inside #root before hydration committed (none: React adopted the server DOM as it was). */
  mutations: string[];
  /** #root's text as the server sent it, read before any script ran. */
  serverText: string;
}

/**
 * Opens `path` with the client bundle held back, notes the server-rendered text, starts recording every
 * mutation inside #root, then lets the bundle through and waits until hydration has committed.
 */
export async function openHydrated(context: BrowserContext, url: string): Promise<HydratedPage> {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  let release = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  await page.route('**/assets/client*.js', async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(url, { waitUntil: 'commit' });
  await page.locator('#page-data').waitFor({ state: 'attached' });
  const serverText = await page.evaluate(() => {
    const root = document.getElementById('root') as HTMLElement;
    const seen: string[] = [];
    (window as unknown as { hydrationMutations: string[] }).hydrationMutations = seen;
    let done = false;
    const observer = new MutationObserver((records) => {
      for (const r of records) {
        if (r.target === document.documentElement && r.attributeName === 'data-hydrated') {
          done = true;
          observer.disconnect();
        }
        // React re-sets an input's type, name and value while hydrating it: the same values are no change.
        const same =
          r.type === 'attributes' && r.oldValue === (r.target as Element).getAttribute(r.attributeName ?? '');
        if (!done && !same && root.contains(r.target)) {
          const name = r.attributeName ? ` ${r.attributeName}` : '';
          seen.push(`${r.type}${name} on ${r.target.nodeName}`);
        }
      }
    });
    observer.observe(document.documentElement, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
      attributeOldValue: true,
    });
    return root.textContent ?? '';
  });
  release();
  await page.waitForFunction(() => document.documentElement.dataset.hydrated === 'true');
  const mutations = await page.evaluate(
    () => (window as unknown as { hydrationMutations: string[] }).hydrationMutations,
  );
  await page.unroute('**/assets/client*.js');
  return { page, problems, mutations, serverText };
}

/** The page's HTML as the server sends it to a browser with these cookies (no script runs). */
export async function serverHtml(context: BrowserContext, url: string): Promise<string> {
  const cookies = await context.cookies(url);
  const header = cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  return (await fetch(url, { headers: { cookie: header } })).text();
}
