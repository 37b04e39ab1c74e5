import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RunningCollector, startCollector } from '../src/index.js';
import {
  type BatchAnswer,
  type ContactDetail,
  contactIdOf,
  ev,
  getSecret,
  MODEL,
  makeConfig,
  ORIGIN,
  readJson,
  sendBatch,
  tempDir,
  testStorage,
} from './fixtures.js';

describe('ingest: POST /v1/batch, GET /v1/model, SDK files', () => {
  let collector: RunningCollector;
  let tmp: ReturnType<typeof tempDir>;

  beforeEach(async () => {
    tmp = tempDir();
    const assets = join(tmp.dir, 'assets');
    mkdirSync(assets);
    writeFileSync(join(assets, 'leadlight.js'), 'console.log("sdk")');
    writeFileSync(join(assets, 'leadlight-sw.js'), 'console.log("sw")');
    collector = await startCollector({
      config: makeConfig(),
      ...(await testStorage(join(tmp.dir, 'db.sqlite'))),
      assetDirs: [assets],
    });
  });
  afterEach(async () => {
    await collector.close();
    tmp.cleanup();
  });

  it('stores good events, rejects bad ones by index, and answers the score and state', async () => {
    const good = ev({ anonymousId: 'anon-1', path: '/pricing' });
    const res = await sendBatch(collector.url, [
      good,
      { id: 'x', type: 'Bad Type', ts: 1, anonymousId: 'a' },
    ]);
    expect(res.status).toBe(200);
    const body = await readJson<BatchAnswer>(res);
    expect(body.accepted).toBe(1);
    expect(body.duplicates).toBe(0);
    expect(body.rejected).toEqual([{ index: 1, error: expect.stringContaining('type') }]);
    expect(body.acked).toEqual([good.id]);
    expect(body.score.engagement).toBeCloseTo(10, 1);
    expect(body.state.events).toBe(1);
    expect(body).toMatchObject({ contactId: null, verified: false });
  });

  it('dates the automatic lead and MQL moves at the action, not at a late delivery', async () => {
    const actedAt = Date.now() - 3 * 86_400_000; // queued offline for three days
    const anonymousId = 'anon-offline';
    const answer = await readJson<BatchAnswer>(
      await sendBatch(collector.url, [
        ev({ anonymousId, ts: actedAt - 2000, path: '/pricing' }),
        ev({ anonymousId, ts: actedAt - 1000, type: 'cta_click', props: { cta: 'demo' } }),
        ev({
          anonymousId,
          ts: actedAt,
          type: 'identify',
          traits: { email: 'late@corp.test', role: 'vp', companySize: 900 },
        }),
      ]),
    );
    expect(answer.score.stage).toBe('mql');
    const contact = await readJson<ContactDetail>(
      await getSecret(`${collector.url}/v1/leads/${await contactIdOf(collector.url, anonymousId)}`),
    );
    expect(contact.mqlAt).toBe(actedAt);
    expect(contact.stageHistory.map((c) => [c.to, c.at])).toEqual([
      ['lead', actedAt],
      ['mql', actedAt],
    ]);
  });

  it('answers the same batch twice as duplicates', async () => {
    const events = [ev({ anonymousId: 'anon-2' }), ev({ anonymousId: 'anon-2', path: '/pricing' })];
    const first = await readJson<BatchAnswer>(await sendBatch(collector.url, events));
    const second = await readJson<BatchAnswer>(await sendBatch(collector.url, events));
    expect(first.accepted).toBe(2);
    expect(second).toMatchObject({ accepted: 0, duplicates: 2, acked: events.map((e) => e.id) });
    expect(second.score.total).toBe(first.score.total);
  });

  it('serves the model with an ETag and 304', async () => {
    const res = await fetch(`${collector.url}/v1/model?siteKey=pk_a`);
    expect(res.status).toBe(200);
    const etag = res.headers.get('etag');
    expect(etag).toMatch(/^".+"$/);
    expect((await readJson<{ version: string }>(res)).version).toBe(MODEL.version);
    const again = await fetch(`${collector.url}/v1/model?siteKey=pk_a`, {
      headers: { 'if-none-match': etag! },
    });
    expect(again.status).toBe(304);
  });

  it('serves leadlight.js and leadlight-sw.js with cache headers', async () => {
    const sdk = await fetch(`${collector.url}/leadlight.js`);
    expect(sdk.status).toBe(200);
    expect(sdk.headers.get('content-type')).toContain('javascript');
    expect(sdk.headers.get('cache-control')).toContain('max-age=300');
    expect(await sdk.text()).toContain('sdk');
    const sw = await fetch(`${collector.url}/leadlight-sw.js`);
    expect(sw.headers.get('cache-control')).toBe('no-cache');
    const etag = sw.headers.get('etag')!;
    expect(
      (await fetch(`${collector.url}/leadlight-sw.js`, { headers: { 'if-none-match': etag } })).status,
    ).toBe(304);
    expect((await fetch(`${collector.url}/leadlight-missing.js`)).status).toBe(404);
  });

  it('answers CORS for allowed origins only', async () => {
    const ok = await sendBatch(collector.url, [ev({ anonymousId: 'anon-3' })], {}, { origin: ORIGIN });
    expect(ok.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    const bad = await sendBatch(
      collector.url,
      [ev({ anonymousId: 'anon-3' })],
      {},
      { origin: 'https://evil.test' },
    );
    expect(bad.status).toBe(403);
    expect(bad.headers.get('access-control-allow-origin')).toBeNull();
  });
});
