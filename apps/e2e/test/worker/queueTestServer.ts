// A test origin for the browser suites: serves the harness page and the built worker files, and proxies
// /v1/* to a real collector with scripted faults (500s, 429s, answers lost after the collector stored).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RunningCollector, startCollector } from '@leadlight/collector';
import { versionedNames } from '@leadlight/devtools/versionedChunks';
import type { TrackedEvent } from '@leadlight/scoring-core';
import nodeResolve from '@rollup/plugin-node-resolve';
import typescript from '@rollup/plugin-typescript';
import { rollup } from 'rollup';
import { WORKER_DIST } from '../builtFiles.js';

const here = dirname(fileURLToPath(import.meta.url));
const dist = WORKER_DIST;
const harnessDir = join(here, '.harness');

/** What the proxy does with one batch request. */
export type Fault =
  /** Answers with `status`; with `mode`, only requests of that fetch mode (`no-cors`: beacons) take it. */
  | { status: number; headers?: Record<string, string>; mode?: 'cors' | 'no-cors' }
  /** Forwards to the collector, then cuts the connection: stored, but the browser never hears it. */
  | 'lost'
  /** Cuts the connection without forwarding: a network error for the browser. */
  | 'drop'
  /** Holds the request until `release()`; then forwards it. */
  | { hold: Promise<void> };

export const MODEL = {
  version: 'worker-test',
  halfLifeDays: 30,
  rules: [
    { id: 'pricing', event: 'page_view', match: { path: '/pricing*' }, points: 10, max: 3 },
    { id: 'form', event: 'form_submit', points: 20 },
  ],
  fit: [],
  mql: { total: 50 },
};

let harnessBuild: Promise<string> | undefined;
/** Bundles harness.ts with the worker's built client (dist/index.js, as a site's bundler gets it) once per process. */
export function buildHarness(): Promise<string> {
  harnessBuild ??= (async () => {
    const bundle = await rollup({
      input: join(here, 'harness.ts'),
      plugins: [
        nodeResolve({ exportConditions: ['import', 'default'], browser: true }),
        typescript({
          tsconfig: join(here, '..', '..', 'tsconfig.json'),
          include: [join(here, 'harness.ts')],
          compilerOptions: { noEmit: false, declaration: false, outDir: harnessDir },
        }),
      ],
      onwarn: () => {},
    });
    mkdirSync(harnessDir, { recursive: true });
    const { output } = await bundle.generate({ format: 'iife', plugins: [versionedNames({ dir: dist })] });
    await bundle.close();
    return output[0].code;
  })();
  return harnessBuild;
}

export interface QueueTestServer {
  url: string;
  collector: RunningCollector;
  /** Faults applied to the next batch requests, in order. */
  faults: Fault[];
  /** Every batch request the proxy saw: what it did and how many events the body carried. */
  batches: { fault: string; events: number; dropped?: number; at: number; bytes: number; mode?: string }[];
  /** Bumps the service worker script's bytes, so `registration.update()` installs a new version. */
  bumpWorker(): void;
  /** Event ids the collector stored for an anonymous id (each stored row once, oldest first). */
  storedIds(anonymousId: string): Promise<string[]>;
  close(): Promise<void>;
}

const readBody = (req: IncomingMessage) =>
  new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });

