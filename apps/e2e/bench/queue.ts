// pnpm bench: the worker queue's figures in real headless Chromium against a real collector on loopback.
// Each figure has a baseline measured in the same run (a ratio), so a slow machine does not bend it.
import { cpus } from 'node:os';
import type { TrackedEvent } from '@leadlight/scoring-core';
import type { Page } from 'playwright-core';
import { type ChromiumScenario, type HarnessWindow, startScenario } from '../test/worker/browserScenario.js';

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
};
const ms = (n: number) => `${n.toFixed(3)} ms`;
const rows: [string, string, string, string][] = [];
const row = (what: string, value: string, baseline: string, ratio: number) =>
  rows.push([what, value, baseline, `${ratio.toFixed(2)}×`]);
const harness = (page: Page) => page.evaluate.bind(page);

async function enqueueTiming(scenario: ChromiumScenario) {
  const page = await scenario.open('sw=1&anon=bench-enqueue&delay=200');
  const evaluate = harness(page);
  // Warm up both paths (JIT, localStorage's first write), then measure 10k calls each.
  await evaluate(() => (window as unknown as HarnessWindow).ll.bench.timeCalls(500, 'baseline'));
  await evaluate(() => (window as unknown as HarnessWindow).ll.bench.timeCalls(500, 'enqueue'));
  await evaluate(() => (window as unknown as HarnessWindow).ll.client.flush());
  const base = await evaluate(() =>
    (window as unknown as HarnessWindow).ll.bench.timeCalls(10_000, 'baseline'),
  );
  const longBefore = await evaluate(() => (window as unknown as HarnessWindow).ll.bench.longTasks.length);
  const times = await evaluate(() =>
    (window as unknown as HarnessWindow).ll.bench.timeCalls(10_000, 'enqueue'),
  );
  await evaluate(() => (window as unknown as HarnessWindow).ll.client.flush());
  const longTasks = await evaluate(
    (from) => (window as unknown as HarnessWindow).ll.bench.longTasks.slice(from as number),
    longBefore,
  );
  const isolated = await evaluate(() => crossOriginIsolated);
  row(
    'enqueue p50 (10k calls, 100 per task)',
    ms(quantile(times, 0.5)),
    ms(quantile(base, 0.5)),
    quantile(times, 0.5) / Math.max(quantile(base, 0.5), 0.005),
  );
  row(
    'enqueue p99 (10k calls)',
    ms(quantile(times, 0.99)),
    ms(quantile(base, 0.99)),
    quantile(times, 0.99) / Math.max(quantile(base, 0.99), 0.005),
  );
  row('enqueue max', ms(Math.max(...times)), ms(Math.max(...base)), Math.max(...times) / Math.max(...base));
  rows.push([
    'long tasks > 50 ms during the 10k enqueues',
    String(longTasks.length),
    '0',
    longTasks.length ? `max ${longTasks.map(Math.round).join(', ')} ms` : '—',
  ]);
  // As a page calls track(): one call per task (a click, a scroll handler).
  const baseOne = await evaluate(() =>
    (window as unknown as HarnessWindow).ll.bench.timeCalls(3_000, 'baseline', 1),
  );
  const one = await evaluate(() =>
    (window as unknown as HarnessWindow).ll.bench.timeCalls(3_000, 'enqueue', 1),
  );
  row(
    'enqueue p50, one call per task (3k)',
    ms(quantile(one, 0.5)),
    ms(quantile(baseOne, 0.5)),
    quantile(one, 0.5) / Math.max(quantile(baseOne, 0.5), 0.005),
  );
  row(
    'enqueue p99, one call per task',
    ms(quantile(one, 0.99)),
    ms(quantile(baseOne, 0.99)),
    quantile(one, 0.99) / Math.max(quantile(baseOne, 0.99), 0.005),
  );
  await page.close();
  return isolated;
}

