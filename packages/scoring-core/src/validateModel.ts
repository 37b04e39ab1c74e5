import { isObject } from './isObject.js';
import type {
  EngagementRule,
  FitRule,
  MatchCondition,
  ModelError,
  MqlThresholds,
  NumericMatch,
  Scalar,
  ScoringFeature,
  ScoringModel,
  ValidationResult,
} from './types.js';
import { isEventType } from './validateEvent.js';

/** Match keys read from the event itself; the first three take `*` globs. */
export const GLOB_MATCH_KEYS = ['path', 'url', 'referrer'] as const;
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
const MODEL_KEYS = new Set(['version', 'halfLifeDays', 'rules', 'fit', 'mql', 'requires']);
/** The features this version of scoring-core implements (a model may require only these). */
export const SCORING_FEATURES: readonly ScoringFeature[] = ['engagement-per-view', 'numeric-match'];
const RULE_KEYS = new Set(['id', 'label', 'event', 'match', 'points', 'max']);
const FIT_KEYS = new Set(['id', 'label', 'trait', 'points', 'equals', 'in', 'gte', 'lte', 'exists']);
const MAX_LABEL = 100;
const MQL_KEYS = ['total', 'fit', 'engagement'] as const;
const MAX_POINTS = 1_000_000;
const MAX_CAP = 1_000_000;
const MAX_HALF_LIFE_DAYS = 36_500;

type Json = Record<string, unknown>;

function isScalar(value: unknown): value is Scalar {
  return (
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  if (typeof value === 'number') return String(value);
  return typeof value === 'object' ? 'an object' : typeof value;
}

/** Collects errors with their paths while a model is checked. */
class Checker {
  readonly errors: ModelError[] = [];

  fail(path: string, message: string): void {
    this.errors.push({ path, message });
  }

  unknownKeys(path: string, value: Json, allowed: Set<string>, hint: string): void {
    for (const key of Object.keys(value)) {
      if (!allowed.has(key)) this.fail(path ? `${path}.${key}` : key, `unknown field; ${hint}`);
    }
  }

  id(path: string, value: unknown, seen: Set<string>): string | undefined {
    if (typeof value !== 'string' || value.trim() === '') {
      this.fail(path, `expected a non-empty string naming the rule (got ${describe(value)})`);
      return undefined;
    }
    if (value.length > 64) this.fail(path, 'a rule id is at most 64 characters');
    if (value === '__proto__' || value === 'constructor' || value === 'prototype')
      this.fail(path, `"${value}" is a reserved name; pick another id`);
    if (seen.has(value))
      this.fail(path, `duplicate rule id "${value}"; every rule and fit rule needs its own id`);
    seen.add(value);
    return value;
  }

  /** An optional label shown to people instead of the id; it never changes scoring. */
  label(path: string, value: unknown): string | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_LABEL) {
      this.fail(
        path,
        `expected a non-empty label of at most ${MAX_LABEL} characters, or no label (got ${describe(value)})`,
      );
      return undefined;
    }
    return value;
  }

  points(path: string, value: unknown): number | undefined {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      this.fail(path, `expected a finite number of points, negative for a penalty (got ${describe(value)})`);
      return undefined;
    }
    if (Math.abs(value) > MAX_POINTS)
      this.fail(path, `points must lie between -${MAX_POINTS} and ${MAX_POINTS}`);
    return value;
  }

  finite(path: string, value: unknown, what: string): number | undefined {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      this.fail(path, `expected ${what} (got ${describe(value)})`);
      return undefined;
    }
    return value;
  }

  glob(path: string, key: string, value: unknown): void {
    if (typeof value !== 'string') {
      this.fail(path, `expected a string pattern (got ${describe(value)})`);
      return;
    }
    if (value === '') this.fail(path, 'an empty pattern matches nothing; use "*" to match anything');
    else if (value.includes('**')) this.fail(path, `"**" is not a pattern; one "*" already matches any text`);
    else if (key === 'path' && !value.startsWith('/') && !value.startsWith('*'))
      this.fail(
        path,
        `a path pattern starts with "/" or "*" (got ${describe(value)}; did you mean "/${value}"?)`,
      );
    else if (value.length > 512) this.fail(path, 'a pattern is at most 512 characters');
  }

  /** A numeric range `{gte?, lte?}`: finite bounds, at least one, in order. */
  numeric(path: string, value: Json): NumericMatch | undefined {
    this.unknownKeys(path, value, new Set(['gte', 'lte']), 'a numeric match is {"gte": n, "lte": m}');
    const range: NumericMatch = {};
    for (const bound of ['gte', 'lte'] as const) {
      if (value[bound] === undefined) continue;
      const n = this.finite(`${path}.${bound}`, value[bound], 'a number');
      if (n !== undefined) range[bound] = n;
    }
    if (value.gte === undefined && value.lte === undefined)
      this.fail(path, 'a numeric match needs "gte", "lte" or both, like {"gte": 60}');
    if (range.gte !== undefined && range.lte !== undefined && range.gte > range.lte)
      this.fail(`${path}.gte`, `gte ${range.gte} is above lte ${range.lte}: no value can match`);
    return range;
  }

  matchValue(path: string, key: string, value: unknown): MatchCondition | undefined {
    const isGlob = (GLOB_MATCH_KEYS as readonly string[]).includes(key);
    if (isObject(value) && !isGlob && key !== 'title') return this.numeric(path, value);
    const expected = isGlob
      ? 'a string or a list of strings'
      : 'a string, number or boolean, or a list of them';
    if (Array.isArray(value)) {
      if (value.length === 0) {
        this.fail(path, `an empty list matches nothing; expected ${expected}`);
        return undefined;
      }
      value.forEach((item, i) => {
        if (isGlob) this.glob(`${path}[${i}]`, key, item);
        else if (!isScalar(item)) this.fail(`${path}[${i}]`, `expected ${expected} (got ${describe(item)})`);
      });
      return value as Scalar[];
    }
    if (isGlob) {
      if (typeof value !== 'string') this.fail(path, `expected ${expected} (got ${describe(value)})`);
      else this.glob(path, key, value);
      return value as string;
    }
    if (!isScalar(value)) {
      this.fail(path, `expected ${expected} (got ${describe(value)})`);
      return undefined;
    }
    return value;
  }
}

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

function checkFit(c: Checker, path: string, input: unknown, seen: Set<string>): FitRule | undefined {
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

function checkList<T>(
  c: Checker,
  key: string,
  input: unknown,
  check: (path: string, item: unknown) => T | undefined,
): T[] {
  if (!Array.isArray(input)) {
    c.fail(key, `expected a list (got ${describe(input)})`);
    return [];
  }
  const out: T[] = [];
  input.forEach((item, i) => {
    const checked = check(`${key}[${i}]`, item);
    if (checked !== undefined) out.push(checked);
  });
  return out;
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
  c.unknownKeys('', input, MODEL_KEYS, 'a model has version, halfLifeDays, rules, fit and mql');
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
  if (input.halfLifeDays !== undefined) model.halfLifeDays = input.halfLifeDays as number;
  if (requires.size > 0) model.requires = [...requires].sort();
  return { ok: true, model };
}
