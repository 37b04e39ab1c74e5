import { hashModel } from '@leadlight/scoring-core';
import { expect, it } from 'vitest';
import { event, MODEL, stored, uid } from './contractRecords.js';
import type { StorageUnderTest } from './storageHarness.js';

/** The site-wide records: the webhook outbox, published models, sessions, counters, bot visitors. */
export function describeSiteDataContract(t: StorageUnderTest): void {
  it('leases outbox deliveries and tracks their outcome across a reopen', async () => {
    await t.storage.transaction(async (tx) => {
      for (const id of ['w1', 'w2', 'w3']) {
        await tx.enqueueWebhook({
          id: uid(id),
          siteKey: 's1',
          url: 'http://127.0.0.1:9/hook',
          eventType: 'lead.mql',
          payload: '{}',
          createdAt: 1000,
          attempts: 0,
          nextAttemptAt: 1000,
        });
      }
    });
    const claimed = await t.storage.claimWebhooks(2000, 2, 10_000);
    expect(claimed.length).toBe(2);
    const second = await t.storage.claimWebhooks(2000, 10, 10_000);
    expect(second.length).toBe(1);
    expect(await t.storage.claimWebhooks(3000, 10, 10_000)).toEqual([]);
    const [a, b] = claimed as [(typeof claimed)[0], (typeof claimed)[0]];
    await t.storage.completeWebhook(a.id, 2500);
    await t.storage.retryWebhook(b.id, 50_000, 'HTTP 500');
    await t.storage.failWebhook((second[0] as (typeof claimed)[0]).id, 'gave up');
    await t.reopen();
    expect(await t.storage.outboxStats('s1')).toEqual({ pending: 1, delivered: 1, dead: 1 });
    expect(await t.storage.claimWebhooks(49_999, 10, 1000)).toEqual([]);
    const retried = await t.storage.claimWebhooks(50_000, 10, 1000);
    expect(retried.map((i) => [i.id, i.attempts])).toEqual([[b.id, 1]]);
    // An expired lease (a crashed sender) makes the delivery due again.
    expect((await t.storage.claimWebhooks(51_001, 10, 1000)).map((i) => i.id)).toEqual([b.id]);
  });

  it('keeps published models, sessions and counters', async () => {
    const hash = hashModel(MODEL);
    expect(await t.storage.latestModel('s1')).toBeNull();
    await t.storage.saveModel('s1', { model: MODEL, hash, source: 'config', createdAt: 1 });
    await t.storage.saveModel('s1', {
      model: { ...MODEL, version: 'v2' },
      hash: 'h2',
      source: 'api',
      createdAt: 2,
    });
    expect(await t.storage.latestModel('s1')).toMatchObject({ hash: 'h2', source: 'api' });
    expect(await t.storage.lastConfigModelHash('s1')).toBe(hash);
    await t.storage.createSession('tok', 's1', Date.now() + 60_000);
    expect(await t.storage.sessionSite('tok', Date.now())).toBe('s1');
    expect(await t.storage.sessionSite('tok', Date.now() + 120_000)).toBeNull();
    await t.storage.deleteSession('tok');
    expect(await t.storage.sessionSite('tok', Date.now())).toBeNull();
    await t.storage.transaction(async (tx) => {
      await tx.addCounter('s1', 'browserDropped', 3);
      await tx.addCounter('s1', 'browserDropped', 4);
    });
    expect(await t.storage.counters('s1')).toEqual({ browserDropped: 7 });
    await t.storage.ping();
  });

  it('knows which anonymous ids no bot event is stored for yet, per site', async () => {
    await t.storage.transaction(async (tx) => {
      await tx.insertEvents([
        stored('s1', event('bot-seen', 1), null, true),
        stored('s1', event('person', 2), null),
        stored('s2', event('bot-elsewhere', 3), null, true),
      ]);
    });
    const unseen = await t.storage.transaction((tx) =>
      tx.newBotVisitors('s1', ['bot-seen', 'bot-new', 'person', 'bot-elsewhere']),
    );
    expect([...unseen].sort()).toEqual(['bot-elsewhere', 'bot-new', 'person']);
    expect(await t.storage.transaction((tx) => tx.newBotVisitors('s1', []))).toEqual(new Set());
    // Two batches of one new bot, at the same time: one of them finds it new.
    const answers = await Promise.all(
      [0, 1].map((i) =>
        t.storage.transaction(async (tx) => {
          const fresh = await tx.newBotVisitors('s1', ['bot-twice']);
          await tx.insertEvents([stored('s1', event('bot-twice', 10 + i), null, true)]);
          return fresh.has('bot-twice');
        }),
      ),
    );
    expect(answers.filter(Boolean)).toHaveLength(1);
  });
}
