import type { TrackedEvent } from '@leadlight/scoring-core';
import { expect, it } from 'vitest';
import type { DeviceRecord, StoredEvent } from '../../src/storage/storage.js';
import { contact, event, stored, uid } from './contractRecords.js';
import type { StorageUnderTest } from './storageHarness.js';

/** Erasure, suppression keys, the audit trail and retention. */
export function describePrivacyContract(t: StorageUnderTest): void {
  it('erases a contact with everything held about it; ids merged into it lead nowhere', async () => {
    const a = contact('s1');
    const b = contact('s1');
    const other = contact('s1');
    const [ea, ebot, eb, eo] = [event('er-a1', 10), event('er-a1', 11), event('er-b', 12), event('er-o', 13)];
    const hook = (id: string, contactId: string) => ({
      id: uid(id),
      siteKey: 's1',
      url: 'http://127.0.0.1:9/hook',
      eventType: 'lead.mql',
      payload: JSON.stringify({ data: { contact: { id: contactId } } }),
      createdAt: 1,
      attempts: 0,
      nextAttemptAt: 1,
    });
    await t.storage.transaction(async (tx) => {
      await tx.createContact(a, 'er-a1');
      await tx.createContact(b, 'er-b');
      await tx.createContact(other, 'er-o');
      await tx.insertEvents([stored('s1', ea, a.id), stored('s1', ebot, null, true), stored('s1', eb, b.id)]);
      await tx.insertEvents([stored('s1', eo, other.id)]);
      await tx.linkEmail('s1', 'ann@example.com', a.id);
      await tx.linkEmail('s1', 'ann@work.example', b.id);
      await tx.appendStageChange(a.id, { from: 'visitor', to: 'lead', at: 20, by: 'system' });
      await tx.appendNote('s1', a.id, { kind: 'note', at: 21, by: 'session:Sam', text: 'Called.' });
      await tx.enqueueWebhook(hook('wa', a.id));
      await tx.enqueueWebhook(hook('wb', b.id));
      await tx.enqueueWebhook(hook('wo', other.id));
    });
    await t.storage.transaction(async (tx) => {
      await tx.lockContact(a.id);
      await tx.lockContact(b.id);
      await tx.mergeContact(b.id, a.id);
    });
    expect(
      (await t.storage.listUnattachedEvents('s1', 'er-a1', { limit: 10 })).map((r) => r.event.id),
    ).toEqual([ebot.id]);
    expect(await t.storage.emailsOf(a.id)).toEqual(['ann@example.com', 'ann@work.example']);
    const erased = await t.storage.transaction(async (tx) => {
      await tx.lockContact(a.id);
      return tx.eraseContact('s1', a.id);
    });
    expect(erased).toEqual({
      counts: {
        contacts: 1,
        events: 3,
        devices: 2,
        emails: 2,
        stageChanges: 1,
        notes: 1,
        outbox: 2,
        redirects: 1,
      },
      emails: ['ann@example.com', 'ann@work.example'],
      anonymousIds: ['er-a1', 'er-b'],
    });
    for (const id of [a.id, b.id]) expect(await t.storage.getContact('s1', id)).toBeNull();
    for (const anon of ['er-a1', 'er-b']) {
      expect(await t.storage.contactByAnonymousId('s1', anon)).toBeNull();
      expect(await t.storage.device('s1', anon)).toBeNull();
      expect(await t.storage.deviceEvents('s1', anon)).toEqual([]);
    }
    expect(await t.storage.listUnattachedEvents('s1', 'er-a1', { limit: 10 })).toEqual([]);
    expect(await t.storage.listEvents(a.id, { limit: 10 })).toEqual([]);
    expect(await t.storage.stageHistory(a.id)).toEqual([]);
    expect(await t.storage.emailsOf(a.id)).toEqual([]);
    expect(await t.storage.transaction((tx) => tx.contactIdForEmail('s1', 'ann@example.com'))).toBeNull();
    expect((await t.storage.listContacts('s1', { limit: 10 })).map((r) => r.contact.id)).toEqual([other.id]);
    expect((await t.storage.listEvents(other.id, { limit: 10 })).map((r) => r.event.id)).toEqual([eo.id]);
    expect(await t.storage.outboxStats('s1')).toEqual({ pending: 1, delivered: 0, dead: 0 });
  });

  it('erases one browser: its row and every event it sent, naming the contacts that lost events', async () => {
    const c = contact('s1');
    const x = contact('s1');
    await t.storage.transaction(async (tx) => {
      await tx.createContact(c, 'dv-1');
      await tx.createContact(x, 'dv-x');
      await tx.createContact(contact('s1'), 'dv-2');
    });
    await t.storage.transaction(async (tx) => {
      // dv-2 becomes c's second browser; one of dv-1's events went to x before.
      const second = (await tx.lockDevice('s1', 'dv-2')) as DeviceRecord;
      await tx.saveDevice({ ...second, contactId: c.id });
      await tx.insertEvents([
        stored('s1', event('dv-1', 1), x.id),
        stored('s1', event('dv-1', 2), c.id),
        stored('s1', event('dv-1', 3), c.id),
        stored('s1', event('dv-2', 4), c.id),
      ]);
    });
    const erased = await t.storage.transaction((tx) => tx.eraseDevice('s1', 'dv-1'));
    expect(erased?.owner).toBe(c.id);
    expect(erased?.ownerDevicesLeft).toBe(1);
    expect([...(erased?.contactIds ?? [])].sort()).toEqual([c.id, x.id].sort());
    expect(erased?.counts).toMatchObject({ events: 3, devices: 1, contacts: 0 });
    expect(await t.storage.device('s1', 'dv-1')).toBeNull();
    expect((await t.storage.listEvents(c.id, { limit: 10 })).map((r) => r.event.anonymousId)).toEqual([
      'dv-2',
    ]);
    expect(await t.storage.listEvents(x.id, { limit: 10 })).toEqual([]);
    expect(await t.storage.transaction((tx) => tx.eraseDevice('s1', 'dv-1'))).toBeNull();
  });

  it('keeps suppression keys and an audit trail per site, newest first', async () => {
    await t.storage.transaction(async (tx) => {
      await tx.addSuppressions('s1', ['h1', 'h2'], 5);
      await tx.addSuppressions('s1', ['h2'], 6);
      await tx.addSuppressions('s2', ['h3'], 5);
      for (const [i, action] of (['erase_contact', 'export_contact', 'erase_visitor'] as const).entries()) {
        await tx.appendAudit({
          siteKey: 's1',
          at: 100 + i,
          by: 'secret-key',
          action,
          contactId: `c${i}`,
          counts: { events: i },
        });
      }
      await tx.appendAudit({
        siteKey: 's2',
        at: 1,
        by: 'session',
        action: 'erase_contact',
        contactId: null,
        counts: {},
      });
    });
    expect([...(await t.storage.suppressed('s1', ['h1', 'h3', 'h9']))]).toEqual(['h1']);
    expect(await t.storage.suppressed('s1', [])).toEqual(new Set());
    const all = await t.storage.listAudit('s1', { limit: 10 });
    expect(all.map((e) => [e.action, e.contactId, e.counts, e.at, e.by])).toEqual([
      ['erase_visitor', 'c2', { events: 2 }, 102, 'secret-key'],
      ['export_contact', 'c1', { events: 1 }, 101, 'secret-key'],
      ['erase_contact', 'c0', { events: 0 }, 100, 'secret-key'],
    ]);
    const rest = await t.storage.listAudit('s1', { limit: 10, beforeId: all[0]?.id as number });
    expect(rest.map((e) => e.contactId)).toEqual(['c1', 'c0']);
    expect((await t.storage.listAudit('s2', { limit: 10 })).map((e) => e.contactId)).toEqual([null]);
  });

  it('prunes old events in bounded batches, keeps identify events and queues rescores once', async () => {
    const c = contact('s1');
    const at = (e: TrackedEvent, receivedAt: number, contactId: string | null, bot = false): StoredEvent => ({
      ...stored('s1', e, contactId, bot),
      receivedAt,
    });
    const who: TrackedEvent = { ...event('rt-1', 1, 'identify'), traits: { email: 'x@example.com' } };
    const fresh = event('rt-1', 9);
    await t.storage.transaction(async (tx) => {
      await tx.createContact(c, 'rt-1');
      await tx.insertEvents([
        ...[1, 2, 3, 4, 5].map((ts) => at(event('rt-1', ts), 1000, c.id)),
        at(who, 1000, c.id),
        at(event('rt-bot', 6), 1000, null, true),
        at(fresh, 5000, c.id),
        at(event('rt-2', 7), 1000, null, false),
      ]);
      await tx.insertEvents([{ ...at(event('rt-1', 8), 1000, null), siteKey: 's2' }]);
    });
    const sizes: number[] = [];
    for (let n = -1; n !== 0; ) {
      n = await t.storage.transaction((tx) => tx.pruneEvents('s1', 3000, 3));
      sizes.push(n);
    }
    expect(sizes).toEqual([3, 3, 1, 0]);
    expect((await t.storage.listEvents(c.id, { limit: 10 })).map((r) => r.event.id)).toEqual([
      who.id,
      fresh.id,
    ]);
    expect(await t.storage.transaction((tx) => tx.takeRescores('s1', 'contact', 10))).toEqual([c.id]);
    const first = await t.storage.transaction((tx) => tx.takeRescores('s1', 'device', 1));
    expect(first.length).toBe(1);
    const rest = await t.storage.transaction((tx) => tx.takeRescores('s1', 'device', 10));
    expect([...first, ...rest].sort()).toEqual(['rt-1', 'rt-2']);
    expect(await t.storage.transaction((tx) => tx.takeRescores('s1', 'device', 10))).toEqual([]);
    expect(await t.storage.transaction((tx) => tx.pruneEvents('s2', 3000, 10))).toBe(1);
    await t.storage.scrubDeleted();
  });
}
