// The example pricing page against a real collector in real Chromium: server HTML bootstrapped from
// `GET /v1/score`, hydration that keeps that HTML and reports nothing, live updates from the real SDK after
// sign-in and SPA navigation, and a returning verified MQL greeted in the very first HTML.
import { hasChrome, type LaunchedBrowser, launchBrowser } from '@leadlight/devtools/browser';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_SITE } from '../src/exampleSite.js';
import { type Example, type HydratedPage, openHydrated, serverHtml, startExample } from './exampleHarness.js';

const GENERIC = 'Plans for teams of every size';
const MQL = 'Welcome back! Your tailored quote is ready';
const EMAIL = 'dana.okafor@kestrel.example';

describe.skipIf(!hasChrome('react example'))('react example: pricing page (Chromium, real collector)', () => {
  let example: Example;
  let first: LaunchedBrowser;
  let page: Page;

  beforeAll(async () => {
    example = await startExample();
    first = await launchBrowser();
  });
  afterAll(async () => {
    await first?.close();
    await example?.close();
  });

  const badge = (p: Page) => p.locator('.badge');
  const greeting = (p: Page) => p.locator('#greeting').textContent();
  const expectClean = (h: HydratedPage) => {
    expect(h.problems).toEqual([]);
    expect(h.mutations).toEqual([]);
  };
  /** What the collector stored for this browser (secret-key API). */
  const visitor = async (p: Page) => {
    const aid = (await p.context().cookies(example.site.url)).find((c) => c.name === 'll_aid')?.value;
    const response = await fetch(`${example.collector.url}/v1/visitors/${aid}`, {
      headers: { authorization: `Bearer ${EXAMPLE_SITE.secretKey}` },
    });
    return response.ok ? ((await response.json()) as { id: string; eventCount: number }) : undefined;
  };
  const pageViews = async (p: Page) => {
    const contact = await visitor(p);
    if (!contact) return 0;
    const response = await fetch(
      `${example.collector.url}/v1/leads/${contact.id}/events?type=page_view&limit=100`,
      { headers: { authorization: `Bearer ${EXAMPLE_SITE.secretKey}` } },
    );
    return ((await response.json()) as { items: unknown[] }).items.length;
  };

  it('renders a new visitor generically on the server, hydrates without a warning, then scores live', async () => {
    const html = await serverHtml(first.context, `${example.site.url}/pricing`);
    expect(html).toContain(GENERIC);
    expect(html).toContain('"bootstrap":null');

    const hydrated = await openHydrated(first.context, `${example.site.url}/pricing`);
    page = hydrated.page;
    expect(hydrated.serverText).toContain(GENERIC);
    expect(hydrated.serverText).toContain('New here?');
    expectClean(hydrated);
    // The real SDK's page view, scored on the spot: 10 points for pricing.
    await expect.poll(() => badge(page).getAttribute('data-total')).toBe('10');
    expect(await greeting(page)).toBe(GENERIC);
    // Strict mode mounted everything twice: still one SDK, so one page view reaches the collector.
    await expect.poll(() => pageViews(page)).toBe(1);
    expect(hydrated.problems).toEqual([]);
  });

  it('updates live after sign-in and SPA navigation, and greets the MQL without a reload', async () => {
    await page.evaluate(() => {
      (window as unknown as { sameDocument: boolean }).sameDocument = true;
    });
    await page.locator('#sign-in [name=email]').fill(EMAIL);
    await page.locator('#sign-in button').click();
    await expect.poll(() => badge(page).getAttribute('data-stage')).toBe('lead');
    await expect.poll(() => page.locator('#lead-note').count()).toBe(1);

    // Features +5, pricing +10, features +5, pricing +10: 40, the MQL threshold.
    const steps: [string, string][] = [
      ['Features', '15'],
      ['Pricing', '25'],
      ['Features', '30'],
    ];
    for (const [link, total] of steps) {
      await page.locator('nav a', { hasText: link }).click();
      await expect.poll(() => badge(page).getAttribute('data-total')).toBe(total);
      expect(await greeting(page)).toBe(GENERIC);
    }
    await page.locator('nav a', { hasText: 'Pricing' }).click();
    await expect.poll(() => badge(page).getAttribute('data-stage')).toBe('mql');
    expect(await badge(page).getAttribute('data-total')).toBe('40');
    await expect.poll(() => greeting(page)).toContain(MQL);
    expect(await page.locator('#lead-note').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(
      true,
    );
    await expect.poll(() => pageViews(page)).toBe(5);
  });

  it('puts the MQL greeting into the very first HTML for the returning verified MQL', async () => {
    await expect.poll(() => serverHtml(first.context, `${example.site.url}/pricing`)).toContain(MQL);
    const html = await serverHtml(first.context, `${example.site.url}/features`);
    expect(html).toContain('class="mql"');
    expect(html).toContain('"stage":"mql"');
    expect(html).not.toContain(GENERIC);

    await page.close();
    const hydrated = await openHydrated(first.context, `${example.site.url}/pricing`);
    page = hydrated.page;
    // Before any script ran, the greeting was already the MQL's, and hydration kept it as it was.
    expect(hydrated.serverText).toContain(MQL);
    expect(hydrated.serverText).not.toContain(GENERIC);
    expectClean(hydrated);
    expect(await greeting(page)).toContain(MQL);
    await expect.poll(() => pageViews(page)).toBe(6);
    expect(hydrated.problems).toEqual([]);
  });

  it("greets the person's second browser as the MQL once an identity token verifies it, and not before", async () => {
    const second = await launchBrowser();
    try {
      const hydrated = await openHydrated(second.context, `${example.site.url}/pricing`);
      const other = hydrated.page;
      expect(hydrated.serverText).toContain(GENERIC);
      expectClean(hydrated);
      await expect.poll(() => badge(other).getAttribute('data-total')).toBe('10');
      // This browser has a score of its own now, and the server sees only that: the device view.
      await expect
        .poll(() => serverHtml(second.context, `${example.site.url}/pricing`))
        .toContain('"stage":"visitor"');
      expect(await serverHtml(second.context, `${example.site.url}/pricing`)).toContain(GENERIC);

      await other.locator('#sign-in [name=email]').fill(EMAIL);
      await other.locator('#sign-in button').click();
      // Verified: the collector answers with the contact view, and the greeting changes live.
      await expect.poll(() => greeting(other)).toContain(MQL);
      await expect.poll(() => serverHtml(second.context, `${example.site.url}/pricing`)).toContain(MQL);
      expect(hydrated.problems).toEqual([]);
    } finally {
      await second.close();
    }
  });

  it('renders a browser the collector does not know generically', async () => {
    const html = await (
      await fetch(`${example.site.url}/pricing`, {
        headers: { cookie: 'll_aid=0190f0e2-7a1b-7c3d-9e4f-123456789abc' },
      })
    ).text();
    expect(html).toContain(GENERIC);
    expect(html).toContain('"stage":"visitor"');
  });
});
