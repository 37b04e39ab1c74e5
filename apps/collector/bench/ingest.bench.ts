import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon, { type Request } from 'autocannon';
import Database from 'better-sqlite3';

const EVENTS_PER_BATCH = 20;
const DURATION_S = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const VISITORS = 2000;
const PATHS = ['/', '/pricing', '/features', '/blog/lead-scoring', '/careers', '/docs/getting-started'];

/** Starts a server script in its own Node process and resolves with its URL. */
function spawnServer(script: string, args: string[] = []): Promise<{ url: string; child: ChildProcess }> {
  const file = fileURLToPath(new URL(script, import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', file, ...args], {
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    });
    child.stdout?.on('data', (d: Buffer) => {
      const match = /listening on (\S+)/.exec(d.toString());
      if (match) resolve({ url: match[1] as string, child });
    });
    child.on('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

let sequence = 0;
const runId = Date.now().toString(16);

// The 20 events of a batch differ only in id, time and visitor: build each body from string pieces, so the
// load generator (which shares the machine) spends little time per request.
const EVENT_TAILS = Array.from({ length: EVENTS_PER_BATCH }, (_, i) => {
  const path = PATHS[i % PATHS.length] as string;
  const download = i % 7 === 6;
  return `,"type":"${download ? 'download' : 'page_view'}","url":"https://shop.example${path}?utm_source=google&utm_medium=cpc","path":"${path}","title":"Acme — lead scoring for marketing teams","referrer":"https://www.google.com/","props":${download ? '{"ext":"pdf","file":"whitepaper.pdf"}' : '{"utm_source":"google","utm_medium":"cpc"}'}`;
});

/** A batch of 20 realistic events for one visitor, each with a unique, time-ordered id. */
function makeBody(): string {
  const visitor = Math.floor(Math.random() * VISITORS);
  const now = Date.now();
  let body = `{"siteKey":"pk_bench","sentAt":${now},"events":[`;
  for (let i = 0; i < EVENTS_PER_BATCH; i += 1) {
    sequence += 1;
    body += `${i === 0 ? '' : ','}{"id":"${runId}-${sequence.toString(16).padStart(10, '0')}","ts":${now - (EVENTS_PER_BATCH - i) * 50},"anonymousId":"visitor-${visitor}","sessionId":"session-${visitor}"${EVENT_TAILS[i]}}`;
  }
  return `${body}]}`;
}

/** Asks a server process for its CPU time so far (user + system, µs). */
function cpuOf(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    child.once('message', (usage) => {
      const { user, system } = usage as NodeJS.CpuUsage;
      resolve(user + system);
    });
    child.send('cpu');
  });
}

interface Row {
  server: string;
  /** Server CPU time per acknowledged batch: a figure that other load on the machine disturbs less. */
  cpuPerBatchUs: number;
  requests: number;
  errors: number;
  eventsPerSec: number;
  p50: number;
  p99: number;
}

async function load(name: string, url: string, child: ChildProcess): Promise<Row> {
  const path = name === 'bare' ? '/' : '/v1/batch';
  // A short warm-up lets V8 optimize both servers before the measured run.
  await autocannon({
    url: `${url}${path}`,
    connections: 4,
    amount: 300,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    requests: [{ method: 'POST', setupRequest: (req: Request) => ({ ...req, body: makeBody() }) }],
  });
  const cpuBefore = await cpuOf(child);
  const result = await autocannon({
    url: `${url}${path}`,
    connections: CONNECTIONS,
    duration: DURATION_S,
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'user-agent':
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
    },
    requests: [{ method: 'POST', setupRequest: (req: Request) => ({ ...req, body: makeBody() }) }],
  });
  const ok = result['2xx'];
  const cpu = (await cpuOf(child)) - cpuBefore;
  return {
    server: name,
    cpuPerBatchUs: ok === 0 ? 0 : cpu / ok,
    requests: ok,
    errors: result.non2xx + result.errors + result.timeouts,
    eventsPerSec: (ok * EVENTS_PER_BATCH) / (result.duration || DURATION_S),
    p50: result.latency.p50,
    p99: result.latency.p99,
  };
}

const loadBefore = loadavg()[0] ?? 0;
const dir = mkdtempSync(join(tmpdir(), 'll-bench-'));
const children: ChildProcess[] = [];
try {
  const bare = await spawnServer('./bareServer.ts');
  children.push(bare.child);
  const bareRow = await load('bare', bare.url, bare.child);
  bare.child.kill('SIGTERM');

  const rows: Row[] = [bareRow];
  let stored = 0;
  for (const mode of ['group-commit', 'one-commit']) {
    const dbPath = join(dir, `${mode}.db`);
    const collector = await spawnServer('./collectorServer.ts', [dbPath, mode]);
    children.push(collector.child);
    rows.push(
      await load(
        mode === 'group-commit' ? 'collector (default: group commit)' : 'collector (one commit per batch)',
        collector.url,
        collector.child,
      ),
    );
    collector.child.kill('SIGTERM');
    await new Promise((resolve) => collector.child.once('exit', resolve));
    // Count what really reached the database, not what the load generator believes.
    const db = new Database(dbPath, { readonly: true });
    stored += db.prepare('SELECT COUNT(*) FROM events').pluck().get() as number;
    db.close();
  }

  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  const lines = [
    `ingest bench: ${CONNECTIONS} connections, ${DURATION_S} s per server, ${EVENTS_PER_BATCH} events per batch, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}`,
    '',
    '| server | batches ok | errors | events/s | ratio to bare | p50 ms | p99 ms | server CPU µs/batch | events/s per busy core |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const row of rows) {
    lines.push(
      `| ${row.server} | ${fmt(row.requests)} | ${row.errors} | ${fmt(row.eventsPerSec)} | ${(row.eventsPerSec / bareRow.eventsPerSec).toFixed(2)} | ${row.p50} | ${row.p99} | ${fmt(row.cpuPerBatchUs)} | ${fmt((EVENTS_PER_BATCH * 1e6) / row.cpuPerBatchUs)} |`,
    );
  }
  lines.push('');
  // Other work on the machine skews both servers; say how busy it was.
  lines.push(
    `machine load average (1 min) before/after: ${loadBefore.toFixed(2)} / ${(loadavg()[0] ?? 0).toFixed(2)} on ${cpus().length} cores`,
  );
  const claimed = rows.slice(1).reduce((sum, row) => sum + row.requests * EVENTS_PER_BATCH, 0);
  lines.push(
    `events counted in SQLite afterwards: ${fmt(stored)} (acknowledged in the measured runs: ${fmt(claimed)}, plus warm-up)`,
  );
  lines.push('targets: ≥ 50,000 events/s stored and ≥ 0.50 × bare (by the default configuration)');
  const best = rows[1] as Row;
  const meets = best.eventsPerSec >= 50_000 && best.eventsPerSec / bareRow.eventsPerSec >= 0.5;
  lines.push(meets ? 'targets met' : 'targets NOT met (see README: what limits it)');
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}
