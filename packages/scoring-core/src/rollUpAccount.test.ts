import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluate.js';
import {
  accountMemberOf,
  accountResultOf,
  createAccountState,
  rollUpAccount,
  setAccountMember,
} from './rollUpAccount.js';
import type { AccountMember, ScoringModel, TrackedEvent } from './types.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 1);

const model: ScoringModel = {
  version: 'acc-1',
  rules: [
    { id: 'pricing', event: 'page_view', match: { path: '/pricing*' }, points: 10 },
    { id: 'whitepaper', event: 'download', points: 5 },
  ],
  fit: [],
  mql: { total: 50 },
  accounts: {
    fit: [
      { id: 'big-company', trait: 'companySize', gte: 200, points: 20 },
      { id: 'software', trait: 'industry', in: ['software', 'saas'], points: 10 },
    ],
    mqa: { total: 60, contacts: 2 },
  },
};
const decaying: ScoringModel = { ...model, version: 'acc-2', halfLifeDays: 10 };

const member = (id: string, engagement: number, rules: Record<string, number>, at = T0): AccountMember => ({
  id,
  at,
  engagement,
  rules,
});

function events(anonymousId: string, spec: [string, string | null, number][]): TrackedEvent[] {
  return spec.map(([type, path, ts], i) => ({
    id: `${anonymousId}-${i}`,
    type,
    ts,
    anonymousId,
    ...(path === null ? {} : { path }),
  }));
}

