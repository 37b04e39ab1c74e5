import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon, { type Request } from 'autocannon';
import Database from 'better-sqlite3';
import pg from 'pg';
import { postgresUnavailableReason, startPostgresServer } from '../test/postgresCluster.js';

// Scale-out bench: 1, 2 and 4 collector processes on one PostgreSQL database next to 1 on SQLite,
// loaded by the same autocannon run shape (its connections spread round-robin over the processes).
const EVENTS_PER_BATCH = 20;
const DURATION_S = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const POOL_SIZE = process.env.LEADLIGHT_PG_POOL_SIZE ?? '8';
const VISITORS = 2000;
const PATHS = ['/', '/pricing', '/features', '/blog/lead-scoring', '/careers', '/docs/getting-started'];
const CLI = fileURLToPath(new URL('../src/cli.ts', import.meta.url));

const CONFIG = {
  sites: [
    {
      siteKey: 'pk_scale',
      secretKey: 'sk_scale_secret_0123',
      origins: ['http://127.0.0.1:8787'],
      rateLimit: { perMinute: 1_000_000_000, burst: 1_000_000_000 },
      model: {
        version: 'scale',
        halfLifeDays: 30,
        rules: [
          { id: 'pricing', event: 'page_view', match: { path: '/pricing*' }, points: 10, max: 3 },
          { id: 'whitepaper', event: 'download', match: { ext: ['pdf'] }, points: 5 },
          { id: 'careers', event: 'page_view', match: { path: '/careers*' }, points: -10, max: 1 },
        ],
        fit: [{ id: 'big-company', trait: 'companySize', gte: 200, points: 15 }],
        mql: { total: 50, fit: 10 },
      },
    },
  ],
};

let sequence = 0;
const runId = Date.now().toString(16);

/** A batch of 20 events for one of 2000 visitors, each with a unique, time-ordered id. */
function makeBody(): string {
  const visitor = Math.floor(Math.random() * VISITORS);
  const now = Date.now();
  const events = [];
  for (let i = 0; i < EVENTS_PER_BATCH; i += 1) {
    sequence += 1;
    const path = PATHS[(sequence + i) % PATHS.length] as string;
    events.push({
      id: `${runId}-${sequence.toString(16).padStart(10, '0')}`,
      type: i % 7 === 6 ? 'download' : 'page_view',
      ts: now - (EVENTS_PER_BATCH - i) * 50,
      anonymousId: `visitor-${visitor}`,
      sessionId: `session-${visitor}`,
      url: `https://shop.example${path}?utm_source=google&utm_medium=cpc`,
      path,
      referrer: 'https://www.google.com/',
      props:
        i % 7 === 6 ? { ext: 'pdf', file: 'whitepaper.pdf' } : { utm_source: 'google', utm_medium: 'cpc' },
    });
  }
  return JSON.stringify({ siteKey: 'pk_scale', sentAt: now, events });
}

/** Starts one collector CLI process and resolves with its URL. */
function spawnCollector(
  args: string[],
  env: Record<string, string>,
): Promise<{ url: string; child: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', CLI, ...args], {
      env: { ...process.env, LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) resolve({ url: match[1] as string, child });
    });
    child.on('exit', (code) => reject(new Error(`collector exited with ${code}: ${out}`)));
  });
}

const TICK_MS = 1000 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim() || 100);

/** CPU time (user + system) a process has used so far, in ms, with its parent pid; null once it is gone. */
function procCpu(pid: number): { ms: number; ppid: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { ms: (Number(f[11]) + Number(f[12])) * TICK_MS, ppid: Number(f[1]) };
  } catch {
    return null;
  }
}

/** CPU ms of the PostgreSQL postmaster and every backend it forked (pid → ms). */
function postgresCpu(postmaster: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const cpu = procCpu(pid);
    if (cpu && (pid === postmaster || cpu.ppid === postmaster)) out.set(pid, cpu.ms);
  }
  return out;
}

