/// <reference types="node" />
// A site that copied only leadlight.js: its chunks (the in-page queue, personalization) answer 404 next to it, so
// the SDK loads the collector's copies (data-endpoint), says so once in the console, and delivers every event
// once — with and without a service worker, in Chromium and in Firefox.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { browsersFor, type TestPage } from '@leadlight/devtools/browser';
import type { Route } from '@leadlight/devtools/servePages';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SDK_DIST, WORKER_DIST } from '../builtFiles.js';
import { forgetVisitor, type SdkSite, startSdkSite, storedEvents } from './collectorSite.js';

const SECRET = 'sk_fallback_secret_for_tests';
const MODEL = {
  version: 'fallback-e2e',
  rules: [{ id: 'probe', event: 'fallback_probe', points: 5 }],
  fit: [],
  mql: { total: 100 },
};
const dist = (file: string) => readFileSync(join(SDK_DIST, file), 'utf8');
const workerDist = (file: string) => readFileSync(join(WORKER_DIST, file), 'utf8');

interface Leadlight {
  anonymousId(): string;
  track(type: string, props?: object): void;
  flush(): Promise<{ sent: number; pending: number }>;
  q?: unknown;
}

const browsers = browsersFor('sdk chunks from the collector');
describe.skipIf(!browsers.length)('chunks that 404 next to leadlight.js come from the collector', () => {
  for (const name of browsers) {
    describe(name, () => {
      let s: SdkSite;
      /** Paths the site was asked for. */
      const asked: string[] = [];

      beforeAll(async () => {
        const routes: Record<string, Route> = {};
        const watched = new Proxy(routes, {
          get: (target, path: string) => {
            asked.push(path);
            return target[path];
          },
        });
        s = await startSdkSite(name, { siteKey: 'pk_fb', secretKey: SECRET, model: MODEL }, watched);
        const page = (sw: boolean) => ({
          body: `<!doctype html><html><head><title>Fallback</title>
            <script async src="/js/leadlight.js" data-site-key="pk_fb" data-endpoint="${s.collector.url}"
              ${sw ? 'data-sw="/leadlight-sw.js"' : ''}></script></head>
            <body><p id="thanks" data-ll-if="event:fallback_probe">Thanks for probing</p>
            <p id="hot" data-ll-min-score="20">For engaged visitors</p></body></html>`,
        });
        Object.assign(routes, {
          '/plain.html': page(false),
          '/sw.html': page(true),
          '/blank.html': { body: '<!doctype html><title>Blank</title>' },
          // The only Leadlight files on the site: the script tag's and the service worker (which must be here).
          '/js/leadlight.js': { body: dist('leadlight.js'), type: 'text/javascript' },
          '/leadlight-sw.js': { body: workerDist('leadlight-sw.js'), type: 'text/javascript' },
        });
      }, 120_000);

      afterAll(() => s?.close());

      async function visit(path: string): Promise<{ page: TestPage; logs: string[]; anonymousId: string }> {
        const page = await s.browser.newPage();
        const logs: string[] = [];
        page.onConsole((text) => logs.push(text));
        // A new visitor each time.
        await page.goto(`${s.url}/blank.html`);
        await forgetVisitor(page);
        await page.goto(`${s.url}${path}`);
        await page.waitForFunction(() => {
          const ll = (window as unknown as { leadlight?: Leadlight }).leadlight;
          return typeof ll?.track === 'function' && !ll.q;
        });
        const anonymousId = await page.evaluate(() =>
          (window as unknown as { leadlight: Leadlight }).leadlight.anonymousId(),
        );
        return { page, logs, anonymousId };
      }

      for (const path of ['/plain.html', '/sw.html']) {
        it(`delivers every event once and personalizes (${path})`, async () => {
          const { page, logs, anonymousId } = await visit(path);
          await page.evaluate(() => {
            const ll = (window as unknown as { leadlight: Leadlight }).leadlight;
            for (let n = 1; n <= 5; n++) ll.track('fallback_probe', { n });
          });
          // The personalization chunk came from the collector and decided both blocks: one by what the visitor
          // did, one by the provisional score (5 probes × 5 points, scored by the service worker or in the page).
          await page.waitForFunction(() =>
            ['thanks', 'hot'].every((id) => {
              const el = document.getElementById(id);
              return el && getComputedStyle(el).display !== 'none' && !el.hidden;
            }),
          );
          await page.evaluate(() => (window as unknown as { leadlight: Leadlight }).leadlight.flush());
          const delivered = async () =>
            (await storedEvents(s.collector, SECRET, anonymousId))
              .filter((e) => e.type !== 'engagement')
              .map((e) => `${e.type}${e.props?.n ?? ''}`)
              .sort();
          await expect
            .poll(delivered, { timeout: 30_000, interval: 300 })
            .toEqual([
              'fallback_probe1',
              'fallback_probe2',
              'fallback_probe3',
              'fallback_probe4',
              'fallback_probe5',
              'page_view',
              'session_start',
            ]);
          // Said once, however many chunks came from the collector.
          const told = logs.filter((line) => line.startsWith('[leadlight] could not load'));
          expect(told).toHaveLength(1);
          expect(told[0]).toContain(`loading ${s.collector.url}/leadlight-`);
          const chunks = asked.filter((p) => /^\/js\/leadlight-.*\.js$/.test(p));
          expect(chunks.every((p) => /\.[0-9a-f]{8}\.js$/.test(p))).toBe(true);
          expect(chunks.some((p) => p.includes('leadlight-personalize.'))).toBe(true);
          expect(chunks.some((p) => p.includes('leadlight-page-queue.'))).toBe(path === '/plain.html');
          asked.length = 0;
          await page.close({ runBeforeUnload: true });
        }, 90_000);
      }
    });
  }
});
