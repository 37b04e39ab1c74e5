import { compareEvents, sortEvents } from './canonicalOrder.js';
import { type CompiledModel, compileModel, ruleMatches } from './compileModel.js';
import { ScoringError } from './ScoringError.js';
import type { EngagementView, EventPosition, ScoreState, ScoringModel, TrackedEvent } from './types.js';

/** Decayed sums are rebased when an event's weight would pass 2^64, so they never overflow. */
const REBASE_EXPONENT = 64;
/** Trait names that would reach an object's prototype are never stored. */
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/**
 * How many of a capped rule's newest counted events a state remembers: a late event that takes a counted
 * place pushes the newest one out, so up to this many late arrivals fold without reading stored history.
 */
export const TAIL_LENGTH = 16;
/** How many page views a state remembers the counted engagement event of. */
const VIEW_MEMORY = 64;

/** An empty incremental state for a model. */
export function createState(model: ScoringModel): ScoreState {
  const m = compileModel(model);
  const rules = model.rules.length;
  return {
    v: 1,
    modelHash: m.hash,
    refTs: 0,
    counts: new Array<number>(rules).fill(0),
    sums: new Array<number>(rules).fill(0),
    traits: {},
    identified: false,
    last: [0, ''],
    events: 0,
    tails: emptyTails(m),
    traitAt: {},
    // Always the same keys (one object shape for the hot loop); undefined ones are left out of JSON.
    views: m.byType.has('engagement') ? {} : undefined,
    viewsFloor: undefined,
    over: m.byType.has('engagement') ? new Array<number>(rules).fill(0) : undefined,
  };
}

function emptyTails(m: CompiledModel): (EventPosition[] | null)[] {
  return m.rules.map((rule) => (rule.max === Number.POSITIVE_INFINITY ? null : []));
}

/**
 * True when the event does not sort strictly after the newest event already folded. Such an event still
 * folds exactly (see `foldLate`), but a caller that keeps unacknowledged events may prefer to refold them.
 */
export function isOutOfOrder(state: ScoreState, event: Pick<TrackedEvent, 'ts' | 'id'>): boolean {
  return state.events > 0 && compareEvents(event, { ts: state.last[0], id: state.last[1] }) <= 0;
}

function positionOf(event: TrackedEvent): EventPosition {
  return [event.ts, event.id];
}

/** Orders event positions like events (by `ts`, then `id`). */
export function comparePositions(a: EventPosition, b: EventPosition): number {
  return compareEvents({ ts: a[0], id: a[1] }, { ts: b[0], id: b[1] });
}

function hasEmail(traits: Record<string, unknown>): boolean {
  const email = Object.hasOwn(traits, 'email') ? traits.email : undefined;
  return typeof email === 'string' && email.trim() !== '';
}

