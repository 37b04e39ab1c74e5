import { expect, it } from 'vitest';
import { describeInBrowsers, type HarnessWindow, stats, track, useScenario } from './browserScenario.js';

describeInBrowsers('two tabs tracking at once', (browser) => {
  const scenario = useScenario(browser);

  for (const mode of ['sw', 'page'] as const) {
    it(`stores both tabs' events once and shows the score in both (${mode})`, async () => {
      const anon = `tabs-${mode}`;
      const query = `${mode === 'sw' ? 'sw=1&' : ''}anon=${anon}`;
      const a = await scenario.open(query);
      const b = await scenario.open(query);
      const [fromA, fromB] = await Promise.all([
        (async () => [...(await track(a, 20)), ...(await track(a, 20, 'page_ping'))])(),
        (async () => [...(await track(b, 20)), ...(await track(b, 20, 'page_ping'))])(),
      ]);
      await scenario.expectStored(anon, [...fromA, ...fromB]);
      await expect.poll(async () => (await stats(a)).pending).toBe(0);
      // A form submit in tab A reaches tab B's onScore.
      const seen = await b.evaluate(() => (window as unknown as HarnessWindow).ll.scores.length);
      const submit = await track(a, 1, 'form_submit');
      await expect
        .poll(() => b.evaluate(() => (window as unknown as HarnessWindow).ll.scores.at(-1)?.engagement))
        .toBeGreaterThanOrEqual(49.9);
      expect(await b.evaluate(() => (window as unknown as HarnessWindow).ll.scores.length)).toBeGreaterThan(
        seen,
      );
      await scenario.expectStored(anon, [...fromA, ...fromB, ...submit]);
    });
  }
});
