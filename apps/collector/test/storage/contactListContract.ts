import type { TrackedEvent } from '@leadlight/scoring-core';
import { expect, it } from 'vitest';
import type { ContactCursor, ContactQuery, ContactRecord, ListedContact } from '../../src/storage/storage.js';
import { contact, event, stored } from './contractRecords.js';
import type { StorageUnderTest } from './storageHarness.js';

/** Reads over a site's contacts and events: the lead list, event pages, the model review's pages, the funnel. */
export function describeContactListContract(t: StorageUnderTest): void {
  it('lists contacts by score with filters and cursors, never across sites', async () => {
    const scores = [5, 40, 40, 90, 12];
    const made: ContactRecord[] = [];
    await t.storage.transaction(async (tx) => {
      for (const [i, total] of scores.entries()) {
        const c = contact('s1', { stage: i === 3 ? 'mql' : 'lead' });
        c.score = { ...c.score, total };
        made.push(c);
        await tx.createContact(c, `list-${i}`);
      }
      await tx.createContact(contact('s2'), 'other-site');
    });
    const all = await t.storage.listContacts('s1', { limit: 10 });
    expect(all.map((r) => r.contact.score.total)).toEqual([90, 40, 40, 12, 5]);
    const first = await t.storage.listContacts('s1', { limit: 2 });
    const last = first.at(-1) as ListedContact;
    const rest = await t.storage.listContacts('s1', {
      limit: 10,
      after: { key: last.key, id: last.contact.id },
    });
    expect([...first, ...rest].map((r) => r.contact.id)).toEqual(all.map((r) => r.contact.id));
    expect((await t.storage.listContacts('s1', { limit: 10, minScore: 40 })).length).toBe(3);
    expect((await t.storage.listContacts('s1', { limit: 10, maxScore: 40 })).length).toBe(4);
    expect(
      (await t.storage.listContacts('s1', { limit: 10, stage: 'mql' })).map((r) => r.contact.score.total),
    ).toEqual([90]);
    expect((await t.storage.contactIds('s1', { limit: 100 })).length).toBe(5);
  });

  it('searches names, emails and companies, filters by owner and pages every sort both ways', async () => {
    const people = [
      {
        name: 'Ada Lovelace',
        email: 'ada@analytical.example',
        company: 'Analytical Engines',
        stage: 'mql',
      },
      { name: 'grace hopper', email: 'grace@navy.example', company: 'US Navy', stage: 'lead' },
      { name: '', email: 'zed@100%_sure.example', company: 'Ada & Co', stage: 'sql' },
      { name: 'Édith Piaf', email: null, company: null, stage: 'visitor' },
    ] as const;
    const made: ContactRecord[] = [];
    await t.storage.transaction(async (tx) => {
      for (const [i, p] of people.entries()) {
        const c = contact('s1', { stage: p.stage, email: p.email, lastSeenAt: 1000 + i * 7 });
        const traits = {
          ...(p.name ? { name: p.name } : {}),
          ...(p.company ? { company: p.company } : {}),
        };
        c.state = { ...c.state, traits };
        c.score = { ...c.score, total: [30, 30, 70, 5][i] as number, fit: [10, 0, 5, 0][i] as number };
        made.push(c);
        await tx.createContact(c, `search-${i}`);
      }
      await tx.appendNote('s1', made[0]!.id, { kind: 'owner', at: 1, by: 'x', text: 'Kim' });
      await tx.appendNote('s1', made[1]!.id, { kind: 'owner', at: 1, by: 'x', text: 'Kim' });
      await tx.appendNote('s1', made[1]!.id, { kind: 'owner', at: 2, by: 'x', text: '' });
      await tx.appendNote('s1', made[2]!.id, { kind: 'owner', at: 1, by: 'x', text: 'Lee' });
    });
    const names = async (query: Partial<ContactQuery>) =>
      (await t.storage.listContacts('s1', { limit: 50, ...query })).map((r) =>
        made.findIndex((c) => c.id === r.contact.id),
      );
    expect(await names({ words: ['ada'] })).toEqual([2, 0]);
    expect(await names({ words: ['ada', 'engines'] })).toEqual([0]);
    expect(await names({ words: ['navy.example'] })).toEqual([1]);
    expect(await names({ words: ['grace', 'hopper'] })).toEqual([1]);
    expect(await names({ words: ['édith'] })).toEqual([3]);
    // LIKE's own wildcards match only themselves.
    expect(await names({ words: ['100%_sure'] })).toEqual([2]);
    expect(await names({ words: ['0%x'] })).toEqual([]);
    expect(await names({ words: ['_'] })).toEqual([2]);
    expect(await names({ owner: 'Kim' })).toEqual([0]);
    expect(await names({ owner: null })).toEqual([1, 3]);
    expect(await names({ owner: 'Kim', words: ['grace'] })).toEqual([]);
    // By code point after lower-casing: "édith" after "zed".
    expect(await names({ sort: { key: 'name', dir: 'asc' } })).toEqual([0, 1, 2, 3]);
    expect(await names({ sort: { key: 'stage', dir: 'desc' } })).toEqual([2, 0, 1, 3]);
    expect(await names({ sort: { key: 'fit', dir: 'desc' } })).toEqual([0, 2, 1, 3]);
    expect(await names({ sort: { key: 'lastSeen', dir: 'asc' } })).toEqual([0, 1, 2, 3]);
    // Pages of one, on the cursor each page answers, give the same order for every sort.
    for (const key of ['score', 'fit', 'engagement', 'lastSeen', 'stage', 'name'] as const) {
      for (const dir of ['asc', 'desc'] as const) {
        const whole = await names({ sort: { key, dir } });
        const paged: number[] = [];
        let after: ContactCursor | undefined;
        for (let i = 0; i < 6; i += 1) {
          const page = await t.storage.listContacts('s1', {
            limit: 1,
            sort: { key, dir },
            ...(after ? { after } : {}),
          });
          if (!page[0]) break;
          paged.push(made.findIndex((c) => c.id === page[0]?.contact.id));
          after = { key: page[0].key, id: page[0].contact.id };
        }
        expect(paged, `${key} ${dir}`).toEqual(whole);
        expect(whole.length).toBe(4);
      }
    }
  });

  it("pages a contact's events in canonical order, by type, and lists the newest", async () => {
    const c = contact('s1');
    const events = [event('p', 30), event('p', 10, 'download'), event('p', 20), event('p', 20)];
    await t.storage.transaction(async (tx) => {
      await tx.createContact(c, 'p');
      await tx.insertEvents(events.map((e) => stored('s1', e, c.id)));
    });
    const canonical = [...events].sort((x, y) => x.ts - y.ts || (x.id < y.id ? -1 : 1)).map((e) => e.id);
    const page1 = await t.storage.listEvents(c.id, { limit: 2 });
    const tail = page1.at(-1)?.event as TrackedEvent;
    const page2 = await t.storage.listEvents(c.id, { limit: 10, after: { ts: tail.ts, id: tail.id } });
    expect([...page1, ...page2].map((r) => r.event.id)).toEqual(canonical);
    expect((await t.storage.listEvents(c.id, { limit: 10, type: 'download' })).length).toBe(1);
    expect((await t.storage.recentEvents(c.id, 1))[0]?.event.ts).toBe(30);
  });

  it("pages a site's identified contacts and its scored events in id order, for the model review", async () => {
    const made = ['m3', 'm1', 'm2'].map((key, i) =>
      contact('s1', {
        email: `${key}@example.com`,
        stage: 'sql',
        channel: i === 2 ? 'direct' : 'google / cpc',
        revenue: i === 0 ? 500 : null,
        mqlAt: 40,
        reached: { visitor: 10, lead: 20, mql: 40, sql: 50 },
      }),
    );
    const anonymous = contact('s1');
    const elsewhere = contact('s2', { email: 'm9@example.com' });
    const events = made.map((_made, i) => event(`anon-m${i}`, 100 - i));
    // The first touch's campaign is the earliest event's, whatever order the ids run in.
    const firstTouch = { ...event('anon-m0', 50), props: { utm_campaign: 'Launch' } };
    const later = { ...event('anon-m0', 60), props: { utm_campaign: 'later' } };
    // A first touch without UTM source or medium (channel "direct") has no campaign to read.
    events[2] = { ...(events[2] as TrackedEvent), props: { utm_campaign: 'untracked' } };
    await t.storage.transaction(async (tx) => {
      for (const [i, c] of made.entries()) await tx.createContact(c, `anon-m${i}`);
      await tx.createContact(anonymous, 'anon-x');
      await tx.createContact(elsewhere, 'anon-y');
      await tx.insertEvents([
        ...events.map((e, i) => stored('s1', e, (made[i] as ContactRecord).id)),
        stored('s1', later, made[0]?.id as string),
        stored('s1', firstTouch, made[0]?.id as string),
        stored('s1', event('anon-x', 5), anonymous.id),
        stored('s1', event('bot-1', 5), null, true),
        stored('s2', event('anon-y', 5), elsewhere.id),
      ]);
    });
    const first = await t.storage.contactOutcomes('s1', { limit: 2 });
    const rest = await t.storage.contactOutcomes('s1', { limit: 2, afterId: first.at(-1)?.id as string });
    const ids = made.map((c) => c.id).sort();
    expect([...first, ...rest].map((c) => c.id)).toEqual(ids);
    expect([...first, ...rest].find((c) => c.id === made[0]?.id)).toEqual({
      id: made[0]?.id,
      email: 'm3@example.com',
      channel: 'google / cpc',
      revenue: 500,
      mqlAt: 40,
      reached: { visitor: 10, lead: 20, mql: 40, sql: 50 },
      eventCount: 0,
      state: made[0]?.state,
      campaign: 'Launch',
    });
    expect([...first, ...rest].find((c) => c.id === made[1]?.id)?.campaign).toBeNull();
    expect([...first, ...rest].find((c) => c.id === made[2]?.id)?.campaign).toBeNull();
    const page1 = await t.storage.siteEvents('s1', { limit: 2 });
    const page2 = await t.storage.siteEvents('s1', { limit: 10, afterId: page1.at(-1)?.event.id as string });
    const all = [...page1, ...page2];
    expect(all.map((r) => r.event.id)).toEqual(all.map((r) => r.event.id).sort());
    expect(all).toHaveLength(6);
    expect(all.filter((r) => r.contactId === made[1]?.id).map((r) => r.event)).toEqual([events[1]]);
    expect(all.some((r) => r.event.anonymousId === 'bot-1' || r.event.anonymousId === 'anon-y')).toBe(false);
  });

  it('returns funnel contacts first seen in a range', async () => {
    await t.storage.transaction(async (tx) => {
      await tx.createContact(contact('s1', { firstSeenAt: 100 }), 'f1');
      await tx.createContact(contact('s1', { firstSeenAt: 200 }), 'f2');
      await tx.createContact(contact('s1', { firstSeenAt: 300 }), 'f3');
    });
    expect((await t.storage.funnelContacts('s1', { from: 150, to: 300 })).map((c) => c.firstSeenAt)).toEqual([
      200,
    ]);
  });
}
