import { evaluate, validateEvent } from '@leadlight/scoring-core';
import { describe, expect, it } from 'vitest';
import { type PlannedVisitor, planTraffic } from './traffic.js';
import { DAY, demoModel, eventsOf, NOW, ORIGIN } from './trafficFixtures.js';

const model = demoModel();

/** What `pnpm simulate` plans by default (2 rounds of the personas and a crowd of 200). */
const plan = (seed: number) => planTraffic({ now: NOW, origin: ORIGIN, seed, rounds: 2, crowd: 200 });
const crowdOf = (visitors: PlannedVisitor[]) => visitors.filter((v) => v.persona.id === 'crowd');
const reached = (v: PlannedVisitor, stage: string) => v.outcomes?.some((o) => o.stage === stage) ?? false;
const did = (v: PlannedVisitor, test: (e: ReturnType<typeof eventsOf>[number]) => boolean) =>
  eventsOf(v).some(test);
const rate = (list: PlannedVisitor[]) => list.filter((v) => reached(v, 'sql')).length / list.length;

describe('the crowd of prospects', () => {
  const visitors = plan(42);
  const crowd = crowdOf(visitors);

  it('is deterministic for a seed, valid on the wire, and leaves the personas of the seed as they were', () => {
    expect(plan(42)).toEqual(visitors);
    expect(visitors.slice(0, 16)).toEqual(planTraffic({ now: NOW, origin: ORIGIN, seed: 42, rounds: 2 }));
    expect(crowd.length).toBeGreaterThanOrEqual(200);
    for (const event of crowd.flatMap(eventsOf)) {
      const result = validateEvent(event);
      expect(result.ok ? 'ok' : result.error).toBe('ok');
      expect(event.ts).toBeLessThan(NOW);
    }
    const emails = visitors.flatMap((v) => (v.email ? [v.email] : []));
    expect(new Set(emails).size).toBe(emails.length);
  });

  it('puts 2–5 people in each company, sharing its email domain, name, size and industry', () => {
    const byDomain = new Map<string, Record<string, unknown>[]>();
    for (const v of crowd) {
      const identify = eventsOf(v).find((e) => e.type === 'identify');
      const traits = identify?.traits ?? {};
      expect(traits.email).toBe(v.email);
      const domain = String(v.email).split('@')[1] as string;
      byDomain.set(domain, [...(byDomain.get(domain) ?? []), traits]);
    }
    const freeMail = ['gmail.com', 'outlook.com', 'yahoo.com', 'proton.me'];
    const companies = [...byDomain].filter(([domain]) => !freeMail.includes(domain));
    expect(companies.length).toBeGreaterThan(40);
    for (const [domain, people] of companies) {
      expect(domain).toMatch(/^[a-z]+(-[a-z]+)+\.example$/);
      expect(people.length).toBeGreaterThanOrEqual(2);
      expect(people.length).toBeLessThanOrEqual(5);
      for (const key of ['company', 'companySize', 'industry'])
        expect(new Set(people.map((t) => t[key])).size, `${domain} ${key}`).toBe(1);
    }
    const freeMailPeople = [...byDomain].filter(([d]) => freeMail.includes(d)).flatMap(([, p]) => p);
    expect(freeMailPeople.length).toBeGreaterThan(5);
  });

  it('turns demo requesters, pricing readers and buyers into SQLs far more often than the others', () => {
    const all = [1, 2, 3, 4, 5].flatMap((seed) => crowdOf(plan(seed)));
    const demo = (v: PlannedVisitor) =>
      did(v, (e) => e.type === 'form_submit' && e.props?.form === 'demo-request');
    const pricing = (v: PlannedVisitor) => eventsOf(v).filter((e) => e.path === '/pricing/').length >= 2;
    const kb = (v: PlannedVisitor) => did(v, (e) => e.path?.startsWith('/kb') ?? false);
    const intern = (v: PlannedVisitor) =>
      eventsOf(v).some((e) => e.traits?.role === 'intern' || e.traits?.role === 'student');
    expect(rate(all.filter(demo))).toBeGreaterThan(2 * rate(all.filter((v) => !demo(v))));
    expect(rate(all.filter(pricing))).toBeGreaterThan(1.5 * rate(all.filter((v) => !pricing(v))));
    expect(rate(all.filter(intern))).toBeLessThan(0.5 * rate(all.filter((v) => !intern(v))));
    // The knowledge base earns points in the demo model and predicts nothing.
    expect(Math.abs(rate(all.filter(kb)) - rate(all.filter((v) => !kb(v))))).toBeLessThan(0.06);
  });

  it('gives the review at least 30 SQLs and 30 others under the default volume, whatever the seed', () => {
    for (const seed of [1, 7, 42, 1234, 99_999]) {
      const identified = plan(seed).filter((v) => v.email);
      const sqls = identified.filter((v) => reached(v, 'sql') || v.sales.some((s) => s.stage === 'sql'));
      expect(sqls.length, `seed ${seed}`).toBeGreaterThanOrEqual(40);
      expect(identified.length - sqls.length, `seed ${seed}`).toBeGreaterThanOrEqual(40);
    }
  });

  it('dates outcomes after the last visit and in stage order, with revenue for customers', () => {
    const withOutcomes = crowd.filter((v) => (v.outcomes?.length ?? 0) > 0);
    expect(withOutcomes.filter((v) => reached(v, 'customer')).length).toBeGreaterThan(3);
    for (const v of withOutcomes) {
      const outcomes = v.outcomes ?? [];
      const lastSeen = Math.max(...eventsOf(v).map((e) => e.ts));
      expect(outcomes.map((o) => o.stage)).toEqual(
        ['sql', 'opportunity', 'customer'].slice(0, outcomes.length),
      );
      expect(outcomes[0]?.at).toBeGreaterThan(lastSeen);
      for (const [i, o] of outcomes.entries()) {
        expect(o.email).toBe(v.email);
        expect(o.at).toBeLessThan(NOW);
        if (i > 0) expect(o.at).toBeGreaterThan(outcomes[i - 1]?.at ?? 0);
        if (o.stage === 'customer') expect(o.revenue).toBeGreaterThan(0);
      }
    }
    // Visits spread over weeks, so the stages over time have something to show.
    const times = crowd.flatMap(eventsOf).map((e) => e.ts);
    expect(NOW - Math.min(...times)).toBeGreaterThan(30 * DAY);
  });

  it('makes MQLs under the demo model (as of their last visit), and not only among the SQLs', () => {
    const mql = crowd.filter((v) => {
      const all = eventsOf(v);
      return evaluate(model, all, { now: all.at(-1)?.ts ?? NOW }).mql;
    });
    expect(mql.length).toBeGreaterThan(20);
    expect(mql.filter((v) => !reached(v, 'sql')).length).toBeGreaterThan(5);
  });
});
