/// <reference types="node" />
// Personalization on pages under a strict Content-Security-Policy (no unsafe-inline, no unsafe-eval,
// Trusted Types required for script sinks): it must work and cause zero securitypolicyviolation events.
import { hasChrome, type LaunchedBrowser, launchBrowser } from '@leadlight/devtools/browser';
import { servePages } from '@leadlight/devtools/servePages';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleForTest, HARNESS, PERSONALIZE } from '../../test/personalize/bundleForTest.js';
import { PREHIDE_CSS } from './prehide.js';

const NONCE = 'c3RyaWN0LWNzcC10ZXN0';
const STRICT = `default-src 'self'; script-src 'self' 'nonce-${NONCE}'; style-src 'self' 'nonce-${NONCE}'; object-src 'none'; base-uri 'none'; require-trusted-types-for 'script'`;
const NO_INLINE = `default-src 'self'; script-src 'self'; style-src 'self'; object-src 'none'; base-uri 'none'; require-trusted-types-for 'script'`;

/** Records violations from the first moment of every document (init scripts are not subject to the CSP). */
const LISTEN = `window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
requestAnimationFrame(function first() {
  // The first frame with the body parsed: what the visitor sees first (head stylesheets block rendering).
  if (!document.getElementById('default')) return requestAnimationFrame(first);
  const seen = (id) => document.getElementById(id).checkVisibility();
  window.__firstFrame = { harness: 'harness' in window, default: seen('default'), call: seen('call') };
});`;

const BODY = `<h1>Thanks</h1>
  <section data-ll-variants>
    <div id="call" class="card" data-ll-stage="mql+">Book a call</div>
    <div id="default" class="card" data-ll-default>Read the blog</div>
  </section>
  <dialog data-ll-exit-popup="csp"><h2>Wait</h2><button data-ll-close id="close">Close</button></dialog>`;

function html(head: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>CSP</title>
    <link rel="stylesheet" href="/site.css">${head}<script async src="/harness.js"></script></head><body>${BODY}</body></html>`;
}

describe.skipIf(!hasChrome('personalize strict CSP'))('personalization under a strict CSP (Chromium)', () => {
  let browser: LaunchedBrowser;
  let server: Awaited<ReturnType<typeof servePages>>;

  beforeAll(async () => {
    const harness = await bundleForTest(`import '${HARNESS}';`);
    const prehide = await bundleForTest(`import { prehide } from '${PERSONALIZE}prehide.ts'; prehide();`);
    const css = '.card{display:block;padding:1rem;border:1px solid}';
    server = await servePages({
      // The loader-snippet way: the inline pre-paint piece carries the page's nonce.
      '/nonce.html': {
        body: html(`<script nonce="${NONCE}">${prehide}</script>`),
        headers: { 'content-security-policy': STRICT },
      },
      // No inline script at all: the site pastes the pre-paint rule into its own stylesheet.
      '/no-inline.html': {
        body: html('<link rel="stylesheet" href="/prehide.css">'),
        headers: { 'content-security-policy': NO_INLINE },
      },
      '/prehide.css': { body: PREHIDE_CSS, type: 'text/css' },
      '/site.css': { body: css, type: 'text/css' },
      '/harness.js': { body: harness, type: 'text/javascript', delayMs: 200 },
    });
    browser = await launchBrowser();
    await browser.context.addInitScript(LISTEN);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const violations = (p: Page) =>
    p.evaluate(() => (window as unknown as { __violations: string[] }).__violations);

  it.each(['nonce', 'no-inline'])('%s page: variants, live score, popup — zero violations', async (name) => {
    const p = await browser.context.newPage();
    await p.goto(`${server.url}/${name}.html`);
    // In the first frame, before leadlight arrived, the pre-paint rule (inline with its nonce, or from the
    // site's own CSS) kept both variants hidden.
    await p.waitForFunction('window.__firstFrame');
    expect(await p.evaluate('window.__firstFrame')).toEqual({ harness: false, default: false, call: false });
    await p.waitForFunction(() => 'harness' in window);
    await expect.poll(() => p.locator('#default').isVisible()).toBe(true);
    expect(await p.locator('#call').isVisible()).toBe(false);

    await p.evaluate(`harness.score(70, 'mql')`);
    await expect.poll(() => p.locator('#call').isVisible()).toBe(true);
    expect(await p.locator('#default').isVisible()).toBe(false);

    await p.mouse.move(300, 300);
    await p.mouse.move(300, -20, { steps: 5 });
    await expect.poll(() => p.getByRole('dialog', { name: 'Wait' }).isVisible()).toBe(true);
    // The constructed stylesheet applied: the popup animates (no inline style was needed).
    expect(await p.evaluate(() => getComputedStyle(document.querySelector('dialog')!).animationName)).toBe(
      'll-in',
    );
    await p.click('#close');
    await expect.poll(() => p.evaluate(() => document.querySelector('dialog')!.open)).toBe(false);

    expect(await violations(p)).toEqual([]);
    // Control: the listener does catch a violation when there is one.
    await p.evaluate(() =>
      document.head.append(Object.assign(document.createElement('style'), { textContent: 'p{}' })),
    );
    await expect.poll(async () => (await violations(p)).length).toBe(1);
    await p.evaluate(() => localStorage.clear()); // the next page starts as a fresh visitor
    await p.close();
  });
});
