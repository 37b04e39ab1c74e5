import { hasChrome } from '@leadlight/devtools/browser';
import { describe, expect, it } from 'vitest';
import { type HarnessWindow, stats, track, useScenario } from './browserScenario.js';

// Chromium offers no headless way to shrink the IndexedDB quota (CDP Storage.overrideQuotaForOrigin has
// no effect on this build), so IndexedDB's QuotaExceededError is covered by the unit tests with a quota'd
// store; here the page's own storage (localStorage, ~5 MB per origin) really is full.
describe.skipIf(!hasChrome('worker full quota'))('a full storage quota', () => {
  const scenario = useScenario();

  for (const mode of ['sw', 'page'] as const) {
    it(`keeps tracking when localStorage is full (${mode})`, async () => {
      const anon = `quota-${mode}`;
      const page = await scenario.open(`${mode === 'sw' ? 'sw=1&' : ''}anon=${anon}`);
      const filled = await page.evaluate(() => {
        let chunk = 'x'.repeat(1 << 20);
        let i = 0;
        while (chunk.length > 16) {
          try {
            localStorage.setItem(`filler-${i++}`, chunk);
          } catch (error) {
            if ((error as DOMException).name !== 'QuotaExceededError') throw error;
            chunk = chunk.slice(0, chunk.length / 2);
          }
        }
        try {
          localStorage.setItem('probe', 'x'.repeat(64));
          return 'not full';
        } catch (error) {
          return (error as DOMException).name;
        }
      });
      expect(filled).toBe('QuotaExceededError');
      const ids = await track(page, 40, 'form_submit');
      await scenario.expectStored(anon, ids);
      await expect.poll(async () => (await stats(page)).pending).toBe(0);
      const score = await page.evaluate(() => (window as unknown as HarnessWindow).ll.client.score());
      expect(score?.engagement).toBeGreaterThan(700);
      // Freeing space brings the write-ahead log back.
      await page.evaluate(() => {
        for (const key of Object.keys(localStorage))
          if (key.startsWith('filler-')) localStorage.removeItem(key);
      });
      const more = await track(page, 5);
      await scenario.expectStored(anon, [...ids, ...more]);
    });
  }
});
