import { hasChrome } from '@leadlight/devtools/browser';
import { describe, expect, it } from 'vitest';
import { type HarnessWindow, stats, track, useScenario } from './browserScenario.js';

describe.skipIf(!hasChrome('worker service worker lifecycle'))(
  'service worker stopped or updated mid-queue',
  () => {
    const scenario = useScenario();

    it('survives the worker being stopped with events queued', async () => {
      const page = await scenario.open('sw=1&anon=stopped');
      scenario.server.faults.push(...Array.from({ length: 3 }, () => ({ status: 503 })));
      const before = await track(page, 10);
      await expect.poll(async () => (await stats(page)).pending).toBe(10);
      const cdp = await scenario.browser.context.newCDPSession(page);
      await cdp.send('ServiceWorker.enable');
      await cdp.send('ServiceWorker.stopAllWorkers');
      // The page's port now leads nowhere: the client must notice and reconnect, waking the worker.
      const after = await track(page, 10);
      await scenario.expectStored('stopped', [...before, ...after]);
      await expect.poll(async () => (await stats(page)).pending).toBe(0);
    });

    it('carries the queue over to an updated worker', async () => {
      const page = await scenario.open('sw=1&anon=updated');
      // The collector is down: the old worker holds ten events it cannot deliver when the update lands.
      scenario.server.faults.push(...Array.from({ length: 4 }, () => ({ status: 503 })));
      const before = await track(page, 10);
      await expect.poll(async () => (await stats(page)).pending).toBe(10);
      const changesBefore = await page.evaluate(
        () => (window as unknown as HarnessWindow).ll.lifecycle.controllerChanges,
      );
      scenario.server.bumpWorker();
      await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
      await expect
        .poll(
          () => page.evaluate(() => (window as unknown as HarnessWindow).ll.lifecycle.controllerChanges),
          {
            timeout: 20_000,
          },
        )
        .toBeGreaterThan(changesBefore);
      const after = await track(page, 10);
      await scenario.expectStored('updated', [...before, ...after]);
      await expect.poll(async () => (await stats(page)).pending).toBe(0);
    });
  },
);
