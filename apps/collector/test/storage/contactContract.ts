import { expect, it } from 'vitest';
import type { ContactRecord } from '../../src/storage/storage.js';
import { contact, event, stored } from './contractRecords.js';
import type { StorageUnderTest } from './storageHarness.js';

/** Events, contacts, merges, notes and concurrent writers: what ingest and the lead routes rely on. */
export function describeContactContract(t: StorageUnderTest): void {
  it('stores an event once per (site, id), durably across a reopen', async () => {
    const c = contact('s1');
    await t.storage.transaction(async (tx) => {
      await tx.createContact(c, 'a1');
    });
    const e = event('a1', 5000);
    const first = await t.storage.transaction((tx) => tx.insertEvents([stored('s1', e, c.id)]));
    const again = await t.storage.transaction((tx) =>
      tx.insertEvents([stored('s1', e, c.id), stored('s1', e, c.id), stored('s2', e, null)]),
    );
    expect(first).toEqual([true]);
    expect(again).toEqual([false, false, true]);
    await t.reopen();
    const later = await t.storage.transaction((tx) => tx.insertEvents([stored('s1', e, c.id)]));
    expect(later).toEqual([false]);
    const events = await t.storage.listEvents(c.id, { limit: 10 });
    expect(events.map((r) => r.event)).toEqual([e]);
  });

  it('rolls a failed transaction back entirely', async () => {
    const c = contact('s1');
    await expect(
      t.storage.transaction(async (tx) => {
        await tx.createContact(c, 'a-rollback');
        await tx.insertEvents([stored('s1', event('a-rollback', 1), c.id)]);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await t.storage.contactByAnonymousId('s1', 'a-rollback')).toBeNull();
    expect(await t.storage.listEvents(c.id, { limit: 10 })).toEqual([]);
  });

  it('keeps concurrent transactions independent: one failing undoes only itself', async () => {
    const made = [contact('s1'), contact('s1'), contact('s1')];
    const results = await Promise.allSettled(
      made.map((c, i) =>
        t.storage.transaction(async (tx) => {
          await tx.createContact(c, `independent-${i}`);
          await tx.insertEvents([stored('s1', event(`independent-${i}`, 10), c.id)]);
          if (i === 1) throw new Error('only me');
          return c.id;
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((await t.storage.contactByAnonymousId('s1', 'independent-0'))?.id).toBe(made[0]?.id);
    expect(await t.storage.contactByAnonymousId('s1', 'independent-1')).toBeNull();
    expect((await t.storage.contactByAnonymousId('s1', 'independent-2'))?.id).toBe(made[2]?.id);
    expect(await t.storage.listEvents(made[1]?.id as string, { limit: 10 })).toEqual([]);
  });

  it('creates a contact per anonymous id once, and answers the winner on a second create', async () => {
    const a = contact('s1');
    const b = contact('s1');
    const ids = await t.storage.transaction(async (tx) => [
      await tx.createContact(a, 'same-anon'),
      await tx.createContact(b, 'same-anon'),
    ]);
    expect(ids).toEqual([a.id, a.id]);
    expect((await t.storage.contactByAnonymousId('s1', 'same-anon'))?.id).toBe(a.id);
    expect(await t.storage.contactByAnonymousId('s2', 'same-anon')).toBeNull();
  });

  it('saves and reads a contact with its state, score and stage bookkeeping', async () => {
    const c = contact('s1');
    await t.storage.transaction((tx) => tx.createContact(c, 'a-save'));
    await t.storage.transaction(async (tx) => {
      const locked = (await tx.lockContact(c.id)) as ContactRecord;
      locked.stage = 'customer';
      locked.email = 'ann@example.com';
      locked.revenue = 1234.5;
      locked.mqlAt = 3000;
      locked.mqlArmed = false;
      locked.reached = {
        visitor: 1000,
        lead: 2000,
        mql: 3000,
        sql: 4000,
        opportunity: 4000,
        customer: 5000,
      };
      locked.state.traits = { email: 'ann@example.com', role: 'vp' };
      await tx.saveContact(locked);
      await tx.appendStageChange(c.id, { from: 'visitor', to: 'lead', at: 2000, by: 'system' });
      await tx.appendStageChange(c.id, {
        from: 'lead',
        to: 'customer',
        at: 5000,
        by: 'sales',
        revenue: 1234.5,
      });
    });
    const read = await t.storage.getContact('s1', c.id);
    expect(read).toMatchObject({
      stage: 'customer',
      email: 'ann@example.com',
      revenue: 1234.5,
      mqlAt: 3000,
      mqlArmed: false,
      reached: { customer: 5000 },
    });
    expect(read?.state.traits).toEqual({ email: 'ann@example.com', role: 'vp' });
    expect(await t.storage.getContact('s2', c.id)).toBeNull();
    expect(await t.storage.stageHistory(c.id)).toEqual([
      { from: 'visitor', to: 'lead', at: 2000, by: 'system' },
      { from: 'lead', to: 'customer', at: 5000, by: 'sales', revenue: 1234.5 },
    ]);
  });

  it('merges one contact into another: anonymous ids, emails, events, history, redirect', async () => {
    const a = contact('s1');
    const b = contact('s1');
    const ea = event('anon-a', 100);
    const eb = event('anon-b', 50);
    const bot = event('anon-b', 60);
    await t.storage.transaction(async (tx) => {
      await tx.createContact(a, 'anon-a');
      await tx.createContact(b, 'anon-b');
      await tx.insertEvents([stored('s1', ea, a.id), stored('s1', eb, b.id), stored('s1', bot, b.id, true)]);
      await tx.linkEmail('s1', 'ann@example.com', a.id);
      await tx.linkEmail('s1', 'ann@work.example', b.id);
      await tx.appendStageChange(a.id, { from: 'visitor', to: 'lead', at: 300, by: 'system' });
      await tx.appendStageChange(b.id, { from: 'visitor', to: 'lead', at: 200, by: 'system' });
      await tx.appendNote('s1', b.id, { kind: 'owner', at: 250, by: 'session:Sam', text: 'Sam' });
    });
    await t.storage.transaction(async (tx) => {
      await tx.lockContact(a.id);
      await tx.lockContact(b.id);
      await tx.mergeContact(b.id, a.id);
      expect((await tx.contactEvents(a.id)).map((e) => e.id)).toEqual([eb.id, ea.id]);
      expect(await tx.contactIdForEmail('s1', 'ann@work.example')).toBe(a.id);
    });
    expect(await t.storage.anonymousIds(a.id)).toEqual(['anon-a', 'anon-b']);
    expect((await t.storage.getContact('s1', b.id))?.id).toBe(a.id);
    expect((await t.storage.stageHistory(a.id)).map((c) => c.at)).toEqual([200, 300]);
    expect((await t.storage.contactByAnonymousId('s1', 'anon-b'))?.id).toBe(a.id);
    expect(await t.storage.ownersOf([a.id, b.id])).toEqual(new Map([[a.id, 'Sam']]));
  });

  it('keeps notes and owner changes in order; the newest owner row is the owner, "" none', async () => {
    const a = contact('s1');
    const b = contact('s1');
    await t.storage.transaction(async (tx) => {
      await tx.createContact(a, 'note-a');
      await tx.createContact(b, 'note-b');
      await tx.appendNote('s1', a.id, { kind: 'note', at: 10, by: 'session:Sam', text: 'Called.' });
      await tx.appendNote('s1', a.id, { kind: 'owner', at: 11, by: 'session:Sam', text: 'Sam' });
      await tx.appendNote('s1', a.id, { kind: 'owner', at: 12, by: 'secret-key', text: 'Kim' });
      await tx.appendNote('s1', b.id, { kind: 'owner', at: 13, by: 'session:Kim', text: 'Kim' });
      await tx.appendNote('s1', b.id, { kind: 'owner', at: 14, by: 'session:Kim', text: '' });
    });
    expect(await t.storage.contactNotes(a.id)).toEqual([
      { kind: 'note', at: 10, by: 'session:Sam', text: 'Called.' },
      { kind: 'owner', at: 11, by: 'session:Sam', text: 'Sam' },
      { kind: 'owner', at: 12, by: 'secret-key', text: 'Kim' },
    ]);
    expect(await t.storage.ownersOf([a.id, b.id, 'missing'])).toEqual(new Map([[a.id, 'Kim']]));
    expect(await t.storage.ownersOf([])).toEqual(new Map());
    await t.storage.createSession('named', 's1', Date.now() + 60_000, 'Sam Rivera');
    expect(await t.storage.session('named', Date.now())).toEqual({ siteKey: 's1', name: 'Sam Rivera' });
    await t.storage.createSession('unnamed', 's1', Date.now() + 60_000);
    expect(await t.storage.session('unnamed', Date.now())).toEqual({ siteKey: 's1', name: null });
    expect(await t.storage.session('named', Date.now() + 120_000)).toBeNull();
  });

  it('serializes concurrent writers of one contact (no lost update)', async () => {
    const c = contact('s1');
    await t.storage.transaction((tx) => tx.createContact(c, 'busy'));
    await Promise.all(
      Array.from({ length: 20 }, () =>
        t.storage.transaction(async (tx) => {
          const locked = (await tx.lockContact(c.id)) as ContactRecord;
          await new Promise((resolve) => setImmediate(resolve));
          locked.eventCount += 1;
          await tx.saveContact(locked);
        }),
      ),
    );
    expect((await t.storage.getContact('s1', c.id))?.eventCount).toBe(20);
  });
}
