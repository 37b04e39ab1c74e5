import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sortEvents } from './canonicalOrder.js';
import { evaluate, resultOf } from './evaluate.js';
import { mergeStates } from './mergeStates.js';
import { createState, foldEvent, foldEvents, tryFoldEvent } from './scoreState.js';
import type { ScoreState, ScoringModel, TrackedEvent } from './types.js';
import { validateModel } from './validateModel.js';

const checked = validateModel({
  version: 'prop',
  halfLifeDays: 3,
  rules: [
    { id: 'pricing', event: 'page_view', match: { path: '/pricing*' }, points: 10, max: 3 },
    { id: 'docs', event: 'page_view', match: { path: ['/docs*', '/kb*'] }, points: 2.5 },
    { id: 'careers', event: 'page_view', match: { path: '/careers*' }, points: -10, max: 1 },
    { id: 'pdf', event: 'download', match: { ext: 'pdf' }, points: 5, max: 2 },
    { id: 'cta', event: ['cta_click', 'form_submit'], points: 3.3 },
  ],
  fit: [
    { id: 'size', trait: 'companySize', gte: 200, points: 15 },
    { id: 'role', trait: 'role', in: ['vp', 'director'], points: 10 },
    { id: 'intern', trait: 'role', equals: 'intern', points: -20 },
  ],
  mql: { total: 30, fit: 10 },
});
if (!checked.ok) throw new Error('bad test model');
const model: ScoringModel = checked.model;
const T = Date.UTC(2026, 0, 1);

const arbitraryEvent: fc.Arbitrary<TrackedEvent> = fc
  .record({
    id: fc.stringMatching(/^[0-9a-f]{1,6}$/),
    ts: fc.integer({ min: T, max: T + 20 * 86_400_000 }),
    kind: fc.constantFrom('pricing', 'docs', 'careers', 'home', 'pdf', 'zip', 'cta', 'form', 'identify'),
    role: fc.constantFrom('vp', 'intern', 'director', 'engineer'),
    size: fc.integer({ min: 1, max: 1000 }),
    email: fc.boolean(),
  })
  .map(({ id, ts, kind, role, size, email }): TrackedEvent => {
    const e: TrackedEvent = { id, ts, type: 'page_view', anonymousId: 'a' };
    if (kind === 'pricing' || kind === 'docs' || kind === 'careers' || kind === 'home')
      return { ...e, path: kind === 'home' ? '/' : `/${kind}/x` };
    if (kind === 'pdf' || kind === 'zip') return { ...e, type: 'download', props: { ext: kind } };
    if (kind === 'cta') return { ...e, type: 'cta_click', props: { cta: 'demo' } };
    if (kind === 'form') return { ...e, type: 'form_submit', props: { form: 'demo' } };
    return {
      ...e,
      type: 'identify',
      traits: { role, companySize: size, ...(email ? { email: 'x@y.z' } : {}) },
    };
  });

/** Events as a set: one event per id (the wire's idempotency key). */
const arbitraryEvents = fc.uniqueArray(arbitraryEvent, { selector: (e) => e.id, maxLength: 40 });
const arbitraryNow = fc.integer({ min: T, max: T + 60 * 86_400_000 });

