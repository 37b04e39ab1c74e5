import {
  createState,
  hashModel,
  resultOf,
  type ScoringModel,
  type TrackedEvent,
} from '@leadlight/scoring-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type {
  ContactCursor,
  ContactQuery,
  ContactRecord,
  DeviceRecord,
  ListedContact,
  Storage,
  StoredEvent,
} from './storage.js';

/** What a storage adapter's test gives the contract suite. */
export interface StorageHarness {
  storage: Storage;
  /** Closes the storage and opens the same data again (a restart). */
  reopen(): Promise<Storage>;
  /** Closes whatever is open and deletes the data. */
  cleanup(): Promise<void>;
}

const MODEL: ScoringModel = {
  version: 'contract-1',
  rules: [{ id: 'any', event: 'page_view', points: 1 }],
  fit: [],
  mql: { total: 100 },
};

let counter = 0;
function uid(prefix: string): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter.toString(36).padStart(5, '0')}`;
}

function event(anonymousId: string, ts: number, type = 'page_view'): TrackedEvent {
  return { id: uid('e'), type, ts, anonymousId, path: '/' };
}

function contact(siteKey: string, overrides: Partial<ContactRecord> = {}): ContactRecord {
  const state = createState(MODEL);
  return {
    id: uid('c'),
    siteKey,
    stage: 'visitor',
    email: null,
    state,
    score: resultOf(MODEL, state, { now: 1000 }),
    eventCount: 0,
    createdAt: 1000,
    updatedAt: 1000,
    firstSeenAt: 1000,
    lastSeenAt: 1000,
    mqlAt: null,
    mqlArmed: true,
    revenue: null,
    channel: 'direct',
    reached: { visitor: 1000 },
    accountId: null,
    ...overrides,
  };
}

function stored(siteKey: string, e: TrackedEvent, contactId: string | null, bot = false): StoredEvent {
  return { siteKey, event: e, contactId, receivedAt: 2000, bot, flags: null };
}

/**
 * The behaviour every storage adapter must have; an adapter's test calls this with a factory that
 * opens fresh, empty storage (SQLite file, PostgreSQL schema, …).
 */
export function describeStorageContract(name: string, makeStorage: () => Promise<StorageHarness>): void {
  describe(`storage contract: ${name}`, () => {
    let h: StorageHarness;
    let storage: Storage;
    beforeEach(async () => {
      h = await makeStorage();
      storage = h.storage;
    });
    afterEach(async () => {
      await h.cleanup();
    });

    it('stores an event once per (site, id), durably across a reopen', async () => {
      const c = contact('s1');
      await storage.transaction(async (tx) => {
        await tx.createContact(c, 'a1');
      });
      const e = event('a1', 5000);
      const first = await storage.transaction((tx) => tx.insertEvents([stored('s1', e, c.id)]));
      const again = await storage.transaction((tx) =>
        tx.insertEvents([stored('s1', e, c.id), stored('s1', e, c.id), stored('s2', e, null)]),
      );
      expect(first).toEqual([true]);
      expect(again).toEqual([false, false, true]);
      storage = await h.reopen();
      const later = await storage.transaction((tx) => tx.insertEvents([stored('s1', e, c.id)]));
      expect(later).toEqual([false]);
      const events = await storage.listEvents(c.id, { limit: 10 });
      expect(events.map((r) => r.event)).toEqual([e]);
    });

    it('rolls a failed transaction back entirely', async () => {
      const c = contact('s1');
      await expect(
        storage.transaction(async (tx) => {
          await tx.createContact(c, 'a-rollback');
          await tx.insertEvents([stored('s1', event('a-rollback', 1), c.id)]);
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await storage.contactByAnonymousId('s1', 'a-rollback')).toBeNull();
      expect(await storage.listEvents(c.id, { limit: 10 })).toEqual([]);
    });

    it('keeps concurrent transactions independent: one failing undoes only itself', async () => {
      const made = [contact('s1'), contact('s1'), contact('s1')];
      const results = await Promise.allSettled(
        made.map((c, i) =>
          storage.transaction(async (tx) => {
            await tx.createContact(c, `independent-${i}`);
            await tx.insertEvents([stored('s1', event(`independent-${i}`, 10), c.id)]);
            if (i === 1) throw new Error('only me');
            return c.id;
          }),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect((await storage.contactByAnonymousId('s1', 'independent-0'))?.id).toBe(made[0]?.id);
      expect(await storage.contactByAnonymousId('s1', 'independent-1')).toBeNull();
      expect((await storage.contactByAnonymousId('s1', 'independent-2'))?.id).toBe(made[2]?.id);
      expect(await storage.listEvents(made[1]?.id as string, { limit: 10 })).toEqual([]);
    });

    it('creates a contact per anonymous id once, and answers the winner on a second create', async () => {
      const a = contact('s1');
      const b = contact('s1');
      const ids = await storage.transaction(async (tx) => [
        await tx.createContact(a, 'same-anon'),
        await tx.createContact(b, 'same-anon'),
      ]);
      expect(ids).toEqual([a.id, a.id]);
      expect((await storage.contactByAnonymousId('s1', 'same-anon'))?.id).toBe(a.id);
      expect(await storage.contactByAnonymousId('s2', 'same-anon')).toBeNull();
    });

    it('saves and reads a contact with its state, score and stage bookkeeping', async () => {
      const c = contact('s1');
      await storage.transaction((tx) => tx.createContact(c, 'a-save'));
      await storage.transaction(async (tx) => {
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
      const read = await storage.getContact('s1', c.id);
      expect(read).toMatchObject({
        stage: 'customer',
        email: 'ann@example.com',
        revenue: 1234.5,
        mqlAt: 3000,
        mqlArmed: false,
        reached: { customer: 5000 },
      });
      expect(read?.state.traits).toEqual({ email: 'ann@example.com', role: 'vp' });
      expect(await storage.getContact('s2', c.id)).toBeNull();
      expect(await storage.stageHistory(c.id)).toEqual([
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
      await storage.transaction(async (tx) => {
        await tx.createContact(a, 'anon-a');
        await tx.createContact(b, 'anon-b');
        await tx.insertEvents([
          stored('s1', ea, a.id),
          stored('s1', eb, b.id),
          stored('s1', bot, b.id, true),
        ]);
        await tx.linkEmail('s1', 'ann@example.com', a.id);
        await tx.linkEmail('s1', 'ann@work.example', b.id);
        await tx.appendStageChange(a.id, { from: 'visitor', to: 'lead', at: 300, by: 'system' });
        await tx.appendStageChange(b.id, { from: 'visitor', to: 'lead', at: 200, by: 'system' });
        await tx.appendNote('s1', b.id, { kind: 'owner', at: 250, by: 'session:Sam', text: 'Sam' });
      });
      await storage.transaction(async (tx) => {
        await tx.lockContact(a.id);
        await tx.lockContact(b.id);
        await tx.mergeContact(b.id, a.id);
        expect((await tx.contactEvents(a.id)).map((e) => e.id)).toEqual([eb.id, ea.id]);
        expect(await tx.contactIdForEmail('s1', 'ann@work.example')).toBe(a.id);
      });
      expect(await storage.anonymousIds(a.id)).toEqual(['anon-a', 'anon-b']);
      expect((await storage.getContact('s1', b.id))?.id).toBe(a.id);
      expect((await storage.stageHistory(a.id)).map((c) => c.at)).toEqual([200, 300]);
      expect((await storage.contactByAnonymousId('s1', 'anon-b'))?.id).toBe(a.id);
      expect(await storage.ownersOf([a.id, b.id])).toEqual(new Map([[a.id, 'Sam']]));
    });

    it('keeps notes and owner changes in order; the newest owner row is the owner, "" none', async () => {
      const a = contact('s1');
      const b = contact('s1');
      await storage.transaction(async (tx) => {
        await tx.createContact(a, 'note-a');
        await tx.createContact(b, 'note-b');
        await tx.appendNote('s1', a.id, { kind: 'note', at: 10, by: 'session:Sam', text: 'Called.' });
        await tx.appendNote('s1', a.id, { kind: 'owner', at: 11, by: 'session:Sam', text: 'Sam' });
        await tx.appendNote('s1', a.id, { kind: 'owner', at: 12, by: 'secret-key', text: 'Kim' });
        await tx.appendNote('s1', b.id, { kind: 'owner', at: 13, by: 'session:Kim', text: 'Kim' });
        await tx.appendNote('s1', b.id, { kind: 'owner', at: 14, by: 'session:Kim', text: '' });
      });
      expect(await storage.contactNotes(a.id)).toEqual([
        { kind: 'note', at: 10, by: 'session:Sam', text: 'Called.' },
        { kind: 'owner', at: 11, by: 'session:Sam', text: 'Sam' },
        { kind: 'owner', at: 12, by: 'secret-key', text: 'Kim' },
      ]);
      expect(await storage.ownersOf([a.id, b.id, 'missing'])).toEqual(new Map([[a.id, 'Kim']]));
      expect(await storage.ownersOf([])).toEqual(new Map());
      await storage.createSession('named', 's1', Date.now() + 60_000, 'Sam Rivera');
      expect(await storage.session('named', Date.now())).toEqual({ siteKey: 's1', name: 'Sam Rivera' });
      await storage.createSession('unnamed', 's1', Date.now() + 60_000);
      expect(await storage.session('unnamed', Date.now())).toEqual({ siteKey: 's1', name: null });
      expect(await storage.session('named', Date.now() + 120_000)).toBeNull();
    });

    it('lists contacts by score with filters and cursors, never across sites', async () => {
      const scores = [5, 40, 40, 90, 12];
      const made: ContactRecord[] = [];
      await storage.transaction(async (tx) => {
        for (const [i, total] of scores.entries()) {
          const c = contact('s1', { stage: i === 3 ? 'mql' : 'lead' });
          c.score = { ...c.score, total };
          made.push(c);
          await tx.createContact(c, `list-${i}`);
        }
        await tx.createContact(contact('s2'), 'other-site');
      });
      const all = await storage.listContacts('s1', { limit: 10 });
      expect(all.map((r) => r.contact.score.total)).toEqual([90, 40, 40, 12, 5]);
      const first = await storage.listContacts('s1', { limit: 2 });
      const last = first.at(-1) as ListedContact;
      const rest = await storage.listContacts('s1', {
        limit: 10,
        after: { key: last.key, id: last.contact.id },
      });
      expect([...first, ...rest].map((r) => r.contact.id)).toEqual(all.map((r) => r.contact.id));
      expect((await storage.listContacts('s1', { limit: 10, minScore: 40 })).length).toBe(3);
      expect((await storage.listContacts('s1', { limit: 10, maxScore: 40 })).length).toBe(4);
      expect(
        (await storage.listContacts('s1', { limit: 10, stage: 'mql' })).map((r) => r.contact.score.total),
      ).toEqual([90]);
      expect((await storage.contactIds('s1', { limit: 100 })).length).toBe(5);
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
      await storage.transaction(async (tx) => {
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
        (await storage.listContacts('s1', { limit: 50, ...query })).map((r) =>
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
            const page = await storage.listContacts('s1', {
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
      await storage.transaction(async (tx) => {
        await tx.createContact(c, 'p');
        await tx.insertEvents(events.map((e) => stored('s1', e, c.id)));
      });
      const canonical = [...events].sort((x, y) => x.ts - y.ts || (x.id < y.id ? -1 : 1)).map((e) => e.id);
      const page1 = await storage.listEvents(c.id, { limit: 2 });
      const tail = page1.at(-1)?.event as TrackedEvent;
      const page2 = await storage.listEvents(c.id, { limit: 10, after: { ts: tail.ts, id: tail.id } });
      expect([...page1, ...page2].map((r) => r.event.id)).toEqual(canonical);
      expect((await storage.listEvents(c.id, { limit: 10, type: 'download' })).length).toBe(1);
      expect((await storage.recentEvents(c.id, 1))[0]?.event.ts).toBe(30);
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
      await storage.transaction(async (tx) => {
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
      const first = await storage.contactOutcomes('s1', { limit: 2 });
      const rest = await storage.contactOutcomes('s1', { limit: 2, afterId: first.at(-1)?.id as string });
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
      const page1 = await storage.siteEvents('s1', { limit: 2 });
      const page2 = await storage.siteEvents('s1', { limit: 10, afterId: page1.at(-1)?.event.id as string });
      const all = [...page1, ...page2];
      expect(all.map((r) => r.event.id)).toEqual(all.map((r) => r.event.id).sort());
      expect(all).toHaveLength(6);
      expect(all.filter((r) => r.contactId === made[1]?.id).map((r) => r.event)).toEqual([events[1]]);
      expect(all.some((r) => r.event.anonymousId === 'bot-1' || r.event.anonymousId === 'anon-y')).toBe(
        false,
      );
    });

    it('returns funnel contacts first seen in a range', async () => {
      await storage.transaction(async (tx) => {
        await tx.createContact(contact('s1', { firstSeenAt: 100 }), 'f1');
        await tx.createContact(contact('s1', { firstSeenAt: 200 }), 'f2');
        await tx.createContact(contact('s1', { firstSeenAt: 300 }), 'f3');
      });
      expect((await storage.funnelContacts('s1', { from: 150, to: 300 })).map((c) => c.firstSeenAt)).toEqual([
        200,
      ]);
    });

    it('serializes concurrent writers of one contact (no lost update)', async () => {
      const c = contact('s1');
      await storage.transaction((tx) => tx.createContact(c, 'busy'));
      await Promise.all(
        Array.from({ length: 20 }, () =>
          storage.transaction(async (tx) => {
            const locked = (await tx.lockContact(c.id)) as ContactRecord;
            await new Promise((resolve) => setImmediate(resolve));
            locked.eventCount += 1;
            await tx.saveContact(locked);
          }),
        ),
      );
      expect((await storage.getContact('s1', c.id))?.eventCount).toBe(20);
    });

    it('leases outbox deliveries and tracks their outcome across a reopen', async () => {
      await storage.transaction(async (tx) => {
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
      const claimed = await storage.claimWebhooks(2000, 2, 10_000);
      expect(claimed.length).toBe(2);
      const second = await storage.claimWebhooks(2000, 10, 10_000);
      expect(second.length).toBe(1);
      expect(await storage.claimWebhooks(3000, 10, 10_000)).toEqual([]);
      const [a, b] = claimed as [(typeof claimed)[0], (typeof claimed)[0]];
      await storage.completeWebhook(a.id, 2500);
      await storage.retryWebhook(b.id, 50_000, 'HTTP 500');
      await storage.failWebhook((second[0] as (typeof claimed)[0]).id, 'gave up');
      storage = await h.reopen();
      expect(await storage.outboxStats('s1')).toEqual({ pending: 1, delivered: 1, dead: 1 });
      expect(await storage.claimWebhooks(49_999, 10, 1000)).toEqual([]);
      const retried = await storage.claimWebhooks(50_000, 10, 1000);
      expect(retried.map((i) => [i.id, i.attempts])).toEqual([[b.id, 1]]);
      // An expired lease (a crashed sender) makes the delivery due again.
      expect((await storage.claimWebhooks(51_001, 10, 1000)).map((i) => i.id)).toEqual([b.id]);
    });

    it('keeps published models, sessions and counters', async () => {
      const hash = hashModel(MODEL);
      expect(await storage.latestModel('s1')).toBeNull();
      await storage.saveModel('s1', { model: MODEL, hash, source: 'config', createdAt: 1 });
      await storage.saveModel('s1', {
        model: { ...MODEL, version: 'v2' },
        hash: 'h2',
        source: 'api',
        createdAt: 2,
      });
      expect(await storage.latestModel('s1')).toMatchObject({ hash: 'h2', source: 'api' });
      expect(await storage.lastConfigModelHash('s1')).toBe(hash);
      await storage.createSession('tok', 's1', Date.now() + 60_000);
      expect(await storage.sessionSite('tok', Date.now())).toBe('s1');
      expect(await storage.sessionSite('tok', Date.now() + 120_000)).toBeNull();
      await storage.deleteSession('tok');
      expect(await storage.sessionSite('tok', Date.now())).toBeNull();
      await storage.transaction(async (tx) => {
        await tx.addCounter('s1', 'browserDropped', 3);
        await tx.addCounter('s1', 'browserDropped', 4);
      });
      expect(await storage.counters('s1')).toEqual({ browserDropped: 7 });
      await storage.ping();
    });

    it('knows which anonymous ids no bot event is stored for yet, per site', async () => {
      await storage.transaction(async (tx) => {
        await tx.insertEvents([
          stored('s1', event('bot-seen', 1), null, true),
          stored('s1', event('person', 2), null),
          stored('s2', event('bot-elsewhere', 3), null, true),
        ]);
      });
      const unseen = await storage.transaction((tx) =>
        tx.newBotVisitors('s1', ['bot-seen', 'bot-new', 'person', 'bot-elsewhere']),
      );
      expect([...unseen].sort()).toEqual(['bot-elsewhere', 'bot-new', 'person']);
      expect(await storage.transaction((tx) => tx.newBotVisitors('s1', []))).toEqual(new Set());
      // Two batches of one new bot, at the same time: one of them finds it new.
      const answers = await Promise.all(
        [0, 1].map((i) =>
          storage.transaction(async (tx) => {
            const fresh = await tx.newBotVisitors('s1', ['bot-twice']);
            await tx.insertEvents([stored('s1', event('bot-twice', 10 + i), null, true)]);
            return fresh.has('bot-twice');
          }),
        ),
      );
      expect(answers.filter(Boolean)).toHaveLength(1);
    });

    it('erases a contact with everything held about it; ids merged into it lead nowhere', async () => {
      const a = contact('s1');
      const b = contact('s1');
      const other = contact('s1');
      const [ea, ebot, eb, eo] = [
        event('er-a1', 10),
        event('er-a1', 11),
        event('er-b', 12),
        event('er-o', 13),
      ];
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
      await storage.transaction(async (tx) => {
        await tx.createContact(a, 'er-a1');
        await tx.createContact(b, 'er-b');
        await tx.createContact(other, 'er-o');
        await tx.insertEvents([
          stored('s1', ea, a.id),
          stored('s1', ebot, null, true),
          stored('s1', eb, b.id),
        ]);
        await tx.insertEvents([stored('s1', eo, other.id)]);
        await tx.linkEmail('s1', 'ann@example.com', a.id);
        await tx.linkEmail('s1', 'ann@work.example', b.id);
        await tx.appendStageChange(a.id, { from: 'visitor', to: 'lead', at: 20, by: 'system' });
        await tx.appendNote('s1', a.id, { kind: 'note', at: 21, by: 'session:Sam', text: 'Called.' });
        await tx.enqueueWebhook(hook('wa', a.id));
        await tx.enqueueWebhook(hook('wb', b.id));
        await tx.enqueueWebhook(hook('wo', other.id));
      });
      await storage.transaction(async (tx) => {
        await tx.lockContact(a.id);
        await tx.lockContact(b.id);
        await tx.mergeContact(b.id, a.id);
      });
      expect(
        (await storage.listUnattachedEvents('s1', 'er-a1', { limit: 10 })).map((r) => r.event.id),
      ).toEqual([ebot.id]);
      expect(await storage.emailsOf(a.id)).toEqual(['ann@example.com', 'ann@work.example']);
      const erased = await storage.transaction(async (tx) => {
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
      for (const id of [a.id, b.id]) expect(await storage.getContact('s1', id)).toBeNull();
      for (const anon of ['er-a1', 'er-b']) {
        expect(await storage.contactByAnonymousId('s1', anon)).toBeNull();
        expect(await storage.device('s1', anon)).toBeNull();
        expect(await storage.deviceEvents('s1', anon)).toEqual([]);
      }
      expect(await storage.listUnattachedEvents('s1', 'er-a1', { limit: 10 })).toEqual([]);
      expect(await storage.listEvents(a.id, { limit: 10 })).toEqual([]);
      expect(await storage.stageHistory(a.id)).toEqual([]);
      expect(await storage.emailsOf(a.id)).toEqual([]);
      expect(await storage.transaction((tx) => tx.contactIdForEmail('s1', 'ann@example.com'))).toBeNull();
      expect((await storage.listContacts('s1', { limit: 10 })).map((r) => r.contact.id)).toEqual([other.id]);
      expect((await storage.listEvents(other.id, { limit: 10 })).map((r) => r.event.id)).toEqual([eo.id]);
      expect(await storage.outboxStats('s1')).toEqual({ pending: 1, delivered: 0, dead: 0 });
    });

    it('erases one browser: its row and every event it sent, naming the contacts that lost events', async () => {
      const c = contact('s1');
      const x = contact('s1');
      await storage.transaction(async (tx) => {
        await tx.createContact(c, 'dv-1');
        await tx.createContact(x, 'dv-x');
        await tx.createContact(contact('s1'), 'dv-2');
      });
      await storage.transaction(async (tx) => {
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
      const erased = await storage.transaction((tx) => tx.eraseDevice('s1', 'dv-1'));
      expect(erased?.owner).toBe(c.id);
      expect(erased?.ownerDevicesLeft).toBe(1);
      expect([...(erased?.contactIds ?? [])].sort()).toEqual([c.id, x.id].sort());
      expect(erased?.counts).toMatchObject({ events: 3, devices: 1, contacts: 0 });
      expect(await storage.device('s1', 'dv-1')).toBeNull();
      expect((await storage.listEvents(c.id, { limit: 10 })).map((r) => r.event.anonymousId)).toEqual([
        'dv-2',
      ]);
      expect(await storage.listEvents(x.id, { limit: 10 })).toEqual([]);
      expect(await storage.transaction((tx) => tx.eraseDevice('s1', 'dv-1'))).toBeNull();
    });

    it('keeps suppression keys and an audit trail per site, newest first', async () => {
      await storage.transaction(async (tx) => {
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
      expect([...(await storage.suppressed('s1', ['h1', 'h3', 'h9']))]).toEqual(['h1']);
      expect(await storage.suppressed('s1', [])).toEqual(new Set());
      const all = await storage.listAudit('s1', { limit: 10 });
      expect(all.map((e) => [e.action, e.contactId, e.counts, e.at, e.by])).toEqual([
        ['erase_visitor', 'c2', { events: 2 }, 102, 'secret-key'],
        ['export_contact', 'c1', { events: 1 }, 101, 'secret-key'],
        ['erase_contact', 'c0', { events: 0 }, 100, 'secret-key'],
      ]);
      const rest = await storage.listAudit('s1', { limit: 10, beforeId: all[0]?.id as number });
      expect(rest.map((e) => e.contactId)).toEqual(['c1', 'c0']);
      expect((await storage.listAudit('s2', { limit: 10 })).map((e) => e.contactId)).toEqual([null]);
    });

    it('prunes old events in bounded batches, keeps identify events and queues rescores once', async () => {
      const c = contact('s1');
      const at = (
        e: TrackedEvent,
        receivedAt: number,
        contactId: string | null,
        bot = false,
      ): StoredEvent => ({
        ...stored('s1', e, contactId, bot),
        receivedAt,
      });
      const who: TrackedEvent = { ...event('rt-1', 1, 'identify'), traits: { email: 'x@example.com' } };
      const fresh = event('rt-1', 9);
      await storage.transaction(async (tx) => {
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
        n = await storage.transaction((tx) => tx.pruneEvents('s1', 3000, 3));
        sizes.push(n);
      }
      expect(sizes).toEqual([3, 3, 1, 0]);
      expect((await storage.listEvents(c.id, { limit: 10 })).map((r) => r.event.id)).toEqual([
        who.id,
        fresh.id,
      ]);
      expect(await storage.transaction((tx) => tx.takeRescores('s1', 'contact', 10))).toEqual([c.id]);
      const first = await storage.transaction((tx) => tx.takeRescores('s1', 'device', 1));
      expect(first.length).toBe(1);
      const rest = await storage.transaction((tx) => tx.takeRescores('s1', 'device', 10));
      expect([...first, ...rest].sort()).toEqual(['rt-1', 'rt-2']);
      expect(await storage.transaction((tx) => tx.takeRescores('s1', 'device', 10))).toEqual([]);
      expect(await storage.transaction((tx) => tx.pruneEvents('s2', 3000, 10))).toBe(1);
      await storage.scrubDeleted();
    });
  });
}
