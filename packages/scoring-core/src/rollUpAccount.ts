import { compileFitTest } from './compileModel.js';
import { hashModel } from './hashModel.js';
import { round2 } from './round2.js';
import type {
  AccountBreakdownEntry,
  AccountMember,
  AccountRollUp,
  AccountScore,
  AccountStage,
  AccountState,
  FitRule,
  ScoreResult,
  ScoringModel,
} from './types.js';

const DAY_MS = 86_400_000;
/** Past this many half-lives from `refTs` the weights are rebased (2^64), so sums stay finite. */
const MAX_HALF_LIVES = 64;

/** Options of `accountResultOf` and `rollUpAccount`. */
export interface AccountScoreOptions {
  /** The time to decay to; defaults to the newest member contribution. */
  now?: number;
  /** The stage the account already has (`mqa` is sticky). */
  stage?: AccountStage;
}

const fitTests = new WeakMap<FitRule[], ((value: unknown) => boolean)[]>();
const hashes = new WeakMap<ScoringModel, string>();

function halfLifeMs(model: ScoringModel): number {
  return model.halfLifeDays ? model.halfLifeDays * DAY_MS : 0;
}

function hashOf(model: ScoringModel): string {
  let hash = hashes.get(model);
  if (hash === undefined) {
    hash = hashModel(model);
    hashes.set(model, hash);
  }
  return hash;
}

/** An empty account state. */
export function createAccountState(): AccountState {
  return { v: 1, refTs: 0, engagement: 0, rules: {}, members: 0, engaged: 0 };
}

/** A contact's contribution to its account, from its score read at `at`. */
export function accountMemberOf(id: string, score: ScoreResult, at: number): AccountMember {
  const rules: Record<string, number> = {};
  for (const line of score.breakdown) if (line.kind === 'engagement') rules[line.rule] = line.points;
  return { id, at, engagement: score.engagement, rules };
}

function add(state: AccountState, member: AccountMember, sign: 1 | -1, h: number): void {
  const weight = h === 0 ? 1 : 2 ** ((member.at - state.refTs) / h);
  state.engagement += sign * member.engagement * weight;
  for (const [rule, points] of Object.entries(member.rules)) {
    const line: [number, number] = Object.hasOwn(state.rules, rule)
      ? (state.rules[rule] as [number, number])
      : [0, 0];
    line[0] += sign * points * weight;
    line[1] += sign;
    if (line[1] > 0) state.rules[rule] = line;
    else delete state.rules[rule];
  }
  state.members += sign;
  if (member.engagement > 0) state.engaged += sign;
}

/**
 * Replaces one member's contribution in place: `previous` (what it added last time, or null for a new
 * member) is taken out, `next` (null when it leaves) is put in. O(rules of that member), whatever the
 * account's size.
 */
export function setAccountMember(
  model: ScoringModel,
  state: AccountState,
  previous: AccountMember | null,
  next: AccountMember | null,
): AccountState {
  const h = halfLifeMs(model);
  if (previous) add(state, previous, -1, h);
  if (next) {
    if (state.members === 0) state.refTs = next.at;
    else if (h > 0 && (next.at - state.refTs) / h > MAX_HALF_LIVES) {
      const factor = 2 ** ((state.refTs - next.at) / h);
      state.engagement *= factor;
      for (const line of Object.values(state.rules)) line[0] *= factor;
      state.refTs = next.at;
    }
    add(state, next, 1, h);
  }
  // Take-outs leave floating-point dust; an empty account holds exactly nothing.
  if (state.members === 0) Object.assign(state, createAccountState());
  return state;
}

/**
 * The score an account state stands for at `now`: engagement (its members', decayed like theirs) plus
 * fit from the account's traits and `model.accounts.fit`; MQA when every `model.accounts.mqa` threshold
 * is met (`contacts` counts engaged members). Without an `accounts` section: no fit, never an MQA.
 */
export function accountResultOf(
  model: ScoringModel,
  state: AccountState,
  traits: Record<string, unknown>,
  options: AccountScoreOptions = {},
): AccountScore {
  const h = halfLifeMs(model);
  const now = options.now ?? state.refTs;
  const decay = h === 0 ? 1 : 2 ** ((state.refTs - now) / h);
  const breakdown: AccountBreakdownEntry[] = [];
  for (const rule of model.rules) {
    if (!Object.hasOwn(state.rules, rule.id)) continue;
    const [points, count] = state.rules[rule.id] as [number, number];
    breakdown.push({ rule: rule.id, kind: 'engagement', count, points: round2(points * decay) });
  }
  const fitRules = model.accounts?.fit ?? [];
  let tests = fitTests.get(fitRules);
  if (!tests) {
    tests = fitRules.map(compileFitTest);
    fitTests.set(fitRules, tests);
  }
  let fit = 0;
  fitRules.forEach((rule, i) => {
    const value = Object.hasOwn(traits, rule.trait) ? traits[rule.trait] : undefined;
    if (!tests[i]?.(value)) return;
    fit += rule.points;
    breakdown.push({ rule: rule.id, kind: 'fit', count: 1, points: round2(rule.points) });
  });
  const engagement = round2(state.engagement * decay);
  const total = round2(fit + state.engagement * decay);
  const roundedFit = round2(fit);
  const t = model.accounts?.mqa;
  const mqa =
    t !== undefined &&
    (t.total === undefined || total >= t.total) &&
    (t.fit === undefined || roundedFit >= t.fit) &&
    (t.engagement === undefined || engagement >= t.engagement) &&
    (t.contacts === undefined || state.engaged >= t.contacts);
  return {
    total,
    fit: roundedFit,
    engagement,
    engagedContacts: state.engaged,
    members: state.members,
    stage: mqa || options.stage === 'mqa' ? 'mqa' : 'account',
    mqa,
    modelVersion: model.version,
    modelHash: hashOf(model),
    breakdown,
  };
}

/**
 * Rolls an account up from its members' contributions (the pure, whole-account form of
 * `setAccountMember` + `accountResultOf`), with each member's engagement now, highest first.
 */
export function rollUpAccount(
  model: ScoringModel,
  traits: Record<string, unknown>,
  members: readonly AccountMember[],
  options: AccountScoreOptions = {},
): AccountRollUp {
  const state = createAccountState();
  for (const member of members) setAccountMember(model, state, null, member);
  const now = options.now ?? members.reduce((newest, m) => Math.max(newest, m.at), 0);
  const h = halfLifeMs(model);
  const contributions = members
    .map((m) => ({ id: m.id, engagement: round2(m.engagement * (h === 0 ? 1 : 2 ** ((m.at - now) / h))) }))
    .sort((a, b) => b.engagement - a.engagement || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { ...accountResultOf(model, state, traits, { ...options, now }), contributions };
}
