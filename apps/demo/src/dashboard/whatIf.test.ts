import { type ScoringModel, type TrackedEvent, validateModel } from '@leadlight/scoring-core';
import { describe, expect, it } from 'vitest';
import { readDemoSite } from '../demoConfig.js';
import { planTraffic } from '../simulator/traffic.js';
import { compareModels, type WhatIfInput } from './whatIf.js';

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
});
