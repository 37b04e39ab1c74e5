import { describe, expect, it } from 'vitest';
import { scoreDistribution } from './scoreDistribution.js';
import { thresholdTradeoff } from './thresholdTradeoff.js';

describe('scoreDistribution', () => {
  it('buckets by a round width, positives and negatives apart, empty buckets kept', () => {
    const totals = [-20, -5, 0, 4, 10, 35, 60, 61, 95];
    const labels = [0, 0, 0, 1, 0, 0, 1, 1, 1];
    const { width, buckets } = scoreDistribution(totals, labels);
    expect(width).toBe(10);
    expect(buckets.map((b) => b.from)).toEqual([-20, -10, 0, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
    expect(buckets[0]).toEqual({ from: -20, to: -10, positives: 0, negatives: 1 });
    expect(buckets[2]).toEqual({ from: 0, to: 10, positives: 1, negatives: 1 });
    expect(buckets[4]).toEqual({ from: 20, to: 30, positives: 0, negatives: 0 });
    expect(buckets[8]).toEqual({ from: 60, to: 70, positives: 2, negatives: 0 });
    expect(buckets.reduce((n, b) => n + b.positives + b.negatives, 0)).toBe(totals.length);
  });

  it('widens the buckets to stay within the limit, and answers no buckets without contacts', () => {
    expect(scoreDistribution([0, 130], [0, 1]).width).toBe(20);
    expect(scoreDistribution([0, 3.5], [0, 1], 4).width).toBe(1);
    expect(scoreDistribution([7, 7, 7], [1, 0, 0])).toEqual({
      width: 1,
      buckets: [{ from: 7, to: 8, positives: 1, negatives: 2 }],
    });
    expect(scoreDistribution([], [])).toEqual({ width: 10, buckets: [] });
  });
});

describe('thresholdTradeoff', () => {
  it('counts the MQLs each total would select, with precision and recall', () => {
    const totals = [10, 20, 30, 40, 50, 60];
    const labels = [0, 1, 0, 1, 1, 0];
    const others = [1, 1, 1, 1, 0, 1];
    expect(thresholdTradeoff(totals, labels, others, [40, 0, 40, 70])).toEqual([
      { total: 0, mqls: 5, precision: 0.4, recall: 0.6667 },
      { total: 40, mqls: 2, precision: 0.5, recall: 0.3333 },
      { total: 70, mqls: 0, precision: null, recall: 0 },
    ]);
    expect(thresholdTradeoff([1], [0], [1], [0])).toEqual([
      { total: 0, mqls: 1, precision: 0, recall: null },
    ]);
  });
});
