// How the scores at the cutoffs spread among contacts that reached the outcome and those that did not.
import type { ScoreBucket, ScoreDistribution } from '@leadlight/scoring-core/wire';

const STEPS = [1, 2, 5];

/** The smallest round width (1, 2, 5, 10, 20, 50, …) that covers [min, max] in at most `most` buckets. */
function roundWidth(min: number, max: number, most: number): number {
  for (let scale = 1; ; scale *= 10) {
    for (const step of STEPS) {
      const width = step * scale;
      if (Math.floor(max / width) - Math.floor(min / width) + 1 <= most) return width;
    }
  }
}

/**
 * Buckets `totals` (one per contact) by a round width into at most `most` buckets, counting positives
 * (`labels` 1) and negatives apart. Empty buckets between the lowest and highest score are kept.
 */
export function scoreDistribution(
  totals: ArrayLike<number>,
  labels: ArrayLike<number>,
  most = 12,
): ScoreDistribution {
  const n = totals.length;
  if (n === 0) return { width: 10, buckets: [] };
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    min = Math.min(min, totals[i] as number);
    max = Math.max(max, totals[i] as number);
  }
  const width = roundWidth(min, max, most);
  const first = Math.floor(min / width);
  const buckets: ScoreBucket[] = [];
  for (let k = first; k <= Math.floor(max / width); k++)
    buckets.push({ from: k * width, to: (k + 1) * width, positives: 0, negatives: 0 });
  for (let i = 0; i < n; i++) {
    const bucket = buckets[Math.floor((totals[i] as number) / width) - first] as ScoreBucket;
    if (labels[i]) bucket.positives++;
    else bucket.negatives++;
  }
  return { width, buckets };
}
