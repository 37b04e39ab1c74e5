import { type Checker, checkList, describe, isObject } from './Checker.js';
import { checkFit } from './checkFit.js';
import type { AccountModel, MqaThresholds } from './types.js';

const ACCOUNT_KEYS = new Set(['fit', 'mqa']);
const MQA_KEYS = ['total', 'fit', 'engagement', 'contacts'] as const;

/** Checks a model's `accounts` section; its fit rule ids share `seen` with the contact rules (breakdowns name both). */
export function checkAccounts(c: Checker, input: unknown, seen: Set<string>): AccountModel | undefined {
  if (!isObject(input)) {
    c.fail(
      'accounts',
      `expected {"fit": [account fit rules], "mqa": {"total": 60, "contacts": 2}} (got ${describe(input)})`,
    );
    return undefined;
  }
  c.unknownKeys('accounts', input, ACCOUNT_KEYS, 'accounts has fit and mqa');
  const fit =
    input.fit === undefined ? [] : checkList(c, 'accounts.fit', input.fit, (p, r) => checkFit(c, p, r, seen));
  const mqa: MqaThresholds = {};
  if (!isObject(input.mqa)) {
    c.fail(
      'accounts.mqa',
      `required: MQA thresholds like {"total": 60, "contacts": 2} (got ${describe(input.mqa)})`,
    );
    return undefined;
  }
  c.unknownKeys(
    'accounts.mqa',
    input.mqa,
    new Set(MQA_KEYS),
    'thresholds are total, fit, engagement and contacts',
  );
  for (const key of MQA_KEYS) {
    const value = input.mqa[key];
    if (value === undefined) continue;
    if (key === 'contacts') {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 1_000_000)
        c.fail(
          'accounts.mqa.contacts',
          `expected a whole number of engaged contacts from 1 (got ${describe(value)})`,
        );
      else mqa.contacts = value;
    } else {
      const points = c.finite(`accounts.mqa.${key}`, value, 'a number of points');
      if (points !== undefined) mqa[key] = points;
    }
  }
  if (!MQA_KEYS.some((key) => (input.mqa as Record<string, unknown>)[key] !== undefined))
    c.fail('accounts.mqa', 'give at least one threshold: total, fit, engagement or contacts');
  return { fit, mqa };
}
