import { evaluate, type TrackedEvent, validateModel } from '@leadlight/scoring-core';
import { describe, expect, it } from 'vitest';
import { featureLayout, scoreColumns, writeFeatures } from './reviewFeatures.js';

const checked = validateModel({
  version: 'features-1',
  halfLifeDays: 10,
  rules: [
    { id: 'pricing', event: 'page_view', match: { path: '/pricing*' }, points: 10, max: 3 },
    { id: 'careers', event: 'page_view', match: { path: '/careers*' }, points: -7, max: 1 },
    { id: 'pdf', event: 'download', match: { ext: ['pdf'] }, points: 4.5 },
    { id: 'long-read', event: 'engagement', match: { props: { engagedSeconds: { gte: 60 } } }, points: 6 },
  ],
  fit: [
    { id: 'big', trait: 'companySize', gte: 200, points: 15 },
    { id: 'buyer', trait: 'role', in: ['vp', 'director'], points: 10 },
  ],
  mql: { total: 40 },
});
if (!checked.ok) throw new Error('test model does not validate');
const MODEL = checked.model;
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 1);

function events(seed: number): TrackedEvent[] {
  let s = seed;
  const random = () => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return s / 2 ** 31;
  };
  const list: TrackedEvent[] = [];
  const paths = ['/pricing', '/pricing/teams', '/careers', '/blog', '/'];
  for (let i = 0; i < 25; i++) {
    const ts = T0 + Math.floor(random() * 30 * DAY);
    const roll = random();
    const base = { id: `e${seed}-${i}`, ts, anonymousId: `a${seed}` };
    if (roll < 0.55)
      list.push({ ...base, type: 'page_view', path: paths[Math.floor(random() * paths.length)] });
    else if (roll < 0.7) list.push({ ...base, type: 'download', props: { ext: 'pdf' } });
    else if (roll < 0.9)
      list.push({
        ...base,
        type: 'engagement',
        props: { pageViewId: `v${Math.floor(random() * 4)}`, engagedSeconds: Math.floor(random() * 200) },
      });
    else
      list.push({
        ...base,
        type: 'identify',
        traits: {
          email: `p${seed}@x.test`,
          role: random() < 0.5 ? 'vp' : 'engineer',
          companySize: 50 + i * 20,
        },
      });
  }
  return list.sort((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : 1));
}

describe('review columns', () => {
  it("score any cutoff exactly as scoring-core's evaluate does on the events before it", () => {
    const layout = featureLayout(MODEL);
    expect(layout.ids).toEqual(['pricing', 'careers', 'pdf', 'long-read', 'big', 'buyer']);
    const row = new Float64Array(layout.ids.length);
    for (let seed = 1; seed <= 60; seed++) {
      const list = events(seed);
      const cutoff = T0 + ((seed * 7) % 35) * DAY;
      writeFeatures(layout, list, cutoff, row, 0);
      const expected = evaluate(
        MODEL,
        list.filter((e) => e.ts < cutoff),
        { now: cutoff },
      );
      const got = scoreColumns(layout, layout.points, row, 0);
      expect(got.total).toBeCloseTo(expected.total, 6);
      expect(got.fit).toBe(expected.fit);
      expect(got.engagement).toBeCloseTo(expected.engagement, 6);
      // A fired column is a rule in the breakdown.
      const fired = layout.ids.filter((_, j) => (row[j] as number) > 0);
      expect(fired.sort()).toEqual(expected.breakdown.map((b) => b.rule).sort());
    }
  });
});
