import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningCollector, startCollector } from '../src/index.js';
import {
  type BatchAnswer,
  type ContactDetail,
  ev,
  getSecret,
  makeConfig,
  readJson,
  sendBatch,
  tempDir,
} from './fixtures.js';

let collector: RunningCollector;
let tmp: ReturnType<typeof tempDir>;

beforeAll(async () => {
  tmp = tempDir();
  collector = await startCollector({
    config: makeConfig({ rateLimit: { perMinute: 1_000_000, burst: 100_000 } }),
    dbPath: join(tmp.dir, 'concurrency.db'),
    assetDirs: [],
  });
});
afterAll(async () => {
  await collector.close();
  tmp.cleanup();
});

describe('concurrent batches', () => {
  it('stores a batch retried many times in parallel exactly once', async () => {
    const events = Array.from({ length: 20 }, () => ev({ anonymousId: 'retrier', path: '/pricing' }));
    const answers = await Promise.all(
      Array.from({ length: 12 }, async () => readJson<BatchAnswer>(await sendBatch(collector.url, events))),
    );
    expect(answers.reduce((sum, a) => sum + a.accepted, 0)).toBe(20);
    expect(answers.every((a) => a.acked.length === 20)).toBe(true);
    const detail = await readJson<ContactDetail>(await getSecret(`${collector.url}/v1/visitors/retrier`));
    expect(detail.eventCount).toBe(20);
  });

  it('loses no update when many batches of one visitor arrive at once, in any order', async () => {
    const base = Date.now() - 60_000;
    const batches = Array.from({ length: 10 }, (_, b) =>
      Array.from({ length: 5 }, (_, i) => ev({ anonymousId: 'busy', ts: base + (9 - b) * 100 + i })),
    );
    await Promise.all(batches.map((events) => sendBatch(collector.url, events)));
    const detail = await readJson<ContactDetail>(await getSecret(`${collector.url}/v1/visitors/busy`));
    expect(detail.eventCount).toBe(50);
    const score = await readJson<BatchAnswer>(
      await fetch(`${collector.url}/v1/score?siteKey=pk_a&anonymousId=busy`),
    );
    expect(score.state.events).toBe(50);
    expect(score.state.last[0]).toBe(base + 9 * 100 + 4);
  });

  it('merges devices identifying with one email at the same moment into one contact', async () => {
    const devices = ['dev-1', 'dev-2', 'dev-3', 'dev-4'];
    const answers = await Promise.all(
      devices.map(async (anonymousId) =>
        readJson<BatchAnswer>(
          await sendBatch(collector.url, [
            ev({ anonymousId, path: '/pricing' }),
            ev({ anonymousId, type: 'identify', traits: { email: 'SAME@example.com' } }),
          ]),
        ),
      ),
    );
    expect(answers.every((a) => a.accepted === 2)).toBe(true);
    const final = await readJson<ContactDetail>(await getSecret(`${collector.url}/v1/visitors/dev-1`));
    for (const anonymousId of devices) {
      const owner = await readJson<ContactDetail>(
        await getSecret(`${collector.url}/v1/visitors/${anonymousId}`),
      );
      expect(owner.id).toBe(final.id);
    }
    expect(final.anonymousIds.sort()).toEqual(devices);
    expect(final.eventCount).toBe(8);
  });
});

describe('health', () => {
  it('answers 503 from /healthz when storage no longer answers, and keeps serving', async () => {
    const own = tempDir();
    const c = await startCollector({
      config: makeConfig(),
      dbPath: join(own.dir, 'health.db'),
      assetDirs: [],
    });
    try {
      expect((await fetch(`${c.url}/healthz`)).status).toBe(200);
      await c.storage.close();
      const res = await fetch(`${c.url}/healthz`);
      expect(res.status).toBe(503);
      expect(await readJson<{ error: { code: string } }>(res)).toEqual({
        error: { code: 'storage', message: 'storage does not answer' },
      });
      const batch = await sendBatch(c.url, [ev({ anonymousId: 'after-close' })]);
      expect(batch.status).toBe(503);
      expect((await fetch(`${c.url}/healthz`)).status).toBe(503);
    } finally {
      await c.close();
      own.cleanup();
    }
  });
});