/** CPU spent by the collectors, PostgreSQL and the load generator during `fn` (PostgreSQL 0 when absent). */
async function measureCpu<T>(collectors: ChildProcess[], postmaster: number | null, fn: () => Promise<T>) {
  const before = collectors.map((c) => procCpu(c.pid as number)?.ms ?? 0);
  const pgBefore = postmaster === null ? new Map<number, number>() : postgresCpu(postmaster);
  const self = process.cpuUsage();
  const result = await fn();
  const selfUsed = process.cpuUsage(self);
  const collectorMs = collectors.reduce(
    (sum, c, i) => sum + ((procCpu(c.pid as number)?.ms ?? 0) - (before[i] ?? 0)),
    0,
  );
  let postgresMs = 0;
  if (postmaster !== null)
    for (const [pid, ms] of postgresCpu(postmaster)) postgresMs += ms - (pgBefore.get(pid) ?? 0);
  return { result, collectorMs, postgresMs, loadMs: (selfUsed.user + selfUsed.system) / 1000 };
}

interface Row {
  storage: string;
  processes: number;
  batches: number;
  errors: number;
  eventsPerSec: number;
  p50: number;
  p99: number;
  stored: number;
  /** CPU ms per acknowledged batch: collector processes, PostgreSQL server, load generator. */
  collectorCpu: number;
  postgresCpu: number;
  loadCpu: number;
}

async function load(
  urls: string[],
  collectors: ChildProcess[],
  postmaster: number | null,
): Promise<Omit<Row, 'storage' | 'processes' | 'stored'>> {
  const options = {
    // Several URLs: autocannon spreads its connections over them round-robin (like a load balancer).
    url: urls.map((u) => `${u}/v1/batch`) as unknown as string,
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'user-agent':
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
    },
    requests: [{ method: 'POST', setupRequest: (req: Request) => ({ ...req, body: makeBody() }) }],
  };
  // Warm-up: V8 optimizes every process and the pools open their connections before the measured run.
  await autocannon({ ...options, connections: Math.max(4, urls.length), amount: 150 * urls.length });
  const cpu = await measureCpu(collectors, postmaster, () =>
    autocannon({ ...options, connections: CONNECTIONS, duration: DURATION_S }),
  );
  const result = cpu.result;
  const ok = result['2xx'];
  return {
    collectorCpu: cpu.collectorMs / Math.max(ok, 1),
    postgresCpu: cpu.postgresMs / Math.max(ok, 1),
    loadCpu: cpu.loadMs / Math.max(ok, 1),
    batches: ok,
    errors: result.non2xx + result.errors + result.timeouts,
    eventsPerSec: (ok * EVENTS_PER_BATCH) / (result.duration || DURATION_S),
    p50: result.latency.p50,
    p99: result.latency.p99,
  };
}

async function stopAll(children: ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map((child) =>
      child.exitCode !== null || child.signalCode !== null
        ? undefined
        : new Promise((resolve) => {
            child.once('exit', resolve);
            child.kill('SIGTERM');
          }),
    ),
  );
}