describe('rollUpAccount', () => {
  it('adds members’ engagement, account fit and counts engaged contacts (known answer)', () => {
    const members = [
      member('ann', 30, { pricing: 30 }),
      member('bob', 15, { whitepaper: 15 }),
      member('cy', 0, {}),
    ];
    const score = rollUpAccount(model, { companySize: '450', industry: 'Software' }, members);
    expect(score).toMatchObject({
      total: 75,
      fit: 30,
      engagement: 45,
      engagedContacts: 2,
      members: 3,
      stage: 'mqa',
      mqa: true,
      modelVersion: 'acc-1',
    });
    expect(score.breakdown).toEqual([
      { rule: 'pricing', kind: 'engagement', count: 1, points: 30 },
      { rule: 'whitepaper', kind: 'engagement', count: 1, points: 15 },
      { rule: 'big-company', kind: 'fit', count: 1, points: 20 },
      { rule: 'software', kind: 'fit', count: 1, points: 10 },
    ]);
    expect(score.contributions).toEqual([
      { id: 'ann', engagement: 30 },
      { id: 'bob', engagement: 15 },
      { id: 'cy', engagement: 0 },
    ]);
  });

  it('is an MQA only with enough engaged contacts, whatever the total', () => {
    const one = [member('ann', 200, { pricing: 200 }), member('bob', 0, {})];
    const score = rollUpAccount(model, { companySize: 1000 }, one);
    expect(score.total).toBe(220);
    expect(score.engagedContacts).toBe(1);
    expect(score.mqa).toBe(false);
    expect(score.stage).toBe('account');
    const two = rollUpAccount(model, { companySize: 1000 }, [...one, member('cy', 5, { whitepaper: 5 })]);
    expect(two.mqa).toBe(true);
    // And below the total with enough contacts: no MQA either.
    expect(rollUpAccount(model, {}, [member('a', 10, {}), member('b', 10, {})]).mqa).toBe(false);
  });

  it('keeps mqa once reached, and without an accounts section has no fit and never qualifies', () => {
    const low = rollUpAccount(model, {}, [member('a', 1, {})], { stage: 'mqa' });
    expect(low).toMatchObject({ mqa: false, stage: 'mqa' });
    const { accounts: _, ...plain } = model;
    const none = rollUpAccount(plain, { companySize: 5000 }, [member('a', 500, {}), member('b', 500, {})]);
    expect(none).toMatchObject({ fit: 0, engagement: 1000, mqa: false, stage: 'account' });
  });

  it('decays each member from when it was read, like the members’ own scores', () => {
    const score = rollUpAccount(decaying, {}, [member('a', 40, { pricing: 40 }, T0)], { now: T0 + 10 * DAY });
    expect(score.engagement).toBe(20);
    expect(score.breakdown[0]).toEqual({ rule: 'pricing', kind: 'engagement', count: 1, points: 20 });
    // Two members read at different times, decayed to one moment.
    const two = rollUpAccount(
      decaying,
      {},
      [member('a', 40, { pricing: 40 }, T0), member('b', 10, { whitepaper: 10 }, T0 + 10 * DAY)],
      { now: T0 + 20 * DAY },
    );
    expect(two.engagement).toBe(15);
    expect(two.contributions).toEqual([
      { id: 'a', engagement: 10 },
      { id: 'b', engagement: 5 },
    ]);
  });

  it('equals the sum of the members’ own engagement from their events, at any later time', () => {
    const people = {
      ann: events('ann', [
        ['page_view', '/pricing', T0],
        ['page_view', '/pricing/enterprise', T0 + 2 * DAY],
      ]),
      bob: events('bob', [
        ['download', null, T0 + DAY],
        ['page_view', '/pricing', T0 + 5 * DAY],
      ]),
      cy: events('cy', [['page_view', '/blog', T0 + 3 * DAY]]),
    };
    const members = Object.entries(people).map(([id, evs]) => {
      const at = Math.max(...evs.map((e) => e.ts));
      return accountMemberOf(id, evaluate(decaying, evs, { now: at }), at);
    });
    for (const now of [T0 + 6 * DAY, T0 + 40 * DAY, T0 + 400 * DAY]) {
      const sum = Object.values(people).reduce(
        (s, evs) => s + evaluate(decaying, evs, { now }).engagement,
        0,
      );
      const score = rollUpAccount(decaying, {}, members, { now });
      expect(Math.abs(score.engagement - sum)).toBeLessThanOrEqual(0.02);
      expect(score.engagedContacts).toBe(2);
    }
  });

  it('updates one member in place to exactly what a full roll-up gives', () => {
    const state = createAccountState();
    const a1 = member('a', 10, { pricing: 10 }, T0);
    const b1 = member('b', 5, { whitepaper: 5 }, T0 + DAY);
    const a2 = member('a', 25, { pricing: 20, whitepaper: 5 }, T0 + 3 * DAY);
    setAccountMember(decaying, state, null, a1);
    setAccountMember(decaying, state, null, b1);
    setAccountMember(decaying, state, a1, a2);
    const now = T0 + 7 * DAY;
    const incremental = accountResultOf(decaying, state, { industry: 'saas' }, { now });
    const { contributions: _, ...whole } = rollUpAccount(decaying, { industry: 'saas' }, [a2, b1], { now });
    expect(incremental).toEqual(whole);
    expect(state.members).toBe(2);
    expect(state.rules.whitepaper?.[1]).toBe(2);
    // Everyone leaves: nothing is left, not even floating-point dust.
    setAccountMember(decaying, state, a2, null);
    setAccountMember(decaying, state, b1, null);
    expect(state).toEqual(createAccountState());
  });

  it('counts a member leaving the engaged set, and stays finite over centuries of short half-lives', () => {
    const state = createAccountState();
    const engaged = member('a', 10, {}, T0);
    setAccountMember(decaying, state, null, engaged);
    setAccountMember(decaying, state, engaged, member('a', -5, {}, T0 + DAY));
    expect(state.engaged).toBe(0);
    const shortLife: ScoringModel = { ...model, halfLifeDays: 0.5 };
    const long = createAccountState();
    setAccountMember(shortLife, long, null, member('old', 100, { pricing: 100 }, T0));
    setAccountMember(shortLife, long, null, member('new', 8, { pricing: 8 }, T0 + 200 * 365 * DAY));
    const score = accountResultOf(shortLife, long, {}, { now: T0 + 200 * 365 * DAY });
    expect(Number.isFinite(long.engagement)).toBe(true);
    expect(score.engagement).toBe(8);
  });
});
