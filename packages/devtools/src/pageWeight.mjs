#!/usr/bin/env node
// Page weight: what a page that carries Leadlight's script tag downloads, measured by loading real pages in
// headless Chromium and gzipping (-9) the body of every script the page fetched (the service worker's own
// script is counted apart). Pages: the first visit of a site with a service worker, the next page (which the
// worker controls), a site without one, and each with personalization candidates. Run in a package whose
// package.json has "leadlight": { "pageBudgets": {...} }; prints a table and fails over budget.
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS } from './chromiumArgs.mjs';

const gzip = (body) => gzipSync(body, { level: 9 }).length;

/** Serves `dirs` (first match wins) plus two test pages, and answers the collector's API with 204. */
async function serveSite(dirs) {
  const page = (sw, personalize) =>
    `<!doctype html><html><head><title>Weight</title><script async src="/leadlight.js" data-site-key="pk_weight"
      ${sw ? 'data-sw="/leadlight-sw.js"' : ''}></script></head><body><h1>A page</h1>
      ${personalize ? '<p data-ll-min-score="10">For engaged visitors</p>' : '<p>No personalization here.</p>'}
      </body></html>`;
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const pages = {
      '/sw.html': page(true, false),
      '/sw-p.html': page(true, true),
      '/plain.html': page(false, false),
      '/plain-p.html': page(false, true),
    };
    if (pages[path])
      return res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(pages[path]);
    if (path.startsWith('/v1/')) return res.writeHead(204).end();
    for (const dir of dirs) {
      try {
        const body = readFileSync(join(dir, path.replace(/^\/+/, '')));
        return res
          .writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' })
          .end(body);
      } catch {
        // next folder
      }
    }
    res.writeHead(404).end();
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((done) => server.close(done)),
  };
}

/**
 * Loads each page in a fresh Chromium profile (or, for a controlled page, the profile of the first visit) and
 * returns the scripts each fetched with their gzip sizes, plus the service worker script's own size.
 */
export async function measurePageWeight({ dirs, executablePath }) {
  const site = await serveSite(dirs);
  const profiles = [];
  const launch = async () => {
    const dir = mkdtempSync(join(tmpdir(), 'll-weight-'));
    profiles.push(dir);
    return chromium.launchPersistentContext(dir, {
      executablePath,
      headless: true,
      args: [...CHROMIUM_ARGS],
    });
  };
  /** Opens `path` and waits until the queue answers (connected: service worker or in-page). */
  const load = async (context, path) => {
    const page = await context.newPage();
    const scripts = [];
    page.on('response', async (response) => {
      if (response.request().resourceType() !== 'script' || /leadlight-sw\.js/.test(response.url())) return;
      scripts.push(
        response
          .body()
          .then((body) => ({ file: new URL(response.url()).pathname.slice(1), gzip: gzip(body) })),
      );
    });
    // Whether a service worker controlled the page from its start (a first visit is claimed only later).
    await page.addInitScript(() => {
      window.llControlledAtStart = Boolean(navigator.serviceWorker?.controller);
    });
    await page.goto(`${site.url}${path}`);
    await page.waitForFunction(() => typeof window.leadlight?.flush === 'function' && !window.leadlight.q);
    await page.evaluate(() => window.leadlight.flush());
    const controlled = await page.evaluate(() => window.llControlledAtStart);
    await page.waitForLoadState('networkidle');
    const files = await Promise.all(scripts);
    await page.close();
    return { files, total: files.reduce((sum, f) => sum + f.gzip, 0), controlled };
  };
  const results = {};
  try {
    const withWorker = await launch();
    results['service worker, first visit'] = await load(withWorker, '/sw.html');
    results['service worker controls the page'] = await load(withWorker, '/sw.html');
    results['service worker controls the page, personalization'] = await load(withWorker, '/sw-p.html');
    await withWorker.close();
    const without = await launch();
    results['no service worker'] = await load(without, '/plain.html');
    results['no service worker, personalization'] = await load(without, '/plain-p.html');
    await without.close();
  } finally {
    await site.close();
    for (const dir of profiles) rmSync(dir, { recursive: true, force: true });
  }
  const sw = dirs.map((d) => join(d, 'leadlight-sw.js')).find((f) => existsSync(f));
  return { pages: results, serviceWorker: sw ? gzip(readFileSync(sw)) : undefined };
}

/**
 * Checks measured pages against budgets (bytes, or `{ target, guard }` where a target is not met yet: the guard
 * then stops growth). Budget names: serviceWorkerPage, noServiceWorkerPage, personalization,
 * personalizationWithoutServiceWorker (there it brings scoring too), serviceWorker.
 */
export function checkPageWeight({ pages, serviceWorker }, budgets) {
  const p = (name) => pages[name].total;
  const rows = [
    ['page under the service worker (first visit)', p('service worker, first visit'), 'serviceWorkerPage'],
    ['page the service worker controls', p('service worker controls the page'), 'serviceWorkerPage'],
    ['page without a service worker', p('no service worker'), 'noServiceWorkerPage'],
    [
      'personalization adds (service worker)',
      p('service worker controls the page, personalization') - p('service worker controls the page'),
      'personalization',
    ],
    [
      'personalization adds (no service worker)',
      p('no service worker, personalization') - p('no service worker'),
      'personalizationWithoutServiceWorker',
    ],
    ['service worker script', serviceWorker, 'serviceWorker'],
  ];
  return rows.map(([what, bytes, key]) => {
    const budget = budgets[key];
    const target = typeof budget === 'number' ? budget : budget.target;
    const guard = typeof budget === 'number' ? budget : budget.guard;
    return { what, bytes, target, guard, met: bytes <= target, ok: bytes <= guard };
  });
}

const executablePath = [process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
  (path) => path && existsSync(path),
);

if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
  const { pageBudgets, pageDirs = ['dist'] } = pkg.leadlight ?? {};
  if (!executablePath) {
    if (process.env.CI) throw new Error('page weight: Chromium is required in CI');
    console.warn('\n!!! page weight: SKIPPED — no Chromium at CHROME_PATH or /usr/bin/chromium\n');
    process.exit(0);
  }
  const measured = await measurePageWeight({ dirs: pageDirs.map((d) => resolve(d)), executablePath });
  for (const [name, page] of Object.entries(measured.pages)) {
    console.log(
      `${name}: ${page.total} B gzip (${page.files.map((f) => `${f.file} ${f.gzip} B`).join(' + ')})`,
    );
  }
  let failed = false;
  for (const row of checkPageWeight(measured, pageBudgets)) {
    if (!row.ok) failed = true;
    const verdict = row.met
      ? 'met'
      : row.ok
        ? `missed; guard ${row.guard} B`
        : `missed; OVER the guard ${row.guard} B`;
    console.log(
      `${row.ok ? 'ok  ' : 'OVER'} ${row.what.padEnd(44)} ${String(row.bytes).padStart(6)} B gzip  target ${row.target} B — ${verdict}`,
    );
  }
  if (failed) {
    console.error('page weight: a page is over its budget');
    process.exit(1);
  }
}
