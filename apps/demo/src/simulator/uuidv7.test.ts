import { describe, expect, it } from 'vitest';
import { seededRandom } from './random.js';
import { uuidv7, uuidv7Time } from './uuidv7.js';

describe('uuidv7', () => {
  it('encodes the time so ids sort by it', () => {
    const random = seededRandom(9);
    const times = [1_700_000_000_000, 1_700_000_000_001, 1_800_000_000_000, 1_800_000_100_000];
    const ids = times.map((t) => uuidv7(t, random));
    expect([...ids].sort()).toEqual(ids);
    expect(ids.map(uuidv7Time)).toEqual(times);
  });

  it('rejects a time that is not a whole number of ms', () => {
    expect(() => uuidv7(1.5)).toThrow(/expected a timestamp in ms, got 1.5/);
    expect(() => uuidv7(-1)).toThrow(RangeError);
  });
});
