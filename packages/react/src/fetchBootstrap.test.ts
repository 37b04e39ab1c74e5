// The server helper against a stand-in for the collector's `GET /v1/score` (the real collector is the
// example app's business: packages never import apps).
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fetchBootstrap, readAnonymousId, serializeBootstrap } from './server.js';

const view = {
  contactId: null,
  verified: false,
  score: { total: 25, fit: 0, engagement: 25, stage: 'lead', mql: false, modelVersion: 'v1', breakdown: [] },
  state: {},
};

let server: Server;
let endpoint: string;
let requests: IncomingMessage[] = [];
let answer: (res: import('node:http').ServerResponse) => void;

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(req);
    answer(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});
beforeEach(() => {
  requests = [];
  answer = (res) => res.setHeader('content-type', 'application/json').end(JSON.stringify(view));
});

const aid = '0190f0e2-7a1b-7c3d-9e4f-123456789abc';

describe('readAnonymousId', () => {
  it('reads ll_aid among other cookies, URI-decoded', () => {
    expect(readAnonymousId(`theme=dark; ll_aid=${aid}; ll_sid=x`)).toBe(aid);
    expect(readAnonymousId(['a=1', `ll_aid=${encodeURIComponent(aid)}`])).toBe(aid);
  });
  it('ignores a missing, malformed or foreign-looking id', () => {
    expect(readAnonymousId(undefined)).toBeUndefined();
    expect(readAnonymousId('xll_aid=abcdefghij')).toBeUndefined();
    expect(readAnonymousId('ll_aid=short')).toBeUndefined();
    expect(readAnonymousId('ll_aid=%E0%A4%A')).toBeUndefined();
    expect(readAnonymousId('ll_aid=<script>alert(1)</script>')).toBeUndefined();
  });
});

describe('fetchBootstrap', () => {
  it('asks GET /v1/score with the site key and the cookie id, without an Origin, and returns the score', async () => {
    const score = await fetchBootstrap({
      endpoint: `${endpoint}/`,
      siteKey: 'pk_site',
      cookieHeader: `ll_aid=${aid}`,
    });
    expect(score).toEqual(view.score);
    expect(requests).toHaveLength(1);
    expect(requests[0]?.method).toBe('GET');
    expect(requests[0]?.url).toBe(`/v1/score?siteKey=pk_site&anonymousId=${aid}`);
    expect(requests[0]?.headers.origin).toBeUndefined();
  });

  it('makes no request for a visitor without the cookie', async () => {
    expect(await fetchBootstrap({ endpoint, siteKey: 'pk_site', cookieHeader: 'a=b' })).toBeUndefined();
    expect(requests).toHaveLength(0);
  });

  it.each([
    ['an error status', (res: import('node:http').ServerResponse) => res.writeHead(429).end('{}')],
    ['a body that is not JSON', (res: import('node:http').ServerResponse) => res.end('<html>')],
    ['a score of the wrong shape', (res: import('node:http').ServerResponse) => res.end('{"score":{}}')],
    ['JSON null', (res: import('node:http').ServerResponse) => res.end('null')],
  ])('resolves undefined on %s', async (_, reply) => {
    answer = reply;
    expect(
      await fetchBootstrap({ endpoint, siteKey: 'pk_site', cookieHeader: `ll_aid=${aid}` }),
    ).toBeUndefined();
  });

  it('resolves undefined when the collector is too slow, within the timeout', async () => {
    answer = () => {}; // never answers
    const started = performance.now();
    const score = await fetchBootstrap({
      endpoint,
      siteKey: 'pk_site',
      cookieHeader: `ll_aid=${aid}`,
      timeoutMs: 100,
    });
    expect(score).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('resolves undefined when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    expect(
      await fetchBootstrap({
        endpoint: `http://127.0.0.1:${port}`,
        siteKey: 'k',
        cookieHeader: `ll_aid=${aid}`,
      }),
    ).toBeUndefined();
  });
});

describe('serializeBootstrap', () => {
  it('cannot close the script element it is embedded in', () => {
    const json = serializeBootstrap({
      total: 1,
      stage: 'lead',
      modelVersion: '</script><script>x()</script>\u2028',
    });
    expect(json).not.toMatch(/<|\u2028/);
    expect(JSON.parse(json)).toEqual({
      total: 1,
      stage: 'lead',
      modelVersion: '</script><script>x()</script>\u2028',
    });
    expect(serializeBootstrap(undefined)).toBe('null');
  });
});
