// Working with leads in real Chromium: search, sort by any column, filters by stage, owner and score, CSV
// export of the filtered list, an owner and notes per lead signed with the display name given at sign-in
// (stage moves too), a confirmation after each action, and a date range that reloads funnel and channels.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasChrome } from '@leadlight/devtools/browser';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, type Demo, kpi, openDashboard, startDemo } from './demoHarness.js';

describe.skipIf(!hasChrome('demo leads'))('demo: working with leads (Chromium)', () => {
  let demo: Demo;
  let page: Page;
  const rows = () => page.locator('#leads tbody tr[data-contact]');
  const column = (n: number) => rows().locator(`:scope > :nth-child(${n})`).allTextContents();
  const scores = async () =>
    (await rows().locator('.score-num').allTextContents()).map((t) => Number(t.replace('−', '-')));

  beforeAll(async () => {
    demo = await startDemo();
    page = await openDashboard(demo, { name: 'Kim Park' });
    await page.locator('#simulate').click();
    await page.locator('#banner', { hasText: /^Simulated 8 visitors/ }).waitFor({ timeout: 30_000 });
    await rows().nth(7).waitFor();
  });
  afterAll(async () => {
    await demo?.close();
  });

  it('searches by name, email and company', async () => {
    const company = (await rows().first().locator('.sub').first().textContent())?.split(' · ')[0] ?? '';
    const name = (await rows().first().locator('.who').textContent()) ?? '';
    // The collector searches every contact (the page holds only the first 1,000), once typing pauses.
    const asked = page.waitForRequest(
      (r) =>
        r.url().includes('/v1/leads?') && new URL(r.url()).searchParams.get('q') === company.toUpperCase(),
    );
    await page.locator('#lead-search').fill(company.toUpperCase());
    await asked;
    await expect.poll(() => rows().count()).toBe(1);
    expect(await rows().first().locator('.who').textContent()).toBe(name);
    await page.locator('#lead-search').fill(`${name.split(' ')[0]?.toLowerCase()} .example`);
    await expect.poll(() => rows().locator('.who').allTextContents()).toContain(name);
    await page.locator('#lead-search').fill('nobody-like-this');
    await expect
      .poll(() => page.locator('#leads .empty').textContent())
      .toBe('No contact matches these filters.');
    expect(await page.locator('#leads-count').textContent()).toBe('0 of 8');
    await page.locator('#clear-filters').click();
    await expect.poll(() => rows().count()).toBe(8);
  });

  it('sorts by any column, both ways, and says so to screen readers', async () => {
    const descending = await scores();
    expect(descending).toEqual([...descending].sort((a, b) => b - a));
    await page.locator('[data-sort=score]').click();
    await expect.poll(scores).toEqual([...descending].sort((a, b) => a - b));
    expect(await page.locator('th:has([data-sort=score])').getAttribute('aria-sort')).toBe('ascending');
    await page.locator('[data-sort=name]').click();
    const names = await rows().locator('.who').allTextContents();
    expect(names).toEqual(
      [...names].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base', numeric: true })),
    );
    expect(await page.locator('th:has([data-sort=name])').getAttribute('aria-sort')).toBe('ascending');
    expect(await page.locator('th:has([data-sort=score])').getAttribute('aria-sort')).toBeNull();
    await page.locator('[data-sort=stage]').click();
    const stages = await column(2);
    const order = ['VISITOR', 'LEAD', 'MQL', 'SQL', 'OPPORTUNITY', 'CUSTOMER'];
    expect(stages.map((s) => order.indexOf(s))).toEqual(
      stages.map((s) => order.indexOf(s)).sort((a, b) => b - a),
    );
    for (const key of ['fit', 'engagement', 'owner', 'lastSeen']) {
      await page.locator(`[data-sort=${key}]`).click();
      expect(await page.locator(`th:has([data-sort=${key}])`).getAttribute('aria-sort')).not.toBeNull();
    }
    await page.locator('[data-sort=score]').click();
    await expect.poll(scores).toEqual(descending);
  });

  it('assigns an owner, adds a note and moves a stage, each confirmed and signed with the display name', async () => {
    const row = rows()
      .filter({ has: page.locator('.stage-lead') })
      .first();
    const id = (await row.getAttribute('data-contact')) ?? '';
    await row.locator('.who').click();
    const detail = page.locator(`#detail .detail[data-contact="${id}"]`);
    await detail.waitFor();
    await detail.locator('[data-action=assign-me]').click();
    await expect.poll(() => detail.locator('.action-status').textContent()).toBe('Assigned to Kim Park.');
    await expect
      .poll(() => detail.locator('.owner-now').textContent())
      .toMatch(/^Kim Park · assigned by Kim Park · /);
    await expect
      .poll(() => page.locator(`#leads tr[data-contact="${id}"] .owner-cell`).textContent())
      .toBe('Kim Park');

    await detail.locator('#note-text').fill('Asked for a call on Tuesday; budget approved.');
    await detail.locator('[data-action=add-note]').click();
    await expect.poll(() => page.locator('#detail .action-status').textContent()).toBe('Note added.');
    await expect
      .poll(() => page.locator('#detail .notes').textContent())
      .toMatch(/budget approved\.Kim Park · /);
    expect(await page.locator('#detail #note-text').inputValue()).toBe('');

    await page.locator('#detail [data-action=sql]').click();
    await expect.poll(() => page.locator('#detail .action-status').textContent()).toBe('Moved to SQL.');
    await expect
      .poll(() => page.locator('#detail .history').textContent())
      .toMatch(/SQL.*Kim Park · Marked sql/);

    // Another owner by name, then the owner filter finds exactly who each person owns.
    const other = rows()
      .filter({ hasNot: page.locator(`[data-open="${id}"]`) })
      .first();
    const otherId = (await other.getAttribute('data-contact')) ?? '';
    await other.locator('.who').click();
    await page.locator(`#detail .detail[data-contact="${otherId}"]`).waitFor();
    await page.locator('#owner-input').fill('Ana Silva');
    await page.locator('#detail [data-action=assign]').click();
    await expect
      .poll(() => page.locator('#detail .action-status').textContent())
      .toBe('Assigned to Ana Silva.');
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-leads.png') });
    await page.locator('#close-detail').click();
    await expect
      .poll(() => page.locator('#owner-filter option').allTextContents())
      .toEqual(expect.arrayContaining(['Ana Silva', 'Kim Park', 'Unassigned']));
    await page.locator('#owner-filter').selectOption('Kim Park');
    await expect.poll(() => rows().count()).toBe(1);
    expect(await rows().first().getAttribute('data-contact')).toBe(id);
    await page.locator('#owner-filter').selectOption({ label: 'Unassigned' });
    await expect.poll(() => rows().count()).toBe(6);
    await page.locator('#clear-filters').click();
    await expect.poll(() => rows().count()).toBe(8);
  });

  it('filters by stage and score range, and exports exactly the filtered list as CSV', async () => {
    await page.locator('#stage-filter').selectOption('customer');
    await expect.poll(() => rows().count()).toBe(2);
    await page.locator('#stage-filter').selectOption('');
    await page.locator('#min-score').fill('10');
    await page.locator('#max-score').fill('60');
    await expect.poll(async () => (await scores()).every((s) => s >= 10 && s <= 60)).toBe(true);
    const shown = await rows().evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-contact')));
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.length).toBeLessThan(8);

    // The collector does the filtering for the export, over every contact.
    const asked = page.waitForRequest((r) => /\/v1\/leads\?.*minScore=10&maxScore=60/.test(r.url()));
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#export').click()]);
    await asked;
    expect(download.suggestedFilename()).toMatch(/^leads-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync((await download.path()) as string, 'utf8');
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^id,name,email,company,role,stage,score,/);
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(shown);
    await expect
      .poll(() => page.locator('#banner').textContent())
      .toBe(
        `Exported ${shown.length} contact${shown.length === 1 ? '' : 's'} to ${download.suggestedFilename()}.`,
      );
    await page.locator('#clear-filters').click();
  });

  it('reloads funnel and channels for a date range, and charts MQLs, SQLs and customers per day', async () => {
    expect(await kpi(page, 'contacts')).toBe('8');
    // Every simulated MQL falls in the last 30 days; the table beside the chart adds up to the KPI.
    await page.locator('.chart-table summary').click();
    const mqls = (await page.locator('.chart-table tbody tr td:nth-child(2)').allTextContents()).map(Number);
    expect(mqls.reduce((a, b) => a + b, 0)).toBe(Number(await kpi(page, 'mql')));
    expect(await page.locator('#time-chart svg').getAttribute('aria-label')).toMatch(
      /^MQLs \d+, SQLs \d+, Customers \d+ per day/,
    );

    const request = page.waitForRequest((r) => /\/v1\/funnel\?from=\d+&to=\d+$/.test(r.url()));
    await page.locator('#range-preset').selectOption('custom');
    await request;
    await page.locator('#range-from').fill('2020-01-01');
    await page.locator('#range-to').fill('2020-01-31');
    await page.locator('#range-to').dispatchEvent('change');
    await expect.poll(() => kpi(page, 'contacts')).toBe('0');
    expect(await page.locator('#channels svg').getAttribute('aria-label')).toContain('Paid ads 0, 0 MQL');
    await page.locator('#range-preset').selectOption('all');
    await expect.poll(() => kpi(page, 'contacts')).toBe('8');
    await page.locator('input[name=unit][value=week]').check();
    await expect.poll(() => page.locator('#time-chart svg').getAttribute('aria-label')).toMatch(/per week/);
    await page.locator('input[name=unit][value=day]').check();
    await page.locator('#range-preset').selectOption('30');
    await expect.poll(() => kpi(page, 'contacts')).toBe('8');
    expect(await page.locator('.chart-table').getAttribute('open')).not.toBeNull();
    await page.locator('.time-card').screenshot({ path: join(ARTIFACTS, 'dashboard-time-chart.png') });
  });
});
