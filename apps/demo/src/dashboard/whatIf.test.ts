import { type ScoringModel, type TrackedEvent, validateModel } from '@leadlight/scoring-core';
import { describe, expect, it } from 'vitest';
import { readDemoSite } from '../demoConfig.js';
import { planTraffic } from '../simulator/traffic.js';
import { compareModels, deltaBins, missedThresholds, type WhatIfInput } from './whatIf.js';

const NOW = Date.UTC(2026, 10, 22);
const parse = (input: unknown): ScoringModel => {
  const result = validateModel(input);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.model;
};
const published = parse(readDemoSite().model);

function contacts(): WhatIfInput[] {
  return planTraffic({ now: NOW, origin: 'http://localhost:8787', seed: 5 }).map((v) => ({
    id: v.persona.id,
    name: v.persona.id,
    stage: 'lead',
    events: v.batches.flatMap((b) => b.events) as TrackedEvent[],
  }));
}

describe('compareModels', () => {
  it('changes nothing when the draft is the published model', () => {
    const rows = compareModels(contacts(), published, published, NOW);
    expect(rows.every((r) => r.change === 'same' && r.draftTotal === r.currentTotal)).toBe(true);
  });

  it('shows who would cross the MQL line when the fit threshold is lowered', () => {
    const draft = parse({ ...published, mql: { total: 50, fit: 0 } });
    const rows = compareModels(contacts(), published, draft, NOW);
    // The founder of a five-person company is engaged enough; only the fit threshold held them back.
    expect(rows.filter((r) => r.change === 'crosses').map((r) => r.id)).toEqual(['startup-founder']);
    expect(rows[0]?.id).toBe('startup-founder');
  });

  it('shows who would fall below when the threshold is raised, and never lists a contact already past MQL as crossing', () => {
    const draft = parse({ ...published, mql: { total: 60, fit: 10 } });
    const input = contacts().map((c) => (c.id === 'vp-paid-ad' ? { ...c, stage: 'customer' as const } : c));
    const rows = compareModels(input, published, draft, NOW);
    const drops = rows.filter((r) => r.change === 'drops');
    expect(drops.length).toBeGreaterThan(0);
    for (const row of drops) expect(row.currentTotal).toBeLessThan(60);
    const lowered = compareModels(input, published, parse({ ...published, mql: { total: 1, fit: 0 } }), NOW);
    expect(lowered.find((r) => r.id === 'vp-paid-ad')?.change).toBe('same');
  });

  it('gives each contact its score change, the rules behind it and why it stays below the line', () => {
    const draft = parse({
      ...published,
      rules: published.rules.map((r) => (r.id === 'pricing' ? { ...r, points: 20 } : r)),
    });
    const rows = compareModels(contacts(), published, draft, NOW);
    const vp = rows.find((r) => r.id === 'vp-paid-ad');
    expect(vp?.delta).toBeGreaterThan(0);
    expect(vp?.delta).toBe(Math.round(((vp?.draftTotal ?? 0) - (vp?.currentTotal ?? 0)) * 100) / 100);
    expect(vp?.rules.map((r) => r.rule)).toEqual(['pricing']);
    expect(vp?.rules[0]?.after).toBeGreaterThan(vp?.rules[0]?.before ?? 0);
    const founder = rows.find((r) => r.id === 'startup-founder');
    expect(founder?.misses.map((m) => m.threshold)).toEqual(['fit']);
    expect(founder?.misses[0]).toMatchObject({ need: 10 });
    const jobSeeker = rows.find((r) => r.id === 'job-seeker');
    expect(jobSeeker?.misses.map((m) => m.threshold)).toEqual(['identified', 'total', 'fit']);
    // Rows sort by direction, then by the size of the change.
    const same = rows.filter((r) => r.change === 'same').map((r) => Math.abs(r.delta));
    expect(same).toEqual([...same].sort((a, b) => b - a));
  });

  it('reads no misses for a score that meets every threshold', () => {
    const score = { total: 60, fit: 20, engagement: 40, stage: 'lead' as const, mql: true };
    expect(
      missedThresholds(published, { ...score, modelVersion: 'v', modelHash: 'h', breakdown: [] }),
    ).toEqual([]);
  });

  it('bins score changes around "no change", by size either way', () => {
    const bins = deltaBins([-25, -20, -12, -5, -0.5, 0, 0, 0.2, 5, 19.9, 20, 40].map((delta) => ({ delta })));
    expect(bins.map((b) => `${b.label}:${b.count}`)).toEqual([
      'down 20+:2',
      'down 10–20:1',
      'down 5–10:1',
      'down < 5:1',
      'no change:2',
      'up < 5:1',
      'up 5–10:1',
      'up 10–20:1',
      'up 20+:2',
    ]);
  });
});
