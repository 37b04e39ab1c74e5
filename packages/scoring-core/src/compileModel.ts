import { hashModel } from './hashModel.js';
import type { MatchValue, Scalar, ScoringModel, TrackedEvent } from './types.js';
import { GLOB_MATCH_KEYS } from './validateModel.js';

const DAY_MS = 86_400_000;

/** An engagement rule turned into a predicate, ready for the hot loop. */
export interface CompiledRule {
  id: string;
  points: number;
  max: number;
  test: (event: TrackedEvent) => boolean;
}

/** A fit rule turned into a predicate over one trait value. */
export interface CompiledFit {
  id: string;
  trait: string;
  points: number;
  test: (value: unknown) => boolean;
}

/** A validated model prepared for scoring: rules indexed by event type, globs pre-split. */
export interface CompiledModel {
  model: ScoringModel;
  hash: string;
  /** Half-life in ms, or 0 for no decay. */
  halfLifeMs: number;
  rules: CompiledRule[];
  byType: Map<string, CompiledRule[]>;
  fit: CompiledFit[];
}

const cache = new WeakMap<ScoringModel, CompiledModel>();

/** Case-insensitive text form of a scalar, the one comparisons use on both sides. */
export function normalize(value: unknown): string {
  return typeof value === 'string' ? value.toLowerCase() : String(value);
}

/** A `*` glob as a case-insensitive predicate over text already lowercased. */
function compileGlob(pattern: string): (text: string) => boolean {
  const parts = pattern.toLowerCase().split('*');
  if (parts.length === 1) return (text) => text === parts[0];
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  const middle = parts.slice(1, -1).filter((part) => part !== '');
  return (text) => {
    if (text.length < first.length + last.length || !text.startsWith(first) || !text.endsWith(last))
      return false;
    let at = first.length;
    const end = text.length - last.length;
    for (const part of middle) {
      const found = text.indexOf(part, at);
      if (found < 0 || found + part.length > end) return false;
      at = found + part.length;
    }
    return true;
  };
}

function asList(value: MatchValue): Scalar[] {
  return Array.isArray(value) ? value : [value];
}

/** A predicate over an event field's value (a scalar or a list of them: any element may match). */
function compileValueTest(key: string, value: MatchValue): (actual: unknown) => boolean {
  const isExt = key === 'ext';
  const clean = (text: string) => (isExt && text.startsWith('.') ? text.slice(1) : text);
  let one: (text: string) => boolean;
  if ((GLOB_MATCH_KEYS as readonly string[]).includes(key)) {
    const globs = asList(value).map((pattern) => compileGlob(String(pattern)));
    one = globs.length === 1 ? globs[0]! : (text) => globs.some((glob) => glob(text));
  } else {
    const wanted = new Set(asList(value).map((v) => clean(normalize(v))));
    one = (text) => wanted.has(clean(text));
  }
  return (actual) => {
    if (actual === undefined || actual === null) return false;
    if (Array.isArray(actual)) return actual.some((item) => item !== null && one(normalize(item)));
    return one(normalize(actual));
  };
}

function compileRuleTest(match: ScoringModel['rules'][number]['match']): (event: TrackedEvent) => boolean {
  const tests: ((event: TrackedEvent) => boolean)[] = [];
  for (const [key, value] of Object.entries(match ?? {})) {
    if (key === 'props') {
      for (const [name, propValue] of Object.entries(value as Record<string, MatchValue>)) {
        const test = compileValueTest(name, propValue);
        tests.push((event) => test(event.props?.[name]));
      }
    } else if (key === 'path' || key === 'url' || key === 'referrer' || key === 'title') {
      const test = compileValueTest(key, value as MatchValue);
      tests.push((event) => test(event[key]));
    } else {
      const test = compileValueTest(key, value as MatchValue);
      tests.push((event) => test(event.props?.[key]));
    }
  }
  if (tests.length === 0) return () => true;
  if (tests.length === 1) return tests[0]!;
  return (event) => {
    for (const test of tests) if (!test(event)) return false;
    return true;
  };
}

function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') return Number(value);
  return Number.NaN;
}

function compileFitTest(rule: ScoringModel['fit'][number]): (value: unknown) => boolean {
  if (rule.exists !== undefined) {
    const wanted = rule.exists;
    return (value) => (value !== undefined && value !== null && value !== '') === wanted;
  }
  let one: (value: unknown) => boolean;
  if (rule.equals !== undefined) {
    const wanted = normalize(rule.equals);
    one = (value) => normalize(value) === wanted;
  } else if (rule.in !== undefined) {
    const wanted = new Set(rule.in.map(normalize));
    one = (value) => wanted.has(normalize(value));
  } else {
    const low = rule.gte ?? Number.NEGATIVE_INFINITY;
    const high = rule.lte ?? Number.POSITIVE_INFINITY;
    one = (value) => {
      const n = toNumber(value);
      return Number.isFinite(n) && n >= low && n <= high;
    };
  }
  return (value) => {
    if (value === undefined || value === null) return false;
    return Array.isArray(value) ? value.some(one) : one(value);
  };
}

/** Compiles a validated model once; later calls with the same model object reuse the result. */
export function compileModel(model: ScoringModel): CompiledModel {
  const cached = cache.get(model);
  if (cached) return cached;
  const rules = model.rules.map((rule) => ({
    id: rule.id,
    points: rule.points,
    max: rule.max ?? Number.POSITIVE_INFINITY,
    test: compileRuleTest(rule.match),
  }));
  const byType = new Map<string, CompiledRule[]>();
  model.rules.forEach((rule, i) => {
    for (const type of Array.isArray(rule.event) ? rule.event : [rule.event]) {
      const list = byType.get(type) ?? [];
      if (!list.includes(rules[i]!)) list.push(rules[i]!);
      byType.set(type, list);
    }
  });
  const compiled: CompiledModel = {
    model,
    hash: hashModel(model),
    halfLifeMs: model.halfLifeDays ? model.halfLifeDays * DAY_MS : 0,
    rules,
    byType,
    fit: model.fit.map((rule) => ({
      id: rule.id,
      trait: rule.trait,
      points: rule.points,
      test: compileFitTest(rule),
    })),
  };
  cache.set(model, compiled);
  return compiled;
}
