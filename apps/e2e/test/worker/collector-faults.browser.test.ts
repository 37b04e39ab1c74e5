import { hasChrome } from '@leadlight/devtools/browser';
import { describe, expect, it } from 'vitest';
import { stats, track, useScenario } from './browserScenario.js';

describe.skipIf(!hasChrome('worker collector faults'))('collector faults (service worker)', () => {
  const scenario = useScenario();

  it('retries 500, 500, then 200 and stores each event once', async () => {
    const page = await scenario.open('sw=1&anon=f500');
    scenario.server.faults.push({ status: 500 }, { status: 500 });
    const ids = await track(page, 12);
    await scenario.expectStored('f500', ids);
    const seen = scenario.server.batches.map((b) => b.fault);
    expect(seen.slice(0, 3)).toEqual(['500', '500', 'pass']);
    expect((await stats(page)).retries).toBeGreaterThanOrEqual(2);
  });

  it('resends a batch whose answer never reached the browser; the collector keeps one copy', async () => {
    const page = await scenario.open('sw=1&anon=lost');
    scenario.server.faults.push('lost');
    const ids = await track(page, 15);
    await scenario.expectStored('lost', ids);
    await expect.poll(async () => (await stats(page)).pending).toBe(0);
    expect(scenario.server.batches[0]?.fault).toBe('lost');
    expect(scenario.server.batches.length).toBeGreaterThanOrEqual(2);
  });

  it('waits out 429 Retry-After before sending again', async () => {
    const page = await scenario.open('sw=1&anon=r429');
    scenario.server.faults.push({ status: 429, headers: { 'retry-after': '2' } });
    const ids = await track(page, 5);
    await scenario.expectStored('r429', ids);
    const [refused, next] = scenario.server.batches;
    expect(refused?.fault).toBe('429');
    expect(next!.at - refused!.at).toBeGreaterThanOrEqual(1_900);
  });
});
