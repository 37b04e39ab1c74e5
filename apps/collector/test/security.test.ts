import { mkdirSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type RunningCollector, startCollector } from '../src/index.js';
import { makeConfig, sendBatch, tempDir } from './fixtures.js';

const RIGHT = 'sk_a_secret_0123456';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * One request from a chosen loopback address: the collector sees another client IP, with no
 * forwarded header involved.
 */
function send(
  url: string,
  options: { from?: string; method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method: options.method ?? 'GET',
        headers: options.headers,
        localAddress: options.from ?? '127.0.0.1',
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** `GET /v1/leads` with a bearer key, from an address, with extra headers. */
function bearer(base: string, key: string, from = '127.0.0.1', headers: Record<string, string> = {}) {
  return send(`${base}/v1/leads`, { from, headers: { authorization: `Bearer ${key}`, ...headers } });
}

/** `POST /v1/session` (dashboard sign-in). */
function signIn(base: string, key: string, from = '127.0.0.1', headers: Record<string, string> = {}) {
  return send(`${base}/v1/session`, {
    from,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ secretKey: key }),
  });
}

async function statuses(answers: Promise<Answer>[]): Promise<number[]> {
  const list: number[] = [];
  for (const answer of answers) list.push((await answer).status);
  return list;
}

let tmp: ReturnType<typeof tempDir>;
let running: RunningCollector[] = [];
let now = 0;

