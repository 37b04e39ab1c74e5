// Main thread, side by side with peers: Chromium's script time (CDP Performance metrics, ScriptDuration) on a page
// with 1,000 links and 20 forms, on a first visit and on a later page of the same site, for Leadlight's script tag
// and for Plausible's, Segment's and PostHog's npm trackers (bench/peerTrackers.ts). Each run is a fresh profile,
// trackers interleaved; prints the medians. Run from apps/e2e after a build:
// `tsx --conditions=source bench/peers.ts [runs]` (part of `pnpm bench`).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { startCollector } from '@leadlight/collector';
import { findChrome, launchBrowser } from '@leadlight/devtools/browser';
import { freePort } from '@leadlight/devtools/freePort';
import type { Page } from 'playwright-core';
import { SDK_DIST, WORKER_DIST } from '../test/builtFiles.js';
import { pageHtml } from './benchPage.js';
import { buildPeers, TRACKERS, type Tracker } from './peerTrackers.js';
import { traceScriptTime } from './traceScriptTime.js';

const RUNS = Number(process.argv[2] ?? 7);
/** After the first event arrived and the network went quiet, this long more counts too (timers, idle work). */
const SETTLE_MS = 1000;
const FILES = [SDK_DIST, WORKER_DIST];

const readBody = (req: IncomingMessage) =>
  new Promise<Buffer>((resolve) => {
    const parts: Buffer[] = [];
    req.on('data', (b: Buffer) => parts.push(b)).on('end', () => resolve(Buffer.concat(parts)));
  });

/**
 * The site: bench pages (`/page-1.html?t=<tracker index>`), Leadlight's files, the peers' bundles; the peers' event
 * endpoints answer 200, and /v1/ goes to the real collector (same origin, as a site that proxies it). Every request
 * path is reported to `seen`.
 */
async function serveSite(port: number, dir: string, collectorUrl: string, seen: (path: string) => void) {
  const origin = `http://127.0.0.1:${port}`;
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    seen(url.pathname);
    if (url.pathname === '/blank.html') return res.writeHead(200, { 'content-type': 'text/html' }).end('');
    if (/^\/page-\d\.html$/.test(url.pathname)) {
      const tracker = TRACKERS[Number(url.searchParams.get('t'))]!;
      return res.writeHead(200, { 'content-type': 'text/html' }).end(pageHtml(tracker.head(origin)));
    }
    if (url.pathname.startsWith('/v1/')) {
      const body =
        req.method === 'GET' || req.method === 'HEAD' ? undefined : new Uint8Array(await readBody(req));
      const headers = Object.fromEntries(
        Object.entries(req.headers).filter(([k]) => !['host', 'connection', 'content-length'].includes(k)),
      ) as Record<string, string>;
      const answer = await fetch(`${collectorUrl}${req.url}`, { method: req.method, headers, body });
      const out: Record<string, string> = {};
      answer.headers.forEach((v, k) => {
        if (!['content-encoding', 'content-length', 'transfer-encoding', 'connection'].includes(k))
          out[k] = v;
      });
      return res.writeHead(answer.status, out).end(Buffer.from(await answer.arrayBuffer()));
    }
    if (/^\/(api|seg|ph)\//.test(url.pathname)) {
      await readBody(req);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      return;
    }
    // Scripts cache as a site's would (a later page reuses them): the peers' bundles, else Leadlight's files.
    const name = url.pathname.slice(1);
    for (const folder of name.startsWith('peers/') ? [dir] : FILES) {
      try {
        const body = readFileSync(join(folder, name));
        return res
          .writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'max-age=600' })
          .end(body);
      } catch {
        // the next folder
      }
    }
    res.writeHead(404).end();
    return;
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((e) => res.writeHead(502).end(String(e)));
  });
  await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
  return { origin, close: () => new Promise((done) => server.close(done)) };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function main() {
  if (!findChrome()) {
    console.warn('peer bench: SKIPPED — no Chromium at CHROME_PATH or /usr/bin/chromium');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'll-peers-'));
  await buildPeers(dir);
  let waiters: { prefix: string; done: () => void }[] = [];
  /** Resolves the waiters whose tracker's event request just arrived. */
  const seen = (path: string) => {
    const arrived = waiters.filter((w) => w.prefix && path.startsWith(w.prefix));
    waiters = waiters.filter((w) => !arrived.includes(w));
    for (const w of arrived) w.done();
  };
  const port = await freePort();
  const collector = await startCollector({
    config: {
      sites: [
        {
          siteKey: 'pk_bench',
          secretKey: 'sk_bench_secret_key',
          origins: [`http://127.0.0.1:${port}`],
          model: { version: 'b', rules: [], fit: [], mql: { total: 1 } },
          bots: 'score',
        },
      ],
    },
    dbPath: join(dir, 'bench.db'),
    port: 0,
  });
  const served = await serveSite(port, dir, collector.url, seen);
  const times: Record<string, Samples> = {};
  try {
    for (let run = 0; run < RUNS; run++) {
      for (const [index, tracker] of TRACKERS.entries()) {
        const browser = await launchBrowser();
        try {
          // Each page in a tab of its own whose script time starts at zero: a navigation may swap renderer
          // processes (the back-forward cache does), which resets Chromium's counters mid-tab. Closing the first
          // tab runs its pagehide work, as leaving for the later page would.
          const visit = async (path: string) => {
            const page = await browser.context.newPage();
            // The bytes it downloads, as `pnpm size` counts them: gzip -9 of every script the page fetched.
            const scripts: Promise<number>[] = [];
            page.on('response', (response) => {
              if (response.request().resourceType() === 'script')
                scripts.push(response.body().then((body) => gzipSync(body, { level: 9 }).length));
            });
            const cdp = await browser.context.newCDPSession(page);
            await cdp.send('Performance.enable');
            const stop = await traceScriptTime(cdp, served.origin);
            await open(page, `${served.origin}${path}?t=${index}`, tracker, (prefix, done) =>
              waiters.push({ prefix, done }),
            );
            const { metrics } = await cdp.send('Performance.getMetrics');
            const traced = await stop();
            const bytes = (await Promise.all(scripts)).reduce((sum, n) => sum + n, 0);
            await page.close({ runBeforeUnload: true });
            return {
              ms: 1000 * (metrics.find((m) => m.name === 'ScriptDuration')?.value ?? 0),
              cpu: traced.cpu,
              bytes,
            };
          };
          const first = await visit('/page-1.html');
          const later = await visit('/page-2.html');
          times[tracker.name] ??= { first: [], later: [], firstCpu: [], laterCpu: [], bytes: [] };
          const t = times[tracker.name]!;
          t.first.push(first.ms);
          t.later.push(later.ms);
          t.firstCpu.push(first.cpu);
          t.laterCpu.push(later.cpu);
          t.bytes.push(first.bytes);
        } finally {
          await browser.close();
        }
      }
    }
  } finally {
    await served.close();
    await collector.close();
    rmSync(dir, { recursive: true, force: true });
  }
  print(times);
}

