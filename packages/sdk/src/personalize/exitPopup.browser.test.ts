/// <reference types="node" />
// The exit popup in real Chromium: a real mouse leaving through the top, focus and keyboard, the
// frequency cap across page loads and days, conversion, suppressed stages and reduced motion.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { hasChrome, type LaunchedBrowser, launchBrowser } from '@leadlight/devtools/browser';
import { servePages } from '@leadlight/devtools/servePages';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleForTest, HARNESS } from '../../test/personalize/bundleForTest.js';
import type { Harness } from '../../test/personalize/testHarness.js';

const ARTIFACTS = fileURLToPath(new URL('../../artifacts/', import.meta.url));
const DAY = 864e5;

const PRICING = `<!doctype html><html><head><meta charset="utf-8"><title>Pricing</title>
  <link rel="stylesheet" href="/site.css"><script async src="/harness.js"></script></head><body>
  <main><h1>Pricing</h1><p>Plans for every team.</p><button id="before">Compare plans</button></main>
  <dialog data-ll-exit-popup="benchmark" data-ll-min-score="10" data-ll-suppress-stages="sql+" data-ll-every-days="7">
    <h2>Before you go</h2>
    <p>Get the 2026 lead-scoring benchmark in your inbox.</p>
    <form action="/thanks.html"><label>Email <input id="email" name="email" type="email" required></label>
      <button id="send">Send it to me</button></form>
    <form method="dialog"><button id="no">No thanks</button></form>
  </dialog></body></html>`;

const CSS = `body{font:18px system-ui;margin:2rem}dialog{border:0;border-radius:12px;padding:2rem;max-width:28rem}
  dialog::backdrop{background:rgb(0 0 0 / .5)}form{display:flex;gap:.5rem;margin-top:1rem}`;

