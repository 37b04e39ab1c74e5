import { describe, expect, it } from 'vitest';
import { meetsConditions } from './Personalize.js';

describe('meetsConditions', () => {
  const lead = { total: 30, stage: 'lead' as const };
  it.each([
    [{}, true],
    [{ minScore: 30 }, true],
    [{ minScore: 30.01 }, false],
    [{ maxScore: 30 }, false],
    [{ maxScore: 30.01 }, true],
    [{ minScore: 10, maxScore: 40, stage: 'lead' }, true],
    [{ minScore: 10, maxScore: 40, stage: 'mql' }, false],
    [{ stage: ' mql  lead ' }, true],
    [{ stage: 'visitor+' }, true],
    [{ stage: 'lead+' }, true],
    [{ stage: 'mql+' }, false],
    [{ stage: 'nonsense+' }, false],
    [{ stage: '' }, false],
  ])('%j on a lead with 30 → %s', (conditions, expected) => {
    expect(meetsConditions(lead, conditions)).toBe(expected);
  });

  it('treats an unknown score as a new visitor: 0 and "visitor"', () => {
    expect(meetsConditions(undefined, { maxScore: 1, stage: 'visitor' })).toBe(true);
    expect(meetsConditions(undefined, { minScore: 1 })).toBe(false);
    expect(meetsConditions(undefined, { stage: 'lead+' })).toBe(false);
  });

  it('reads sales stages in lifecycle order', () => {
    expect(meetsConditions({ total: 5, stage: 'customer' }, { stage: 'mql+' })).toBe(true);
    expect(meetsConditions({ total: 5, stage: 'sql' }, { stage: 'mql sql' })).toBe(true);
  });
});
