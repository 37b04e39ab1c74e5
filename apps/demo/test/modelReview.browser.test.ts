// The model review page in real Chromium: the simulator's crowd (events, then dated CRM outcomes) fills a real
// collector; the page shows today's and the suggested AUC, lift per rule by label, the scores of won and lost
// leads, the threshold trade-off, channels with costs and the suggested points; the suggestion goes into the
// model editor's draft and the what-if follows it; a CSV with a bad row is previewed and imported.
import { join } from 'node:path';
import { hasChrome } from '@leadlight/devtools/browser';
import type { ModelReview } from '@leadlight/scoring-core/wire';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axe } from './axe.js';
import { ARTIFACTS, type Demo, openDashboard, simulateCrowd, startDemo } from './demoHarness.js';

describe.skipIf(!hasChrome('demo model review'))('demo: model review (Chromium)', () => {
  let demo: Demo;
  let page: Page;
  /** The review as the API answers it to the signed-in page. */
  const apiReview = (outcome = 'sql') =>
    page.evaluate(
      async (o) => (await fetch(`/v1/model/review?outcome=${o}`)).json() as Promise<ModelReview>,
      outcome,
    );
  const cells = (table: string) =>
    page
      .locator(`[data-table=${table}] tbody tr`)
      .evaluateAll((rows) => rows.map((r) => [...r.children].map((c) => c.textContent ?? '')));

  beforeAll(async () => {
    demo = await startDemo();
    const report = await simulateCrowd(demo, 160);
    expect(report.outcomes).toBeGreaterThan(60);
    page = await openDashboard(demo);
  });
  afterAll(async () => {
    await demo?.close();
  });

  it('shows the AUCs, lifts by label, the scores of won and lost leads, channels and the suggested points', async () => {
    await page.locator('#tab-review').click();
    await expect.poll(() => page.locator('#review-status').textContent()).toMatch(/identified contacts/);
    const review = await apiReview();
    expect(review.positives).toBeGreaterThanOrEqual(30);
    expect(review.suggestion).not.toBeNull();
    const kpi = (key: string) => page.locator(`[data-kpi="${key}"] strong`).textContent();
    expect(await kpi('current-auc')).toBe(review.current.auc?.toFixed(3));
    expect(await kpi('suggested-auc')).toBe(review.suggestion?.auc?.toFixed(3));
    expect(await page.locator('#review-status').textContent()).toContain(
      `${review.contacts} identified contacts, ${review.positives} reached SQL`,
    );

    // Lifts under the rules' labels; the crowd's truth shows: a demo request lifts, careers lowers.
    const lifts = await page.locator('.lift-chart').getAttribute('aria-label');
    expect(lifts).toMatch(/Requested a demo: lift (\d+\.\d+)/);
    expect(Number(/Requested a demo: lift (\d+\.\d+)/.exec(lifts ?? '')?.[1])).toBeGreaterThan(1.5);
    const rows = await cells('lifts');
    expect(rows.map((r) => r[0]?.replace(' (low confidence)', ''))).toContain('Read the knowledge base');
    expect(rows).toHaveLength(review.rules.length);

    // The scores of won and lost leads, and the trade-off with today's threshold marked.
    const histogram = await page.locator('.score-histogram').getAttribute('aria-label');
    expect(histogram).toMatch(/^Score at the cutoff.*Reached SQL: .*Did not: /);
    const tradeoff = await cells('tradeoff');
    expect(tradeoff.find((r) => r[0] === '50 (today)')?.[1]).toBe(String(review.current.mqls));

    // Channels with the demo config's spend; today's points beside the suggested ones.
    const google = (await cells('channels')).find((r) => r[0] === 'google / cpc');
    expect(google?.[7]).toBe('$18,000');
    const suggested = await cells('suggestion');
    expect(suggested.map((r) => r[0])).toContain('Requested a demo');
    expect(suggested.at(-1)?.[2]).toBe(String(review.suggestion?.threshold));
    expect(await axe(page)).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'model-review.png'), fullPage: true });
  });

  it('says why there is no suggestion for an outcome with too few contacts', async () => {
    const customers = await apiReview('customer');
    expect(customers.suggestion).toBeNull();
    await page.locator('#review-outcome').selectOption('customer');
    await expect.poll(() => page.locator('.review-reason').textContent()).toBe(customers.reason);
    await page.locator('#review-outcome').selectOption('sql');
    await page.locator('[data-action=apply-suggestion]').waitFor();
  });

  it('applies the suggestion to the model editor draft, and the what-if follows it', async () => {
    const review = await apiReview();
    await page.locator('[data-action=apply-suggestion]').click();
    await expect.poll(() => page.locator('#view-model').isVisible()).toBe(true);
    await expect
      .poll(async () => JSON.parse(await page.locator('#model-json').inputValue()))
      .toEqual(review.suggestion?.model);
    await expect
      .poll(() => page.locator('.what-if-summary').textContent(), { timeout: 60_000 })
      .toMatch(/would cross the MQL line/);
    const moved = page.locator('.what-if-table tbody tr:not([data-delta="0"])');
    expect(await moved.count()).toBeGreaterThan(0);
  });

  it('previews a CSV with its bad row named, imports the rest and shows what the collector refused', async () => {
    await page.locator('#tab-review').click();
    const lead = (await page.evaluate(async () => (await fetch('/v1/leads?stage=mql&limit=1')).json())) as {
      items: { traits: { email: string } }[];
    };
    const email = lead.items[0]?.traits.email as string;
    const csv = [
      'Stage,email,Revenue,at',
      `sql,${email},,2026-01-15`,
      'won,ghost@nowhere.example,,',
      'sql,nobody@nowhere.example,,',
      `"customer","${email}","12,500",`,
    ].join('\r\n');
    await page.locator('#outcome-file').setInputFiles({
      name: 'deals.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`\uFEFF${csv}\r\n`),
    });
    await expect
      .poll(() => page.locator('#outcome-status').textContent())
      .toBe('deals.csv: 3 outcome(s) ready, 1 row(s) with problems will be left out.');
    const preview = page.locator('[data-table=outcome-preview]');
    expect(await preview.locator('tr[data-row="3"]').textContent()).toContain(
      'row 3, stage: expected sql, opportunity, customer or lead, got "won"',
    );
    expect(await preview.locator('tr[data-row="5"] td').nth(2).textContent()).toBe('12,500');
    await page.locator('[data-action=import-outcomes]').click();
    await expect
      .poll(() => page.locator('#outcome-status').textContent())
      .toBe('Imported: 2 recorded, 0 unchanged, 1 refused by the collector.');
    expect(await preview.locator('tr[data-row="4"]').textContent()).toContain(
      'email: no contact with this email on this site',
    );
    expect(await preview.locator('tr[data-row="2"]').textContent()).toContain('recorded');
    const contact = (await page.evaluate(
      async (e) =>
        (
          await fetch(`/v1/leads?limit=500`)
        )
          .json()
          .then((p) => p.items.find((c: { traits: { email: string } }) => c.traits.email === e)),
      email,
    )) as { stage: string; revenue: number; reached: { sql: number } };
    expect(contact).toMatchObject({ stage: 'customer', revenue: 12_500 });
    expect(contact.reached.sql).toBe(Date.UTC(2026, 0, 15));
    expect(await axe(page)).toEqual([]);
  });
});
