/// <reference types="node" />
// Thank-you variants in real Chromium: a requestAnimationFrame probe installed before the page exists
// checks every frame, so no frame may show a variant other than the one the visitor should get.
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { hasChrome, type LaunchedBrowser, launchBrowser } from '@leadlight/devtools/browser';
import { PROBE, type Probe } from '@leadlight/devtools/frameProbe';
import { servePages } from '@leadlight/devtools/servePages';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleForTest, HARNESS, PERSONALIZE } from '../../test/personalize/bundleForTest.js';
import type { Harness } from '../../test/personalize/testHarness.js';

const ARTIFACTS = fileURLToPath(new URL('../../artifacts/', import.meta.url));
const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
/** The personalization chunk under its versioned name, as leadlight.js asks for it. */
const chunk = readdirSync(DIST).find((name) => /^leadlight-personalize\.[0-9a-f]{8}\.js$/.test(name))!;

const THANK_YOU = `
  <main>
    <h1>Thank you!</h1>
    <section data-ll-variants>
      <div class="card" id="call" data-variant data-ll-stage="mql+">
        <h2>You're a great fit — book a call</h2><a href="/book">Pick a time with our team</a></div>
      <div class="card" id="case" data-variant data-ll-if="download:whitepaper">
        <h2>Liked the whitepaper? Read how Acme doubled its MQLs</h2><a href="/case-study">Read the case study</a></div>
      <div class="card" id="default" data-variant data-ll-default>
        <h2>Thanks for stopping by</h2><a href="/blog">Read the blog</a></div>
    </section>
  </main>`;

const CSS = `body{font:18px system-ui;margin:2rem}.card{display:flex;flex-direction:column;gap:.5rem;padding:1.5rem;
  border-radius:12px;background:#eef4ff;border:2px solid #3b6fd8}#call{background:#e9fbe9;border-color:#2a9d3a}`;

