import { afterEach, beforeEach, expect, it } from 'vitest';
import {
  describeInBrowsers,
  type HarnessWindow,
  type Scenario,
  startScenario,
  stats,
  track,
} from './browserScenario.js';

describeInBrowsers('in-page queue (no service worker)', (browser) => {
  let scenario: Scenario;
  beforeEach(async () => {
    scenario = await startScenario(browser);
  });
  afterEach(async () => {
    await scenario.close();
  });

  it('loads the in-page queue chunk and delivers every event once', async () => {
    const page = await scenario.open('anon=inpage');
    expect(await page.evaluate(() => (window as unknown as HarnessWindow).ll.client.mode)).toBe('page');
    const ids = await track(page, 25);
    await scenario.expectStored('inpage', ids);
    await expect.poll(async () => (await stats(page)).pending).toBe(0);
    const score = await page.evaluate(() => (window as unknown as HarnessWindow).ll.client.score());
    expect(score?.engagement).toBeGreaterThan(0);
  });

  it('loads the in-page queue from the collector when the given queueUrl fails', async () => {
    const page = await scenario.open('anon=default-chunk&queueUrl=/missing/leadlight-page-queue.js');
    expect(await page.evaluate(() => (window as unknown as HarnessWindow).ll.client.mode)).toBe('page');
    const ids = await track(page, 3);
    await scenario.expectStored('default-chunk', ids);
  });
});
