import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningCollector, startCollector } from '../src/index.js';
import { type BatchAnswer, BROWSER_UA, makeConfig, tempDir } from './fixtures.js';

let collector: RunningCollector;
let tmp: ReturnType<typeof tempDir>;

beforeAll(async () => {
  tmp = tempDir();
  collector = await startCollector({
    config: makeConfig({ rateLimit: { perMinute: 10_000_000, burst: 1_000_000 } }),
    dbPath: join(tmp.dir, 'fuzz.db'),
    assetDirs: [],
  });
});
afterAll(async () => {
  await collector.close();
  tmp.cleanup();
});

async function post(body: string, type = 'application/json'): Promise<number> {
  const res = await fetch(`${collector.url}/v1/batch`, {
    method: 'POST',
    headers: { 'content-type': type, 'user-agent': BROWSER_UA },
    body,
  });
  await res.arrayBuffer();
  return res.status;
}

const deep = (n: number, open: string, close: string, inner = '1') =>
  open.repeat(n) + inner + close.repeat(n);

/** Event-shaped objects with hostile values in every field. */
const hostileEvent = fc.record(
  {
    id: fc.oneof(
      fc.string(),
      fc.integer(),
      fc.constant('__proto__'),
      fc.string({ minLength: 200, maxLength: 300 }),
    ),
    type: fc.oneof(fc.constantFrom('page_view', 'identify', 'download', 'constructor', ''), fc.string()),
    ts: fc.oneof(fc.double(), fc.integer(), fc.constant(Number.MAX_SAFE_INTEGER), fc.string()),
    anonymousId: fc.oneof(fc.string(), fc.constant('')),
    props: fc.oneof(fc.jsonValue(), fc.dictionary(fc.string(), fc.jsonValue())),
    traits: fc.oneof(fc.jsonValue(), fc.record({ email: fc.oneof(fc.string(), fc.integer()) })),
    url: fc.oneof(fc.string(), fc.webUrl()),
  },
  { requiredKeys: [] },
);

describe('fuzz: malformed bodies are refused with 4xx, never 5xx, and the process stays up', () => {
  it('arbitrary text, in every accepted content type', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 2000 }),
        fc.constantFrom('application/json', 'text/plain'),
        async (body, type) => {
          const status = await post(body, type);
          expect(status).toBeGreaterThanOrEqual(400);
          expect(status).toBeLessThan(500);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('arbitrary JSON values and envelopes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (value) => {
        const status = await post(JSON.stringify(value) ?? 'null');
        expect(status).toBeGreaterThanOrEqual(400);
        expect(status).toBeLessThan(500);
      }),
      { numRuns: 150 },
    );
  });

  it('batches of hostile events: stored or listed in rejected, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(hostileEvent, { maxLength: 20 }), fc.boolean(), async (events, automated) => {
        const status = await post(JSON.stringify({ siteKey: 'pk_a', events, automated }));
        expect(status).toBeLessThan(500);
      }),
      { numRuns: 150 },
    );
  });

  it('deep nesting, huge strings and __proto__ / constructor keys', async () => {
    const malformed = [
      deep(100_000, '[', ']'),
      deep(50_000, '{"a":', '}'),
      `{"siteKey":"pk_a","__proto__":{"isAdmin":true},"events":[]}`,
      `{"siteKey":"pk_a","events":[{"__proto__":{"polluted":1},"id":"p1","type":"page_view","ts":${Date.now()},"anonymousId":"a"}]}`,
      `{"siteKey":"pk_a","events":[{"id":"p2","type":"page_view","ts":${Date.now()},"anonymousId":"a","props":{"constructor":{"prototype":{"polluted":1}}}}]}`,
      JSON.stringify({ siteKey: 'pk_a', events: 'x'.repeat(2_000_000) }),
      JSON.stringify({ siteKey: 'x'.repeat(300_000), events: [] }),
      JSON.stringify({ siteKey: 'pk_a', events: Array.from({ length: 5000 }, () => 0) }),
      '\u0000\u0001{"siteKey":"pk_a"}',
    ];
    for (const body of malformed) {
      const status = await post(body);
      expect(status, body.slice(0, 80)).toBeGreaterThanOrEqual(400);
      expect(status, body.slice(0, 80)).toBeLessThan(500);
    }
    // A well-formed batch whose events are hostile is answered 200 with every event in `rejected`.
    const badEvents = [
      `{"siteKey":"pk_a","events":[${deep(5000, '{"props":', '}', '{}')}]}`,
      `{"siteKey":"pk_a","events":[{"id":"x","type":"page_view","ts":1,"anonymousId":"a","props":${deep(20, '{"p":', '}')}}]}`,
      `{"siteKey":"pk_a","events":[{"id":"x","type":"page_view","ts":1,"anonymousId":"a","props":${deep(20, '[', ']')}}]}`,
      JSON.stringify({
        siteKey: 'pk_a',
        events: [{ id: 'big', type: 'page_view', ts: Date.now(), anonymousId: 'x'.repeat(400_000) }],
      }),
      '{"siteKey":"pk_a","events":[1e400]}',
    ];
    for (const body of badEvents) {
      const res = await fetch(`${collector.url}/v1/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': BROWSER_UA },
        body,
      });
      expect(res.status, body.slice(0, 80)).toBe(200);
      const answer = (await res.json()) as BatchAnswer;
      expect(answer.accepted).toBe(0);
      expect(answer.rejected.length).toBe(1);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect((await fetch(`${collector.url}/healthz`)).status).toBe(200);
  });
});