async function crossTab(scenario: ChromiumScenario) {
  const a = await scenario.open('sw=1&anon=bench-tabs&delay=1000');
  const b = await scenario.open('sw=1&anon=bench-tabs&delay=1000');
  await a.evaluate(() => (window as unknown as HarnessWindow).ll.client.flush());
  const latencies: number[] = [];
  const pings: number[] = [];
  for (let i = 0; i < 30; i++) {
    const seen = await b.evaluate(() => (window as unknown as HarnessWindow).ll.bench.scoreTimes.length);
    const sentAt = await a.evaluate(() => {
      const ll = (window as unknown as HarnessWindow).ll;
      const t0 = ll.bench.clock();
      ll.track(1, 'form_submit');
      return t0;
    });
    await b.waitForFunction(
      (n) => (window as unknown as HarnessWindow).ll.bench.scoreTimes.length > (n as number),
      seen,
      { timeout: 10_000 },
    );
    latencies.push(
      (await b.evaluate(() => (window as unknown as HarnessWindow).ll.bench.scoreTimes.at(-1)!)) - sentAt,
    );
    const pinged = await b.evaluate(() => (window as unknown as HarnessWindow).ll.bench.pingTimes.length);
    const pingAt = await a.evaluate(() => {
      const ll = (window as unknown as HarnessWindow).ll;
      const t0 = ll.bench.clock();
      ll.bench.ping();
      return t0;
    });
    await b.waitForFunction(
      (n) => (window as unknown as HarnessWindow).ll.bench.pingTimes.length > (n as number),
      pinged,
    );
    pings.push(
      (await b.evaluate(() => (window as unknown as HarnessWindow).ll.bench.pingTimes.at(-1)!)) - pingAt,
    );
  }
  row(
    'track → onScore in another tab p50 (30×)',
    ms(quantile(latencies, 0.5)),
    ms(quantile(pings, 0.5)),
    quantile(latencies, 0.5) / quantile(pings, 0.5),
  );
  row(
    'track → onScore in another tab p99',
    ms(quantile(latencies, 0.99)),
    ms(quantile(pings, 0.99)),
    quantile(latencies, 0.99) / quantile(pings, 0.99),
  );
  await a.close();
  await b.close();
}

async function drain(scenario: ChromiumScenario, mode: 'sw' | 'page') {
  const anon = `bench-drain-${mode}`;
  // Straight to the collector (CORS), as a site does: no test proxy on the path.
  const endpoint = encodeURIComponent(scenario.server.collector.url);
  const page = await scenario.open(
    `${mode === 'sw' ? 'sw=1&' : ''}anon=${anon}&delay=100&endpoint=${endpoint}`,
  );
  await scenario.browser.context.setOffline(true);
  await page.evaluate(() => (window as unknown as HarnessWindow).ll.track(10_000, 'page_ping'));
  // Queued means in IndexedDB: wait until the queue counts all 10k before the clock starts.
  await page.evaluate(async () => {
    const client = (window as unknown as HarnessWindow).ll.client;
    while ((await client.stats()).pending < 10_000) await new Promise((resolve) => setTimeout(resolve, 100));
  });
  await scenario.browser.context.setOffline(false);
  const t0 = performance.now();
  const flushed = await page.evaluate(async () => {
    const client = (window as unknown as HarnessWindow).ll.client;
    for (;;) {
      const result = await client.flush();
      if (result.pending === 0) return result;
    }
  });
  const elapsed = performance.now() - t0;
  const stored = (await scenario.server.storedIds(anon)).length;
  if (stored !== 10_000 || flushed.pending !== 0)
    throw new Error(`drain: collector holds ${stored} of 10000`);
  // Baseline: the same 10k events POSTed from Node in the same batch sizes, no browser in between.
  const events: TrackedEvent[] = Array.from({ length: 10_000 }, (_, i) => ({
    id: `baseline-${mode}-${String(i).padStart(6, '0')}`,
    type: 'page_ping',
    ts: Date.now(),
    anonymousId: `baseline-${mode}`,
    path: '/bench',
    props: { n: i },
  }));
  const b0 = performance.now();
  for (let i = 0; i < events.length; i += 1000) {
    const response = await fetch(`${scenario.server.collector.url}/v1/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: scenario.server.url },
      body: JSON.stringify({ siteKey: 'pk_test', sentAt: Date.now(), events: events.slice(i, i + 1000) }),
    });
    if (!response.ok) throw new Error(`baseline batch: ${response.status}`);
  }
  const baseline = performance.now() - b0;
  row(
    `drain 10k queued events (${mode === 'sw' ? 'service worker' : 'in-page'})`,
    ms(elapsed),
    ms(baseline),
    elapsed / baseline,
  );
  await page.close();
}

const scenario = await startScenario();
try {
  const isolated = await enqueueTiming(scenario);
  await crossTab(scenario);
  await drain(scenario, 'sw');
  await drain(scenario, 'page');
  const version = scenario.browser.context.browser()?.version() ?? 'Chromium (persistent context)';
  console.log(
    `\n@leadlight/worker bench — ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${version}${isolated ? ', cross-origin isolated (5 µs timer)' : ''}\n`,
  );
  const header: [string, string, string, string] = ['figure', 'value', 'baseline', 'ratio'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const r of [header, widths.map((w) => '-'.repeat(w)) as typeof header, ...rows]) {
    console.log(`| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`);
  }
  console.log(
    '\nbaselines: a bare localStorage.setItem(JSON) per call; a raw BroadcastChannel message between the tabs; the same 10k events POSTed from Node in batches of 1000 (the default batch size).',
  );
} finally {
  await scenario.close();
}