describe.skipIf(!hasChrome('personalize exit popup'))('exit popup (Chromium)', () => {
  let browser: LaunchedBrowser;
  let server: Awaited<ReturnType<typeof servePages>>;
  let p: Page;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const harness = await bundleForTest(`import '${HARNESS}';`);
    server = await servePages({
      '/pricing.html': { body: PRICING },
      '/thanks.html': {
        body: '<!doctype html><title>Thanks</title><h1>Thanks</h1><script src="/harness.js"></script>',
      },
      '/site.css': { body: CSS, type: 'text/css' },
      '/harness.js': { body: harness, type: 'text/javascript' },
    });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const call = <T>(fn: string) => p.evaluate(`window.harness.${fn}`) as Promise<T>;
  const dialogOpen = () => p.evaluate(() => document.querySelector('dialog')!.open);

  /** Loads the pricing page (optionally at a given time) and waits for personalization. */
  async function load(at?: number): Promise<void> {
    if (at !== undefined) await p.clock.setFixedTime(at);
    await p.goto(`${server.url}/pricing.html`);
    await p.waitForFunction(() => 'harness' in window);
  }

  /** Moves the real mouse into the page, then out through the top edge; waits until the page saw it. */
  async function leaveThroughTop(): Promise<void> {
    const before = await call<number>('exits()');
    await p.mouse.move(640, 400);
    await p.mouse.move(640, 120, { steps: 4 });
    await p.mouse.move(640, -40, { steps: 4 });
    await expect.poll(() => call<number>('exits()')).toBe(before + 1);
  }

  const popupEvents = async () =>
    (await call<ReturnType<Harness['tracked']>>('tracked()')).filter((e) => e.type.startsWith('popup_'));

  it('opens on a real exit, labelled, with focus inside; Esc closes and focus returns', async () => {
    p = await browser.context.newPage();
    const t0 = Date.UTC(2026, 10, 22, 12);
    await load(t0);
    await p.evaluate(() => localStorage.clear());
    await load(t0);
    await leaveThroughTop();
    expect(await dialogOpen()).toBe(false); // score 0 is under data-ll-min-score="10"

    await call('score(24, "lead")');
    await p.focus('#before');
    await leaveThroughTop();
    const dialog = p.getByRole('dialog', { name: 'Before you go' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await p.evaluate(() => document.querySelector('dialog')!.contains(document.activeElement))).toBe(
      true,
    );
    expect(await popupEvents()).toEqual([{ type: 'popup_shown', props: { popup: 'benchmark' } }]);
    await p.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished)));
    await p.screenshot({ path: `${ARTIFACTS}exit-popup.png` });

    // The page behind is inert: Tab cycles through the dialog's controls (and the browser's own UI,
    // where activeElement is <body>), never onto the page's button.
    const visited = new Set<string>();
    for (let i = 0; i < 8; i++) {
      await p.keyboard.press('Tab');
      visited.add(await p.evaluate(() => document.activeElement?.id || document.activeElement!.tagName));
    }
    expect([...visited].sort()).toEqual(expect.arrayContaining(['email', 'no', 'send']));
    expect(visited.has('before')).toBe(false);
    await p.focus('#email');
    await p.keyboard.press('Escape');
    await expect.poll(dialogOpen).toBe(false);
    expect(await p.evaluate(() => document.activeElement?.id)).toBe('before');

    // Once per page view: a second exit on the same page does nothing.
    await leaveThroughTop();
    expect(await dialogOpen()).toBe(false);
  });

  it('is capped for data-ll-every-days, then shows again; "No thanks" is not a conversion', async () => {
    const t0 = Date.UTC(2026, 10, 22, 12);
    await load(t0 + 6 * DAY);
    await call('score(24, "lead")');
    await leaveThroughTop();
    expect(await dialogOpen()).toBe(false);

    await load(t0 + 7 * DAY + 1000);
    await leaveThroughTop();
    await expect.poll(dialogOpen).toBe(true);
    await p.click('#no');
    await expect.poll(dialogOpen).toBe(false);
    expect((await popupEvents()).map((e) => e.type)).toEqual(['popup_shown', 'popup_shown']);
  });

  it('never shows again after the visitor converts in it', async () => {
    const t0 = Date.UTC(2026, 10, 22, 12);
    await load(t0 + 15 * DAY);
    await leaveThroughTop();
    await expect.poll(dialogOpen).toBe(true);
    await p.fill('#email', 'ada@example.com');
    await Promise.all([p.waitForURL(/thanks/), p.click('#send')]);
    await p.waitForFunction(() => 'harness' in window);
    expect((await popupEvents()).map((e) => e.type)).toEqual([
      'popup_shown',
      'popup_shown',
      'popup_shown',
      'popup_converted',
    ]);

    await load(t0 + 400 * DAY);
    await leaveThroughTop();
    expect(await dialogOpen()).toBe(false);
  });

  it('stays away from the stages the site names', async () => {
    await p.evaluate(() => localStorage.clear());
    await load(Date.UTC(2027, 0, 1));
    await call('score(90, "sql")');
    await leaveThroughTop();
    expect(await dialogOpen()).toBe(false);
    await call('score(90, "lead")');
    await load(Date.UTC(2027, 0, 1));
    await leaveThroughTop();
    await expect.poll(dialogOpen).toBe(true);
  });

  it('animates only when the visitor has not asked for reduced motion', async () => {
    const animation = () =>
      p.evaluate(() => getComputedStyle(document.querySelector('dialog')!).animationName);
    for (const [reducedMotion, expected] of [
      ['reduce', 'none'],
      ['no-preference', 'll-in'],
    ] as const) {
      await p.emulateMedia({ reducedMotion });
      await p.evaluate(() => localStorage.clear());
      await load(Date.UTC(2027, 1, 1));
      await call('score(30, "lead")');
      await leaveThroughTop();
      await expect.poll(dialogOpen).toBe(true);
      expect(await animation()).toBe(expected);
    }
    await p.close();
  });
});
