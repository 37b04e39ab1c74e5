// Shared setup of the demo's browser suites: a real collector (tmp SQLite, the demo config, the built site)
// on an ephemeral port, and headless Chromium.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCollector } from '@leadlight/collector';
import { launchBrowser } from '@leadlight/devtools/browser';
import { freePort } from '@leadlight/devtools/freePort';
import type { BrowserContext, Page } from 'playwright-core';
import { readDemoSite } from '../src/demoConfig.js';
import { httpTransport } from '../src/simulator/httpTransport.js';
import { planTraffic, runTraffic, type TrafficReport } from '../src/simulator/traffic.js';

const root = fileURLToPath(new URL('..', import.meta.url));
/** Where the suites save screenshots (gitignored; the best are copied to screenshots/ by hand). */
export const ARTIFACTS = join(root, 'artifacts');

/** A running demo: collector URL, the browser, and teardown. */
export interface Demo {
  url: string;
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Starts the collector with the demo's own config, changed in two ways only: the origin of the test port,
 * and `bots: "score"`, because headless Chromium announces itself (HeadlessChrome, navigator.webdriver) and
 * the default `"ignore"` would store its events flagged and never score them (a suite about that asks for
 * `bots: "ignore"`).
 */
export async function startDemo(options: { bots?: 'score' | 'ignore' } = {}): Promise<Demo> {
  const staticDir = join(root, 'dist', 'site');
  if (!existsSync(join(staticDir, 'dashboard', 'dashboard.js'))) {
    throw new Error(
      `${staticDir} is not built: run \`pnpm --filter @leadlight/demo build\` (turbo's test task does)`,
    );
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), 'll-demo-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const site = { ...readDemoSite(), origins: [url], bots: options.bots ?? 'score' };
  const collector = await startCollector({
    config: { sites: [site] },
    dbPath: join(dir, 'demo.db'),
    port,
    staticDir,
  });
  const browser = await launchBrowser();
  return {
    url,
    context: browser.context,
    async close() {
      await browser.close();
      await collector.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Opens the dashboard and signs in by typing a display name and the secret key, as a person would (a wrong
 * key first, on request).
 */
export async function openDashboard(
  demo: Demo,
  options: { wrongKeyFirst?: boolean; name?: string } = {},
): Promise<Page> {
  const page = await demo.context.newPage();
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(`${demo.url}/dashboard/`);
  await page.locator('#display-name').fill(options.name ?? 'Sam Rivera');
  if (options.wrongKeyFirst) {
    await page.locator('#secret').fill('sk_not_the_key');
    await page.locator('#login-form button[type=submit]').click();
    await page.locator('#login-error', { hasText: 'not valid' }).waitFor({ timeout: 10_000 });
  }
  await page.locator('#secret').fill(readDemoSite().secretKey);
  await page.locator('#login-form button[type=submit]').click();
  await page.locator('#live[data-state="live"]').waitFor({ timeout: 20_000 });
  return page;
}

/** The text of one KPI tile on the dashboard. */
export function kpi(page: Page, key: string): Promise<string | null> {
  return page.locator(`[data-kpi="${key}"] strong`).textContent();
}

/**
 * Replays the simulator's crowd of prospects (no personas) into the demo from Node, as `pnpm simulate` does:
 * their events, then their outcomes through `POST /v1/outcomes`, dated in the past.
 */
export async function simulateCrowd(demo: Demo, people: number, seed = 14): Promise<TrafficReport> {
  const site = readDemoSite();
  const visitors = planTraffic({ now: Date.now(), origin: demo.url, seed, personas: [], crowd: people });
  const transport = httpTransport({
    baseUrl: demo.url,
    siteKey: site.siteKey,
    secretKey: site.secretKey,
    origin: demo.url,
  });
  const report = await runTraffic(visitors, transport);
  if (report.failures.length) throw new Error(`simulateCrowd: ${report.failures.slice(0, 3).join('; ')}`);
  return report;
}
