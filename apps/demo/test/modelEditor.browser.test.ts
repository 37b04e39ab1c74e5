// The model editor in real Chromium: the dashboard's simulator fills the collector, a bad draft is refused
// with the exact path of the error, the what-if names who would cross the MQL line, and publishing makes the
// collector rescore so the dashboard shows the new MQL.
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
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-simulated.png'), fullPage: true });
  });

  it('rejects a bad model with the error path, inline', async () => {
    await page.locator('[data-tab=model]').click();
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
    await page.locator('[data-action=what-if]').click();
    await expect
      .poll(() => page.locator('.what-if-summary').textContent(), { timeout: 30_000 })
      .toMatch(/^1 contact\(s\) would cross the MQL line, 0 would fall below it \(of 8\)\.$/);
    const crossing = page.locator('.what-if-table tr[data-change=crosses]');
    expect(await crossing.count()).toBe(1);
    const id = (await crossing.getAttribute('data-contact')) ?? '';
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
