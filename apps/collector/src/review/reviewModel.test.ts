import { seededRandom } from '@leadlight/devtools/seededRandom';
import {
  createState,
  evaluate,
  foldEvents,
  hashModel,
  type ScoreState,
  type ScoringModel,
  type TrackedEvent,
  validateModel,
} from '@leadlight/scoring-core';
import type { ModelReview, Suggestion } from '@leadlight/scoring-core/wire';
import { describe, expect, it } from 'vitest';
import type { SiteConfig } from '../config/validateSite.js';
import type { RunningSite } from '../siteRegistry.js';
import type { ContactEvent, ContactOutcome, EventRecord, Storage } from '../storage/storage.js';
import { featureLayout, scoreColumns, writeFeatures } from './reviewFeatures.js';
import { rocAuc } from './reviewMath.js';
import { ReviewStopped, reviewModel } from './reviewModel.js';
import { splitFraction, suggestModel, TRAIN_SHARE } from './suggestModel.js';

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
function fakeStorage(people: Person[], model: ScoringModel = MODEL) {
  const events: ContactEvent[] = people.flatMap((p) => p.events.map((event) => ({ contactId: p.id, event })));
  const byId = events.sort((a, b) => (a.event.id < b.event.id ? -1 : 1));
  const calls = { listEvents: [] as string[], siteEvents: 0 };
  const outcomes: ContactOutcome[] = people.map((p) => {
    const state: ScoreState = foldEvents(model, createState(model), p.events);
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

// A rule that has no effect on the outcome must not look predictive because of when contacts are judged:
// positives convert hours to days after their last visit, while the others' last visits lie weeks before
// the review. Judged at the review's time, their engagement has decayed far more than a converting
// contact's ever did, and every engagement rule looks like a sign of a sale.
describe('the cutoff of contacts without the outcome', () => {
  const DAY = 86_400_000;
  const HOUR = 3_600_000;
  const decayed = validateModel({
    version: 'decay-bias',
    halfLifeDays: 30,
    rules: [
      { id: 'pricing', event: 'page_view', match: { path: '/pricing*' }, points: 10, max: 3 },
      {
        id: 'kb',
        label: 'Read the knowledge base',
        event: 'page_view',
        match: { path: '/kb*' },
        points: 5,
        max: 3,
      },
      { id: 'demo', event: 'cta_click', match: { cta: 'demo' }, points: 20, max: 1 },
    ],
    fit: [{ id: 'buyer', trait: 'role', in: ['vp', 'director'], points: 10 }],
    mql: { total: 40 },
  });
  if (!decayed.ok) throw new Error('test model does not validate');
  const model = decayed.model;
  const site = { config: { siteKey: 's1' } as SiteConfig, model, modelHash: hashModel(model) } as RunningSite;
  const now = Date.UTC(2026, 5, 1);

  /** Knowledge-base reads do nothing to the odds; pricing views, a demo request and a buyer role do. */
  function people(seed: number, count: number): (Person & { lastAt: number; delay: number })[] {
    const random = seededRandom(seed);
    const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)] as T;
    return Array.from({ length: count }, (_, n) => {
      const id = `s${seed}-${String(n).padStart(4, '0')}`;
      const pricing = pick([0, 0, 1, 2, 3]);
      const kb = pick([0, 0, 1, 2, 3]);
      const demo = random() < 0.25;
      const buyer = random() < 0.35;
      const logit = -2.4 + 0.6 * pricing + 2 * (demo ? 1 : 0) + 1 * (buyer ? 1 : 0) + 0 * kb;
      const positive = random() < 1 / (1 + Math.exp(-logit));
      // The last visit 5 to 90 days before the review; sales take positives 2 hours to 3 days after it.
      const lastAt = now - 5 * DAY - Math.floor(random() * 85 * DAY);
      const delay = 2 * HOUR + Math.floor(random() * 3 * DAY);
      const visits: Partial<TrackedEvent>[] = [
        { type: 'identify', traits: { email: `${id}@x.test`, role: buyer ? 'vp' : 'engineer' } },
        ...Array.from({ length: pricing }, () => ({ type: 'page_view', path: '/pricing' })),
        ...Array.from({ length: kb }, (_, k) => ({ type: 'page_view', path: `/kb/${k}` })),
        ...(demo ? [{ type: 'cta_click', props: { cta: 'demo' } }] : []),
        { type: 'page_view', path: '/' },
      ];
      const events = visits.map(
        (visit, k) =>
          ({
            id: `${id}-${String(k).padStart(2, '0')}`,
            ts: lastAt - (visits.length - 1 - k) * HOUR,
            anonymousId: id,
            ...visit,
          }) as TrackedEvent,
      );
      return { id, events, lastAt, delay, ...(positive ? { sqlAt: lastAt + delay } : {}) };
    });
  }

  it('judges them at their last visit plus a converting contact’s delay, so a rule without effect gets no weight', async () => {
    const crowd = people(7, 900);
    const positives = crowd.filter((p) => p.sqlAt !== undefined);
    const labels = Uint8Array.from(crowd, (p) => (p.sqlAt !== undefined ? 1 : 0));
    const review = await reviewModel(fakeStorage(crowd, model).storage, site, 'sql', { now });
    expect(review.positives).toBe(positives.length);
    const delays = positives.map((p) => p.delay).sort((a, b) => a - b);
    expect(review.negativeCutoff).toEqual({
      delays: positives.length,
      p10DelayMs: delays[Math.floor(0.1 * delays.length)],
      medianDelayMs: delays[Math.floor(0.5 * delays.length)],
      p90DelayMs: delays[Math.floor(0.9 * delays.length)],
      judgedEarlier: crowd.length - positives.length,
    });

    // Before: every contact without the outcome judged at the review's time.
    const layout = featureLayout(model);
    const d = layout.ids.length;
    const columns = new Float64Array(crowd.length * d);
    crowd.forEach((p, i) => {
      writeFeatures(layout, p.events, p.sqlAt ?? now, columns, i * d);
    });
    const totals = Float64Array.from(
      crowd,
      (_p, i) => scoreColumns(layout, layout.points, columns, i * d).total,
    );
    const biased = suggestModel({
      model,
      layout,
      columns,
      labels,
      train: Uint8Array.from(crowd, (p) => (splitFraction(p.id) < TRAIN_SHARE ? 1 : 0)),
      currentTotals: totals,
      currentMqls: totals.filter((t) => t >= 40).length,
    }) as Suggestion;
    const pointsOf = (s: Suggestion) => (id: string) =>
      s.model.rules.find((r) => r.id === id)?.points as number;
    const before = pointsOf(biased);
    // The knowledge base, worth nothing, looks worth about half a pricing view (4 and 10 points here).
    expect(before('kb')).toBeGreaterThan(0.3 * before('pricing'));
    const biasedAuc = rocAuc(totals, labels) as number;

    // After: its weight is near zero next to the rules that matter.
    const after = pointsOf(review.suggestion as Suggestion);
    expect(Math.abs(after('kb'))).toBeLessThan(0.2 * after('pricing'));
    expect(after('demo')).toBeGreaterThan(2 * after('pricing'));

    // Today's AUC is the one fresh leads show when everyone is judged as long after a visit as sales take.
    const fresh = people(8, 3000);
    const freshTotals = fresh.map((p) => evaluate(model, p.events, { now: p.lastAt + p.delay }).total);
    const freshAuc = rocAuc(
      freshTotals,
      fresh.map((p) => (p.sqlAt !== undefined ? 1 : 0)),
    ) as number;
    // Judged at the review's time it looked far better (0.91 against 0.76 here).
    expect(biasedAuc).toBeGreaterThan(freshAuc + 0.1);
    expect(Math.abs((review.current.auc as number) - freshAuc)).toBeLessThan(0.04);
  });
});
