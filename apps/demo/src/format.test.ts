import { describe, expect, it } from 'vitest';
import {
  displayName,
  formatActor,
  formatAgo,
  formatCount,
  formatDateTime,
  formatDuration,
  formatMoney,
  formatPercent,
  formatPoints,
  formatScore,
} from './format.js';

describe('dashboard formatting', () => {
  it('formats rates as percentages with one decimal, and missing rates as a dash', () => {
    expect(formatPercent(0.5)).toBe('50.0%');
    expect(formatPercent(2 / 3)).toBe('66.7%');
    expect(formatPercent(1)).toBe('100.0%');
    expect(formatPercent(null)).toBe('—');
    expect(formatPercent(Number.NaN)).toBe('—');
  });

  it('formats money in whole dollars with separators', () => {
    expect(formatMoney(25_200)).toBe('$25,200');
    expect(formatMoney(1234.56)).toBe('$1,235');
    expect(formatMoney(-50)).toBe('−$50');
    expect(formatMoney(undefined)).toBe('—');
  });

  it('formats durations in their two largest units', () => {
    expect(formatDuration(264)).toBe('< 1s');
    expect(formatDuration(45_000)).toBe('45s');
    expect(formatDuration(125_000)).toBe('2m 05s');
    expect(formatDuration(2 * 3_600_000 + 5 * 60_000)).toBe('2h 05m');
    expect(formatDuration(3 * 86_400_000 + 4 * 3_600_000 + 59_000)).toBe('3d 4h');
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(-1)).toBe('—');
  });

  it('formats relative times', () => {
    const now = 1_000_000_000_000;
    expect(formatAgo(now - 10_000, now)).toBe('just now');
    expect(formatAgo(now - 5 * 60_000, now)).toBe('5 min ago');
    expect(formatAgo(now - 3 * 3_600_000, now)).toBe('3 h ago');
    expect(formatAgo(now - 2 * 86_400_000, now)).toBe('2 d ago');
    expect(formatAgo(now + 60_000, now)).toBe('just now');
  });

  it('counts with the noun in the singular only for one', () => {
    expect(formatCount(1, 'event')).toBe('1 event');
    expect(formatCount(0, 'visitor')).toBe('0 visitors');
    expect(formatCount(1204, 'visitor')).toBe('1,204 visitors');
  });

  it('formats scores and signed points', () => {
    expect(formatScore(48.54)).toBe('48.5');
    expect(formatScore(50)).toBe('50');
    expect(formatScore(-10)).toBe('−10');
    expect(formatPoints(10)).toBe('+10');
    expect(formatPoints(-20)).toBe('−20');
    expect(formatPoints(4.94)).toBe('+4.9');
    expect(formatPoints(0.01)).toBe('0');
  });

  it('formats a date and time in a given zone', () => {
    expect(formatDateTime(Date.UTC(2026, 10, 21, 14, 5), 'en-US', 'UTC')).toBe('Nov 21, 14:05');
  });

  it('names a contact by name, then email, then a short anonymous id', () => {
    expect(displayName({ name: ' Dana Okafor ', email: 'd@x.example' }, 'c1')).toBe('Dana Okafor');
    expect(displayName({ email: 'd@x.example' }, 'c1')).toBe('d@x.example');
    expect(displayName({ name: '' }, 'da63f65a-85f6-4819-ae04-c0ce22b29438')).toBe('Anonymous b29438');
  });

  it('names who made a change: the display name, else how it came in', () => {
    expect(formatActor('session:Sam Rivera')).toBe('Sam Rivera');
    expect(formatActor('secret-key:Kim')).toBe('Kim');
    expect(formatActor('session')).toBe('dashboard');
    expect(formatActor('secret-key')).toBe('API');
    expect(formatActor('system')).toBe('automatic');
  });
});
