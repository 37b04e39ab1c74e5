// Bot traffic the collector ignores, made visible: under the default `bots: "ignore"` the dashboard says how
// many events and visitors were ignored as automated, why, and how to change it; "Simulate traffic" from a headless
// browser is such traffic, and its failure message stays on screen after the refresh that follows it.
import { hasChrome } from '@leadlight/devtools/browser';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Demo, kpi, openDashboard, startDemo } from './demoHarness.js';

describe.skipIf(!hasChrome('demo ignored bots'))(
  'demo: ignored bot traffic on the dashboard (Chromium)',
  () => {
    let demo: Demo;
    let page: Page;
    const heading = () => page.locator('#bots h2').textContent();

    beforeAll(async () => {
      demo = await startDemo({ bots: 'ignore' });
      page = await openDashboard(demo);
    });
    afterAll(async () => {
      await demo?.close();
    });

    it('counts events and visitors from crawlers as ignored, with the reason and the setting that changes it', async () => {
      await expect.poll(heading).toBe('No automated traffic ignored');
      const now = Date.now();
      const crawl = async (anonymousId: string, first: number, count: number) => {
        const events = Array.from({ length: count }, (_, i) => ({
          id: `0199a0c2-7e1a-7000-8000-0000000000${String(first + i).padStart(2, '0')}`,
          type: 'page_view',
          ts: now - 1000 + first + i,
          anonymousId,
          path: '/pricing/',
        }));
        const res = await fetch(`${demo.url}/v1/batch`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': 'curl/8.5.0' },
          body: JSON.stringify({ siteKey: 'pk_demo', sentAt: now, events }),
        });
        expect(((await res.json()) as { bot: boolean }).bot).toBe(true);
      };
      // One crawler in two batches (the second resent once), another in one: 3 events, 2 visitors.
      await crawl('crawler-1', 0, 1);
      await crawl('crawler-1', 1, 1);
      await crawl('crawler-1', 1, 1);
      await crawl('crawler-2', 2, 1);
      await page.reload();
      await expect.poll(heading).toBe('3 events from 2 visitors ignored as automated');
      const text = await page.locator('#bots').textContent();
      expect(text).toContain('HeadlessChrome');
      expect(text).toContain('"bots": "ignore"');
      expect(text).toContain('"bots": "score"');
      expect(await kpi(page, 'contacts')).toBe('0');
    });

    it('explains a simulation from this headless browser, and the message outlives the refresh', async () => {
      const before = await page.evaluate(() => document.body.dataset.refreshedAt);
      await page.locator('#simulate').click();
      const banner = page.locator('#banner');
      await expect
        .poll(() => banner.textContent(), { timeout: 30_000 })
        .toMatch(/^Simulation: \d+ failure\(s\): .*no contact id.*ignored as automated/);
      expect(await banner.getAttribute('data-kind')).toBe('error');
      await expect.poll(() => page.evaluate(() => document.body.dataset.refreshedAt)).not.toBe(before);
      await expect.poll(heading).toMatch(/^[\d,]+ events from [\d,]+ visitors ignored as automated$/);
      const [events, visitors] =
        ((await heading()) ?? '').match(/[\d,]+/g)?.map((n) => Number(n.replace(',', ''))) ?? [];
      expect(events).toBeGreaterThan(3);
      // The simulation's personas are browsers of their own.
      expect(visitors).toBeGreaterThan(2);
      expect(await banner.textContent()).toMatch(/^Simulation: /);
      expect(await kpi(page, 'contacts')).toBe('0');
    });
  },
);
