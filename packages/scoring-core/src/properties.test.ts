import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sortEvents } from './canonicalOrder.js';
import { evaluate, resultOf } from './evaluate.js';
import { createState, foldEvent, foldEvents } from './scoreState.js';
import type { ScoringModel, TrackedEvent } from './types.js';
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
});
