import { isObject } from './isObject.js';
import type { MatchCondition, ModelError, NumericMatch, Scalar } from './types.js';

/** Match keys read from the event itself; the first three take `*` globs. */
export const GLOB_MATCH_KEYS = ['path', 'url', 'referrer'] as const;
const MAX_LABEL = 100;
const MAX_POINTS = 1_000_000;

export type Json = Record<string, unknown>;

export { isObject } from './isObject.js';

export function isScalar(value: unknown): value is Scalar {
  return (
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  if (typeof value === 'number') return String(value);
  return typeof value === 'object' ? 'an object' : typeof value;
}

/** Collects errors with their paths while a model is checked. */
export class Checker {
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

/** Checks each item of a list at `key[i]`; a non-list is one error. */
export function checkList<T>(
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