describe('scoring properties', () => {
  it('evaluate depends only on the set of events: order and repeats do not matter', () => {
    fc.assert(
      fc.property(arbitraryEvents, arbitraryNow, fc.integer(), (events, now, seed) => {
        const shuffled = fc.sample(fc.shuffledSubarray(events, { minLength: events.length }), {
          seed,
          numRuns: 1,
        })[0]!;
        const withRepeats = [...shuffled, ...shuffled.slice(0, 3)];
        expect(evaluate(model, withRepeats, { now })).toEqual(evaluate(model, events, { now }));
      }),
      { numRuns: 500 },
    );
  });

  it('folding in canonical order, in any chunks, equals evaluate', () => {
    fc.assert(
      fc.property(arbitraryEvents, arbitraryNow, fc.array(fc.nat(40)), (events, now, cuts) => {
        const sorted = sortEvents(events);
        const state = createState(model);
        let at = 0;
        for (const cut of [...cuts.sort((a, b) => a - b), sorted.length]) {
          foldEvents(model, state, sorted.slice(at, Math.max(at, cut)));
          at = Math.max(at, cut);
        }
        expect(resultOf(model, state, { now })).toEqual(evaluate(model, events, { now }));
      }),
      { numRuns: 500 },
    );
  });

  it('a state survives a JSON round trip at any point of the stream', () => {
    fc.assert(
      fc.property(arbitraryEvents, fc.nat(40), arbitraryNow, (events, at, now) => {
        const sorted = sortEvents(events);
        const state = createState(model);
        for (const e of sorted.slice(0, at)) foldEvent(model, state, e);
        const revived = JSON.parse(JSON.stringify(state));
        expect(revived).toEqual(state);
        for (const e of sorted.slice(at)) foldEvent(model, revived, e);
        expect(resultOf(model, revived, { now })).toEqual(evaluate(model, events, { now }));
      }),
      { numRuns: 500 },
    );
  });

  it('results are rounded to 2 decimals and total is fit + engagement within rounding', () => {
    fc.assert(
      fc.property(arbitraryEvents, arbitraryNow, (events, now) => {
        const r = evaluate(model, events, { now });
        for (const n of [r.total, r.fit, r.engagement, ...r.breakdown.map((b) => b.points)])
          expect(Math.round(n * 100) / 100).toBe(n);
        expect(Math.abs(r.total - (r.fit + r.engagement))).toBeLessThanOrEqual(0.0100001);
      }),
      { numRuns: 300 },
    );
  });

  /** Folds events in arrival order as the collector does: late ones in place, a replay only when refused. */
  const foldArriving = (events: TrackedEvent[]): { state: ScoreState; replays: number } => {
    let state = createState(model);
    let replays = 0;
    events.forEach((event, i) => {
      if (tryFoldEvent(model, state, event)) return;
      replays += 1;
      state = foldEvents(model, createState(model), events.slice(0, i + 1));
    });
    return { state, replays };
  };

  /** Same counts, traits and positions as evaluate's fold; decayed sums equal up to rounding. */
  const expectSameAsCanonical = (state: ScoreState, events: TrackedEvent[], now: number) => {
    const canonical = foldEvents(model, createState(model), events);
    expect(state.counts).toEqual(canonical.counts);
    expect(state.traits).toEqual(canonical.traits);
    expect(state.identified).toBe(canonical.identified);
    expect(state.last).toEqual(canonical.last);
    expect(state.events).toBe(canonical.events);
    const got = resultOf(model, state, { now });
    const want = resultOf(model, canonical, { now });
    expect(got.stage).toBe(want.stage);
    expect(got.fit).toBe(want.fit);
    expect(Math.abs(got.total - want.total)).toBeLessThanOrEqual(0.01);
    expect(got.breakdown.map((b) => [b.rule, b.count])).toEqual(want.breakdown.map((b) => [b.rule, b.count]));
  };

  it('events folded in any arrival order give the canonical result, with no replay for a short model cap', () => {
    fc.assert(
      fc.property(arbitraryEvents, arbitraryNow, fc.integer(), (events, now, seed) => {
        const arriving = fc.sample(fc.shuffledSubarray(events, { minLength: events.length }), {
          seed,
          numRuns: 1,
        })[0]!;
        const { state, replays } = foldArriving(arriving);
        // Every cap of this model is shorter than a tail, so no late event ever needs the history.
        expect(replays).toBe(0);
        expectSameAsCanonical(state, events, now);
      }),
      { numRuns: 500 },
    );
  });

  it('merging the states of two disjoint event sets equals folding their union', () => {
    fc.assert(
      fc.property(
        arbitraryEvents,
        arbitraryNow,
        fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
        (events, now, side) => {
          const left = events.filter((_, i) => side[i]);
          const right = events.filter((_, i) => !side[i]);
          const merged = mergeStates(model, foldArriving(left).state, foldArriving(right).state);
          expect(merged).not.toBeNull();
          expectSameAsCanonical(merged as ScoreState, events, now);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('a cap longer than the tail still gives the canonical result (replaying only when the tail runs out)', () => {
    const long = validateModel({
      version: 'long-cap',
      halfLifeDays: 3,
      rules: [{ id: 'any', event: 'page_view', points: 1, max: 20 }],
      fit: [],
      mql: { total: 10 },
    });
    if (!long.ok) throw new Error('bad model');
    const views = Array.from(
      { length: 60 },
      (_, i): TrackedEvent => ({
        id: `e${String(i).padStart(3, '0')}`,
        ts: T + i * 60_000,
        type: 'page_view',
        anonymousId: 'a',
      }),
    );
    // Newest first: every event after the 20th takes a counted place from the newest counted one.
    let state = createState(long.model);
    let replays = 0;
    [...views].reverse().forEach((event, i) => {
      if (tryFoldEvent(long.model, state, event)) return;
      replays += 1;
      state = foldEvents(long.model, createState(long.model), views.slice(views.length - i - 1));
    });
    expect(replays).toBeGreaterThan(0);
    expect(replays).toBeLessThan(5);
    expect(state.counts).toEqual([20]);
    const want = evaluate(long.model, views, { now: T });
    expect(resultOf(long.model, state, { now: T }).total).toBeCloseTo(want.total, 9);
  });

  describe('engagement events: the longest of each page view counts, whatever the arrival order', () => {
    const engaged = validateModel({
      version: 'engaged-prop',
      halfLifeDays: 5,
      rules: [
        {
          id: 'time',
          event: 'engagement',
          match: { props: { engagedSeconds: { gte: 30 } } },
          points: 4,
          max: 2,
        },
        {
          id: 'depth',
          event: 'engagement',
          match: { props: { scrollDepth: { gte: 50, lte: 100 } } },
          points: 1.5,
        },
        {
          id: 'pricing',
          event: ['page_view', 'engagement'],
          match: { path: '/pricing*' },
          points: 2,
          max: 3,
        },
      ],
      fit: [],
      mql: { total: 10 },
    });
    if (!engaged.ok) throw new Error('bad model');
    const em = engaged.model;
    const arbitraryEngagement = fc
      .record({
        id: fc.stringMatching(/^[0-9a-f]{1,6}$/),
        ts: fc.integer({ min: T, max: T + 5 * 86_400_000 }),
        view: fc.constantFrom('p1', 'p2', 'p3', 'p4', 'none'),
        seconds: fc.integer({ min: 0, max: 90 }),
        depth: fc.integer({ min: 0, max: 100 }),
        pricing: fc.boolean(),
      })
      .map(({ id, ts, view, seconds, depth, pricing }): TrackedEvent => {
        const path = pricing ? '/pricing' : '/docs';
        if (view === 'none') return { id, ts, type: 'page_view', anonymousId: 'a', path };
        return {
          id,
          ts,
          type: 'engagement',
          anonymousId: 'a',
          path,
          props: { pageViewId: view, engagedSeconds: seconds, scrollDepth: depth },
        };
      });
    const sets = fc.uniqueArray(arbitraryEngagement, { selector: (e) => e.id, maxLength: 30 });
    const arrive = (events: TrackedEvent[]) => {
      let state = createState(em);
      events.forEach((event, i) => {
        if (!tryFoldEvent(em, state, event)) state = foldEvents(em, createState(em), events.slice(0, i + 1));
      });
      return state;
    };
    const same = (state: ScoreState, events: TrackedEvent[], now: number) => {
      const canonical = foldEvents(em, createState(em), events);
      expect(state.counts).toEqual(canonical.counts);
      expect(state.events).toBe(canonical.events);
      expect(state.last).toEqual(canonical.last);
      const got = resultOf(em, state, { now });
      const want = evaluate(em, events, { now });
      expect(Math.abs(got.total - want.total)).toBeLessThanOrEqual(0.01);
      expect(got.breakdown.map((b) => [b.rule, b.count])).toEqual(
        want.breakdown.map((b) => [b.rule, b.count]),
      );
    };

    it('folding in any arrival order equals evaluate', () => {
      fc.assert(
        fc.property(sets, arbitraryNow, fc.integer(), (events, now, seed) => {
          const arriving = fc.sample(fc.shuffledSubarray(events, { minLength: events.length }), {
            seed,
            numRuns: 1,
          })[0]!;
          same(arrive(arriving), events, now);
        }),
        { numRuns: 500 },
      );
    });

    it('merging two disjoint sets (page views of one device each) equals folding their union', () => {
      let exact = 0;
      fc.assert(
        fc.property(sets, arbitraryNow, (events, now) => {
          // A page view belongs to one browser: split by page view, as contacts merge by device.
          const view = (e: TrackedEvent) => e.props?.pageViewId;
          const left = events.filter((e) => (view(e) ? ['p1', 'p2'].includes(String(view(e))) : e.id < '8'));
          const right = events.filter((e) => !left.includes(e));
          const merged = mergeStates(em, arrive(left), arrive(right));
          if (merged === null) return; // a state that cannot merge exactly: the caller recomputes
          exact += 1;
          same(merged, events, now);
        }),
        { numRuns: 500 },
      );
      expect(exact).toBe(500);
    });

    it('a page view re-sent with more seconds moves its points, and a shorter late copy changes nothing', () => {
      const e = (id: string, ts: number, seconds: number): TrackedEvent => ({
        id,
        ts,
        type: 'engagement',
        anonymousId: 'a',
        path: '/pricing',
        props: { pageViewId: 'pv', engagedSeconds: seconds, scrollDepth: 60 },
      });
      const state = createState(em);
      expect(tryFoldEvent(em, state, e('b', T + 2000, 40))).toBe(true);
      expect(tryFoldEvent(em, state, e('c', T + 3000, 70))).toBe(true);
      expect(tryFoldEvent(em, state, e('a', T + 1000, 10))).toBe(true);
      expect(state.counts).toEqual([1, 1, 1]);
      expect(state.events).toBe(3);
      expect(resultOf(em, state, { now: T + 3000 })).toEqual(
        evaluate(em, [e('a', T + 1000, 10), e('b', T + 2000, 40), e('c', T + 3000, 70)], { now: T + 3000 }),
      );
    });
  });
});
