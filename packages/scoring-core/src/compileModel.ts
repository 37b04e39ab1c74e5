import { GLOB_MATCH_KEYS } from './Checker.js';
import { hashModel } from './hashModel.js';
import type {
  MatchCondition,
  MatchValue,
  NumericMatch,
  Scalar,
  ScoringModel,
  TrackedEvent,
} from './types.js';

const DAY_MS = 86_400_000;
const EVENT_FIELDS = new Set(['path', 'url', 'referrer', 'title']);

/** A field value as conditions see it: lowercased text, a list of them, or null when absent. */
type FieldValue = string | string[] | null;

/** One `match` key of a rule: which field it reads (a slot) and the test on its lowercased text. */
interface Condition {
  slot: number;
  test: (text: string) => boolean;
}

/** An engagement rule prepared for the hot loop. */
export interface CompiledRule {
  id: string;
  /** Position in `model.rules`, the index into the state's `counts` and `sums`. */
  index: number;
  points: number;
  max: number;
  conditions: Condition[];
}

/** A fit rule turned into a predicate over one trait value. */
export interface CompiledFit {
  id: string;
  trait: string;
  points: number;
  test: (value: unknown) => boolean;
}

/**
 * Reads and lowercases each field that some rule matches at most once per event: a page view is tested
 * against many path rules, and lowercasing dominated the fold before this cache.
 */
export class FieldCache {
  private stamp = 0;
  private readonly stamps: number[];
  private readonly values: FieldValue[];

  constructor(private readonly readers: ((event: TrackedEvent) => unknown)[]) {
    this.stamps = readers.map(() => 0);
    this.values = readers.map(() => null);
  }

  /** Starts a new event: every cached field is stale. */
  next(): void {
    this.stamp++;
  }

  /** The lowercased value of field `slot` of the current event. */
  get(slot: number, event: TrackedEvent): FieldValue {
    if (this.stamps[slot] === this.stamp) return this.values[slot]!;
    const raw = this.readers[slot]!(event);
    let value: FieldValue = null;
    if (Array.isArray(raw)) value = raw.filter((item) => item !== null && item !== undefined).map(normalize);
    else if (raw !== undefined && raw !== null) value = normalize(raw);
    this.stamps[slot] = this.stamp;
    this.values[slot] = value;
    return value;
  }
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
  fields: FieldCache;
}

const cache = new WeakMap<ScoringModel, CompiledModel>();

/** Case-insensitive text form of a scalar, the one comparisons use on both sides. */
export function normalize(value: unknown): string {
  return typeof value === 'string' ? value.toLowerCase() : String(value);
}

/** A `*` glob as a predicate over lowercased text. */
function compileGlob(pattern: string): (text: string) => boolean {
  const parts = pattern.toLowerCase().split('*');
  if (parts.length === 1) return (text) => text === parts[0];
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  const middle = parts.slice(1, -1).filter((part) => part !== '');
  if (middle.length === 0)
    return (text) =>
      text.length >= first.length + last.length && text.startsWith(first) && text.endsWith(last);
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

/** A numeric range over a field's text form (numbers and numeric strings; anything else never matches). */
function compileRange(range: NumericMatch): (text: string) => boolean {
  const low = range.gte ?? Number.NEGATIVE_INFINITY;
  const high = range.lte ?? Number.POSITIVE_INFINITY;
  return (text) => {
    if (text.trim() === '') return false;
    const n = Number(text);
    return n >= low && n <= high;
  };
}

/** The test of one match key over lowercased text: globs, a numeric range, or membership in the any-of list. */
function compileTest(key: string, condition: MatchCondition): (text: string) => boolean {
  if (typeof condition === 'object' && !Array.isArray(condition)) return compileRange(condition);
  const value: MatchValue = condition;
  if ((GLOB_MATCH_KEYS as readonly string[]).includes(key)) {
    const globs = asList(value).map((pattern) => compileGlob(String(pattern)));
    return globs.length === 1 ? globs[0]! : (text) => globs.some((glob) => glob(text));
  }
  const clean = (text: string) => (key === 'ext' && text.startsWith('.') ? text.slice(1) : text);
  const wanted = new Set(asList(value).map((v) => clean(normalize(v))));
  return key === 'ext' ? (text) => wanted.has(clean(text)) : (text) => wanted.has(text);
}

/** True when every condition of the rule holds for the event (a list-valued field: any item). */
export function ruleMatches(rule: CompiledRule, event: TrackedEvent, fields: FieldCache): boolean {
  for (const condition of rule.conditions) {
    const value = fields.get(condition.slot, event);
    if (value === null) return false;
    if (typeof value === 'string') {
      if (!condition.test(value)) return false;
    } else if (!value.some(condition.test)) {
      return false;
    }
  }
  return true;
}

function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') return Number(value);
  return Number.NaN;
}

/** A fit rule as a predicate over one trait value (a list matches when any item does). */
export function compileFitTest(rule: ScoringModel['fit'][number]): (value: unknown) => boolean {
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
  // One slot per distinct field any rule reads: an event field, or a prop by name.
  const slots = new Map<string, number>();
  const readers: ((event: TrackedEvent) => unknown)[] = [];
  const slotOf = (source: string): number => {
    let slot = slots.get(source);
    if (slot === undefined) {
      slot = readers.length;
      slots.set(source, slot);
      const key = source.slice(source.indexOf(':') + 1);
      readers.push(
        source.startsWith('event:')
          ? (event) => event[key as 'path' | 'url' | 'referrer' | 'title']
          : (event) => (event.props && Object.hasOwn(event.props, key) ? event.props[key] : undefined),
      );
    }
    return slot;
  };
  const rules = model.rules.map((rule, index): CompiledRule => {
    const conditions: Condition[] = [];
    for (const [key, value] of Object.entries(rule.match ?? {})) {
      if (key === 'props') {
        for (const [name, propValue] of Object.entries(value as Record<string, MatchCondition>))
          conditions.push({ slot: slotOf(`prop:${name}`), test: compileTest(name, propValue) });
      } else {
        const source = EVENT_FIELDS.has(key) ? `event:${key}` : `prop:${key}`;
        conditions.push({ slot: slotOf(source), test: compileTest(key, value as MatchCondition) });
      }
    }
    return { id: rule.id, index, points: rule.points, max: rule.max ?? Number.POSITIVE_INFINITY, conditions };
  });
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
    fields: new FieldCache(readers),
  };
  cache.set(model, compiled);
  return compiled;
}