/** Navigates and waits until the tracker's first event request arrived, the network is quiet, and SETTLE_MS more. */
async function open(
  page: Page,
  url: string,
  tracker: Tracker,
  wait: (prefix: string, done: () => void) => void,
): Promise<void> {
  const sent = tracker.sends
    ? new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${tracker.name} sent nothing from ${url}`)), 20_000);
        wait(tracker.sends, () => {
          clearTimeout(timer);
          resolve();
        });
      })
    : Promise.resolve();
  await page.goto(url, { waitUntil: 'load' });
  await sent;
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(SETTLE_MS);
}

/** Per tracker, per run: ScriptDuration (wall) and the trace's thread time of script work, each visit. */
type Samples = Record<'first' | 'later' | 'firstCpu' | 'laterCpu' | 'bytes', number[]>;

function print(times: Record<string, Samples>) {
  const m = (name: string, key: keyof Samples) => median(times[name]![key]);
  const [plausible, segment] = [TRACKERS[3]!.name, TRACKERS[4]!.name];
  const ratio = (name: string, peer: string) =>
    (['first', 'later', 'firstCpu', 'laterCpu'] as const).map((k) => (m(name, k) / m(peer, k)).toFixed(2));
  const rows: Record<string, Record<string, string>> = {};
  for (const { name } of TRACKERS) {
    const t = times[name]!;
    const range = (xs: number[]) => `${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}`;
    const [pf, pl, pfc, plc] = ratio(name, plausible);
    const [sf, sl, sfc, slc] = ratio(name, segment);
    rows[name] = {
      'scripts (gzip B)': m(name, 'bytes').toFixed(0),
      'first visit ms': `${m(name, 'first').toFixed(1)} (${range(t.first)})`,
      'later page ms': `${m(name, 'later').toFixed(1)} (${range(t.later)})`,
      'first CPU ms': m(name, 'firstCpu').toFixed(1),
      'later CPU ms': m(name, 'laterCpu').toFixed(1),
      '× Plausible': `${pf} / ${pl} (CPU ${pfc} / ${plc})`,
      '× Segment': `${sf} / ${sl} (CPU ${sfc} / ${slc})`,
    };
  }
  console.log(
    `\nMain-thread script time on a page with 1,000 links and 20 forms, first visit / later page (Chromium: ScriptDuration, medians of ${RUNS} runs with their range; CPU = the trace's thread time of script work)`,
  );
  console.table(rows);
}

await main();
