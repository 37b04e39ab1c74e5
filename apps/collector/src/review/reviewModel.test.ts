import {
  createState,
  foldEvents,
  hashModel,
  type ScoreState,
  type TrackedEvent,
  validateModel,
} from '@leadlight/scoring-core';
import { describe, expect, it } from 'vitest';
import type { RunningSite } from '../siteRegistry.js';
import type { ContactEvent, ContactOutcome, EventRecord, Storage } from '../storage/storage.js';
import type { SiteConfig } from '../validateConfig.js';
import { type ModelReview, ReviewStopped, reviewModel } from './reviewModel.js';

const checked = validateModel({
  version: 'deep-cap',
  halfLifeDays: 7,
  rules: [
    { id: 'pricing', event: 'page_view', match: { path: '/pricing*' }, points: 2, max: 20 },
    { id: 'docs', event: 'page_view', match: { path: '/docs*' }, points: 1 },
  ],
  fit: [{ id: 'buyer', trait: 'role', equals: 'vp', points: 10 }],
  mql: { total: 20 },
});
if (!checked.ok) throw new Error('test model does not validate');
const MODEL = checked.model;
const SITE = {
  config: { siteKey: 's1' } as SiteConfig,
  model: MODEL,
  modelHash: hashModel(MODEL),
} as RunningSite;
const T0 = 1_700_000_000_000;

/** `count` views of `path` whose ids run against their times (a pass in id order meets each one late). */
function reversed(contactId: string, count: number, path = '/pricing'): TrackedEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `${contactId}-${path}-${String(99 - i).padStart(2, '0')}`,
    type: 'page_view',
    ts: T0 + i * 60_000,
    anonymousId: contactId,
    path,
  }));
}

interface Person {
  id: string;
  events: TrackedEvent[];
  sqlAt?: number;
  /** Store a state made for another model (as before a rescore). */
  stale?: boolean;
}

/** Just the reads a review makes, over arrays, recording which of them were made. */
function fakeStorage(people: Person[]) {
  const events: ContactEvent[] = people.flatMap((p) => p.events.map((event) => ({ contactId: p.id, event })));
  const byId = events.sort((a, b) => (a.event.id < b.event.id ? -1 : 1));
  const calls = { listEvents: [] as string[], siteEvents: 0 };
  const outcomes: ContactOutcome[] = people.map((p) => {
    const state: ScoreState = foldEvents(MODEL, createState(MODEL), p.events);
    return {
      id: p.id,
      email: `${p.id}@x.test`,
      channel: 'direct',
      revenue: null,
      mqlAt: null,
      reached: { lead: T0, ...(p.sqlAt !== undefined ? { sql: p.sqlAt } : {}) },
      eventCount: p.events.length,
      state: p.stale ? { ...state, modelHash: 'older-model' } : state,
      campaign: null,
    };
  });
  const storage = {
    contactOutcomes: async (_site: string, q: { afterId?: string; limit: number }) =>
      outcomes.filter((c) => c.id > (q.afterId ?? '')).slice(0, q.limit),
    siteEvents: async (_site: string, q: { afterId?: string; limit: number }) => {
      calls.siteEvents++;
      return byId.filter((e) => e.event.id > (q.afterId ?? '')).slice(0, q.limit);
    },
    listEvents: async (contactId: string): Promise<EventRecord[]> => {
      calls.listEvents.push(contactId);
      return events
        .filter((e) => e.contactId === contactId)
        .map((e) => ({ event: e.event, receivedAt: 0, bot: false, flags: null }))
        .sort((a, b) => a.event.ts - b.event.ts || (a.event.id < b.event.id ? -1 : 1));
    },
  } as unknown as Storage;
  return { storage, calls };
}

const NOW = T0 + 3 * 86_400_000;
const figures = ({ durationMs: _d, refolded: _r, ...rest }: ModelReview) => rest;

/** Ten people: pricing views (the positives' last ones at or after their SQL), docs views, vps. */
function crowd(stale: (i: number) => boolean): Person[] {
  return Array.from({ length: 10 }, (_, i) => {
    const id = `p${i}`;
    const events = [...reversed(id, i % 2 === 0 ? 2 + i : 30 + i), ...reversed(id, i % 3, '/docs')];
    if (i % 4 === 0)
      events.push({
        id: `${id}-identify`,
        type: 'identify',
        ts: T0 + 1,
        anonymousId: id,
        traits: { role: 'vp' },
      });
    return { id, events, stale: stale(i), ...(i % 2 === 0 ? { sqlAt: T0 + (i + 1) * 60_000 } : {}) };
  });
}

describe('reviewModel', () => {
  it('reads no event of contacts whose stored state ends before their cutoff, and agrees with a refold', async () => {
    const now = await reviewModel(fakeStorage(crowd(() => true)).storage, SITE, 'sql', { now: NOW });
    // Positives browsed on after their SQL: those are read again; the others come from their states.
    const fresh = fakeStorage(crowd(() => false));
    const stored = await reviewModel(fresh.storage, SITE, 'sql', { now: NOW });
    expect(fresh.calls.listEvents.sort()).toEqual(['p0', 'p2', 'p4', 'p6', 'p8']);
    expect(fresh.calls.siteEvents).toBe(0);
    expect(figures(stored)).toEqual(figures(now));
    expect(stored.rules.map((r) => r.fired)).toEqual([10, 6, 3]);
    expect(stored.positives).toBe(5);
    expect([stored.refolded, now.refolded]).toEqual([5, 10]);
  });

  it('passes over the site events once when the contacts to refold hold most events', async () => {
    const all = fakeStorage(crowd(() => true));
    await reviewModel(all.storage, SITE, 'sql', { now: NOW });
    expect(all.calls.siteEvents).toBeGreaterThan(0);
    // Only the two whose 37 and 39 views came in against time past what a state remembers.
    expect(all.calls.listEvents.sort()).toEqual(['p7', 'p9']);
  });

  it('refolds a contact from its own events when the pass meets more late events than a state remembers', async () => {
    const { storage, calls } = fakeStorage([
      { id: 'a', events: reversed('a', 40), stale: true },
      { id: 'b', events: reversed('b', 40), stale: true, sqlAt: T0 + 14.5 * 60_000 },
    ]);
    const review = await reviewModel(storage, SITE, 'sql', { now: T0 + 40 * 60_000 });
    // a's 40 views displace 20 counted ones (a state remembers 16); b's 15 before its SQL fold in place.
    expect(calls.listEvents).toEqual(['a']);
    // a: 20 counted views × 2 points; b: 15 × 2 (decay over minutes is tiny).
    expect(review.current).toMatchObject({ mqls: 2, precision: 0.5, recall: 1, auc: 0 });
    expect(review.rules[0]).toMatchObject({ id: 'pricing', fired: 2, firedPositives: 1 });
    expect(review).toMatchObject({ contacts: 2, positives: 1, suggestion: null });
  });

  it('stops between pages when asked', async () => {
    const { storage } = fakeStorage([{ id: 'a', events: [] }]);
    await expect(
      reviewModel(storage, SITE, 'sql', { now: 1, shouldStop: () => true }),
    ).rejects.toBeInstanceOf(ReviewStopped);
  });
});
