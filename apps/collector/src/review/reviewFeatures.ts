import {
  createState,
  foldEvents,
  resultOf,
  type ScoreState,
  type ScoringModel,
  type TrackedEvent,
  validateModel,
} from '@leadlight/scoring-core';

const DAY_MS = 86_400_000;

/** The columns a review reads per contact: every engagement rule, then every fit rule, in model order. */
export interface FeatureLayout {
  ids: string[];
  kinds: ('engagement' | 'fit')[];
  /** The current model's points per column. */
  points: number[];
  /** The rules' labels (shown to people), where given. */
  labels: (string | undefined)[];
  /** The model folded to read the columns: every rule and fit rule worth 1 point, nothing else changed. */
  unit: ScoringModel;
}

/**
 * The layout of a model's review. Folding with every rule worth 1 point makes a state's decayed sums the
 * rules' decayed capped counts (caps, matches and one-engagement-per-view do not depend on points), so a
 * model with any points scores `Σ points · column` exactly as scoring-core does.
 */
export function featureLayout(model: ScoringModel): FeatureLayout {
  const checked = validateModel({
    ...model,
    version: `${model.version}`.slice(0, 90).concat('-unit'),
    rules: model.rules.map((rule) => ({ ...rule, points: 1 })),
    fit: model.fit.map((rule) => ({ ...rule, points: 1 })),
  });
  if (!checked.ok) throw new Error(`unit model: ${checked.errors[0]?.path}: ${checked.errors[0]?.message}`);
  return {
    ids: [...model.rules.map((r) => r.id), ...model.fit.map((r) => r.id)],
    kinds: [...model.rules.map(() => 'engagement' as const), ...model.fit.map(() => 'fit' as const)],
    points: [...model.rules.map((r) => r.points), ...model.fit.map((r) => r.points)],
    labels: [...model.rules.map((r) => r.label), ...model.fit.map((r) => r.label)],
    unit: checked.model,
  };
}

function writeColumns(
  model: ScoringModel,
  state: ScoreState,
  cutoff: number,
  /** Per rule: what one decayed point of the state's sums is worth as a count. */
  perPoint: (i: number) => number,
  out: Float64Array,
  offset: number,
): void {
  const halfLifeMs = (model.halfLifeDays ?? 0) * DAY_MS;
  const decay = halfLifeMs === 0 ? 1 : Math.exp(((state.refTs - cutoff) / halfLifeMs) * Math.LN2);
  const rules = model.rules.length;
  for (let i = 0; i < rules; i++)
    out[offset + i] = state.counts[i] ? (state.sums[i] as number) * perPoint(i) * decay : 0;
  for (let j = 0; j < model.fit.length; j++) out[offset + rules + j] = 0;
  if (model.fit.length === 0) return;
  // Fit tests (operators over the latest traits) are read off scoring-core's own breakdown.
  for (const entry of resultOf(model, state, { now: cutoff }).breakdown) {
    if (entry.kind !== 'fit') continue;
    const j = model.fit.findIndex((rule) => rule.id === entry.rule);
    if (j >= 0) out[offset + rules + j] = 1;
  }
}

/**
 * Writes the columns of a state folded under `layout.unit` from a contact's events before `cutoff` into
 * `out` from `offset`; engagement decays to the cutoff as if it were `now`.
 */
export function writeStateFeatures(
  layout: FeatureLayout,
  state: ScoreState,
  cutoff: number,
  out: Float64Array,
  offset: number,
): void {
  writeColumns(layout.unit, state, cutoff, () => 1, out, offset);
}

/**
 * True when a contact's stored state (the collector's fold of all its events under `model`) is exactly
 * the fold of its events before `cutoff`: made for this model, nothing folded at or after the cutoff, and
 * no rule that counted is worth 0 points (a rule's decayed count is its decayed points ÷ its points).
 */
export function storedStateFits(
  model: ScoringModel,
  hash: string,
  state: ScoreState,
  cutoff: number,
): boolean {
  if (state.modelHash !== hash || !(state.last[0] < cutoff)) return false;
  return model.rules.every((rule, i) => rule.points !== 0 || !state.counts[i]);
}

/** Writes the columns of a stored state that `storedStateFits` the cutoff: no event needs reading. */
export function writeStoredFeatures(
  layout: FeatureLayout,
  model: ScoringModel,
  state: ScoreState,
  cutoff: number,
  out: Float64Array,
  offset: number,
): void {
  const points = layout.points;
  writeColumns(model, state, cutoff, (i) => 1 / (points[i] as number), out, offset);
}

/** The fold of the events before `cutoff` (in canonical order) under the layout's unit model. */
export function stateBefore(
  layout: FeatureLayout,
  events: readonly TrackedEvent[],
  cutoff: number,
): ScoreState {
  let end = events.length;
  while (end > 0 && (events[end - 1] as TrackedEvent).ts >= cutoff) end--;
  const { unit } = layout;
  return foldEvents(unit, createState(unit), end === events.length ? events : events.slice(0, end));
}

/** Writes one contact's columns at `cutoff` from its events (canonical order): only events before it count. */
export function writeFeatures(
  layout: FeatureLayout,
  events: readonly TrackedEvent[],
  cutoff: number,
  out: Float64Array,
  offset: number,
): void {
  writeStateFeatures(layout, stateBefore(layout, events, cutoff), cutoff, out, offset);
}

/** Rounds to 2 decimals as scoring-core does, without a negative zero. */
export function round2(value: number): number {
  return Math.round(value * 100) / 100 || 0;
}

/** A score of one contact's columns under some points: `{total, fit, engagement}` rounded as scoring-core does. */
export function scoreColumns(
  layout: FeatureLayout,
  points: readonly number[],
  row: Float64Array,
  offset: number,
): { total: number; fit: number; engagement: number } {
  const rules = layout.unit.rules.length;
  let engagement = 0;
  let fit = 0;
  for (let i = 0; i < points.length; i++) {
    const v = (points[i] as number) * (row[offset + i] as number);
    if (i < rules) engagement += v;
    else fit += v;
  }
  return { total: round2(fit + engagement), fit: round2(fit), engagement: round2(engagement) };
}
