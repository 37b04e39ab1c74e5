import { describe, expect, it } from 'vitest';
import { bucketStart, stagesOverTime, suggestedUnit } from './stagesOverTime.js';

const day = (d: number, h = 12) => new Date(2026, 10, d, h).getTime();

describe('stagesOverTime', () => {
  it('counts contacts by the day they first reached MQL, SQL and customer, empty days included', () => {
    const buckets = stagesOverTime(
      [
        { mqlAt: day(2), reached: { mql: day(2), sql: day(3), customer: day(5) } },
        { mqlAt: day(2, 23), reached: { mql: day(2, 23) } },
        { mqlAt: null, reached: { sql: day(4), customer: day(4) } },
        { mqlAt: day(1), reached: { mql: day(1) } },
      ],
      { from: day(2, 0), to: day(6, 0) },
      'day',
    );
    expect(buckets.map((b) => new Date(b.start).getDate())).toEqual([2, 3, 4, 5]);
    expect(buckets.map((b) => [b.mql, b.sql, b.customer])).toEqual([
      [2, 0, 0],
      [0, 1, 0],
      [0, 1, 1],
      [0, 0, 1],
    ]);
  });

  it('groups by weeks starting on Monday', () => {
    // Nov 2, 2026 is a Monday.
    expect(new Date(bucketStart(day(8), 'week')).getDate()).toBe(2);
    expect(new Date(bucketStart(day(9), 'week')).getDate()).toBe(9);
    const weeks = stagesOverTime(
      [
        { mqlAt: day(3), reached: {} },
        { mqlAt: day(10), reached: {} },
        { mqlAt: day(15), reached: {} },
      ],
      { from: day(2, 0), to: day(16, 0) },
      'week',
    );
    expect(weeks.map((w) => w.mql)).toEqual([1, 2]);
  });

  it('suggests weeks for ranges over ten weeks', () => {
    expect(suggestedUnit({ from: 0, to: 30 * 86_400_000 })).toBe('day');
    expect(suggestedUnit({ from: 0, to: 90 * 86_400_000 })).toBe('week');
  });
});
