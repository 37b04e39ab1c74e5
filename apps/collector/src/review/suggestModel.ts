import { type ScoringModel, validateModel } from '@leadlight/scoring-core';
import type { Suggestion } from '@leadlight/scoring-core/wire';
import { type FeatureLayout, round2, scoreColumns } from './reviewFeatures.js';
import { fitLogistic, rocAuc } from './reviewMath.js';

/** Fewest positives, and fewest negatives, a suggestion is fitted from. */
export const MIN_CLASS = 30;
/** Share of contacts the suggestion is fitted on; the rest measure it. */
export const TRAIN_SHARE = 0.7;
/** The L2 penalty of the fit (standardized columns). */
export const L2 = 1;

/** What `suggestModel` works from: one row of columns per reviewed contact. */
export interface SuggestionInput {
  model: ScoringModel;
  layout: FeatureLayout;
  /** n rows of `layout.ids.length` columns. */
  columns: Float64Array;
  labels: Uint8Array;
  /** 1 for contacts in the fitting share. */
  train: Uint8Array;
  /** The current model's totals at each cutoff. */
  currentTotals: Float64Array;
  /** How many contacts today's MQL thresholds select at their cutoffs. */
  currentMqls: number;
}

/** A contact's place in the 70/30 split: FNV-1a of its id, as a fraction of 2^32. */
export function splitFraction(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) / 2 ** 32;
}

/** Why no suggestion can be fitted from these counts, or null when there is enough data. */
export function missingData(positives: number, negatives: number, outcome: string): string | null {
  if (positives >= MIN_CLASS && negatives >= MIN_CLASS) return null;
  return `a suggestion needs at least ${MIN_CLASS} identified contacts that reached ${outcome} and ${MIN_CLASS} that did not; there are ${positives} and ${negatives}`;
}

function roundPoints(values: number[]): number[] {
  const largest = Math.max(0, ...values.map(Math.abs));
  // Whole points read best; tiny scales keep one decimal so small rules do not all round to 0.
  const unit = largest >= 10 ? 1 : 10;
  return values.map((v) => Math.round(v * unit) / unit || 0);
}

function round4(value: number | null): number | null {
  return value === null ? null : Math.round(value * 10_000) / 10_000;
}

/**
 * Re-fits the points of the current rules from the outcomes: L2 logistic regression on the training
 * share, scaled so the current MQL threshold selects about as many contacts as today, rounded, and
 * measured on the held-out share. Answers `{reason}` when it cannot.
 */
export function suggestModel(input: SuggestionInput): Suggestion | { reason: string } {
  const { model, layout, columns, labels, train, currentTotals } = input;
  const d = layout.ids.length;
  const n = labels.length;
  const trainIdx: number[] = [];
  const testIdx: number[] = [];
  for (let i = 0; i < n; i++) (train[i] ? trainIdx : testIdx).push(i);
  if (d === 0) return { reason: 'the model has no rules to re-weigh' };
  const x = new Float64Array(trainIdx.length * d);
  const y = new Uint8Array(trainIdx.length);
  trainIdx.forEach((row, k) => {
    x.set(columns.subarray(row * d, row * d + d), k * d);
    y[k] = labels[row] as number;
  });
  const fit = fitLogistic(x, y, d, { l2: L2 });

  // Linear scores without the intercept (a model has none): only their order and scale matter.
  const linear = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += (fit.weights[j] as number) * (columns[i * d + j] as number);
    linear[i] = s;
  }
  const sorted = Float64Array.from(linear).sort().reverse();
  const target = Math.min(n, Math.max(1, input.currentMqls));
  const threshold = model.mql.total !== undefined && model.mql.total > 0 ? model.mql.total : 50;
  const atTarget = sorted[target - 1] as number;
  const spread = (sorted[0] as number) - (sorted[n - 1] as number);
  if (!(spread > 0)) return { reason: 'no rule separates the contacts: every one scores the same' };
  // Put the target-th contact on today's threshold; when its score is not positive, scale by the spread.
  const scale = atTarget > 0 ? threshold / atTarget : threshold / spread;
  const points = roundPoints(fit.weights.map((w) => w * scale));

  const totals = new Float64Array(n);
  for (let i = 0; i < n; i++) totals[i] = scoreColumns(layout, points, columns, i * d).total;
  const ranked = Float64Array.from(totals).sort().reverse();
  const suggestedThreshold = Math.round(ranked[target - 1] as number);
  let selects = 0;
  for (let i = 0; i < n; i++) if ((totals[i] as number) >= suggestedThreshold) selects++;

  const rules = model.rules.length;
  const version = `${model.version.slice(0, 80)}-suggested`;
  const candidate = {
    ...model,
    version,
    rules: model.rules.map((rule, i) => ({ ...rule, points: points[i] as number })),
    fit: model.fit.map((rule, j) => ({ ...rule, points: points[rules + j] as number })),
    mql: { total: suggestedThreshold },
  };
  const checked = validateModel(candidate);
  if (!checked.ok) {
    const e = checked.errors[0];
    return { reason: `the re-fitted model does not validate (${e?.path}: ${e?.message})` };
  }
  const pick = (values: ArrayLike<number>) => testIdx.map((i) => values[i] as number);
  const testLabels = pick(labels);
  return {
    model: checked.model,
    auc: round4(rocAuc(pick(totals), testLabels)),
    currentAuc: round4(rocAuc(pick(currentTotals), testLabels)),
    method:
      `L2-regularized logistic regression (λ = ${L2} on standardized columns, Newton's method, ${fit.iterations} steps) ` +
      `on each rule's decayed capped count and each fit rule's 0/1, fitted on ${Math.round(TRAIN_SHARE * 100)} % of ` +
      'the contacts (chosen by a hash of the contact id); points scaled so the MQL threshold selects about as ' +
      "many contacts as today's model, rounded; AUCs on the other contacts; the MQL threshold is on total only",
    threshold: round2(suggestedThreshold),
    selects,
    currentSelects: input.currentMqls,
    trainContacts: trainIdx.length,
    testContacts: testIdx.length,
  };
}
