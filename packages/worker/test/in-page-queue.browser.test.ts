import { hasChrome } from '@leadlight/devtools/browser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type HarnessWindow, type Scenario, startScenario, stats, track } from './browserScenario.js';

describe.skipIf(!hasChrome('worker in-page queue'))('in-page queue (no service worker)', () => {
  let scenario: Scenario;
  beforeEach(async () => {
    scenario = await startScenario();
  });
  afterEach(async () => {
    await scenario.close();
  });

  it('loads the lazy chunk and delivers every event once', async () => {
    const page = await scenario.open('anon=inpage');
    expect(await page.evaluate(() => (window as unknown as HarnessWindow).ll.client.mode)).toBe('page');
    const ids = await track(page, 25);
    await scenario.expectStored('inpage', ids);
    await expect.poll(async () => (await stats(page)).pending).toBe(0);
    const score = await page.evaluate(() => (window as unknown as HarnessWindow).ll.client.score());
    expect(score?.engagement).toBeGreaterThan(0);
  });

  it('finds the chunk at the collector when the client is bundled into a site script', async () => {
    const page = await scenario.open('anon=default-chunk&defaultChunk=1');
    expect(await page.evaluate(() => (window as unknown as HarnessWindow).ll.client.mode)).toBe('page');
    const ids = await track(page, 3);
    await scenario.expectStored('default-chunk', ids);
  });
});
