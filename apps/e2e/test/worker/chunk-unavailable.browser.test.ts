import { hasChrome } from '@leadlight/devtools/browser';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { type HarnessWindow, stats, track, useScenario } from './browserScenario.js';

// Where no service worker runs, the queue itself is a chunk (leadlight-page-queue.<hash>.js); these scenarios
// cover the time before it has connected, and a chunk that never arrives (ad blocker, offline).
describe.skipIf(!hasChrome('worker chunk unavailable'))('before and without the queue chunk', () => {
  const scenario = useScenario();

  /** Opens the harness without waiting for the queue; `chunk` decides what the chunk request meets. */
  async function openWithChunk(query: string, chunk: 'blocked' | Promise<void>) {
    const page = await scenario.browser.context.newPage();
    const logs: string[] = [];
    page.on('console', (message) => logs.push(message.text()));
    await page.route('**/leadlight-page-queue.*.js', async (route) => {
      if (chunk === 'blocked') return route.abort('blockedbyclient');
      await chunk;
      return route.continue();
    });
    // A held chunk holds the load event too: the harness has run by DOMContentLoaded.
    await page.goto(`${scenario.server.url}/page.html?${query}`, { waitUntil: 'domcontentloaded' });
    return { page, logs };
  }
  const aheadKeys = (page: Page) =>
    page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('ll:q:')));
  const settle = (page: Page, call: 'flush' | 'score' | 'stats' | 'purge') =>
    page.evaluate(
      (name) =>
        (window as unknown as HarnessWindow).ll.client[name]().then(
          () => 'resolved',
          (error: Error & { code?: string }) => `${error.code ?? 'no code'}: ${error.message}`,
        ),
      call,
    );

  for (const later of ['page', 'sw'] as const) {
    it(`keeps events while the chunk is blocked; a later page delivers them once (${later})`, async () => {
      const anon = `blocked-${later}`;
      const { page, logs } = await openWithChunk(`anon=${anon}&debug`, 'blocked');
      const ids = [...(await track(page, 6, 'form_submit')), ...(await track(page, 6))];
      for (const call of ['flush', 'score', 'stats'] as const) {
        expect(await settle(page, call)).toMatch(
          /^no code: could not load .*\/leadlight-page-queue\.[0-9a-f]{8}\.js$/,
        );
      }
      expect(await page.evaluate(() => (window as unknown as HarnessWindow).ll.client.mode)).toBe('pending');
      expect(logs.some((line) => line.startsWith('[leadlight queue]') && /could not load/.test(line))).toBe(
        true,
      );
      expect((await aheadKeys(page)).sort()).toEqual(ids.map((id) => `ll:q:pk_test:${id}`).sort());
      await page.close({ runBeforeUnload: true });
      expect(scenario.server.batches).toEqual([]);

      const next = await scenario.open(`${later === 'sw' ? 'sw=1&' : ''}anon=${anon}`);
      await scenario.expectStored(anon, ids);
      await expect.poll(() => aheadKeys(next)).toEqual([]);
      // Once acknowledged, nothing is left to replay: a third page sends no batch.
      await expect.poll(async () => (await stats(next)).pending).toBe(0);
      await next.close({ runBeforeUnload: true });
      const before = scenario.server.batches.length;
      const third = await scenario.open(`${later === 'sw' ? 'sw=1&' : ''}anon=${anon}`);
      expect(await third.evaluate(() => (window as unknown as HarnessWindow).ll.client.flush())).toEqual({
        sent: 0,
        pending: 0,
      });
      expect(scenario.server.batches.slice(before).filter((b) => b.mode === 'cors')).toEqual([]);
      expect(await aheadKeys(third)).toEqual([]);
      await scenario.expectStored(anon, ids);
    });
  }

  it('purge before the chunk connects leaves no write-ahead entry and sends nothing', async () => {
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const { page } = await openWithChunk('anon=purged', held);
    const purged = await track(page, 8, 'form_submit');
    expect(await aheadKeys(page)).toHaveLength(8);
    const now = await page.evaluate(() => {
      const ll = (window as unknown as HarnessWindow).ll;
      const done = ll.client.purge();
      // Synchronous: checked before the purge's promise (or the chunk) could do anything.
      const left = Object.keys(localStorage).filter((key) => key.startsWith('ll:q:'));
      (window as unknown as { purgeDone: Promise<string> }).purgeDone = done.then(
        () => 'resolved',
        (error: Error) => error.message,
      );
      return { left, mode: ll.client.mode };
    });
    expect(now).toEqual({ left: [], mode: 'pending' });
    release();
    await page.waitForFunction(() => (window as unknown as HarnessWindow).ll.client.mode !== 'pending');
    expect(await page.evaluate(() => (window as unknown as { purgeDone: Promise<string> }).purgeDone)).toBe(
      'resolved',
    );
    const kept = await track(page, 2);
    await scenario.expectStored('purged', kept);
    // A later page finds nothing of the purged events either.
    await page.close({ runBeforeUnload: true });
    const next = await scenario.open('anon=purged');
    await next.evaluate(() => (window as unknown as HarnessWindow).ll.client.flush());
    expect(await scenario.server.storedIds('purged')).toEqual(kept);
    expect(purged.some((id) => kept.includes(id))).toBe(false);
  });

  it('reports invalid options with their path and keeps the events for a valid page', async () => {
    const { page, logs } = await openWithChunk('anon=invalid&debug&maxEvents=-5', Promise.resolve());
    const ids = await track(page, 3, 'form_submit');
    for (const call of ['flush', 'score', 'stats'] as const) {
      expect(await settle(page, call)).toBe(
        'invalid_options: limits.maxEvents: expected a positive number, got -5',
      );
    }
    expect(await page.evaluate(() => (window as unknown as HarnessWindow).ll.client.mode)).toBe('pending');
    expect(
      logs.some((line) => line.startsWith('[leadlight queue]') && line.includes('limits.maxEvents')),
    ).toBe(true);
    await page.close({ runBeforeUnload: true });
    expect(scenario.server.batches).toEqual([]);
    await scenario.open('anon=invalid');
    await scenario.expectStored('invalid', ids);
  });

  it('loads the chunk through a Trusted Types policy where the page enforces them', async () => {
    const page = await scenario.browser.context.newPage();
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Trusted Type|Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    await page.route('**/page.html*', async (route) => {
      const response = await route.fetch();
      await route.fulfill({
        response,
        headers: { ...response.headers(), 'content-security-policy': "require-trusted-types-for 'script'" },
      });
    });
    await page.goto(`${scenario.server.url}/page.html?anon=trusted`);
    await page.waitForFunction(() => (window as unknown as HarnessWindow).ll.client.mode === 'page');
    const ids = await track(page, 4);
    await scenario.expectStored('trusted', ids);
    expect(violations).toEqual([]);
  });

  it('gives the chunk the loading script’s nonce under a nonce-based Content-Security-Policy', async () => {
    const page = await scenario.browser.context.newPage();
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    await page.route('**/page.html*', async (route) => {
      const response = await route.fetch();
      await route.fulfill({
        response,
        headers: { ...response.headers(), 'content-security-policy': "script-src 'nonce-t3st'" },
        body: (await response.text()).replace('<script src=', '<script nonce="t3st" src='),
      });
    });
    await page.goto(`${scenario.server.url}/page.html?anon=nonce`);
    await page.waitForFunction(() => (window as unknown as HarnessWindow).ll.client.mode === 'page');
    const ids = await track(page, 4);
    await scenario.expectStored('nonce', ids);
    expect(violations).toEqual([]);
  });
});