const dir = mkdtempSync(join(tmpdir(), 'll-scale-'));
const configPath = join(dir, 'leadlight.config.json');
writeFileSync(configPath, JSON.stringify(CONFIG));
const children: ChildProcess[] = [];
const rows: Row[] = [];
let server: Awaited<ReturnType<typeof startPostgresServer>> | undefined;
let bytesPerEvent = 0;
try {
  // Baseline: one collector on SQLite, same load.
  const dbPath = join(dir, 'scale.db');
  const sqlite = await spawnCollector(
    ['--host', '127.0.0.1', '--port', '0', '--db', dbPath, '--config', configPath],
    {},
  );
  children.push(sqlite.child);
  const sqliteRow = await load([sqlite.url], [sqlite.child], null);
  await stopAll([sqlite.child]);
  const db = new Database(dbPath, { readonly: true });
  rows.push({
    storage: 'SQLite',
    processes: 1,
    ...sqliteRow,
    stored: db.prepare('SELECT COUNT(*) FROM events').pluck().get() as number,
  });
  db.close();

  const missing = postgresUnavailableReason();
  if (missing) {
    process.stdout.write(`\n!!! scale-out bench: PostgreSQL rows SKIPPED: ${missing}\n\n`);
  } else {
    server = await startPostgresServer({ durable: true });
    const postmaster = Number(
      readFileSync(join(server.dataDir as string, 'postmaster.pid'), 'utf8').split('\n')[0],
    );
    const admin = new pg.Client(server.url);
    await admin.connect();
    try {
      // Collectors next to their database reach it through its Unix socket; one TCP row shows the difference.
      const socketDir = dirname(server.dataDir as string);
      const port = new URL(server.url).port;
      const plans: { n: number; via: 'socket' | 'tcp' }[] = [
        { n: 1, via: 'socket' },
        { n: 2, via: 'socket' },
        { n: 4, via: 'socket' },
        { n: 1, via: 'tcp' },
      ];
      for (const { n, via } of plans) {
        const name = `scale_${runId}_${n}_${via}`;
        await admin.query(`CREATE DATABASE "${name}"`);
        const url =
          via === 'tcp'
            ? new URL(server.url)
            : new URL(`postgres://postgres@localhost:${port}/?host=${encodeURIComponent(socketDir)}`);
        url.pathname = `/${name}`;
        const procs = await Promise.all(
          Array.from({ length: n }, () =>
            spawnCollector(['--host', '127.0.0.1', '--port', '0', '--config', configPath], {
              DATABASE_URL: url.toString(),
              LEADLIGHT_PG_POOL_SIZE: POOL_SIZE,
            }),
          ),
        );
        children.push(...procs.map((p) => p.child));
        const row = await load(
          procs.map((p) => p.url),
          procs.map((p) => p.child),
          postmaster,
        );
        await stopAll(procs.map((p) => p.child));
        const client = new pg.Client(url.toString());
        await client.connect();
        const stored = Number((await client.query('SELECT count(*) AS n FROM events')).rows[0].n);
        const bytes = Number((await client.query("SELECT pg_total_relation_size('events') AS n")).rows[0].n);
        bytesPerEvent = Math.max(bytesPerEvent, bytes / Math.max(stored, 1));
        await client.end();
        rows.push({
          storage: `PostgreSQL (${via === 'tcp' ? 'TCP 127.0.0.1' : 'Unix socket'})`,
          processes: n,
          ...row,
          stored,
        });
      }
    } finally {
      await admin.end();
    }
  }

  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  const base = rows[0] as Row;
  const lines = [
    '',
    `scale-out bench: ${CONNECTIONS} connections spread over the processes, ${DURATION_S} s each, ${EVENTS_PER_BATCH} events per batch, PostgreSQL pool ${POOL_SIZE} per process, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}`,
    '',
    '| storage | collector processes | batches ok | errors | events/s | ratio to SQLite × 1 | p50 ms | p99 ms | events stored | CPU ms/batch: collectors | PostgreSQL | load generator |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const row of rows) {
    lines.push(
      `| ${row.storage} | ${row.processes} | ${fmt(row.batches)} | ${row.errors} | ${fmt(row.eventsPerSec)} | ${(row.eventsPerSec / base.eventsPerSec).toFixed(2)} | ${row.p50} | ${row.p99} | ${fmt(row.stored)} | ${row.collectorCpu.toFixed(2)} | ${row.postgresCpu.toFixed(2)} | ${row.loadCpu.toFixed(2)} |`,
    );
  }
  lines.push('');
  lines.push(
    'events stored = counted in the database afterwards (measured run + warm-up); the load generator shares the cores.',
  );
  if (bytesPerEvent > 0)
    lines.push(`PostgreSQL disk per stored event (table + indexes + TOAST): ${fmt(bytesPerEvent)} bytes`);
  // CPU per batch does not depend on how busy the shared machine is: it predicts capacity elsewhere.
  const pgRows = rows.filter((r) => r.storage.startsWith('PostgreSQL'));
  if (pgRows.length > 0) {
    const c = Math.min(...pgRows.map((r) => r.collectorCpu));
    const p = Math.min(...pgRows.map((r) => r.postgresCpu));
    lines.push(
      `capacity per dedicated core (from CPU ms/batch): a collector process ≈ ${fmt((1000 / c) * EVENTS_PER_BATCH)} events/s, the PostgreSQL server ≈ ${fmt((1000 / p) * EVENTS_PER_BATCH)} events/s`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
}
