import { compareEvents } from './canonicalOrder.js';
import { compileModel } from './compileModel.js';
import { ScoringError } from './ScoringError.js';
import type { ScoreState, ScoringModel, TrackedEvent } from './types.js';

/** Decayed sums are rebased when an event's weight would pass 2^64, so they never overflow. */
const REBASE_EXPONENT = 64;
/** Names that would reach an object's prototype are never stored as keys. */
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** An empty incremental state for a model. */
export function createState(model: ScoringModel): ScoreState {
  return {
    v: 1,
    modelHash: compileModel(model).hash,
    refTs: 0,
    rules: {},
    traits: {},
    identified: false,
    last: [0, ''],
    events: 0,
  };
}

/**
 * True when the event does not sort strictly after the newest event already folded: folding it would
 * break the canonical order (caps, latest traits). The collector recomputes from stored events then;
 * the worker may fold it anyway and accept an approximation until the collector answers.
 */
export function isOutOfOrder(state: ScoreState, event: Pick<TrackedEvent, 'ts' | 'id'>): boolean {
  return state.events > 0 && compareEvents(event, { ts: state.last[0], id: state.last[1] }) <= 0;
}

/**
 * Folds one event into the state, in place, and returns the state. Call in canonical order
 * (see `isOutOfOrder`); the model must be the one the state was made for.
 */
export function foldEvent(model: ScoringModel, state: ScoreState, event: TrackedEvent): ScoreState {
  const m = compileModel(model);
  if (state.modelHash !== m.hash) {
    throw new ScoringError(
      'model_mismatch',
      `state was made for model ${state.modelHash}, not ${m.hash}; recompute it from the events`,
    );
  }
  if (state.events === 0) state.refTs = event.ts;
  state.events++;
  if (compareEvents(event, { ts: state.last[0], id: state.last[1] }) > 0) state.last = [event.ts, event.id];
  if (event.type === 'identify' && event.traits) {
    for (const [key, value] of Object.entries(event.traits)) {
      if (UNSAFE_KEYS.has(key) || value === undefined) continue;
      if (value === null) delete state.traits[key];
      else state.traits[key] = value;
    }
    const email = state.traits.email;
    if (typeof email === 'string' && email.trim() !== '') state.identified = true;
  }
  const candidates = m.byType.get(event.type);
  if (candidates === undefined) return state;
  for (const rule of candidates) {
    if (UNSAFE_KEYS.has(rule.id) || !rule.test(event)) continue;
    let entry = state.rules[rule.id];
    if (entry === undefined) {
      entry = [0, 0];
      state.rules[rule.id] = entry;
    }
    if (entry[0] >= rule.max) continue;
    // The weight first: a rebase inside weightAt rescales entry[1], which `+=` would read too early.
    const weight = weightAt(m.halfLifeMs, state, event.ts);
    entry[0]++;
    entry[1] += rule.points * weight;
  }
  return state;
}

/** The weight of an event at `ts` relative to the state's reference time, rebasing first if needed. */
function weightAt(halfLifeMs: number, state: ScoreState, ts: number): number {
  if (halfLifeMs === 0) return 1;
  const exponent = (ts - state.refTs) / halfLifeMs;
  if (exponent <= REBASE_EXPONENT) return 2 ** exponent;
  const factor = 2 ** -exponent;
  for (const entry of Object.values(state.rules)) entry[1] *= factor;
  state.refTs = ts;
  return 1;
}

/** Folds events into the state in canonical order (sorting a copy when needed); returns the state. */
export function foldEvents(
  model: ScoringModel,
  state: ScoreState,
  events: readonly TrackedEvent[],
): ScoreState {
  const sorted = events.length > 1 ? [...events].sort(compareEvents) : events;
  let previous: TrackedEvent | undefined;
  for (const event of sorted) {
    if (previous === undefined || compareEvents(previous, event) !== 0) foldEvent(model, state, event);
    previous = event;
  }
  return state;
}
