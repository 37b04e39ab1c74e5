import { evaluate, validateEvent } from '@leadlight/scoring-core';
import { describe, expect, it } from 'vitest';
import { PERSONAS } from './personas.js';
import { type PlannedVisitor, planTraffic, runTraffic, type TrafficTransport } from './traffic.js';
import { DAY, demoModel, eventsOf, NOW, ORIGIN } from './trafficFixtures.js';
import { uuidv7Time } from './uuidv7.js';

const model = demoModel();
const visitorOf = (visitors: PlannedVisitor[], id: string) => {
  const visitor = visitors.find((v) => v.persona.id === id);
  if (!visitor) throw new Error(`no visitor for persona ${id}`);
  return visitor;
};

describe('planTraffic', () => {
  const visitors = planTraffic({ now: NOW, origin: ORIGIN, seed: 42 });

  it('plans one visitor per persona, every event valid on the wire', () => {
    expect(visitors.map((v) => v.persona.id)).toEqual(PERSONAS.map((p) => p.id));
    for (const visitor of visitors) {
      for (const event of eventsOf(visitor)) {
        const result = validateEvent(event);
        expect(result.ok ? 'ok' : `${visitor.persona.id}: ${result.error}`).toBe('ok');
      }
    }
  });

  it('uses unique, time-ordered UUID v7 ids that encode each event time', () => {
    const all = visitors.flatMap(eventsOf);
    expect(new Set(all.map((e) => e.id)).size).toBe(all.length);
    for (const event of all) {
      expect(event.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(uuidv7Time(event.id)).toBe(event.ts);
    }
  });

  it('spreads realistic timestamps over days, all before now, increasing within a session', () => {
    const all = visitors.flatMap(eventsOf);
    const times = all.map((e) => e.ts);
    expect(Math.max(...times)).toBeLessThan(NOW);
    expect(NOW - Math.min(...times)).toBeGreaterThan(7 * DAY);
    expect(NOW - Math.min(...times)).toBeLessThan(12 * DAY);
    for (const batch of visitors.flatMap((v) => v.batches)) {
      const ts = batch.events.map((e) => e.ts);
      expect(ts).toEqual([...ts].sort((a, b) => a - b));
      expect(batch.sentAt).toBeGreaterThanOrEqual(ts[ts.length - 1] as number);
    }
  });

  it('is deterministic for a seed and varies across seeds', () => {
    const again = planTraffic({ now: NOW, origin: ORIGIN, seed: 42 });
    const other = planTraffic({ now: NOW, origin: ORIGIN, seed: 43 });
    expect(again).toEqual(visitors);
    expect(other.map((v) => v.email)).not.toEqual(visitors.map((v) => v.email));
  });

  it('gives each visitor its own name, email and anonymous ids', () => {
    const two = planTraffic({ now: NOW, origin: ORIGIN, seed: 1, rounds: 2 });
    expect(two).toHaveLength(PERSONAS.length * 2);
    const emails = two.map((v) => v.email).filter(Boolean);
    expect(new Set(emails).size).toBe(emails.length);
    const names = two.map((v) => v.name).filter(Boolean);
    expect(new Set(names).size).toBe(names.length);
    const ids = two.flatMap((v) => v.anonymousIds);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('rejects an unknown persona by name', () => {
    expect(() => planTraffic({ now: NOW, origin: 'http://x', personas: ['ceo'] })).toThrow(
      /unknown persona "ceo"/,
    );
  });

  it('carries the paid-ad UTM tags on the VP landing page view', () => {
    const [landing] = eventsOf(visitorOf(visitors, 'vp-paid-ad'));
    expect(landing).toMatchObject({
      type: 'page_view',
      path: '/pricing/',
      props: { utm_medium: 'cpc', utm_source: 'google' },
    });
    expect(landing?.url).not.toContain('email');
  });
});

describe('personas under the demo model', () => {
  const visitors = planTraffic({ now: NOW, origin: ORIGIN, seed: 7 });
  const score = (id: string) => evaluate(model, eventsOf(visitorOf(visitors, id)), { now: NOW });

  it('turns the VP from a paid ad, the LinkedIn director, the FinOps head and the returning reader into MQLs', () => {
    for (const id of ['vp-paid-ad', 'director-linkedin', 'head-finops-newsletter', 'returning-reader']) {
      const result = score(id);
      expect({ id, stage: result.stage, mql: result.mql }).toEqual({ id, stage: 'mql', mql: true });
    }
    expect(score('vp-paid-ad').breakdown.map((b) => b.rule)).toEqual(
      expect.arrayContaining(['paid-ad', 'pricing', 'whitepaper', 'big-company', 'buyer-role']),
    );
  });

  it('keeps the engaged founder of a tiny company below the fit threshold', () => {
    const result = score('startup-founder');
    expect(result.total).toBeGreaterThanOrEqual(50);
    expect(result.fit).toBeLessThan(10);
    expect(result).toMatchObject({ stage: 'lead', mql: false });
  });

  it('scores the intern negative and keeps them a lead', () => {
    const result = score('intern');
    expect(result.total).toBeLessThan(0);
    expect(result.stage).toBe('lead');
  });

  it('keeps the job seeker anonymous with the careers penalty', () => {
    const result = score('job-seeker');
    expect(result.stage).toBe('visitor');
    expect(result.breakdown.find((b) => b.rule === 'careers')?.points).toBeLessThan(0);
    expect(visitorOf(visitors, 'job-seeker').email).toBeUndefined();
  });

  it('sends the returning reader from two devices that one identify per device merges', () => {
    const reader = visitorOf(visitors, 'returning-reader');
    expect(reader.anonymousIds).toHaveLength(2);
    for (const anonymousId of reader.anonymousIds) {
      const identifies = eventsOf(reader).filter(
        (e) => e.anonymousId === anonymousId && e.type === 'identify',
      );
      expect(identifies[0]?.traits?.email).toBe(reader.email);
    }
  });
});

describe('runTraffic', () => {
  it('sends batches in global time order, then sales actions to the contact of the identified device', async () => {
    const visitors = planTraffic({
      now: NOW,
      origin: ORIGIN,
      seed: 3,
      personas: ['vp-paid-ad', 'returning-reader'],
    });
    const sent: number[] = [];
    const stages: string[] = [];
    const transport: TrafficTransport = {
      async sendBatch(batch) {
        sent.push(batch.sentAt);
      },
      async contactIdOf(anonymousId) {
        const visitor = visitors.find((v) => v.anonymousIds.includes(anonymousId));
        const identified = visitor?.batches.some((b) =>
          b.events.some((e) => e.type === 'identify' && e.anonymousId === anonymousId),
        );
        return `${visitor?.persona.id}:${identified ? 'known' : anonymousId}`;
      },
      async setStage(contactId, action) {
        stages.push(`${contactId}>${action.stage}`);
      },
      async recordOutcomes() {
        throw new Error('personas have no dated outcomes');
      },
    };
    const progress: number[] = [];
    const report = await runTraffic(visitors, transport, (done) => progress.push(done));
    expect(sent).toEqual([...sent].sort((a, b) => a - b));
    expect(stages).toEqual([
      'vp-paid-ad:known>sql',
      'vp-paid-ad:known>opportunity',
      'vp-paid-ad:known>customer',
      'returning-reader:known>sql',
      'returning-reader:known>lead',
    ]);
    expect(report).toMatchObject({ visitors: 2, salesActions: 5, failures: [] });
    expect(report.events).toBe(visitors.flatMap(eventsOf).length);
    expect(progress.at(-1)).toBe(sent.length + stages.length);
  });

  it("records the crowd's outcomes in date order, and reports items the API refused", async () => {
    const visitors = planTraffic({ now: NOW, origin: 'http://x', seed: 3, personas: ['intern'], crowd: 30 });
    const planned = visitors.flatMap((v) => v.outcomes ?? []);
    expect(planned.length).toBeGreaterThan(0);
    const calls: { at: number; email: string }[][] = [];
    const report = await runTraffic(visitors, {
      async sendBatch() {},
      async contactIdOf() {
        return null;
      },
      async setStage() {},
      async recordOutcomes(items) {
        calls.push(items);
        return items.map((_, index) =>
          index === 0 ? { index, error: 'items[0].email: no contact' } : { index },
        );
      },
    });
    expect(calls).toHaveLength(1);
    const ats = calls[0]?.map((o) => o.at) ?? [];
    expect(ats).toEqual([...ats].sort((a, b) => a - b));
    expect(report.outcomes).toBe(planned.length - 1);
    expect(report.failures).toEqual([`outcome ${calls[0]?.[0]?.email}: items[0].email: no contact`]);
  });

  it('reports failures and carries on', async () => {
    const visitors = planTraffic({
      now: NOW,
      origin: 'http://x',
      seed: 3,
      personas: ['vp-paid-ad', 'intern'],
    });
    let calls = 0;
    const report = await runTraffic(visitors, {
      async sendBatch() {
        calls += 1;
        if (calls === 1) throw new Error('/v1/batch: 503 busy');
      },
      async contactIdOf() {
        return null;
      },
      async setStage() {},
      async recordOutcomes() {
        return [];
      },
    });
    expect(report.failures[0]).toMatch(/: batch of \d+ events: \/v1\/batch: 503 busy/);
    expect(report.failures.filter((f) => f.includes('no contact id'))).toHaveLength(3);
    expect(report.batches).toBe(visitors.flatMap((v) => v.batches).length - 1);
  });
});
