import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCollector } from '../src/index.js';
import {
  type BatchAnswer,
  contactIdOf,
  ev,
  getSecret,
  MODEL,
  makeConfig,
  readJson,
  sendBatch,
  tempDir,
} from './fixtures.js';

const RICHER = {
  ...MODEL,
  version: 'test-richer',
  rules: MODEL.rules.map((r) => (r.id === 'pricing' ? { ...r, points: 20 } : r)),
};

describe('model changes across restarts', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => tmp.cleanup());

  it('a changed config model wins at start, and stored contacts are rescored under it', async () => {
    const dbPath = join(tmp.dir, 'model.db');
    const first = await startCollector({ config: makeConfig(), dbPath, assetDirs: [] });
    const answer = await readJson<BatchAnswer>(
      await sendBatch(first.url, [
        ev({ anonymousId: 'm1', path: '/pricing' }),
        ev({ anonymousId: 'm1', path: '/pricing' }),
      ]),
    );
    expect(answer.score.breakdown.find((b) => b.rule === 'pricing')?.points).toBeCloseTo(20, 0);
    const contactId = await contactIdOf(first.url, 'm1');
    await first.close();

    const second = await startCollector({ config: makeConfig({ model: RICHER }), dbPath, assetDirs: [] });
    try {
      const model = await readJson<{ version: string }>(await fetch(`${second.url}/v1/model?siteKey=pk_a`));
      expect(model.version).toBe('test-richer');
      await expect
        .poll(
          async () => {
            const res = await getSecret(`${second.url}/v1/leads/${contactId}`);
            return (await readJson<{ score: { modelVersion: string; engagement: number } }>(res)).score
              .modelVersion;
          },
          { timeout: 10_000 },
        )
        .toBe('test-richer');
      const score = await readJson<BatchAnswer>(
        await fetch(`${second.url}/v1/score?siteKey=pk_a&anonymousId=m1`),
      );
      expect(score.score.engagement).toBeCloseTo(40, 0);
      expect(score.state.modelHash).toBe(score.score.modelHash);
    } finally {
      await second.close();
    }

    // Restarting with the same config keeps a model published through the API.
    const third = await startCollector({ config: makeConfig({ model: RICHER }), dbPath, assetDirs: [] });
    const published = { ...RICHER, version: 'test-published' };
    const put = await fetch(`${third.url}/v1/model`, {
      method: 'PUT',
      headers: { authorization: 'Bearer sk_a_secret_0123456', 'content-type': 'application/json' },
      body: JSON.stringify(published),
    });
    expect(put.status).toBe(200);
    await third.close();
    const fourth = await startCollector({ config: makeConfig({ model: RICHER }), dbPath, assetDirs: [] });
    try {
      const model = await readJson<{ version: string }>(await fetch(`${fourth.url}/v1/model?siteKey=pk_a`));
      expect(model.version).toBe('test-published');
    } finally {
      await fourth.close();
    }
  });
});
