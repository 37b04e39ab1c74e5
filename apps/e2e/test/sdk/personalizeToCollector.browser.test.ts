/// <reference types="node" />
// Personalization through the real SDK (dist/snippet.js, dist/leadlight.js + the worker) and the real
// collector: the provisional score reveals a block live, a real mouse exit opens the popup, its
// `popup_shown` event is stored by the collector, and the next page, with the real loader snippet inline,
// shows its thank-you variant from what the visitor did without any frame showing another one.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningCollector, startCollector } from '@leadlight/collector';
import { hasChrome, type LaunchedBrowser, launchBrowser } from '@leadlight/devtools/browser';
import { PROBE, type Probe } from '@leadlight/devtools/frameProbe';
import { freePort } from '@leadlight/devtools/freePort';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SDK_DIST } from '../builtFiles.js';
import { sdkLoaded, storedEvents } from './collectorSite.js';

const SECRET = 'sk_personalize_for_tests';
const MODEL = {
  version: 'personalize-e2e',
  rules: [
    { id: 'whitepaper', event: 'download', match: { ext: ['pdf'] }, points: 15 },
    { id: 'popup', event: 'popup_shown', points: 1 },
  ],
  fit: [],
  mql: { total: 50 },
};

type Leadlight = { anonymousId(): string; flush(): Promise<unknown>; q?: unknown; track?: unknown };

describe.skipIf(!hasChrome('personalize through the SDK and collector'))(
  'personalization end to end (Chromium)',
  () => {
    let collector: RunningCollector;
    let browser: LaunchedBrowser;
    let dir: string;
    let origin: string;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'll-personalize-e2e-'));
      const site = join(dir, 'site');
      mkdirSync(join(site, 'files'), { recursive: true });
      const port = await freePort();
      origin = `http://127.0.0.1:${port}`;
      const snippet = readFileSync(join(SDK_DIST, 'snippet.js'), 'utf8');
      const page = (title: string, body: string, head = '') =>
        `<!doctype html><html><head><title>${title}</title>${head}<script async src="${origin}/leadlight.js"
        data-site-key="pk_personalize" data-endpoint="${origin}" data-sw="/leadlight-sw.js"></script></head><body>${body}</body></html>`;
      writeFileSync(
        join(site, 'index.html'),
        page(
          'Resources',
          `<h1>Resources</h1><a id="guide" href="/files/acme-whitepaper.pdf" download>Get the whitepaper</a>
        <p id="hot" data-ll-min-score="10">You seem interested: here is our pricing.</p>
        <dialog data-ll-exit-popup="e2e" data-ll-if="download:.pdf"><h2>Leaving already?</h2>
          <form method="dialog"><button>Close</button></form></dialog>`,
        ),
      );
      writeFileSync(
        join(site, 'thanks.html'),
        page(
          'Thanks',
          `<section data-ll-variants>
          <p id="case" data-variant data-ll-if="download:whitepaper">Read the Acme case study</p>
          <p id="default" data-variant>Thanks for stopping by</p></section>`,
          `<script>${snippet}</script>`,
        ),
      );
      writeFileSync(join(site, 'files', 'acme-whitepaper.pdf'), '%PDF-1.4 test');
      collector = await startCollector({
        config: {
          sites: [
            { siteKey: 'pk_personalize', secretKey: SECRET, origins: [origin], model: MODEL, bots: 'score' },
          ],
        },
        dbPath: join(dir, 'collector.db'),
        port,
        staticDir: site,
      });
      browser = await launchBrowser();
      await browser.context.addInitScript(PROBE);
    }, 120_000);

    afterAll(async () => {
      await browser?.close();
      await collector?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    const stored = (anonymousId: string) => storedEvents(collector, SECRET, anonymousId);

    it('reveals by live score, opens the popup on a real exit, and picks the thank-you variant', async () => {
      const page = await browser.context.newPage();
      await page.goto(`${origin}/index.html`);
      await sdkLoaded(page);
      const anonymousId = await page.evaluate(() =>
        (window as unknown as { leadlight: Leadlight }).leadlight.anonymousId(),
      );
      expect(await page.locator('#hot').isVisible()).toBe(false);

      const download = page.waitForEvent('download');
      await page.click('#guide');
      await download;
      // The worker's provisional score (15 points) reaches personalization through onScore.
      await expect.poll(() => page.locator('#hot').isVisible(), { timeout: 30_000 }).toBe(true);

      await page.mouse.move(400, 300);
      await page.mouse.move(400, -30, { steps: 5 });
      await expect.poll(() => page.getByRole('dialog', { name: 'Leaving already?' }).isVisible()).toBe(true);
      await page.keyboard.press('Escape');

      await page.evaluate(() => (window as unknown as { leadlight: Leadlight }).leadlight.flush());
      await expect
        .poll(async () => (await stored(anonymousId)).find((e) => e.type === 'popup_shown')?.props, {
          timeout: 45_000,
          interval: 500,
        })
        .toEqual({ popup: 'e2e' });

      await page.goto(`${origin}/thanks.html?expect=case`);
      await sdkLoaded(page);
      await expect.poll(() => page.locator('#case').isVisible()).toBe(true);
      const probe = await page.evaluate(() => (window as unknown as { __probe: Probe }).__probe);
      expect(probe.violations).toEqual([]); // the fallback never flashed before the case study
      expect(await page.locator('#default').isVisible()).toBe(false);
      await page.close();
    }, 120_000);
  },
);
