import { expect, it } from 'vitest';
import { describeInBrowsers, type HarnessWindow, stats, track, useScenario } from './browserScenario.js';

describeInBrowsers('reload mid-flush, tab closed with events pending', (browser) => {
  const scenario = useScenario(browser);

  for (const mode of ['sw', 'page'] as const) {
    it(`reloads while a batch is in flight (${mode})`, async () => {
      const anon = `reload-${mode}`;
      const query = `${mode === 'sw' ? 'sw=1&' : ''}anon=${anon}`;
      const page = await scenario.open(query);
      let release = () => {};
      scenario.server.faults.push({ hold: new Promise<void>((resolve) => (release = resolve)) });
      const before = await track(page, 20);
      await expect.poll(() => scenario.server.batches.length).toBeGreaterThanOrEqual(1);
      await page.reload();
      await page.waitForFunction(() => (window as unknown as HarnessWindow).ll.client.mode !== 'pending');
      const after = await track(page, 10);
      release();
      await scenario.expectStored(anon, [...before, ...after]);
    });
  }

  it('delivers from the next tab what a closed tab left queued (in-page queue)', async () => {
    const page = await scenario.open('anon=closed');
    // The collector is down while the first tab lives: nothing it tracks can be acknowledged.
    scenario.server.faults.push(...Array.from({ length: 50 }, () => ({ status: 503 })));
    const ids = await track(page, 15, 'form_submit');
    await expect.poll(() => scenario.server.batches.length).toBeGreaterThanOrEqual(1);
    const late = await track(page, 3, 'form_submit'); // still in the write-ahead log when the tab closes
    await page.close({ runBeforeUnload: true });
    expect(await scenario.server.storedIds('closed')).toEqual([]);
    scenario.server.faults.length = 0;
    await scenario.open('anon=closed');
    await scenario.expectStored('closed', [...ids, ...late]);
  });

  it('sends one beacon under 60,000 bytes on pagehide (in-page queue)', async () => {
    const page = await scenario.open('anon=beacon');
    // The collector fails the queue's own requests, so everything stays queued; the beacon gets through.
    scenario.server.faults.push(
      ...Array.from({ length: 100 }, () => ({ status: 503, mode: 'cors' as const })),
    );
    const ids = await page.evaluate(() =>
      (window as unknown as HarnessWindow).ll.track(300, 'page_ping', { blob: 'x'.repeat(300) }),
    );
    await expect.poll(async () => (await stats(page)).pending).toBe(300);
    const before = scenario.server.batches.length;
    await page.close({ runBeforeUnload: true });
    const beaconOf = () => scenario.server.batches.slice(before).find((b) => b.mode === 'no-cors');
    await expect.poll(beaconOf).toBeTruthy();
    const beacon = beaconOf()!;
    expect(beacon.bytes).toBeLessThan(60_000);
    expect(beacon.events).toBeGreaterThan(100);
    expect(beacon.events).toBeLessThan(300);
    // The beacon's answer was never read: the next page resends everything, the collector keeps one copy.
    scenario.server.faults.length = 0;
    await scenario.open('anon=beacon');
    await scenario.expectStored('beacon', ids);
  });
});
