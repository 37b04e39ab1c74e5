// Accessibility in real Chromium: axe-core (injected into each page) finds no violation on any page of the
// demo site or any view of the dashboard — colour contrast, headings in order, landmarks, names, ARIA —
// and the dashboard works from the keyboard alone: sign in, simulate, open a lead, add a note, close it,
// sort, switch to the model and edit a rule, read the model review; with no 401 in the console before signing in.
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hasChrome } from '@leadlight/devtools/browser';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDemoSite } from '../src/demoConfig.js';
import { axe } from './axe.js';
import { type Demo, simulateCrowd, startDemo } from './demoHarness.js';

const SITE = fileURLToPath(new URL('../dist/site', import.meta.url));

/** Every page of the built site but the dashboard, as URL paths. */
function sitePages(dir = SITE): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'dashboard' ? [] : sitePages(path);
    return entry.name === 'index.html' ? [`/${relative(SITE, dir)}/`.replace('//', '/')] : [];
  });
}

describe.skipIf(!hasChrome('demo accessibility'))('demo: accessibility (Chromium, axe-core)', () => {
  let demo: Demo;
  let page: Page;

  beforeAll(async () => {
    demo = await startDemo();
    page = await demo.context.newPage();
    await page.setViewportSize({ width: 1280, height: 860 });
  });
  afterAll(async () => {
    await demo?.close();
  });

  it('finds no violation on any page of the site, the exit popup and the phone menu included', async () => {
    const pages = sitePages();
    expect(pages.length).toBeGreaterThanOrEqual(17);
    for (const path of pages) {
      await page.goto(`${demo.url}${path}`);
      await page.locator('#ll-panel').waitFor();
      expect({ path, violations: await axe(page) }).toEqual({ path, violations: [] });
    }
    await page.goto(`${demo.url}/pricing/`);
    const popup = page.locator('dialog[data-ll-exit-popup]');
    await page.mouse.move(640, 400);
    await page.mouse.move(640, 120, { steps: 4 });
    await page.mouse.move(640, -40, { steps: 4 });
    await expect.poll(() => popup.evaluate((d) => (d as HTMLDialogElement).open)).toBe(true);
    expect({ path: 'exit popup', violations: await axe(page) }).toEqual({
      path: 'exit popup',
      violations: [],
    });

    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${demo.url}/`);
    await page.locator('.menu-toggle').click();
    await page.locator('#mainnav a').first().waitFor();
    expect({ path: 'phone menu', violations: await axe(page) }).toEqual({
      path: 'phone menu',
      violations: [],
    });
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  it('works from the keyboard alone, and finds no violation in any dashboard view', async () => {
    const dashboard = await demo.context.newPage();
    await dashboard.setViewportSize({ width: 1440, height: 900 });
    const unauthorized: string[] = [];
    const consoleErrors: string[] = [];
    dashboard.on('response', (r) => {
      if (r.status() === 401) unauthorized.push(r.url());
    });
    dashboard.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    const focused = (selector: string) =>
      dashboard.evaluate((s) => document.activeElement?.matches(s) ?? false, selector);
    /** Presses Tab (Shift+Tab backwards) until the focus is on `selector`, as a keyboard user would. */
    const tabTo = async (selector: string, options: { back?: boolean; max?: number } = {}) => {
      for (let i = 0; i < (options.max ?? 250); i += 1) {
        if (await focused(selector)) return;
        await dashboard.keyboard.press(options.back ? 'Shift+Tab' : 'Tab');
      }
      throw new Error(`Tab never reached ${selector}`);
    };

    await dashboard.goto(`${demo.url}/dashboard/`);
    await expect.poll(() => focused('#display-name')).toBe(true);
    // Asking whether a session exists costs no 401, so the console stays clean before signing in.
    expect(unauthorized).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(await axe(dashboard)).toEqual([]);

    await dashboard.keyboard.type('Robin Keys');
    await dashboard.keyboard.press('Tab');
    await dashboard.keyboard.type(readDemoSite().secretKey);
    await dashboard.keyboard.press('Enter');
    await dashboard.locator('#live[data-state="live"]').waitFor({ timeout: 20_000 });
    expect(await dashboard.locator('#me').textContent()).toBe('Signed in as Robin Keys');

    await tabTo('#simulate');
    await dashboard.keyboard.press('Enter');
    await expect
      .poll(() => dashboard.locator('#banner').textContent(), { timeout: 30_000 })
      .toMatch(/^Simulated 8 visitors/);
    await dashboard.locator('#leads tbody tr[data-contact]').nth(7).waitFor();
    expect(await axe(dashboard)).toEqual([]);

    // A lead: its name is a button; the panel takes focus, a note goes in, Escape hands focus back.
    await tabTo('#leads .who');
    const opener = await dashboard.evaluate(() => document.activeElement?.getAttribute('data-open'));
    await dashboard.keyboard.press('Enter');
    await expect.poll(() => focused('#detail-title')).toBe(true);
    await tabTo('#note-text');
    await dashboard.keyboard.type('Met at the fair; wants pricing for 40 engineers.');
    await dashboard.keyboard.press('Tab');
    expect(await focused('[data-action=add-note]')).toBe(true);
    await dashboard.keyboard.press('Enter');
    await expect.poll(() => dashboard.locator('#detail .action-status').textContent()).toBe('Note added.');
    await expect.poll(() => dashboard.locator('#detail .notes').textContent()).toContain('Robin Keys');
    expect(await axe(dashboard)).toEqual([]);
    await dashboard.keyboard.press('Escape');
    await expect.poll(() => dashboard.locator('#detail-panel').isHidden()).toBe(true);
    expect(await dashboard.evaluate(() => document.activeElement?.getAttribute('data-open'))).toBe(opener);

    // Sorting from the keyboard.
    await tabTo('[data-sort=name]', { back: true });
    await dashboard.keyboard.press('Enter');
    await expect
      .poll(() => dashboard.locator('th:has([data-sort=name])').getAttribute('aria-sort'))
      .toBe('ascending');
    expect(await focused('[data-sort=name]')).toBe(true);

    // The tabs follow the ARIA pattern: arrow keys move between them.
    await tabTo('#tab-overview', { back: true });
    await dashboard.keyboard.press('ArrowRight');
    expect(await focused('#tab-model')).toBe(true);
    await expect.poll(() => dashboard.locator('#view-model').isVisible()).toBe(true);
    await dashboard.locator('#view-model .model-form [data-path="rules[0].points"]').waitFor();
    await tabTo('[data-action=what-if]');
    await dashboard.keyboard.press('Enter');
    await dashboard.locator('.what-if-summary').waitFor({ timeout: 30_000 });
    await tabTo('[data-path="rules[0].points"]');
    await dashboard.keyboard.press('Control+A');
    await dashboard.keyboard.type('25');
    await expect
      .poll(async () => JSON.parse(await dashboard.locator('#model-json').inputValue()).rules[0].points)
      .toBe(25);
    expect(await axe(dashboard)).toEqual([]);

    // The model review: too few outcomes for a suggestion (the reason shows), then enough from the crowd.
    await tabTo('#tab-model', { back: true });
    await dashboard.keyboard.press('ArrowRight');
    expect(await focused('#tab-review')).toBe(true);
    await expect.poll(() => dashboard.locator('#review-status').textContent()).toMatch(/identified contacts/);
    await dashboard.locator('.review-reason').waitFor();
    expect(await axe(dashboard)).toEqual([]);
    await simulateCrowd(demo, 160);
    await tabTo('[data-action=refresh-review]');
    await dashboard.keyboard.press('Enter');
    await dashboard.locator('[data-action=apply-suggestion]').waitFor({ timeout: 30_000 });
    expect(await axe(dashboard)).toEqual([]);
    await tabTo('#tab-review', { back: true, max: 400 });
    // Accounts: companies by score; a committee opens from the keyboard and takes the focus.
    await dashboard.keyboard.press('ArrowRight');
    expect(await focused('#tab-accounts')).toBe(true);
    await dashboard.locator('#view-accounts [data-accounts] tbody tr').first().waitFor();
    expect(await axe(dashboard)).toEqual([]);
    await tabTo('#view-accounts [data-accounts] button');
    await dashboard.keyboard.press('Enter');
    await expect.poll(() => focused('#committee-title')).toBe(true);
    await dashboard.locator('#committee tbody tr[data-member]').first().waitFor();
    expect(await axe(dashboard)).toEqual([]);
    await tabTo('#tab-accounts', { back: true });
    await dashboard.keyboard.press('Home');
    expect(await focused('#tab-overview')).toBe(true);
    expect(unauthorized).toEqual([]);
  });
});