async function start(options: { trustProxy?: boolean; rateLimit?: unknown } = {}) {
  const collector = await startCollector({
    config: makeConfig(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
    dbPath: join(tmp.dir, `security-${running.length}.db`),
    assetDirs: [],
    staticDir: join(tmp.dir, 'site'),
    now: () => now,
    ...(options.trustProxy ? { trustProxy: true } : {}),
  });
  running.push(collector);
  return collector.url;
}

beforeAll(() => {
  tmp = tempDir();
  mkdirSync(join(tmp.dir, 'site', 'dashboard'), { recursive: true });
  writeFileSync(join(tmp.dir, 'site', 'index.html'), '<h1>home</h1>');
  writeFileSync(join(tmp.dir, 'site', 'dashboard', 'index.html'), '<h1>dashboard</h1>');
  writeFileSync(join(tmp.dir, 'site', 'dashboard', 'dashboard.js'), 'void 0;');
});
afterEach(async () => {
  await Promise.all(running.map((c) => c.close()));
  running = [];
});
afterAll(() => tmp.cleanup());

describe('wrong secret keys', () => {
  it('allow 10 tries per client IP; then every secret-key attempt from that IP is a 429 until it refills', async () => {
    now = Date.now();
    const base = await start();
    // Right keys never use up the allowance.
    expect(new Set(await statuses(Array.from({ length: 20 }, () => bearer(base, RIGHT))))).toEqual(
      new Set([200]),
    );
    const wrong = (i: number) => `sk_wrong_guess_${String(i).padStart(4, '0')}`;
    const tries = await statuses([
      ...[0, 1, 2, 3, 4].map((i) => bearer(base, wrong(i))),
      ...[5, 6, 7, 8, 9].map((i) => signIn(base, wrong(i))),
    ]);
    expect(tries).toEqual(Array(10).fill(401));

    const locked = await bearer(base, wrong(10));
    expect(locked.status).toBe(429);
    expect(locked.headers['retry-after']).toBe('6');
    expect(JSON.parse(locked.body)).toEqual({
      error: { code: 'rate_limited', message: 'too many wrong secret keys from 127.0.0.1: retry in 6 s' },
    });
    // The right key, by bearer or sign-in, from the same IP: refused too, so a late hit says nothing.
    expect((await bearer(base, RIGHT)).status).toBe(429);
    expect((await signIn(base, RIGHT)).status).toBe(429);
    // Other clients are not locked out.
    expect((await bearer(base, RIGHT, '127.0.0.2')).status).toBe(200);
    expect((await signIn(base, RIGHT, '127.0.0.2')).status).toBe(200);
    expect((await bearer(base, wrong(11), '127.0.0.2')).status).toBe(401);

    // One try comes back every 6 s; a right key does not spend it.
    now += 6000;
    expect(await statuses([bearer(base, RIGHT), bearer(base, RIGHT), bearer(base, wrong(12))])).toEqual([
      200, 200, 401,
    ]);
    expect((await bearer(base, wrong(13))).status).toBe(429);
    now += 60_000;
    expect((await bearer(base, RIGHT)).status).toBe(200);
  });

  it('ignore X-Forwarded-For without --trust-proxy, so a forged one escapes nothing', async () => {
    now = Date.now();
    const base = await start({ rateLimit: { perMinute: 60, burst: 2 } });
    const forged = (i: number) => ({ 'x-forwarded-for': `198.51.100.${i}` });
    const tries = await statuses(
      Array.from({ length: 11 }, (_, i) => bearer(base, `sk_wrong_guess_${i}_000`, '127.0.0.1', forged(i))),
    );
    expect(tries).toEqual([...Array(10).fill(401), 429]);
    expect((await bearer(base, RIGHT, '127.0.0.1', forged(99))).status).toBe(429);
    // The site-key rate limit too.
    const batches = [];
    for (let i = 0; i < 3; i += 1) batches.push((await sendBatch(base, [], {}, forged(i))).status);
    expect(batches).toEqual([200, 200, 429]);
    // And a forwarded protocol: no Secure cookie over plain HTTP.
    const session = await signIn(base, RIGHT, '127.0.0.2', { 'x-forwarded-proto': 'https' });
    expect(session.status).toBe(200);
    expect(String(session.headers['set-cookie'])).not.toMatch(/Secure/);
  });
});

describe('behind a proxy (trustProxy)', () => {
  it('limits by the client IP the proxy appended, and marks the session cookie Secure over https', async () => {
    now = Date.now();
    const base = await start({ trustProxy: true, rateLimit: { perMinute: 60, burst: 2 } });
    const client = (ip: string) => ({ 'x-forwarded-for': ip });
    const tries = await statuses(
      Array.from({ length: 11 }, (_, i) =>
        bearer(base, `sk_wrong_guess_${i}_000`, '127.0.0.1', client('203.0.113.5')),
      ),
    );
    expect(tries).toEqual([...Array(10).fill(401), 429]);
    const locked = await bearer(base, RIGHT, '127.0.0.1', client('203.0.113.5'));
    expect(JSON.parse(locked.body).error.message).toBe(
      'too many wrong secret keys from 203.0.113.5: retry in 6 s',
    );
    // A client that writes its own X-Forwarded-For gets the proxy's entry appended: the last one counts.
    expect((await bearer(base, RIGHT, '127.0.0.1', client('198.51.100.1, 203.0.113.5'))).status).toBe(429);
    // Another client behind the same proxy is not locked out.
    expect((await bearer(base, RIGHT, '127.0.0.1', client('203.0.113.6'))).status).toBe(200);

    const batches = [];
    for (const ip of ['203.0.113.5', '203.0.113.5', '203.0.113.5', '203.0.113.6'])
      batches.push((await sendBatch(base, [], {}, client(ip))).status);
    expect(batches).toEqual([200, 200, 429, 200]);

    const overTls = await signIn(base, RIGHT, '127.0.0.1', {
      'x-forwarded-proto': 'https',
      ...client('203.0.113.7'),
    });
    expect(overTls.status).toBe(200);
    expect(String(overTls.headers['set-cookie'])).toMatch(/; Secure$/);
    const plain = await signIn(base, RIGHT, '127.0.0.1', client('203.0.113.7'));
    expect(String(plain.headers['set-cookie'])).not.toMatch(/Secure/);
  });
});

describe('dashboard pages', () => {
  it("send frame-ancestors 'none'; the rest of the static site does not", async () => {
    now = Date.now();
    const base = await start();
    for (const path of [
      '/dashboard',
      '/dashboard/',
      '/dashboard/index.html',
      '/%64ashboard/',
      '/x/../dashboard/dashboard.js',
    ]) {
      const res = await fetch(`${base}${path}`);
      expect([path, res.status]).toEqual([path, 200]);
      expect(res.headers.get('content-security-policy')).toBe("frame-ancestors 'none'");
      expect(res.headers.get('x-frame-options')).toBe('DENY');
    }
    const home = await fetch(`${base}/`);
    expect(await home.text()).toContain('home');
    expect(home.headers.get('content-security-policy')).toBeNull();
  });
});
