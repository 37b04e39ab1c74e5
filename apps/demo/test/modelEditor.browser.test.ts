// The model editor in real Chromium: the dashboard's simulator fills the collector; a rule edited in the
// visual editor changes the JSON and the what-if at once (labels included); a bad draft is refused with the
// exact path of each error, shown next to its field; the what-if names who would cross the MQL line and
// why the others stay below; publishing makes the collector rescore so the dashboard shows the new MQL.
import { join } from 'node:path';
import { hasChrome } from '@leadlight/devtools/browser';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, type Demo, kpi, openDashboard, startDemo } from './demoHarness.js';

describe.skipIf(!hasChrome('demo model editor'))('demo: model editor and what-if (Chromium)', () => {
  let demo: Demo;
  let page: Page;
  const editor = () => page.locator('#view-model .model-text');

  beforeAll(async () => {
    demo = await startDemo();
    page = await openDashboard(demo, { wrongKeyFirst: true });
  });
  afterAll(async () => {
    await demo?.close();
  });

  it('fills the dashboard from the simulate button', async () => {
    await page.locator('#simulate').click();
    await expect
      .poll(() => page.locator('#banner').textContent(), { timeout: 30_000 })
      .toMatch(/^Simulated 8 visitors, \d+ events, 9 sales actions\.$/);
    await expect.poll(() => page.locator('tr[data-contact]').count()).toBe(8);
    // Four personas reach MQL; the simulated sales team turns two into customers and recycles one.
    await expect.poll(() => kpi(page, 'mql')).toBe('4');
    expect(await kpi(page, 'sql-customer')).toBe('50.0%');
    expect(await page.locator('#channels').textContent()).toContain('Paid ads');
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-simulated.png') });
  });

  it('edits a rule in the visual editor: the JSON and the what-if follow each change', async () => {
    await page.locator('[data-tab=model]').click();
    await expect.poll(() => editor().inputValue()).toContain('"2026-11-demo"');
    const form = page.locator('#view-model .model-form');
    expect(await form.locator('[data-path="rules[0].label"]').inputValue()).toBe('Viewed pricing');
    await page.locator('[data-action=what-if]').click();
    const summary = page.locator('.what-if-summary');
    await expect
      .poll(() => summary.textContent(), { timeout: 30_000 })
      .toBe('0 contact(s) would cross the MQL line, 0 would fall below it (of 8).');
    expect(await page.locator('.what-if-table tr[data-delta="0"]').count()).toBe(8);

    // Pricing visits worth 30 instead of 10, under a new label: typed into the form, nowhere else.
    await form.locator('[data-path="rules[0].points"]').fill('30');
    await form.locator('[data-path="rules[0].label"]').fill('Pricing page visit');
    const json = JSON.parse(await editor().inputValue());
    expect(json.rules[0]).toMatchObject({ id: 'pricing', label: 'Pricing page visit', points: 30 });
    const moved = page.locator('.what-if-table tbody tr:not([data-delta="0"])');
    await expect.poll(() => moved.count()).toBeGreaterThan(0);
    const chip = moved.first().locator('.rule-changes [data-rule=pricing]');
    await expect.poll(() => chip.textContent()).toMatch(/^Pricing page visit \+[\d.]+ → \+[\d.]+$/);
    expect(Number(await moved.first().getAttribute('data-delta'))).toBeGreaterThan(0);
    // The distribution of changes says it too, in its text alternative.
    expect(await page.locator('.what-if-chart svg').getAttribute('aria-label')).toMatch(/no change \d+/);
    // Contacts below the line say which threshold they miss.
    await expect
      .poll(() => page.locator('.what-if-table .mql-line').allTextContents())
      .toEqual(expect.arrayContaining([expect.stringMatching(/^below: (not identified yet, )?total/)]));

    // A new condition from the form: only pricing visits that came from a paid ad.
    await form.locator('[data-focus="rules[0].add-condition"]').click();
    await form.locator('[data-focus="rules[0].cond1.key"]').selectOption('utm_medium');
    await form.locator('[data-focus="rules[0].cond1.values"]').fill('cpc, paid');
    expect(JSON.parse(await editor().inputValue()).rules[0].match).toEqual({
      path: '/pricing*',
      utm_medium: ['cpc', 'paid'],
    });
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-visual-editor.png') });
    await page.locator('[data-action=reset]').click();
    await expect.poll(() => form.locator('[data-path="rules[0].points"]').inputValue()).toBe('10');
    await expect.poll(() => moved.count()).toBe(0);
  });

  it('rejects a bad model with the error path, inline and next to the field', async () => {
    await expect.poll(() => editor().inputValue()).toContain('"2026-11-demo"');
    const model = JSON.parse(await editor().inputValue());
    model.rules[2].match = { path: 42 };
    model.fit[0].gte = 'two hundred';
    await editor().fill(JSON.stringify(model, null, 2));
    const errors = page.locator('#view-model .model-errors li');
    await expect
      .poll(() => errors.evaluateAll((items) => items.map((li) => li.getAttribute('data-path'))))
      .toEqual(expect.arrayContaining(['rules[2].match.path', 'fit[0].gte']));
    expect(await page.locator('[data-action=publish]').isDisabled()).toBe(true);
    expect(await page.locator('[data-action=what-if]').isDisabled()).toBe(true);
    // The visual editor shows each error beside the field it concerns, tied to it for screen readers.
    const gte = page.locator('#view-model .model-form [data-path="fit[0].gte"]');
    expect(await gte.getAttribute('aria-invalid')).toBe('true');
    const described = (await gte.getAttribute('aria-describedby')) ?? '';
    const message = page.locator(`[id="${described.split(' ').at(-1)}"]`);
    expect(await message.textContent()).toMatch(/expected a number/);
    await expect
      .poll(() => page.locator('.mf-field:has([data-path="rules[2].match.path"]) .field-error').textContent())
      .toMatch(/string/);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-model-errors.png') });

    await editor().fill('{"version": "x", "rules": [');
    await expect.poll(() => errors.first().textContent()).toMatch(/^\(json\)/);
  });

  it('shows who would cross the MQL line, then publishes and the collector rescores', async () => {
    const published = JSON.parse(
      await (await demo.context.request.get(`${demo.url}/v1/model?siteKey=pk_demo`)).text(),
    );
    // Drop the fit threshold: the engaged founder of a five-person company is the one it held back.
    await editor().fill(
      JSON.stringify({ ...published, version: '2026-11-no-fit-gate', mql: { total: 50 } }, null, 2),
    );
    await expect.poll(() => page.locator('#view-model .model-status').textContent()).toMatch(/^Valid/);
    await expect
      .poll(() => page.locator('.what-if-summary').textContent(), { timeout: 30_000 })
      .toMatch(/^1 contact\(s\) would cross the MQL line, 0 would fall below it \(of 8\)\.$/);
    const crossing = page.locator('.what-if-table tr[data-change=crosses]');
    expect(await crossing.count()).toBe(1);
    const id = (await crossing.getAttribute('data-contact')) ?? '';
    await page.locator('#what-if-title').evaluate((h) => h.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-what-if.png') });

    await page.locator('[data-action=publish]').click();
    await expect
      .poll(() => page.locator('#view-model .model-status').textContent())
      .toMatch(/^Published 2026-11-no-fit-gate/);
    await page.locator('[data-tab=overview]').click();
    await expect
      .poll(() => page.locator(`#leads tr[data-contact="${id}"] .stage`).textContent(), { timeout: 20_000 })
      .toBe('MQL');
    await expect.poll(() => kpi(page, 'mql')).toBe('5');
  });
});
