import { describe, expect, it } from 'vitest';
import { goldenVectors } from '../test/goldenVectors.js';
import { evaluate, resultOf } from './evaluate.js';
import { hashModel } from './hashModel.js';
import { createState, foldEvent, foldEvents, isOutOfOrder } from './scoreState.js';
import type { ScoringModel, TrackedEvent } from './types.js';
import { validateModel } from './validateModel.js';

function model(input: unknown): ScoringModel {
  const result = validateModel(input);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.model;
}

describe('golden vectors (DESIGN.md §3, hand-computed)', () => {
  for (const vector of goldenVectors) {
    it(vector.name, () => {
      const m = model(vector.model);
      const { modelHash, ...rest } = evaluate(m, vector.events, vector.options);
      expect(rest).toEqual(vector.expected);
      expect(modelHash).toBe(hashModel(m));
    });
  }
});

const T = Date.UTC(2026, 0, 1);
const DAY = 86_400_000;
const base = {
  version: 't',
  rules: [{ id: 'pricing', event: 'page_view', match: { path: '/pricing*' }, points: 10, max: 2 }],
  fit: [{ id: 'vp', trait: 'role', equals: 'vp', points: 10 }],
  mql: { total: 20 },
};
const view = (id: string, ts: number, path = '/pricing'): TrackedEvent => ({
  id,
  type: 'page_view',
  ts,
  anonymousId: 'a',
  path,
});

describe('evaluate', () => {
  it('decays to the newest event when no `now` is given, and to `now` when it is', () => {
    const m = model({ ...base, halfLifeDays: 1 });
    expect(evaluate(m, [view('a', T)]).total).toBe(10);
    expect(evaluate(m, [view('a', T)], { now: T + DAY }).total).toBe(5);
    expect(evaluate(m, [view('a', T), view('b', T + DAY, '/home')]).total).toBe(5);
  });

  it('ignores an exact duplicate of an event (the input is a set)', () => {
    const m = model(base);
    const e = view('a', T);
    expect(evaluate(m, [e, e, { ...e }]).breakdown).toEqual([
      { rule: 'pricing', kind: 'engagement', count: 1, points: 10 },
    ]);
  });

  it('keeps decayed sums finite over decades of events with a short half-life', () => {
    const m = model({ ...base, halfLifeDays: 0.5, rules: [{ id: 'any', event: 'page_view', points: 1 }] });
    const events = Array.from({ length: 200 }, (_, i) =>
      view(`e${String(i).padStart(3, '0')}`, T + i * 60 * DAY),
    );
    const result = evaluate(m, events);
    expect(Number.isFinite(result.total)).toBe(true);
    expect(result.total).toBe(1);
  });

  it('does not let an identify without email make a lead, and a later null trait unsets it', () => {
    const m = model(base);
    const id = (i: string, ts: number, traits: Record<string, unknown>): TrackedEvent => ({
      id: i,
      type: 'identify',
      ts,
      anonymousId: 'a',
      traits,
    });
    expect(evaluate(m, [id('a', T, { role: 'vp' })]).stage).toBe('visitor');
    const r = evaluate(m, [id('a', T, { role: 'vp', email: 'x@y.z' }), id('b', T + 1, { role: null })]);
    expect(r.stage).toBe('lead');
    expect(r.fit).toBe(0);
  });

  it('never lets a given stage move back, and moves forward from visitor', () => {
    const m = model(base);
    const events = [
      view('a', T),
      view('b', T + 1),
      { id: 'c', type: 'identify', ts: T + 2, anonymousId: 'a', traits: { email: 'x@y.z' } },
    ];
    expect(evaluate(m, events, { stage: 'visitor' }).stage).toBe('mql');
    expect(evaluate(m, events, { stage: 'customer' }).stage).toBe('customer');
    expect(evaluate(m, [], { stage: 'mql' }).stage).toBe('mql');
  });
});

describe('incremental state', () => {
  const m = model({ ...base, halfLifeDays: 7 });

  it('folds to the same result as evaluate', () => {
    const events = [view('a', T), view('b', T + DAY), view('c', T + 2 * DAY)];
    const state = createState(m);
    for (const e of events) foldEvent(m, state, e);
    expect(evaluate(m, events, { now: T + 9 * DAY })).toEqual(
      evaluate(m, [...events].reverse(), { now: T + 9 * DAY }),
    );
    expect(resultOf(m, state, { now: T + 9 * DAY })).toEqual(evaluate(m, events, { now: T + 9 * DAY }));
  });

  it('says when an event is out of order or already folded', () => {
    const state = foldEvents(m, createState(m), [view('b', T + 10)]);
    expect(isOutOfOrder(state, { id: 'a', ts: T + 10 })).toBe(true);
    expect(isOutOfOrder(state, { id: 'b', ts: T + 10 })).toBe(true);
    expect(isOutOfOrder(state, { id: 'c', ts: T + 10 })).toBe(false);
    expect(isOutOfOrder(state, { id: 'a', ts: T + 11 })).toBe(false);
    expect(isOutOfOrder(createState(m), { id: 'a', ts: 0 })).toBe(false);
  });

  it('refuses a state made for another model', () => {
    const other = model({ ...base, version: 'other' });
    expect(() => foldEvent(m, createState(other), view('a', T))).toThrow(/recompute/);
  });
});
