// The demo site on a phone (390 × 844, real Chromium): the main menu folds behind a button that opens and
// closes from the keyboard, and the live score panel starts as one small bar instead of covering the page.
import { join } from 'node:path';
import { hasChrome } from '@leadlight/devtools/browser';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, type Demo, startDemo } from './demoHarness.js';

describe.skipIf(!hasChrome('demo mobile menu'))('demo: the site at 390 px (Chromium)', () => {
  let demo: Demo;
  let page: Page;
  const nav = () => page.locator('#mainnav');
  const toggle = () => page.locator('.menu-toggle');
  const focused = (selector: string) =>
    page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector);

  beforeAll(async () => {
    demo = await startDemo();
    page = await demo.context.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
  });
  afterAll(async () => {
    await demo?.close();
  });

  it('opens and closes the menu from a button, with the mouse and from the keyboard', async () => {
    await page.goto(`${demo.url}/pricing/`);
    expect(await nav().isVisible()).toBe(false);
    expect(await toggle().isVisible()).toBe(true);
    expect(await toggle().getAttribute('aria-expanded')).toBe('false');
    // Nothing in the bar spills past the screen's edge.
    const right = await page
      .locator('.topbar-inner > *')
      .evaluateAll((els) => Math.max(...els.map((e) => e.getBoundingClientRect().right)));
    expect(right).toBeLessThanOrEqual(390);

    await toggle().click();
    expect(await toggle().getAttribute('aria-expanded')).toBe('true');
    await expect
      .poll(() =>
        nav()
          .locator('a')
          .evaluateAll((as) => as.filter((a) => a.getBoundingClientRect().height > 0).length),
      )
      .toBe(6);
    expect(await focused('#mainnav a')).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'site-mobile-menu.png') });
    await page.keyboard.press('Escape');
    expect(await nav().isVisible()).toBe(false);
    expect(await focused('.menu-toggle')).toBe(true);

    await page.keyboard.press('Enter');
    expect(await nav().isVisible()).toBe(true);
    await page.keyboard.press('Tab');
    expect(await focused('#mainnav a:nth-child(2)')).toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForURL('**/pricing/');
    expect(await nav().isVisible()).toBe(false);
  });

  it('keeps the score panel to one small bar that unfolds on demand', async () => {
    const panel = page.locator('#ll-panel');
    await expect.poll(() => panel.getAttribute('data-total'), { timeout: 20_000 }).not.toBeNull();
    const box = await panel.boundingBox();
    // A fifth of the screen before; now a bar of about 40 px.
    expect((box?.width ?? 0) * (box?.height ?? 0)).toBeLessThan(390 * 844 * 0.05);
    const button = panel.locator('button.ll-toggle');
    expect(await button.getAttribute('aria-expanded')).toBe('false');
    await button.focus();
    await page.keyboard.press('Enter');
    expect(await button.getAttribute('aria-expanded')).toBe('true');
    expect(await panel.locator('.ll-body').isVisible()).toBe(true);
    const open = await panel.boundingBox();
    expect(open?.height ?? 0).toBeLessThanOrEqual(844 * 0.6 + 1);
    await page.screenshot({ path: join(ARTIFACTS, 'site-mobile-panel.png') });
    await page.keyboard.press('Enter');
    expect(await panel.locator('.ll-body').isVisible()).toBe(false);
  });
});
