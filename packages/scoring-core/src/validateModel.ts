import { Checker, checkList, describe, GLOB_MATCH_KEYS, isObject, type Json } from './Checker.js';
import { checkAccounts } from './checkAccounts.js';
import { checkFit } from './checkFit.js';
import type {
  EngagementRule,
  MatchCondition,
  MqlThresholds,
  ScoringFeature,
  ScoringModel,
  ValidationResult,
} from './types.js';
import { isEventType } from './validateEvent.js';

export { GLOB_MATCH_KEYS } from './Checker.js';
/** Match keys read from the event's `props`. */
export const PROP_MATCH_KEYS = [
  'ext',
  'cta',
  'form',
  'file',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'utm_term',
  'utm_content',
] as const;
const MATCH_KEYS = new Set<string>([...GLOB_MATCH_KEYS, 'title', ...PROP_MATCH_KEYS, 'props']);
const MODEL_KEYS = new Set(['version', 'halfLifeDays', 'rules', 'fit', 'mql', 'requires', 'accounts']);
/** The features this version of scoring-core implements (a model may require only these). */
export const SCORING_FEATURES: readonly ScoringFeature[] = ['engagement-per-view', 'numeric-match'];
const RULE_KEYS = new Set(['id', 'label', 'event', 'match', 'points', 'max']);
const MQL_KEYS = ['total', 'fit', 'engagement'] as const;
const MAX_CAP = 1_000_000;
const MAX_HALF_LIFE_DAYS = 36_500;

function checkRule(c: Checker, path: string, input: unknown, seen: Set<string>): EngagementRule | undefined {
  if (!isObject(input)) {
    c.fail(
      path,
      `expected a rule object like {"id": "pricing", "event": "page_view", "points": 10} (got ${describe(input)})`,
    );
    return undefined;
  }
  c.unknownKeys(path, input, RULE_KEYS, 'a rule has id, label, event, match, points and max');
  const id = c.id(`${path}.id`, input.id, seen);
  const label = c.label(`${path}.label`, input.label);
  const event = input.event;
  if (typeof event === 'string') {
    if (!isEventType(event))
      c.fail(`${path}.event`, `"${event}" is not an event type (lowercase [a-z0-9_.:-], 1–64 characters)`);
  } else if (Array.isArray(event) && event.length > 0) {
    event.forEach((type, i) => {
      if (typeof type !== 'string' || !isEventType(type))
        c.fail(`${path}.event[${i}]`, `expected an event type such as "page_view" (got ${describe(type)})`);
    });
  } else {
    c.fail(`${path}.event`, `expected an event type or a non-empty list of them (got ${describe(event)})`);
  }
  const points = c.points(`${path}.points`, input.points);
  if (input.max !== undefined) {
    const max = input.max;
    if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > MAX_CAP)
      c.fail(
        `${path}.max`,
        `expected a whole number of times from 1 to ${MAX_CAP}, or no max for no cap (got ${describe(max)})`,
      );
  }
  let match: EngagementRule['match'];
  if (input.match !== undefined) {
    if (!isObject(input.match)) {
      c.fail(
        `${path}.match`,
        `expected an object of conditions like {"path": "/pricing*"} (got ${describe(input.match)})`,
      );
    } else {
      match = {};
      for (const [key, value] of Object.entries(input.match)) {
        const keyPath = `${path}.match.${key}`;
        if (!MATCH_KEYS.has(key)) {
          c.fail(
            keyPath,
            `unknown match key; use path, url, referrer, title, ${PROP_MATCH_KEYS.join(', ')}, or props: {"${key}": …} for any other prop`,
          );
        } else if (key === 'props') {
          if (!isObject(value)) {
            c.fail(keyPath, `expected an object of prop names to values (got ${describe(value)})`);
          } else {
            const props: Record<string, MatchCondition> = {};
            for (const [name, propValue] of Object.entries(value)) {
              const checked = c.matchValue(`${keyPath}.${name}`, name, propValue);
              if (checked !== undefined) props[name] = checked;
            }
            match.props = props;
          }
        } else {
          const checked = c.matchValue(keyPath, key, value);
          if (checked !== undefined) match[key] = checked;
        }
      }
    }
  }
  if (id === undefined || points === undefined) return undefined;
  const rule: EngagementRule = { id, event: event as string | string[], points };
  if (label !== undefined) rule.label = label;
  if (match) rule.match = match;
  if (typeof input.max === 'number') rule.max = input.max;
  return rule;
}

