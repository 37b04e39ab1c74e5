import { describe, expect, it } from 'vitest';
import { makeEvent } from '../test/fakeQueueDeps.js';
import {
  backoffDelay,
  DEFAULT_LIMITS,
  parseRetryAfter,
  type QueuedEvent,
  resolveLimits,
  selectBatch,
  selectBeacon,
  selectVictims,
} from './flushPolicy.js';

const record = (priority: 0 | 1 | 2, at: number, bytes = 100, anonymousId = 'a'): QueuedEvent => {
  const event = makeEvent({ anonymousId }, at);
  return { id: event.id, event, bytes, priority, at };
};

describe('selectBatch', () => {
  it('stops at the count and byte limits and keeps one visitor per batch', () => {
    const records = [record(1, 1), record(1, 2, 100, 'b'), record(1, 3), record(1, 4), record(1, 5)];
    expect(selectBatch(records, 3, 10_000).map((r) => r.event.ts)).toEqual([1, 3, 4]);
    expect(selectBatch(records, 10, 100 + 2 * 101).map((r) => r.event.ts)).toEqual([1, 3]);
  });
  it('always takes one event, even an oversized one', () => {
    expect(selectBatch([record(1, 1, 500_000)], 10, 1000)).toHaveLength(1);
  });
});

describe('selectVictims', () => {
  it('drops expired events, then the lowest priority, oldest first', () => {
    const now = 10 * 24 * 3600_000;
    const limits = { ...DEFAULT_LIMITS, maxEvents: 3 };
    const old = record(2, now - DEFAULT_LIMITS.maxAgeMs - 1);
    const ping1 = record(0, now - 50);
    const ping2 = record(0, now - 40);
    const form = record(2, now - 60);
    const view = record(1, now - 30);
    const keep = record(2, now - 10);
    const victims = selectVictims([old, ping1, form, ping2, view, keep], limits, now);
    expect(victims.map((r) => r.id)).toEqual([old.id, ping1.id, ping2.id]);
  });
  it('respects the byte cap', () => {
    const victims = selectVictims(
      [record(1, 1, 600), record(2, 2, 600)],
      { ...DEFAULT_LIMITS, maxBytes: 1000 },
      3,
    );
    expect(victims).toHaveLength(1);
    expect(victims[0]!.priority).toBe(1);
  });
});

describe('backoffDelay', () => {
  it('grows exponentially under full jitter and stops at the ceiling', () => {
    const top = () => 0.999_999;
    const ceilings = [0, 1, 2, 3, 10, 20].map((n) => backoffDelay(n, DEFAULT_LIMITS, top));
    expect(ceilings.slice(0, 4)).toEqual([999, 1999, 3999, 7999]);
    expect(ceilings[5]).toBe(DEFAULT_LIMITS.retryMaxMs - 1);
    expect(backoffDelay(5, DEFAULT_LIMITS, () => 0)).toBe(0);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('30', 0)).toBe(30_000);
    expect(parseRetryAfter(new Date(65_000).toUTCString(), 5_000)).toBe(60_000);
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
    expect(parseRetryAfter(null, 0)).toBeUndefined();
  });
});

describe('selectBeacon', () => {
  it('stays under the byte budget, preferring score-changing then newest events', () => {
    const records = [record(0, 1, 30_000), record(2, 2, 30_000), record(1, 3, 25_000), record(0, 4, 4_000)];
    const chosen = selectBeacon(records, 60_000);
    expect(chosen.map((r) => r.event.ts)).toEqual([2, 3, 4]);
  });
});

describe('resolveLimits', () => {
  it('names the bad field', () => {
    expect(() => resolveLimits({ maxEvents: -1 })).toThrow('limits.maxEvents: expected a positive number');
    expect(() => resolveLimits({ maxAgeMs: 8 * 24 * 3600_000 })).toThrow('limits.maxAgeMs');
  });
});