/** Applies an identify's traits: each trait keeps the value of the newest identify that set it. */
function foldTraits(state: ScoreState, traits: Record<string, unknown>, at: EventPosition): void {
  const when = state.traitAt;
  for (const key in traits) {
    const value = traits[key];
    if (!Object.hasOwn(traits, key) || UNSAFE_KEYS.has(key) || value === undefined) continue;
    const previous = when?.[key];
    if (previous !== undefined && comparePositions(at, previous) < 0) continue;
    if (value === null) delete state.traits[key];
    else state.traits[key] = value;
    if (when) when[key] = at;
  }
  // Identified once any identify carried an email, whatever came after: the same in any order.
  if (hasEmail(traits)) state.identified = true;
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

/** Inserts a position into a sorted tail, keeping only the newest `TAIL_LENGTH`. */
function insertPosition(tail: EventPosition[], at: EventPosition): void {
  let i = tail.length;
  while (i > 0 && comparePositions(tail[i - 1]!, at) > 0) i--;
  tail.splice(i, 0, at);
  if (tail.length > TAIL_LENGTH) tail.shift();
}

/** The fold of an event that sorts after every folded one, for callers that compiled the model once. */
export function foldCompiled(
  m: CompiledModel,
  state: ScoreState,
  event: TrackedEvent,
  awarded?: number[],
): void {
  if (state.events === 0) state.refTs = event.ts;
  state.events++;
  const last = state.last;
  if (event.ts > last[0] || (event.ts === last[0] && event.id > last[1])) {
    last[0] = event.ts;
    last[1] = event.id;
  }
  if (event.type === 'identify' && event.traits) foldTraits(state, event.traits, positionOf(event));
  const candidates = m.byType.get(event.type);
  if (candidates === undefined) return;
  m.fields.next();
  const over = state.over;
  let weight = -1;
  for (const rule of candidates) {
    const count = state.counts[rule.index]!;
    if (count >= rule.max) {
      if (over && ruleMatches(rule, event, m.fields)) over[rule.index]! += 1;
      continue;
    }
    if (!ruleMatches(rule, event, m.fields)) continue;
    // Computed once per event, before the sum is read: a rebase inside weightAt rescales every sum.
    if (weight < 0) weight = weightAt(m.halfLifeMs, state, event.ts);
    state.counts[rule.index] = count + 1;
    state.sums[rule.index]! += rule.points * weight;
    // In order, the event sorts after every counted one: it goes at the end of the tail.
    const tail = state.tails?.[rule.index];
    if (tail && tail.push([event.ts, event.id]) > TAIL_LENGTH) tail.shift();
    awarded?.push(rule.index);
  }
}

/**
 * Folds an event that sorts before the newest folded one, exactly as if every event had come in
 * canonical order (up to floating-point rounding of the decayed sums): a capped rule's newest counted
 * event gives its place up when the late one comes earlier, and a trait keeps its newest value. Returns
 * false, leaving the state untouched, when the state does not remember enough to do that (a state
 * from an older version, or more late arrivals in one capped rule than its tail holds): recompute then.
 */
export function foldLate(
  m: CompiledModel,
  state: ScoreState,
  event: TrackedEvent,
  awarded?: number[],
): boolean {
  const at = positionOf(event);
  const identify = event.type === 'identify' && event.traits !== undefined;
  if (identify && state.traitAt === undefined) return false;
  const awards: { index: number; points: number; displaced: EventPosition | undefined }[] = [];
  const candidates = m.byType.get(event.type);
  if (candidates !== undefined) {
    m.fields.next();
    for (const rule of candidates) {
      if (!ruleMatches(rule, event, m.fields)) continue;
      const count = state.counts[rule.index]!;
      if (count < rule.max) {
        awards.push({ index: rule.index, points: rule.points, displaced: undefined });
        continue;
      }
      const newest = state.tails?.[rule.index]?.at(-1);
      if (newest === undefined) return false;
      if (comparePositions(at, newest) < 0)
        awards.push({ index: rule.index, points: rule.points, displaced: newest });
      else if (state.over) state.over[rule.index]! += 1;
    }
  }
  state.events++;
  if (identify) foldTraits(state, event.traits as Record<string, unknown>, at);
  if (awards.length === 0) return true;
  const weight = weightAt(m.halfLifeMs, state, event.ts);
  for (const { index, points, displaced } of awards) {
    const tail = state.tails?.[index];
    // The tail is the newest part of the counted set; a position below its start is not remembered.
    const complete = tail !== undefined && tail !== null && tail.length === state.counts[index];
    if (displaced === undefined) {
      state.counts[index]! += 1;
    } else {
      tail?.pop();
      state.sums[index]! -= points * weightAt(m.halfLifeMs, state, displaced[0]);
      if (state.over) state.over[index]! += 1;
    }
    awarded?.push(index);
    state.sums[index]! += points * weight;
    if (tail && (complete || (tail.length > 0 && comparePositions(at, tail[0]!) > 0)))
      insertPosition(tail, at);
  }
  return true;
}

/** The page view an engagement event counts for, when the model scores engagement events. */
function viewOf(m: CompiledModel, event: TrackedEvent): string | undefined {
  if (event.type !== 'engagement' || !m.byType.has('engagement')) return undefined;
  const id = event.props?.pageViewId;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

function secondsOf(event: TrackedEvent): number {
  const n = Number(event.props?.engagedSeconds);
  return Number.isFinite(n) ? n : 0;
}

/** True when `event` counts for its page view instead of `current`: more seconds; on a tie, the later one. */
function outranks(event: TrackedEvent, current: EngagementView): boolean {
  const seconds = secondsOf(event);
  return (
    seconds > current[0] ||
    (seconds === current[0] && comparePositions(positionOf(event), [current[1], current[2]]) > 0)
  );
}

/** An event that is in the set but awards nothing (an engagement event another of its page view outranks). */
function countOnly(state: ScoreState, event: TrackedEvent): void {
  if (state.events === 0) state.refTs = event.ts;
  state.events++;
  if (comparePositions(positionOf(event), state.last) > 0) state.last = positionOf(event);
}

/** Takes back what a page view's counted engagement event awarded; false when the state cannot tell how. */
function retract(m: CompiledModel, state: ScoreState, view: EngagementView): boolean {
  const at: EventPosition = [view[1], view[2]];
  for (const index of view[3]) {
    const rule = m.rules[index]!;
    const weight = () =>
      m.halfLifeMs === 0 ? 1 : Math.exp(((at[0] - state.refTs) / m.halfLifeMs) * Math.LN2);
    if (rule.max === Number.POSITIVE_INFINITY) {
      state.counts[index]! -= 1;
      state.sums[index]! -= rule.points * weight();
      continue;
    }
    const tail = state.tails?.[index];
    const over = state.over;
    if (!tail || !over) return false;
    const found = tail.findIndex((p) => comparePositions(p, at) === 0);
    if (found >= 0) {
      // A full cap with events turned away would give the place to the earliest of them: unknown here.
      if (state.counts[index]! >= rule.max && over[index]! > 0) return false;
      tail.splice(found, 1);
      state.counts[index]! -= 1;
      state.sums[index]! -= rule.points * weight();
    } else if (tail.length === state.counts[index]) {
      over[index]! -= 1; // a later arrival had already pushed it out of the cap
    } else {
      return false;
    }
  }
  return true;
}

/** Remembers the counted engagement event of a page view, forgetting the oldest view past the limit. */
function remember(state: ScoreState, view: string, entry: EngagementView): void {
  const views = state.views as Record<string, EngagementView>;
  views[view] = entry;
  const ids = Object.keys(views);
  if (ids.length <= VIEW_MEMORY) return;
  let oldest = ids[0] as string;
  for (const id of ids)
    if ((views[id] as EngagementView)[1] < (views[oldest] as EngagementView)[1]) oldest = id;
  state.viewsFloor = Math.max(state.viewsFloor ?? 0, (views[oldest] as EngagementView)[1]);
  delete views[oldest];
}

/**
 * Folds one event whatever its order: a late one takes its place (see `foldLate`), and an engagement
 * event counts only while it is its page view's longest. False when the state cannot do that exactly:
 * the state must then be recomputed from the events.
 */
function place(m: CompiledModel, state: ScoreState, event: TrackedEvent): boolean {
  const last = state.last;
  const late = state.events > 0 && (event.ts < last[0] || (event.ts === last[0] && event.id <= last[1]));
  if (late && isRepeat(state, event)) return true;
  const view = viewOf(m, event);
  let awarded: number[] | undefined;
  if (view !== undefined) {
    if (!state.views) return false;
    const current = state.views[view];
    if (current === undefined) {
      if (state.viewsFloor !== undefined && event.ts <= state.viewsFloor) return false;
    } else if (!outranks(event, current)) {
      countOnly(state, event);
      return true;
    } else if (!retract(m, state, current)) {
      return false;
    }
    awarded = [];
  }
  if (!late) foldCompiled(m, state, event, awarded);
  else if (!foldLate(m, state, event, awarded)) return false;
  if (view !== undefined) remember(state, view, [secondsOf(event), event.ts, event.id, awarded as number[]]);
  return true;
}

function isRepeat(state: ScoreState, event: TrackedEvent): boolean {
  return event.ts === state.last[0] && event.id === state.last[1];
}

/**
 * Folds one event into the state, in place, and returns the state. Events may come in any order; one
 * the state cannot place exactly (see `tryFoldEvent`) makes this throw `late_event`: recompute then.
 */
export function foldEvent(model: ScoringModel, state: ScoreState, event: TrackedEvent): ScoreState {
  if (!place(compileFor(model, state), state, event))
    throw new ScoringError('late_event', `event ${event.id} cannot be placed in this state; recompute it`);
  return state;
}

/** Folds `event` into the state whatever its order; false when the state must be recomputed from the events. */
export function tryFoldEvent(model: ScoringModel, state: ScoreState, event: TrackedEvent): boolean {
  return place(compileFor(model, state), state, event);
}

/**
 * Folds events into the state in canonical order (sorting a copy when needed), skipping repeats. Of a
 * page view's engagement events only the longest awards points (the others count as events), so a
 * fresh state gives exactly `evaluate`'s answer; throws `late_event` when a non-empty state cannot
 * place one of them (see `tryFoldEvent`).
 */
export function foldEvents(
  model: ScoringModel,
  state: ScoreState,
  events: readonly TrackedEvent[],
): ScoreState {
  const m = compileFor(model, state);
  const sorted = sortEvents(events);
  const longest = new Map<string, TrackedEvent>();
  if (m.byType.has('engagement')) {
    for (const event of sorted) {
      const view = viewOf(m, event);
      if (view === undefined) continue;
      const current = longest.get(view);
      if (current === undefined || outranks(event, [secondsOf(current), current.ts, current.id, []]))
        longest.set(view, event);
    }
  }
  let previous: TrackedEvent | undefined;
  for (const event of sorted) {
    // The same event twice (same ts and id) is one member of the set.
    if (previous !== undefined && compareEvents(previous, event) === 0) continue;
    previous = event;
    const view = longest.size > 0 ? viewOf(m, event) : undefined;
    if (view !== undefined && longest.get(view) !== event) countOnly(state, event);
    else if (!place(m, state, event))
      throw new ScoringError('late_event', `event ${event.id} cannot be placed in this state; recompute it`);
  }
  return state;
}

/** A deep copy of a state (it is plain JSON). */
export function cloneState(state: ScoreState): ScoreState {
  return JSON.parse(JSON.stringify(state)) as ScoreState;
}
