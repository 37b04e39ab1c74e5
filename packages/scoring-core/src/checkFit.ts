import { type Checker, describe, isObject, isScalar } from './Checker.js';
import type { FitRule, Scalar } from './types.js';

const FIT_KEYS = new Set(['id', 'label', 'trait', 'points', 'equals', 'in', 'gte', 'lte', 'exists']);

/** Checks one fit rule (of the contact model or of `accounts.fit`): one operator, ids unique in `seen`. */
export function checkFit(c: Checker, path: string, input: unknown, seen: Set<string>): FitRule | undefined {
  if (!isObject(input)) {
    c.fail(
      path,
      `expected a fit rule like {"id": "buyer", "trait": "role", "in": ["vp"], "points": 10} (got ${describe(input)})`,
    );
    return undefined;
  }
  c.unknownKeys(
    path,
    input,
    FIT_KEYS,
    'a fit rule has id, label, trait, points and one operator: equals, in, gte, lte, exists',
  );
  const id = c.id(`${path}.id`, input.id, seen);
  const label = c.label(`${path}.label`, input.label);
  if (typeof input.trait !== 'string' || input.trait.trim() === '')
    c.fail(`${path}.trait`, `expected the name of a trait such as "role" (got ${describe(input.trait)})`);
  const points = c.points(`${path}.points`, input.points);
  const rule: Partial<FitRule> = { id, trait: input.trait as string, points };
  if (label !== undefined) rule.label = label;
  const operators = ['equals', 'in', 'gte', 'lte', 'exists'].filter((op) => input[op] !== undefined);
  const range = operators.every((op) => op === 'gte' || op === 'lte');
  if (operators.length === 0) {
    c.fail(path, 'a fit rule needs one operator: equals, in, gte, lte or exists');
  } else if (!range && operators.length > 1) {
    c.fail(path, `a fit rule takes one operator (or gte with lte), got ${operators.join(' and ')}`);
  }
  if (input.equals !== undefined) {
    if (!isScalar(input.equals))
      c.fail(`${path}.equals`, `expected a string, number or boolean (got ${describe(input.equals)})`);
    else rule.equals = input.equals;
  }
  if (input.in !== undefined) {
    if (!Array.isArray(input.in) || input.in.length === 0)
      c.fail(`${path}.in`, `expected a non-empty list of values (got ${describe(input.in)})`);
    else {
      input.in.forEach((v, i) => {
        if (!isScalar(v))
          c.fail(`${path}.in[${i}]`, `expected a string, number or boolean (got ${describe(v)})`);
      });
      rule.in = input.in as Scalar[];
    }
  }
  if (input.gte !== undefined) rule.gte = c.finite(`${path}.gte`, input.gte, 'a number');
  if (input.lte !== undefined) rule.lte = c.finite(`${path}.lte`, input.lte, 'a number');
  if (rule.gte !== undefined && rule.lte !== undefined && rule.gte > rule.lte)
    c.fail(`${path}.gte`, `gte ${rule.gte} is above lte ${rule.lte}: no value can match`);
  if (input.exists !== undefined) {
    if (typeof input.exists !== 'boolean')
      c.fail(`${path}.exists`, `expected true or false (got ${describe(input.exists)})`);
    else rule.exists = input.exists;
  }
  return id === undefined || points === undefined ? undefined : (rule as FitRule);
}
