import { hasChrome } from '@leadlight/devtools/browser';
import { describe, expect, it } from 'vitest';
import { type HarnessWindow, stats, track, useScenario } from './browserScenario.js';

describe.skipIf(!hasChrome('worker offline replay'))('offline burst, then online (service worker)', () => {
  const scenario = useScenario();

  it('queues offline, scores offline, and delivers every event once when the network returns', async () => {
    const page = await scenario.open('sw=1&anon=offline');
    expect(await page.evaluate(() => (window as unknown as HarnessWindow).ll.client.mode)).toBe('sw');
    const first = await track(page, 1);
    await scenario.expectStored('offline', first);
    await expect
      .poll(() => page.evaluate(() => (window as unknown as HarnessWindow).ll.client.score()))
      .toMatchObject({ engagement: 10 });

    await scenario.browser.context.setOffline(true);
    const burst = await track(page, 30, 'form_submit');
    await expect.poll(async () => (await stats(page)).pending, { timeout: 15_000 }).toBe(30);
    // The provisional score moves offline: the cached model folds the burst on top of the snapshot.
    await expect
      .poll(() => page.evaluate(() => (window as unknown as HarnessWindow).ll.scores.at(-1)?.engagement))
      .toBeGreaterThan(600);
    expect(await scenario.server.storedIds('offline')).toEqual(first);

    await scenario.browser.context.setOffline(false);
    await scenario.expectStored('offline', [...first, ...burst]);
    await expect.poll(async () => (await stats(page)).pending).toBe(0);
  });
});