/** The features a model's rules use: numeric ranges, and rules on `engagement` events (one per page view). */
function featuresOf(rules: EngagementRule[]): ScoringFeature[] {
  const found = new Set<ScoringFeature>();
  const isRange = (value: unknown) => isObject(value);
  for (const rule of rules) {
    if ((Array.isArray(rule.event) ? rule.event : [rule.event]).includes('engagement'))
      found.add('engagement-per-view');
    for (const [key, value] of Object.entries(rule.match ?? {})) {
      const values = key === 'props' ? Object.values(value as Json) : [value];
      if (values.some(isRange)) found.add('numeric-match');
    }
  }
  return [...found];
}

/**
 * Checks any JSON value against the model format of DESIGN.md §3. Never throws; every error names the
 * exact path (`rules[2].match.path`) and what to write instead. On success returns a normalized copy.
 */
export function validateModel(input: unknown): ValidationResult {
  const c = new Checker();
  if (!isObject(input)) {
    c.fail('', `expected a model object with version, rules, fit and mql (got ${describe(input)})`);
    return { ok: false, errors: c.errors };
  }
  c.unknownKeys('', input, MODEL_KEYS, 'a model has version, halfLifeDays, rules, fit, mql and accounts');
  if (typeof input.version !== 'string' || input.version.trim() === '' || input.version.length > 100)
    c.fail(
      'version',
      `expected a non-empty name for this model version, at most 100 characters (got ${describe(input.version)})`,
    );
  if (input.halfLifeDays !== undefined) {
    const h = input.halfLifeDays;
    if (typeof h !== 'number' || !Number.isFinite(h) || h <= 0 || h > MAX_HALF_LIFE_DAYS)
      c.fail(
        'halfLifeDays',
        `expected a number of days above 0 and at most ${MAX_HALF_LIFE_DAYS}, or no halfLifeDays for no decay (got ${describe(h)})`,
      );
  }
  const seen = new Set<string>();
  if (input.rules === undefined) c.fail('rules', 'required: a list of engagement rules (may be empty)');
  const rules = checkList(c, 'rules', input.rules ?? [], (p, r) => checkRule(c, p, r, seen));
  const fit =
    input.fit === undefined ? [] : checkList(c, 'fit', input.fit, (p, r) => checkFit(c, p, r, seen));
  const accounts = input.accounts === undefined ? undefined : checkAccounts(c, input.accounts, seen);
  const mql: MqlThresholds = {};
  if (!isObject(input.mql)) {
    c.fail('mql', `required: MQL thresholds like {"total": 50, "fit": 10} (got ${describe(input.mql)})`);
  } else {
    c.unknownKeys('mql', input.mql, new Set(MQL_KEYS), 'thresholds are total, fit and engagement');
    for (const key of MQL_KEYS) {
      if (input.mql[key] !== undefined) {
        const value = c.finite(`mql.${key}`, input.mql[key], 'a number of points');
        if (value !== undefined) mql[key] = value;
      }
    }
    if (!MQL_KEYS.some((key) => input.mql !== undefined && (input.mql as Json)[key] !== undefined))
      c.fail('mql', 'give at least one threshold: total, fit or engagement');
  }
  const requires = new Set<ScoringFeature>();
  if (input.requires !== undefined) {
    if (!Array.isArray(input.requires))
      c.fail('requires', `expected a list of features (got ${describe(input.requires)})`);
    else
      input.requires.forEach((feature, i) => {
        if ((SCORING_FEATURES as readonly unknown[]).includes(feature))
          requires.add(feature as ScoringFeature);
        else
          c.fail(
            `requires[${i}]`,
            `unknown feature ${describe(feature)}; this version knows ${SCORING_FEATURES.join(', ')}`,
          );
      });
  }
  if (c.errors.length > 0) return { ok: false, errors: c.errors };
  for (const feature of featuresOf(rules)) requires.add(feature);
  const model: ScoringModel = { version: input.version as string, rules, fit, mql };
  if (accounts !== undefined) model.accounts = accounts;
  if (input.halfLifeDays !== undefined) model.halfLifeDays = input.halfLifeDays as number;
  if (requires.size > 0) model.requires = [...requires].sort();
  return { ok: true, model };
}
