import { expect, it } from 'vitest';
import { describeInBrowsers, type HarnessWindow, stats, track, useScenario } from './browserScenario.js';

describeInBrowsers('in-page queue (no service worker)', (browser) => {
  const scenario = useScenario(browser);

  it('loads the in-page queue chunk and delivers every event once', async () => {
    const page = await scenario.open('anon=inpage');
    expect(await page.evaluate(() => (window as unknown as HarnessWindow).ll.client.mode)).toBe('page');
    const ids = await track(page, 25);
    await scenario.expectStored('inpage', ids);
    await expect.poll(async () => (await stats(page)).pending).toBe(0);
    const score = await page.evaluate(() => (window as unknown as HarnessWindow).ll.client.score());
    expect(score?.engagement).toBeGreaterThan(0);
  });

  it('loads scoring only once the page wants live scores', async () => {
    const page = await scenario.open('anon=live&live=0');
    const loaded = () =>
      page.evaluate(() =>
        performance.getEntriesByType('resource').some((e) => e.name.includes('/leadlight-scoring.')),
      );
    scenario.server.faults.push(...Array.from({ length: 30 }, () => ({ status: 503 })));
    const ids = await track(page, 2);
    await expect.poll(() => scenario.server.batches.length).toBeGreaterThanOrEqual(1);
    expect(await loaded()).toBe(false);
    // Nothing acknowledged yet, and nothing folded on the device: at most the collector's empty snapshot.
    expect(
      await page.evaluate(
        async () => (await (window as unknown as HarnessWindow).ll.client.score())?.engagement ?? 0,
      ),
    ).toBe(0);
    await page.evaluate(() => (window as unknown as HarnessWindow).ll.client.liveScores());
    await expect
      .poll(() =>
        page.evaluate(async () => (await (window as unknown as HarnessWindow).ll.client.score())?.engagement),
      )
      .toBe(20);
    expect(await loaded()).toBe(true);
    scenario.server.faults.length = 0;
    await scenario.expectStored('live', ids);
  });

  it('loads the in-page queue from the collector when the given queueUrl fails', async () => {
    const page = await scenario.open('anon=default-chunk&queueUrl=/missing/leadlight-page-queue.js');
    expect(await page.evaluate(() => (window as unknown as HarnessWindow).ll.client.mode)).toBe('page');
    const ids = await track(page, 3);
    await scenario.expectStored('default-chunk', ids);
  });
});
