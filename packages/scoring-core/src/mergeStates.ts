import { cloneState, comparePositions, compileFor, TAIL_LENGTH } from './scoreState.js';
import type { EventPosition, ScoreState, ScoringModel } from './types.js';

/**
 * The state of the union of two disjoint event sets, from their two states (a contact merge), without
 * the events: counts and sums add, a capped rule keeps its earliest counted events, each trait its newest
 * value. Null when a state does not remember enough to do that exactly (recompute from the events then).
 */
export function mergeStates(model: ScoringModel, a: ScoreState, b: ScoreState): ScoreState | null {
  const m = compileFor(model, a);
  compileFor(model, b);
  if (b.events === 0) return cloneState(a);
  if (a.events === 0) return cloneState(b);
  if (a.traitAt === undefined || b.traitAt === undefined || !a.tails || !b.tails) return null;
  if (m.byType.has('engagement') && (!a.views || !b.views || !a.over || !b.over)) return null;
  const views = { ...a.views, ...b.views };
  if (
    a.views &&
    b.views &&
    Object.keys(views).length !== Object.keys(a.views).length + Object.keys(b.views).length
  )
    return null;
  const refTs = Math.max(a.refTs, b.refTs);
  const scale = (s: ScoreState) =>
    m.halfLifeMs === 0 ? 1 : Math.exp(((s.refTs - refTs) / m.halfLifeMs) * Math.LN2);
  const scaleA = scale(a);
  const scaleB = scale(b);
  const out: ScoreState = {
    v: 1,
    modelHash: a.modelHash,
    refTs,
    counts: [],
    sums: [],
    traits: {},
    identified: a.identified || b.identified,
    last: comparePositions(a.last, b.last) >= 0 ? [...a.last] : [...b.last],
    events: a.events + b.events,
    traitAt: {},
  };
  if (a.views && b.views && a.over && b.over) {
    out.views = views;
    out.over = a.over.map((n, i) => n + (b.over?.[i] ?? 0));
    const floor = Math.max(a.viewsFloor ?? -1, b.viewsFloor ?? -1);
    if (floor >= 0) out.viewsFloor = floor;
  }
  const tails: (EventPosition[] | null)[] = [];
  out.tails = tails;
  for (const rule of m.rules) {
    const i = rule.index;
    const count = a.counts[i]! + b.counts[i]!;
    let sum = a.sums[i]! * scaleA + b.sums[i]! * scaleB;
    const ta = a.tails[i];
    const tb = b.tails[i];
    if (rule.max === Number.POSITIVE_INFINITY || !ta || !tb) {
      out.counts.push(count);
      out.sums.push(sum);
      tails.push(null);
      continue;
    }
    // The union is known from the higher of the two tails' starts (a complete tail starts at −∞).
    const floor = [ta.length < a.counts[i]! ? ta : null, tb.length < b.counts[i]! ? tb : null]
      .map((t) => (t === null ? null : (t[0] ?? null)))
      .filter((p): p is EventPosition => p !== null);
    if ((ta.length < a.counts[i]! && ta.length === 0) || (tb.length < b.counts[i]! && tb.length === 0))
      return null;
    const start = floor.sort(comparePositions).at(-1);
    const known = [...ta, ...tb]
      .filter((p) => start === undefined || comparePositions(p, start) >= 0)
      .sort(comparePositions);
    const drop = Math.max(0, count - rule.max);
    if (drop > known.length) return null;
    if (out.over) out.over[i]! += drop;
    for (const p of known.splice(known.length - drop, drop))
      sum -= rule.points * (m.halfLifeMs === 0 ? 1 : Math.exp(((p[0] - refTs) / m.halfLifeMs) * Math.LN2));
    out.counts.push(count - drop);
    out.sums.push(sum);
    tails.push(known.slice(-TAIL_LENGTH).map((p) => [...p] as EventPosition));
  }
  for (const [source, other] of [
    [a, b],
    [b, a],
  ] as const) {
    for (const key of Object.keys(source.traitAt ?? {})) {
      const mine = source.traitAt?.[key] as EventPosition;
      const theirs = other.traitAt?.[key];
      if (theirs !== undefined && comparePositions(theirs, mine) > 0) continue;
      (out.traitAt as Record<string, EventPosition>)[key] = [...mine];
      if (Object.hasOwn(source.traits, key)) out.traits[key] = source.traits[key];
      else delete out.traits[key];
    }
  }
  return out;
}
