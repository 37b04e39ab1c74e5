import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TrackedEvent } from '@leadlight/scoring-core';

/** The scoring model the collector tests run with (DESIGN.md §3 example). */
export const MODEL = {
  version: 'test-1',
  halfLifeDays: 30,
  rules: [
    { id: 'pricing', event: 'page_view', match: { path: '/pricing*' }, points: 10, max: 3 },
    { id: 'whitepaper', event: 'download', match: { ext: ['pdf'] }, points: 5 },
    { id: 'demo-cta', event: 'cta_click', match: { cta: 'demo' }, points: 30 },
  ],
  fit: [
    { id: 'big-company', trait: 'companySize', gte: 200, points: 15 },
    { id: 'buyer-role', trait: 'role', in: ['vp', 'director'], points: 10 },
  ],
  mql: { total: 50, fit: 10 },
};

export const ORIGIN = 'http://shop.test:8080';

// The `postgres` test project runs these suites again on PostgreSQL: `testStorage(dbPath)` picks the storage.
export { testStorage } from './postgresDatabase.js';

/** A two-site config; site B exists to prove nothing crosses between sites. */
export function makeConfig(overrides: Record<string, unknown> = {}) {
  return {
    sites: [
      {
        siteKey: 'pk_a',
        secretKey: 'sk_a_secret_0123456',
        origins: [ORIGIN],
        model: MODEL,
        bots: 'ignore',
        ...overrides,
      },
      {
        siteKey: 'pk_b',
        secretKey: 'sk_b_secret_0123456',
        origins: ['https://b.test'],
        model: MODEL,
        bots: 'score',
      },
    ],
  };
}

/** A fresh temporary folder, removed by the returned function. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'll-collector-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

let seq = 0;
/** A time-ordered unique event id (UUID v7 shape is not required by the wire check). */
export function eventId(): string {
  seq += 1;
  return `${Date.now().toString(16).padStart(12, '0')}-${seq.toString(16).padStart(6, '0')}-${randomUUID().slice(0, 8)}`;
}

/** Builds a wire event. */
export function ev(partial: Partial<TrackedEvent> & { anonymousId: string }): TrackedEvent {
  return { id: eventId(), type: 'page_view', ts: Date.now() - 1000, path: '/', ...partial } as TrackedEvent;
}

export const BROWSER_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

/** POSTs a JSON body with a real browser user agent. */
export async function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': BROWSER_UA, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** Sends a batch to site A. */
export function sendBatch(
  base: string,
  events: unknown[],
  extra: Record<string, unknown> = {},
  headers = {},
) {
  return postJson(`${base}/v1/batch`, { siteKey: 'pk_a', sentAt: Date.now(), events, ...extra }, headers);
}

/** GET with the site's secret key. */
export function getSecret(url: string, secret = 'sk_a_secret_0123456'): Promise<Response> {
  return fetch(url, { headers: { authorization: `Bearer ${secret}` } });
}

/** The contact id that owns an anonymous id, through the secret API (browser answers never carry it). */
export async function contactIdOf(
  base: string,
  anonymousId: string,
  secret = 'sk_a_secret_0123456',
): Promise<string> {
  const res = await getSecret(`${base}/v1/visitors/${encodeURIComponent(anonymousId)}`, secret);
  if (res.status !== 200) throw new Error(`no contact owns ${anonymousId} (${res.status})`);
  return ((await res.json()) as { id: string }).id;
}

export type { BatchAnswer, ContactDetail, ErrorAnswer, Page } from '@leadlight/scoring-core/wire';

/** Reads a JSON answer as the given shape. */
export async function readJson<T>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

/** One webhook delivery as the receiver accepted it. */
export interface Delivery {
  /** The `leadlight-event` header. */
  type: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A local webhook receiver on 127.0.0.1 that answers `status()` (200 by default) and keeps what it accepted. */
export async function startWebhookReceiver(status: () => number = () => 200) {
  const deliveries: Delivery[] = [];
  const hits = { count: 0 };
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      hits.count += 1;
      const code = status();
      if (code === 200)
        deliveries.push({ type: String(req.headers['leadlight-event']), headers: req.headers, body });
      res.writeHead(code).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    deliveries,
    hits,
    /** The parsed bodies of the deliveries of one event type. */
    payloads: (type: string) => deliveries.filter((d) => d.type === type).map((d) => JSON.parse(d.body)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
