import { seededRandom } from '@leadlight/devtools/seededRandom';
import { describe, expect, it } from 'vitest';
import { fitLogistic, liftOf, rocAuc } from './reviewMath.js';
import { splitFraction } from './suggestModel.js';

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** AUC by counting every positive–negative pair (ties half): the definition, O(n²). */
function pairwiseAuc(scores: number[], labels: number[]): number {
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < scores.length; i++)
    for (let j = 0; j < scores.length; j++) {
      if (labels[i] !== 1 || labels[j] !== 0) continue;
      pairs++;
      const a = scores[i] as number;
      const b = scores[j] as number;
      wins += a > b ? 1 : a === b ? 0.5 : 0;
    }
  return wins / pairs;
}

describe('rocAuc', () => {
  it('counts ties half', () => {
    expect(rocAuc([1, 2, 2, 3], [0, 0, 1, 1])).toBe(0.875);
    expect(rocAuc([5, 5, 5, 5], [0, 1, 0, 1])).toBe(0.5);
    expect(rocAuc([1, 2, 3], [0, 1, 1])).toBe(1);
    expect(rocAuc([3, 2, 1], [0, 1, 1])).toBe(0);
    // 2 positives (scores 2, 4), 3 negatives (1, 2, 4): wins 1 + 0.5 + 1 + 1 + 0.5 = 4 of 6 pairs.
    expect(rocAuc([1, 2, 2, 4, 4], [0, 0, 1, 0, 1])).toBeCloseTo(4 / 6, 12);
  });

  it('is null without both classes', () => {
    expect(rocAuc([1, 2], [1, 1])).toBeNull();
    expect(rocAuc([], [])).toBeNull();
  });

  it('equals the pairwise count on random scores with many ties', () => {
    const random = seededRandom(7);
    const scores = Array.from({ length: 400 }, () => Math.floor(random() * 12));
    const labels = scores.map((s) => (random() < 0.2 + s / 20 ? 1 : 0));
    expect(rocAuc(scores, labels)).toBeCloseTo(pairwiseAuc(scores, labels), 12);
  });
});

describe('fitLogistic', () => {
  it('recovers the weights that generated the data', () => {
    const random = seededRandom(42);
    const truth = { intercept: -0.5, weights: [1.5, -2, 0.5] };
    const n = 20_000;
    const x = new Float64Array(n * 3);
    const y = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const row = [gaussian(random), random() < 0.3 ? 1 : 0, random() * 3];
      x.set(row, i * 3);
      const eta = truth.intercept + row.reduce((s, v, j) => s + v * (truth.weights[j] as number), 0);
      y[i] = random() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
    }
    const fit = fitLogistic(x, y, 3);
    expect(fit.converged).toBe(true);
    for (const [j, w] of fit.weights.entries())
      expect(Math.abs(w - (truth.weights[j] as number))).toBeLessThan(0.1);
    expect(Math.abs(fit.intercept - truth.intercept)).toBeLessThan(0.1);
    // Deterministic: the same data gives the same weights to the last bit.
    expect(fitLogistic(x, y, 3)).toEqual(fit);
  });

  it('gives a constant column no weight and stays finite on separable data', () => {
    const x = new Float64Array([0, 1, 1, 1, 2, 1, 3, 1, 4, 1, 5, 1]);
    const y = new Uint8Array([0, 0, 0, 1, 1, 1]);
    const fit = fitLogistic(x, y, 2);
    expect(fit.weights[1]).toBe(0);
    expect(Number.isFinite(fit.weights[0])).toBe(true);
    expect(fit.weights[0]).toBeGreaterThan(0);
    // A stronger penalty shrinks the weight.
    expect(fitLogistic(x, y, 2, { l2: 10 }).weights[0]).toBeLessThan(fit.weights[0] as number);
  });
});

describe('liftOf', () => {
  it('answers the rates, the lift and its Katz interval', () => {
    const lift = liftOf(20, 50, 10, 100);
    expect(lift.rateWith).toBe(0.4);
    expect(lift.rateWithout).toBe(0.1);
    expect(lift.lift).toBeCloseTo(4, 12);
    expect(lift.interval?.[0]).toBeCloseTo(2.02859, 4);
    expect(lift.interval?.[1]).toBeCloseTo(7.88724, 4);
    expect(lift.lowConfidence).toBe(false);
  });

  it('adds 0.5 to every cell when one is empty, and flags small cells', () => {
    const lift = liftOf(0, 10, 5, 50);
    expect(lift.lift).toBe(0);
    expect(lift.interval?.[0]).toBeCloseTo(0.025103, 5);
    expect(lift.interval?.[1]).toBeCloseTo(7.076776, 5);
    expect(lift.lowConfidence).toBe(true);
  });

  it('has no lift when nobody without the rule converted, and no interval when everyone has it', () => {
    expect(liftOf(5, 10, 0, 10).lift).toBeNull();
    expect(liftOf(5, 10, 0, 0)).toMatchObject({ rateWithout: null, lift: null, interval: null });
  });
});

describe('splitFraction', () => {
  it('puts about 70 % of ids below 0.7, the same way every time', () => {
    const ids = Array.from({ length: 10_000 }, (_, i) => `contact-${i}`);
    const share = ids.filter((id) => splitFraction(id) < 0.7).length / ids.length;
    expect(share).toBeGreaterThan(0.68);
    expect(share).toBeLessThan(0.72);
    expect(splitFraction('abc')).toBe(splitFraction('abc'));
  });
});
