// Pages that follow each other quickly: the live panel shows each pricing view's points within 300 ms of
// the page's load, not after the queue's next answer from the collector. After a quick navigation Chromium
// queues the next page's `register()` behind its update check of the service worker script (seconds); the
// page must hand its view to the worker that controls it without waiting for that.
import { hasChrome, launchBrowser } from '@leadlight/devtools/browser';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Demo, startDemo } from './demoHarness.js';

describe.skipIf(!hasChrome('demo quick navigation'))('demo: three quick pricing views (Chromium)', () => {
  let demo: Demo;
  beforeAll(async () => {
    demo = await startDemo();
  });
  afterAll(async () => {
    await demo?.close();
  });

  /** The panel's total 300 ms after the page's load event. */
  const totalSoonAfterLoad = async (site: Page, path: string) => {
    await site.goto(`${demo.url}${path}`, { waitUntil: 'load' });
    await site.waitForTimeout(300);
    return Number(await site.locator('#ll-panel').getAttribute('data-total'));
  };

  /**
   * One new visitor: the home page first (it scores nothing; the first visit installs the service worker and
   * fetches the model, which takes longer than 300 ms), then at once three pricing pages 1.5 s apart.
   */
  const visit = async (site: Page, plans: string[]) => {
    await site.goto(`${demo.url}/`, { waitUntil: 'load' });
    await site.locator('#ll-panel[data-total="0"]').waitFor({ state: 'attached', timeout: 10_000 });
    const seen: number[] = [];
    for (const plan of plans) {
      if (seen.length) await site.waitForTimeout(1_200);
      seen.push(await totalSoonAfterLoad(site, `/pricing/?plan=${plan}`));
    }
    return seen;
  };

  // The race lost about every other time; three visitors (nine quick views) leave little to luck.
  it('counts every view at once, 1.5 s apart, for three visitors in a row', async () => {
    const seen: number[][] = [await visit(await demo.context.newPage(), ['a1', 'a2', 'a3'])];
    for (const plans of [
      ['b1', 'b2', 'b3'],
      ['c1', 'c2', 'c3'],
    ]) {
      const browser = await launchBrowser();
      try {
        seen.push(await visit(await browser.context.newPage(), plans));
      } finally {
        await browser.close();
      }
    }
    expect(seen).toEqual([
      [10, 20, 30],
      [10, 20, 30],
      [10, 20, 30],
    ]);
  });
});
