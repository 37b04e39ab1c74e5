import { compileModel } from './compileModel.js';
import { round2 } from './round2.js';
import { createState, foldEvents } from './scoreState.js';
import { stageRank } from './stages.js';
import type {
  BreakdownEntry,
  EvaluateOptions,
  ScoreResult,
  ScoreState,
  ScoringModel,
  Stage,
  TrackedEvent,
} from './types.js';

/**
 * The score a state stands for at `now` (default: its newest event's time): engagement decayed by the
 * half-life, fit from the latest traits, the stage (never behind `options.stage`) and a breakdown of the
 * rules that awarded points, in model order.
 */
export function resultOf(model: ScoringModel, state: ScoreState, options: EvaluateOptions = {}): ScoreResult {
  const m = compileModel(model);
  const now = options.now ?? state.last[0];
  const decay = m.halfLifeMs === 0 ? 1 : Math.exp(((state.refTs - now) / m.halfLifeMs) * Math.LN2);
  const breakdown: BreakdownEntry[] = [];
  let engagement = 0;
  for (const rule of m.rules) {
    const count = state.counts[rule.index] ?? 0;
    if (count === 0) continue;
    const points = state.sums[rule.index]! * decay;
    engagement += points;
    breakdown.push({ rule: rule.id, kind: 'engagement', count, points: round2(points) });
  }
  let fit = 0;
  for (const rule of m.fit) {
    const value = Object.hasOwn(state.traits, rule.trait) ? state.traits[rule.trait] : undefined;
    if (!rule.test(value)) continue;
    fit += rule.points;
    breakdown.push({ rule: rule.id, kind: 'fit', count: 1, points: round2(rule.points) });
  }
  const total = round2(fit + engagement);
  const roundedFit = round2(fit);
  const roundedEngagement = round2(engagement);
  const { mql: thresholds } = model;
  const meets =
    (thresholds.total === undefined || total >= thresholds.total) &&
    (thresholds.fit === undefined || roundedFit >= thresholds.fit) &&
    (thresholds.engagement === undefined || roundedEngagement >= thresholds.engagement);
  const mql = state.identified && meets;
  const earned: Stage = mql ? 'mql' : state.identified ? 'lead' : 'visitor';
  const given = options.stage;
  const stage = given !== undefined && stageRank(given) > stageRank(earned) ? given : earned;
  return {
    total,
    fit: roundedFit,
    engagement: roundedEngagement,
    stage,
    mql,
    modelVersion: model.version,
    modelHash: m.hash,
    breakdown,
  };
}

/**
 * Scores a contact's events with a validated model (DESIGN.md §3). The result depends only on the set
 * of events, the model, `now` and the given stage: it folds them in canonical order, exactly as the
 * incremental form does, so both agree to the last digit.
 */
export function evaluate(
  model: ScoringModel,
  events: readonly TrackedEvent[],
  options: EvaluateOptions = {},
): ScoreResult {
  return resultOf(model, foldEvents(model, createState(model), events), options);
}
