import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCollector, verifyWebhook } from '../src/index.js';
import {
  type BatchAnswer,
  contactIdOf,
  ev,
  makeConfig,
  readJson,
  sendBatch,
  startWebhookReceiver,
  tempDir,
  testStorage,
} from './fixtures.js';

const SECRET = 'whsec_test_0123456789';

function mqlBatch(anonymousId: string) {
  return [
    ev({
      anonymousId,
      type: 'identify',
      traits: { email: `${anonymousId}@hook.example`, role: 'vp', companySize: 400 },
    }),
    ev({ anonymousId, type: 'cta_click', props: { cta: 'demo' } }),
  ];
}

describe('webhooks', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => tmp.cleanup());

  it('sends lead.mql once and lead.stage_changed, signed with HMAC-SHA256 over "t.body"', async () => {
    const receiver = await startWebhookReceiver(() => 200);
    const collector = await startCollector({
      config: makeConfig({ webhooks: [{ url: receiver.url, secret: SECRET }] }),
      ...(await testStorage(join(tmp.dir, 'hooks.db'))),
      assetDirs: [],
    });
    try {
      const answer = await readJson<BatchAnswer>(await sendBatch(collector.url, mqlBatch('hooked')));
      expect(answer.score.stage).toBe('mql');
      const contactId = await contactIdOf(collector.url, 'hooked');
      await expect.poll(() => receiver.deliveries.length, { timeout: 10_000 }).toBe(3);
      const types = receiver.deliveries.map((d) => d.headers['leadlight-event']).sort();
      expect(types).toEqual(['lead.mql', 'lead.stage_changed', 'lead.stage_changed']);
      for (const d of receiver.deliveries) {
        const header = d.headers['leadlight-signature'] as string;
        const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
        expect(match).not.toBeNull();
        const [, t, v1] = match as RegExpExecArray;
        // Recompute independently of the collector's own helper.
        expect(createHmac('sha256', SECRET).update(`${t}.${d.body}`).digest('hex')).toBe(v1);
        expect(verifyWebhook(SECRET, d.body, header, Date.now())).toBe(true);
        expect(verifyWebhook(SECRET, `${d.body} `, header, Date.now())).toBe(false);
        expect(verifyWebhook('whsec_wrong_secret', d.body, header, Date.now())).toBe(false);
        // Replay-safe: the same delivery ten minutes later is refused.
        expect(verifyWebhook(SECRET, d.body, header, Date.now() + 600_000)).toBe(false);
        const payload = JSON.parse(d.body);
        expect(payload.data.contact.id).toBe(contactId);
        expect(payload.id).toBe(d.headers['leadlight-delivery']);
      }
      const mql = JSON.parse(
        receiver.deliveries.find((d) => d.headers['leadlight-event'] === 'lead.mql')!.body,
      );
      expect(mql.data.change).toMatchObject({ from: 'lead', to: 'mql', by: 'system' });
      // A sales move fires lead.stage_changed only.
      await fetch(`${collector.url}/v1/leads/${contactId}/stage`, {
        method: 'POST',
        headers: { authorization: 'Bearer sk_a_secret_0123456', 'content-type': 'application/json' },
        body: JSON.stringify({ stage: 'customer', revenue: 99 }),
      });
      await expect.poll(() => receiver.deliveries.length, { timeout: 10_000 }).toBe(4);
      const last = JSON.parse(receiver.deliveries[3]!.body);
      expect(last).toMatchObject({
        type: 'lead.stage_changed',
        data: { change: { to: 'customer', revenue: 99 } },
      });
      await expect
        .poll(() => collector.storage.outboxStats(), { timeout: 10_000 })
        .toEqual({ pending: 0, delivered: 4, dead: 0 });
    } finally {
      await collector.close();
      await receiver.close();
    }
  });

  it('retries with backoff and delivers pending webhooks after a restart', async () => {
    let down = true;
    const receiver = await startWebhookReceiver(() => (down ? 503 : 200));
    const storage = await testStorage(join(tmp.dir, 'restart.db'));
    const config = makeConfig({ webhooks: [{ url: receiver.url, secret: SECRET, events: ['lead.mql'] }] });
    const retry = { baseMs: 40, maxMs: 200, maxAttempts: 1000, pollMs: 50 };
    const first = await startCollector({ config, ...storage, assetDirs: [], webhookRetry: retry });
    await sendBatch(first.url, mqlBatch('restart'));
    // Several refused attempts, backing off, before the collector stops.
    await expect.poll(() => receiver.hits.count, { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
    await first.close();
    expect(await first.storage.outboxStats().catch(() => 'closed')).toBe('closed');
    expect(receiver.deliveries.length).toBe(0);
    down = false;
    const second = await startCollector({ config, ...storage, assetDirs: [], webhookRetry: retry });
    try {
      await expect.poll(() => receiver.deliveries.length, { timeout: 10_000 }).toBe(1);
      expect(receiver.deliveries[0]?.headers['leadlight-event']).toBe('lead.mql');
      await expect
        .poll(() => second.storage.outboxStats(), { timeout: 10_000 })
        .toEqual({ pending: 0, delivered: 1, dead: 0 });
    } finally {
      await second.close();
      await receiver.close();
    }
  });

  it('gives up after the last attempt and marks the delivery dead', async () => {
    const receiver = await startWebhookReceiver(() => 500);
    const collector = await startCollector({
      config: makeConfig({ webhooks: [{ url: receiver.url, secret: SECRET, events: ['lead.mql'] }] }),
      ...(await testStorage(join(tmp.dir, 'dead.db'))),
      assetDirs: [],
      webhookRetry: { baseMs: 10, maxMs: 20, maxAttempts: 3, pollMs: 20 },
    });
    try {
      await sendBatch(collector.url, mqlBatch('doomed'));
      await expect
        .poll(() => collector.storage.outboxStats(), { timeout: 10_000 })
        .toEqual({
          pending: 0,
          delivered: 0,
          dead: 1,
        });
    } finally {
      await collector.close();
      await receiver.close();
    }
  });
});
