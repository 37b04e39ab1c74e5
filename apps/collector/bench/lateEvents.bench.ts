import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startCollector } from '../src/index.js';
import { postgresUnavailableReason, startPostgresServer } from '../test/postgresCluster.js';

// What one late event costs next to an in-order one, on a contact with a long history: the median of
// 30 one-event batches each way. Late events fall before every counted event of the capped rule, so
// each one changes the cap's counted set. Target: late ≤ 3× in-order, on SQLite and PostgreSQL.
const HISTORY = Number(process.env.BENCH_HISTORY ?? 20_000);
const SAMPLES = 30;
const MINUTE = 60_000;

const CONFIG = {
  sites: [
    {
      siteKey: 'pk_late',
      secretKey: 'sk_late_secret_0123456',
      origins: ['http://127.0.0.1'],
      rateLimit: { perMinute: 1_000_000_000, burst: 1_000_000_000 },
      model: {
        version: 'late',
        halfLifeDays: 30,
        rules: [
          { id: 'pricing', event: 'page_view', match: { path: '/pricing*' }, points: 10, max: 3 },
          { id: 'docs', event: 'page_view', match: { path: '/docs*' }, points: 1 },
          { id: 'whitepaper', event: 'download', match: { ext: ['pdf'] }, points: 5 },
        ],
        fit: [{ id: 'big-company', trait: 'companySize', gte: 200, points: 15 }],
        mql: { total: 50 },
      },
    },
  ],
};

let sequence = 0;
function event(ts: number, path: string) {
  sequence += 1;
  return {
    id: `${ts.toString(16)}-${sequence.toString(16).padStart(8, '0')}`,
    type: 'page_view',
    ts,
    anonymousId: 'busy',
    path,
  };
}

async function post(base: string, events: unknown[]): Promise<number> {
  const started = performance.now();
  const res = await fetch(`${base}/v1/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ siteKey: 'pk_late', events }),
  });
  if (res.status !== 200) throw new Error(`batch answered ${res.status}: ${await res.text()}`);
  await res.arrayBuffer();
  return performance.now() - started;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

async function measure(storage: { dbPath: string } | { databaseUrl: string }) {
  const collector = await startCollector({ config: CONFIG, ...storage, assetDirs: [], logger: false });
  try {
    const now = Date.now();
    const start = now - (HISTORY + 10) * MINUTE;
    const history = Array.from({ length: HISTORY }, (_, i) =>
      event(start + i * MINUTE, i % 3 === 0 ? '/pricing' : '/docs/a'),
    );
    for (let i = 0; i < history.length; i += 1000) await post(collector.url, history.slice(i, i + 1000));
    const inOrder: number[] = [];
    const late: number[] = [];
    // Alternate the two kinds so drift on a shared machine hits both alike.
    for (let i = 0; i < SAMPLES; i += 1) {
      inOrder.push(await post(collector.url, [event(now - (SAMPLES - i) * 1000, '/pricing')]));
      late.push(await post(collector.url, [event(start - (i + 1) * MINUTE, '/pricing')]));
    }
    return { inOrder: median(inOrder), late: median(late) };
  } finally {
    await collector.close();
  }
}

const rows: string[][] = [];
const dir = mkdtempSync(join(tmpdir(), 'll-late-'));
try {
  const sqlite = await measure({ dbPath: join(dir, 'late.db') });
  rows.push([
    'sqlite',
    sqlite.inOrder.toFixed(2),
    sqlite.late.toFixed(2),
    (sqlite.late / sqlite.inOrder).toFixed(2),
  ]);
  const missing = postgresUnavailableReason();
  if (missing) {
    process.stdout.write(`\n!!! late-event bench: PostgreSQL row SKIPPED: ${missing}\n\n`);
  } else {
    const server = await startPostgresServer();
    try {
      const admin = new pg.Client(server.url);
      await admin.connect();
      await admin.query('CREATE DATABASE late_bench');
      await admin.end();
      const url = new URL(server.url);
      url.pathname = '/late_bench';
      const postgres = await measure({ databaseUrl: url.toString() });
      rows.push([
        'postgresql',
        postgres.inOrder.toFixed(2),
        postgres.late.toFixed(2),
        (postgres.late / postgres.inOrder).toFixed(2),
      ]);
    } finally {
      await server.stop();
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.stdout.write(
  `\nlate-event cost on a ${HISTORY.toLocaleString('en')}-event contact (median of ${SAMPLES} one-event batches, ms; target late ≤ 3× in-order)\n`,
);
process.stdout.write(`${['storage', 'in-order', 'late', 'late ÷ in-order'].join('\t')}\n`);
for (const row of rows) process.stdout.write(`${row.join('\t')}\n`);
