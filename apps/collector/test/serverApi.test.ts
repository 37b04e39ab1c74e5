// Server-side events in the Segment spec, sent by the stock @segment/analytics-node and
// @rudderstack/rudder-sdk-node clients (only their host set) and by hand, against the real collector.

import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { RejectedEvent } from '@leadlight/scoring-core/wire';
import RudderAnalytics from '@rudderstack/rudder-sdk-node';
import { Analytics as SegmentAnalytics } from '@segment/analytics-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningCollector, startCollector } from '../src/index.js';
import {
  type ContactDetail,
  ev,
  getSecret,
  MODEL,
  makeConfig,
  readJson,
  sendBatch,
  tempDir,
  testStorage,
} from './fixtures.js';

const WRITE_KEY = 'wk_a_server_0123456789';
const SERVER_MODEL = {
  ...MODEL,
  rules: [...MODEL.rules, { id: 'webinar', event: 'webinar_attended', points: 20 }],
};

let collector: RunningCollector;
let tmp: ReturnType<typeof tempDir>;
let base: string;

function basic(key = WRITE_KEY): string {
  return `Basic ${Buffer.from(`${key}:`).toString('base64')}`;
}

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: basic(), ...headers },
    body: typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function contactOfUser(userId: string): Promise<ContactDetail | null> {
  const res = await getSecret(`${base}/v1/visitors/${encodeURIComponent(`user:${userId}`)}`);
  return res.status === 404 ? null : readJson<ContactDetail>(res);
}

beforeAll(async () => {
  tmp = tempDir();
  collector = await startCollector({
    config: makeConfig({ writeKey: WRITE_KEY, model: SERVER_MODEL }),
    ...(await testStorage(join(tmp.dir, 'server.db'))),
    assetDirs: [],
  });
  base = collector.url;
});
afterAll(async () => {
  await collector.close();
  tmp.cleanup();
});

describe('stock Segment and RudderStack clients', () => {
  it('@segment/analytics-node: identify and a named track land on one contact and score', async () => {
    const analytics = new SegmentAnalytics({ writeKey: WRITE_KEY, host: base, flushAt: 1 });
    analytics.identify({ userId: 'seg-1', traits: { email: 'Ann@Corp.test', role: 'vp', companySize: 500 } });
    analytics.track({ userId: 'seg-1', event: 'Webinar Attended', properties: { webinar: 'Scoring 101' } });
    await analytics.closeAndFlush({ timeout: 10_000 });
    const contact = await contactOfUser('seg-1');
    expect(contact?.email).toBe('ann@corp.test');
    expect(contact?.eventCount).toBe(2);
    expect(contact?.score.breakdown.map((b) => b.rule).sort()).toEqual([
      'big-company',
      'buyer-role',
      'webinar',
    ]);
    const events = await readJson<{ items: { type: string; props?: Record<string, unknown> }[] }>(
      await getSecret(`${base}/v1/leads/${contact?.id}/events`),
    );
    expect(events.items.find((e) => e.type === 'webinar_attended')?.props).toEqual({
      webinar: 'Scoring 101',
    });
  });

  it('@rudderstack/rudder-sdk-node (gzip bodies by default): identify, track and page are stored once', async () => {
    const client = new RudderAnalytics(WRITE_KEY, { dataPlaneUrl: base, flushAt: 3, logLevel: 'error' });
    client.identify({ userId: 'rud-1', traits: { email: 'bo@corp.test' } });
    client.track({ userId: 'rud-1', event: 'Trial Started', properties: { plan: 'pro' } });
    client.page({
      userId: 'rud-1',
      name: 'Pricing',
      properties: { path: '/pricing', url: 'https://corp.test/pricing' },
    });
    await client.flush();
    await expect.poll(async () => (await contactOfUser('rud-1'))?.eventCount).toBe(3);
    const contact = await contactOfUser('rud-1');
    expect(contact?.email).toBe('bo@corp.test');
    expect(contact?.score.breakdown.map((b) => b.rule)).toContain('pricing');
  });
});

