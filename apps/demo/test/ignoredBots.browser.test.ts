// Bot traffic the collector ignores, made visible: under the default `bots: "ignore"` the dashboard says how
// many events were ignored as automated, why, and how to change it; "Simulate traffic" from a headless
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

    it('counts events from a crawler as ignored, with the reason and the setting that changes it', async () => {
      await expect.poll(heading).toBe('No automated traffic ignored');
      const now = Date.now();
      const events = [0, 1, 2].map((i) => ({
        id: `0199a0c2-7e1a-7000-8000-00000000000${i}`,
        type: 'page_view',
        ts: now - 1000 + i,
        anonymousId: 'crawler-1',
        path: '/pricing/',
      }));
      const res = await fetch(`${demo.url}/v1/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'curl/8.5.0' },
        body: JSON.stringify({ siteKey: 'pk_demo', sentAt: now, events }),
      });
      expect(((await res.json()) as { bot: boolean }).bot).toBe(true);
      await page.reload();
      await expect.poll(heading).toBe('3 events ignored as automated');
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
      await expect.poll(heading).toMatch(/^\d+ events ignored as automated$/);
      expect(Number((await heading())?.split(' ')[0]?.replace(',', ''))).toBeGreaterThan(3);
      expect(await banner.textContent()).toMatch(/^Simulation: /);
      expect(await kpi(page, 'contacts')).toBe('0');
    });
  },
);