/** Starts the proxy origin and a real collector (SQLite in a temp folder) behind it. */
export async function startQueueTestServer(): Promise<QueueTestServer> {
  const harness = await buildHarness();
  const tmp = mkdtempSync(join(tmpdir(), 'll-worker-'));
  let collector: RunningCollector | undefined;
  let swVersion = 1;
  const faults: Fault[] = [];
  const batches: QueueTestServer['batches'] = [];

  const forward = async (req: IncomingMessage, body: Buffer) => {
    const headers: Record<string, string> = {};
    for (const name of ['origin', 'content-type', 'if-none-match', 'user-agent']) {
      const value = req.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    return fetch(`${collector!.url}${req.url}`, {
      method: req.method,
      headers,
      body: req.method === 'GET' || req.method === 'HEAD' ? undefined : new Uint8Array(body),
    });
  };
  const relay = async (res: ServerResponse, upstream: Response) => {
    const headers: Record<string, string> = {};
    upstream.headers.forEach((value, name) => {
      if (!['content-length', 'transfer-encoding', 'connection', 'content-encoding'].includes(name))
        headers[name] = value;
    });
    res.writeHead(upstream.status, headers);
    res.end(Buffer.from(await upstream.arrayBuffer()));
  };

  const server = createServer(async (req, res) => {
    try {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      if (path === '/page.html' || path === '/') {
        // Cross-origin isolation gives performance.now() 5 µs resolution (the bench times single calls).
        res.writeHead(200, {
          'content-type': 'text/html',
          'cross-origin-opener-policy': 'same-origin',
          'cross-origin-embedder-policy': 'require-corp',
        });
        res.end('<!doctype html><title>queue test</title><script src="/harness.js"></script>');
      } else if (path === '/harness.js') {
        res.writeHead(200, { 'content-type': 'text/javascript' });
        res.end(harness);
      } else if (/^\/leadlight[\w.-]*\.js$/.test(path) && existsSync(join(dist, path.slice(1)))) {
        let code = readFileSync(join(dist, path.slice(1)), 'utf8');
        if (path === '/leadlight-sw.js') code += `\n// version ${swVersion}\n`;
        res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-cache' });
        res.end(code);
      } else if (path.startsWith('/v1/')) {
        const body = await readBody(req);
        if (req.method === 'POST' && path === '/v1/batch') {
          const parsed = JSON.parse(body.toString('utf8')) as { events: TrackedEvent[]; dropped?: number };
          const mode = req.headers['sec-fetch-mode'] as string | undefined;
          const next = faults.findIndex((f) => typeof f !== 'object' || !('mode' in f) || f.mode === mode);
          const fault = next < 0 ? undefined : faults.splice(next, 1)[0];
          const record = {
            fault: 'pass',
            events: parsed.events.length,
            dropped: parsed.dropped,
            at: Date.now(),
            bytes: body.length,
            // sendBeacon requests travel as no-cors; the queue's own fetches as cors.
            mode,
          };
          batches.push(record);
          if (fault === 'drop') {
            record.fault = 'drop';
            req.socket.destroy();
            return;
          }
          if (fault && fault !== 'lost' && 'status' in fault) {
            record.fault = String(fault.status);
            res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers });
            res.end(JSON.stringify({ error: { code: 'test_fault', message: 'scripted by the test' } }));
            return;
          }
          if (fault && typeof fault === 'object' && 'hold' in fault) {
            record.fault = 'hold';
            await fault.hold;
          }
          const upstream = await forward(req, body);
          if (fault === 'lost') {
            record.fault = 'lost';
            await upstream.arrayBuffer();
            req.socket.destroy();
            return;
          }
          await relay(res, upstream);
          return;
        }
        await relay(res, await forward(req, body));
      } else {
        res.writeHead(404).end();
      }
    } catch (error) {
      if (!res.headersSent) res.writeHead(502).end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  collector = await startCollector({
    config: {
      sites: [
        { siteKey: 'pk_test', secretKey: 'sk_test_secret_0123', origins: [url], model: MODEL, bots: 'score' },
      ],
    },
    dbPath: join(tmp, 'collector.db'),
  });
  const running = collector;
  return {
    url,
    collector: running,
    faults,
    batches,
    bumpWorker: () => {
      swVersion++;
    },
    async storedIds(anonymousId) {
      const contact = await running.storage.contactByAnonymousId('pk_test', anonymousId);
      if (!contact) return [];
      const ids: string[] = [];
      let after: { ts: number; id: string } | undefined;
      for (;;) {
        const page = await running.storage.listEvents(contact.id, { limit: 1000, after });
        for (const record of page) ids.push(record.event.id);
        const last = page.at(-1);
        if (page.length < 1000 || !last) return ids;
        after = { ts: last.event.ts, id: last.event.id };
      }
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await running.close();
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}