describe('the server API by hand', () => {
  it('dedupes by messageId and lands userId-only calls on the linked contact', async () => {
    const message = {
      type: 'track',
      event: 'Email Clicked',
      userId: 'u-2',
      messageId: 'msg-0001',
      timestamp: new Date().toISOString(),
    };
    await post('/v1/identify', { userId: 'u-2', traits: { email: 'cy@corp.test' }, messageId: 'msg-0000' });
    const first = await post('/v1/batch', { batch: [message] });
    const again = await post('/v1/batch', { batch: [message] });
    expect(first).toEqual({ status: 200, body: { success: true, accepted: 1, duplicates: 0, rejected: [] } });
    expect(again.body).toMatchObject({ accepted: 0, duplicates: 1 });
    const contact = await contactOfUser('u-2');
    expect(contact).toMatchObject({ email: 'cy@corp.test', eventCount: 2 });
  });

  it("links a browser's anonymous id to the userId's contact", async () => {
    await sendBatch(base, [ev({ anonymousId: 'browser-7', path: '/pricing' })]);
    await post('/v1/identify', {
      userId: 'u-7',
      anonymousId: 'browser-7',
      traits: { email: 'dee@corp.test' },
      messageId: 'm-7',
    });
    const byUser = await contactOfUser('u-7');
    const byBrowser = await readJson<ContactDetail>(await getSecret(`${base}/v1/visitors/browser-7`));
    expect(byBrowser.id).toBe(byUser?.id);
    expect(byBrowser.anonymousIds.sort()).toEqual(['browser-7', 'user:u-7']);
    expect(byBrowser.email).toBe('dee@corp.test');
  });

  it("refuses a userId linked to one email arriving with another contact's email, and merges nothing", async () => {
    await post('/v1/identify', { userId: 'u-8', traits: { email: 'eve@corp.test' }, messageId: 'm-8a' });
    await post('/v1/identify', { userId: 'u-9', traits: { email: 'fay@corp.test' }, messageId: 'm-9a' });
    const clash = await post('/v1/identify', {
      userId: 'u-8',
      traits: { email: 'fay@corp.test' },
      messageId: 'm-8b',
    });
    expect(clash.body).toMatchObject({
      success: false,
      rejected: [{ index: 0, error: expect.stringContaining('never merged') }],
    });
    expect((await contactOfUser('u-8'))?.email).toBe('eve@corp.test');
    expect((await contactOfUser('u-9'))?.email).toBe('fay@corp.test');
    // A changed email that nobody else has is taken over: the person changed it.
    await post('/v1/identify', { userId: 'u-8', traits: { email: 'eve.new@corp.test' }, messageId: 'm-8c' });
    expect((await contactOfUser('u-8'))?.email).toBe('eve.new@corp.test');
  });

  it('maps track names to event types and refuses names that cannot be one, by index', async () => {
    const answer = await post('/v1/batch', {
      batch: [
        { type: 'track', userId: 'u-3', event: 'Café Visité: Démo-Day', messageId: 'n-1' },
        { type: 'track', userId: 'u-3', event: 'Page View', messageId: 'n-2' },
        { type: 'track', userId: 'u-3', event: '!!!', messageId: 'n-3' },
        { type: 'screen', userId: 'u-3', name: 'Home', messageId: 'n-4' },
        { type: 'track', event: 'No One', messageId: 'n-5' },
      ],
    });
    expect(answer.body.accepted).toBe(1);
    expect((answer.body.rejected as RejectedEvent[]).map((r) => [r.index, r.error.split(':')[0]])).toEqual([
      [1, 'event'],
      [2, 'event'],
      [3, 'type'],
      [4, 'userId or anonymousId'],
    ]);
    const contact = await contactOfUser('u-3');
    const events = await readJson<{ items: { type: string }[] }>(
      await getSecret(`${base}/v1/leads/${contact?.id}/events`),
    );
    expect(events.items.map((e) => e.type)).toEqual(['cafe_visite:_demo-day']);
  });

  it('inflates gzip bodies, and refuses one that inflates past the body limit with 413', async () => {
    const ok = await post(
      '/v1/track',
      gzipSync(JSON.stringify({ userId: 'u-4', event: 'Zipped', messageId: 'z-1' })),
      {
        'content-encoding': 'gzip',
      },
    );
    expect(ok.body).toMatchObject({ accepted: 1 });
    const bomb = gzipSync(
      JSON.stringify({
        batch: [
          { type: 'track', userId: 'u-4', event: 'x', properties: { pad: 'x'.repeat(4 * 1024 * 1024) } },
        ],
      }),
    );
    expect(bomb.length).toBeLessThan(64 * 1024);
    const refused = await post('/v1/batch', bomb, { 'content-encoding': 'gzip' });
    expect(refused.status).toBe(413);
  });

  it('a wrong write key is 401 and stores nothing; a write key reads nothing', async () => {
    const wrong = await post(
      '/v1/track',
      { userId: 'u-5', event: 'Sneaky', messageId: 'w-1' },
      { authorization: basic('wk_wrong_0123456789') },
    );
    expect(wrong.status).toBe(401);
    expect(await contactOfUser('u-5')).toBeNull();
    for (const authorization of [basic(), `Bearer ${WRITE_KEY}`]) {
      for (const path of ['/v1/leads', '/v1/funnel', '/v1/visitors/user%3Au-2', '/v1/model/review']) {
        const res = await fetch(`${base}${path}`, { headers: { authorization } });
        expect([401, 404]).toContain(res.status);
        if (res.status === 404) expect(path).toBe('/v1/model/review');
      }
    }
  });
});