function page(
  body: string,
  { prehide = true, script = '<script async src="/harness.js"></script>' } = {},
): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>Leadlight test</title>
    <link rel="stylesheet" href="/site.css">
    ${prehide ? '<script src="/prehide.js"></script>' : ''}
    ${script}</head><body>${body}</body></html>`;
}

describe.skipIf(!hasChrome('personalize no-flicker'))('thank-you variants without flicker (Chromium)', () => {
  let browser: LaunchedBrowser;
  let server: Awaited<ReturnType<typeof servePages>>;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const harness = await bundleForTest(`import '${HARNESS}';`);
    // The pre-paint piece as the loader snippet runs it: synchronously, in <head>, before <body> exists.
    const prehide = await bundleForTest(`import { prehide } from '${PERSONALIZE}prehide.ts'; prehide();`);
    const js = 'text/javascript';
    server = await servePages({
      '/landing.html': { body: page('<h1>Resources</h1>') },
      '/thanks.html': { body: page(THANK_YOU) },
      '/thanks-unprotected.html': { body: page(THANK_YOU, { prehide: false }) },
      '/thanks-sync.html': {
        body: page(THANK_YOU, { prehide: false, script: '<script src="/harness-now.js"></script>' }),
      },
      '/harness-now.js': { body: harness, type: 'text/javascript' },
      // The real script-tag build, which fetches its personalization chunk from next to itself.
      '/thanks-sdk-sync.html': {
        body: page(THANK_YOU, {
          prehide: false,
          script:
            '<script src="/leadlight.js" data-site-key="pk_sync" data-endpoint="http://127.0.0.1:9"></script>',
        }),
      },
      '/leadlight.js': { body: readFileSync(`${DIST}leadlight.js`, 'utf8'), type: js },
      // Under the versioned name leadlight.js was built with.
      [`/${chunk}`]: { body: readFileSync(`${DIST}${chunk}`, 'utf8'), type: js },
      // leadlight.js blocked (ad blocker, offline): nothing answers this script.
      '/thanks-blocked.html': {
        body: page(THANK_YOU, { script: '<script async src="/blocked.js"></script>' }),
      },
      '/site.css': { body: CSS, type: 'text/css' },
      '/prehide.js': { body: prehide, type: js },
      // Held back so the page paints (several frames) before personalization decides.
      '/harness.js': { body: harness, type: js, delayMs: 400 },
    });
    browser = await launchBrowser();
    await browser.context.addInitScript(PROBE);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const harness = (p: Page) => p.waitForFunction(() => 'harness' in window);
  const probe = (p: Page) => p.evaluate(() => (window as unknown as { __probe: Probe }).__probe);
  /**
   * Waits until a frame showed the expected variant and ten more frames followed (a late flash is caught
   * too). The probe's frame is the signal: `isVisible` turns true before the next frame paints it.
   */
  const shownAndSettled = (p: Page) =>
    expect
      .poll(
        async () => {
          const { frames, firstShown } = await probe(p);
          return firstShown >= 0 && frames - firstShown > 10;
        },
        { timeout: 10_000 },
      )
      .toBe(true);

  /** Visits the landing page as a fresh visitor, runs `before` there, then opens the thank-you page. */
  async function visit(variant: string, before: string, path = '/thanks.html'): Promise<Page> {
    const p = await browser.context.newPage();
    await p.goto(`${server.url}/landing.html`);
    // A fresh visitor: the previous test's page kept its record in memory, so clear, then load anew.
    await p.evaluate(() => localStorage.clear());
    await p.reload();
    await harness(p);
    await p.evaluate(before);
    await p.goto(`${server.url}${path}?expect=${variant}`);
    await harness(p);
    await shownAndSettled(p);
    return p;
  }

  it.each([
    ['default', 'a first-time visitor', 'void 0'],
    [
      'case',
      'a visitor who downloaded the whitepaper',
      `harness.track('download', { href: '/files/acme-whitepaper.pdf', ext: 'pdf' })`,
    ],
    ['call', 'an MQL (cached provisional score)', `harness.score(62, 'mql')`],
  ])('shows only "%s" to %s, from the first frame it appears', async (variant, _who, setup) => {
    const p = await visit(variant, setup);
    const result = await probe(p);
    expect(result.violations).toEqual([]);
    expect(result.firstShown).toBeGreaterThan(1); // it did wait for the decision: frames passed before
    await p.screenshot({ path: `${ARTIFACTS}thank-you-${variant}.png` });
    await p.close();
  });

  it('updates live when the score changes', async () => {
    const p = await visit('default', 'void 0');
    await p.evaluate(() => (window as unknown as { harness: Harness }).harness.score(55, 'mql'));
    await expect.poll(() => p.locator('#call').isVisible()).toBe(true);
    expect(await p.locator('#default').isVisible()).toBe(false);
    await p.close();
  });

  it('decides before the first paint when leadlight runs synchronously in <head>', async () => {
    const p = await visit(
      'case',
      `harness.track('download', { href: '/whitepaper.pdf' })`,
      '/thanks-sync.html',
    );
    const result = await probe(p);
    expect(result.violations).toEqual([]);
    expect(result.firstShown).toBe(result.firstWithBody);
    await p.close();
  });

  it('decides before the first paint with the real leadlight.js in <head> (its chunk blocks rendering)', async () => {
    const p = await browser.context.newPage();
    await p.goto(`${server.url}/landing.html`);
    // What an earlier page recorded: the whitepaper download.
    await p.evaluate(() =>
      localStorage.setItem(
        'leadlight:personalize',
        JSON.stringify({ did: { download: ['acme-whitepaper.pdf'] } }),
      ),
    );
    await p.goto(`${server.url}/thanks-sdk-sync.html?expect=case`);
    await shownAndSettled(p);
    const result = await probe(p);
    expect(result.violations).toEqual([]);
    expect(result.firstShown).toBe(result.firstWithBody);
    await p.close();
  });

  it('shows only the data-ll-default fallback when leadlight never arrives', async () => {
    const p = await browser.context.newPage();
    await p.goto(`${server.url}/thanks-blocked.html?expect=default`);
    // The pre-paint rule gives up after 3 s and lets the fallback through; the other variants stay hidden.
    await shownAndSettled(p);
    const result = await probe(p);
    expect(await p.locator('#default').isVisible()).toBe(true);
    expect(result.firstShown).toBeGreaterThan(1);
    expect(result.violations).toEqual([]);
    await p.close();
  });

  it('control: without the pre-paint rule the probe does see the wrong variants flash', async () => {
    const p = await visit(
      'case',
      `harness.track('download', { href: '/whitepaper.pdf' })`,
      '/thanks-unprotected.html',
    );
    const result = await probe(p);
    expect(result.violations.some((v) => v.startsWith('default@') || v.startsWith('call@'))).toBe(true);
    await p.close();
  });
});
