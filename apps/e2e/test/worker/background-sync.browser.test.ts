import { hasBrowser, hasChrome } from '@leadlight/devtools/browser';
import { describe, expect, it } from 'vitest';
import { stats, track, useScenario } from './browserScenario.js';

describe.skipIf(!hasChrome('worker background sync'))('Background Sync with no page open', () => {
  const scenario = useScenario();

  it('a sync event wakes a stopped worker, which delivers what the network refused', async () => {
    const page = await scenario.open('sw=1&anon=bgsync');
    // The collector is unreachable (connections cut): network errors as when offline. Playwright's offline
    // emulation is not used here: a worker restarted under it stayed offline after setOffline(false).
    scenario.server.faults.push(...Array.from({ length: 100 }, () => 'drop' as const));
    const ids = await track(page, 8, 'form_submit');
    // Stored, and a send failed on the network, which registered the sync.
    await expect.poll(async () => (await stats(page)).retries).toBeGreaterThan(0);
    expect((await stats(page)).pending).toBe(8);
    const tags = await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.getRegistration();
      return (registration as unknown as { sync: { getTags(): Promise<string[]> } }).sync.getTags();
    });
    expect(tags).toContain('leadlight-drain');
    const cdp = await scenario.browser.context.newCDPSession(page);
    const registrations: { registrationId: string; scopeURL: string }[] = [];
    cdp.on('ServiceWorker.workerRegistrationUpdated', (event) => registrations.push(...event.registrations));
    await cdp.send('ServiceWorker.enable');
    await expect.poll(() => registrations.length).toBeGreaterThan(0);
    await page.goto('about:blank'); // no page of the site is open any more
    await cdp.send('ServiceWorker.stopAllWorkers');
    scenario.server.faults.length = 0;
    expect(await scenario.server.storedIds('bgsync')).toEqual([]);
    // What the browser does when connectivity returns, forced so the test does not wait on its scheduler.
    await cdp.send('ServiceWorker.dispatchSyncEvent', {
      origin: scenario.server.url,
      registrationId: registrations.find((r) => r.scopeURL.startsWith(scenario.server.url))!.registrationId,
      tag: 'leadlight-drain',
      lastChance: false,
    });
    await scenario.expectStored('bgsync', ids);
  });
});

// Firefox has no Background Sync (`registration.sync` does not exist): nothing wakes a stopped worker when the
// network returns, so what the network refused waits in IndexedDB until the site runs again (a page view, the
// worker's next start, an `online` event), and is delivered once then.
describe.skipIf(!hasBrowser('firefox', 'worker without Background Sync'))(
  'Firefox: no Background Sync',
  () => {
    const scenario = useScenario('firefox');

    it('has no sync manager; the next page of the site delivers what the network refused', async () => {
      const page = await scenario.open('sw=1&anon=nosync');
      scenario.server.faults.push(...Array.from({ length: 100 }, () => 'drop' as const));
      const ids = await track(page, 8, 'form_submit');
      await expect.poll(async () => (await stats(page)).retries).toBeGreaterThan(0);
      expect((await stats(page)).pending).toBe(8);
      expect(
        await page.evaluate(async () => 'sync' in ((await navigator.serviceWorker.getRegistration()) ?? {})),
      ).toBe(false);
      await page.close({ runBeforeUnload: true });
      scenario.server.faults.length = 0;
      await scenario.open('sw=1&anon=nosync');
      await scenario.expectStored('nosync', ids);
    });
  },
);
