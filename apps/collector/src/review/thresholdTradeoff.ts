// What moving the MQL line's total would do: how many MQLs, and their precision and recall, at each threshold.
import type { ThresholdRow } from '@leadlight/scoring-core/wire';

function round4(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

/**
 * For each threshold (sorted, duplicates dropped): contacts whose total at the cutoff reaches it and that
 * meet the model's other thresholds (`meetsOthers`: fit, engagement), their precision against `labels`
 * and the recall of all positives.
 */
export function thresholdTradeoff(
  totals: ArrayLike<number>,
  labels: ArrayLike<number>,
  meetsOthers: ArrayLike<number>,
  thresholds: number[],
): ThresholdRow[] {
  let positives = 0;
  for (let i = 0; i < labels.length; i++) positives += labels[i] ? 1 : 0;
  return [...new Set(thresholds)]
    .sort((a, b) => a - b)
    .map((total) => {
      let mqls = 0;
      let hits = 0;
      for (let i = 0; i < totals.length; i++) {
        if (!meetsOthers[i] || (totals[i] as number) < total) continue;
        mqls++;
        if (labels[i]) hits++;
      }
      return {
        total,
        mqls,
        precision: mqls === 0 ? null : round4(hits / mqls),
        recall: positives === 0 ? null : round4(hits / positives),
      };
    });
}
