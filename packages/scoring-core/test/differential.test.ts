import { describe, expect, it } from 'vitest';
import { naiveEvaluate } from '../bench/naiveEvaluate.js';
import { benchContacts, benchModel } from '../bench/workload.js';
import { evaluate } from '../src/index.js';

describe('evaluate against the straightforward implementation', () => {
  it('agrees on 500 generated contacts of the benchmark workload', () => {
    const model = benchModel();
    const now = Date.UTC(2026, 2, 1);
    for (const events of benchContacts(500, 100, 7)) {
      const fast = evaluate(model, events, { now });
      const plain = naiveEvaluate(model, events, { now });
      expect(fast.stage).toBe(plain.stage);
      expect(fast.mql).toBe(plain.mql);
      expect(fast.total).toBeCloseTo(plain.total, 1);
      expect(fast.breakdown.map((b) => [b.rule, b.count])).toEqual(
        plain.breakdown.map((b) => [b.rule, b.count]),
      );
    }
  });
});
