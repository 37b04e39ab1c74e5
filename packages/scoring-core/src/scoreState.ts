import { compareEvents, sortEvents } from './canonicalOrder.js';
import { type CompiledModel, compileModel, ruleMatches } from './compileModel.js';
import { ScoringError } from './ScoringError.js';
import type { ScoreState, ScoringModel, TrackedEvent } from './types.js';

/** Decayed sums are rebased when an event's weight would pass 2^64, so they never overflow. */
const REBASE_EXPONENT = 64;
/** Trait names that would reach an object's prototype are never stored. */
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** An empty incremental state for a model. */
export function createState(model: ScoringModel): ScoreState {
  const rules = model.rules.length;
  return {
    v: 1,
    modelHash: compileModel(model).hash,
    refTs: 0,
    counts: new Array<number>(rules).fill(0),
    sums: new Array<number>(rules).fill(0),
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

function foldTraits(state: ScoreState, traits: Record<string, unknown>): void {
  for (const key in traits) {
    const value = traits[key];
    if (!Object.hasOwn(traits, key) || UNSAFE_KEYS.has(key) || value === undefined) continue;
    if (value === null) delete state.traits[key];
    else state.traits[key] = value;
  }
  const email = state.traits.email;
  if (typeof email === 'string' && email.trim() !== '') state.identified = true;
}

/**
 * The weight 2^((ts − refTs)/H) of an event relative to the state's reference time, rebasing first if
 * needed. Math.exp(x·ln 2) rather than 2 ** x: several times faster in V8, and the same on both sides.
 */
function weightAt(halfLifeMs: number, state: ScoreState, ts: number): number {
  if (halfLifeMs === 0) return 1;
  const exponent = (ts - state.refTs) / halfLifeMs;
  if (exponent <= REBASE_EXPONENT) return Math.exp(exponent * Math.LN2);
  const factor = Math.exp(-exponent * Math.LN2);
  for (let i = 0; i < state.sums.length; i++) state.sums[i]! *= factor;
  state.refTs = ts;
  return 1;
}

/** The compiled model for a state, refusing a state made for another model. */
export function compileFor(model: ScoringModel, state: ScoreState): CompiledModel {
  const m = compileModel(model);
  if (state.modelHash !== m.hash) {
    throw new ScoringError(
      'model_mismatch',
      `state was made for model ${state.modelHash}, not ${m.hash}; recompute it from the events`,
    );
  }
  return m;
}

/** The fold itself, for callers that compiled and checked the model once for many events. */
export function foldCompiled(m: CompiledModel, state: ScoreState, event: TrackedEvent): void {
  if (state.events === 0) state.refTs = event.ts;
  state.events++;
  const last = state.last;
  if (event.ts > last[0] || (event.ts === last[0] && event.id > last[1])) {
    last[0] = event.ts;
    last[1] = event.id;
  }
  if (event.type === 'identify' && event.traits) foldTraits(state, event.traits);
  const candidates = m.byType.get(event.type);
  if (candidates === undefined) return;
  m.fields.next();
  let weight = -1;
  for (const rule of candidates) {
    const count = state.counts[rule.index]!;
    if (count >= rule.max || !ruleMatches(rule, event, m.fields)) continue;
    // Computed once per event, before the sum is read: a rebase inside weightAt rescales every sum.
    if (weight < 0) weight = weightAt(m.halfLifeMs, state, event.ts);
    state.counts[rule.index] = count + 1;
    state.sums[rule.index]! += rule.points * weight;
  }
}

/**
 * Folds one event into the state, in place, and returns the state. Call in canonical order
 * (see `isOutOfOrder`); the model must be the one the state was made for.
 */
export function foldEvent(model: ScoringModel, state: ScoreState, event: TrackedEvent): ScoreState {
  foldCompiled(compileFor(model, state), state, event);
  return state;
}

/** Folds events into the state in canonical order (sorting a copy when needed), skipping repeats. */
export function foldEvents(
  model: ScoringModel,
  state: ScoreState,
  events: readonly TrackedEvent[],
): ScoreState {
  const m = compileFor(model, state);
  let previous: TrackedEvent | undefined;
  for (const event of sortEvents(events)) {
    // The same event twice (same ts and id) is one member of the set.
    if (previous === undefined || compareEvents(previous, event) !== 0) foldCompiled(m, state, event);
    previous = event;
  }
  return state;
}
