import { isObject } from '@leadlight/scoring-core';
// The visual model editor's view of a draft: match conditions as rows, fit operators as one choice, lists
// as comma-separated text, and where a validation error belongs. Pure functions over plain JSON.

/** A JSON object as the draft holds it (anything may be wrong in it: validateModel says what). */
export type Json = Record<string, unknown>;

/** What a rule may match on, as the editor offers it (`props` is any other event property). */
export const MATCH_KEYS: { key: string; label: string; glob?: boolean }[] = [
  { key: 'path', label: 'Page path', glob: true },
  { key: 'url', label: 'Full URL', glob: true },
  { key: 'referrer', label: 'Referrer', glob: true },
  { key: 'title', label: 'Page title' },
  { key: 'ext', label: 'File type' },
  { key: 'file', label: 'File name' },
  { key: 'cta', label: 'Call to action' },
  { key: 'form', label: 'Form' },
  { key: 'utm_source', label: 'UTM source' },
  { key: 'utm_medium', label: 'UTM medium' },
  { key: 'utm_campaign', label: 'UTM campaign' },
  { key: 'utm_term', label: 'UTM term' },
  { key: 'utm_content', label: 'UTM content' },
  { key: 'props', label: 'Other property' },
];

/** Keys whose values are text only: globs, and the fields the SDK fills with names. */
const TEXT_KEYS = new Set(['path', 'url', 'referrer', 'title']);

/** One condition of a rule's `match`, as a row of the editor. */
export interface Condition {
  key: string;
  /** The property name, for `props` conditions. */
  prop: string;
  /** A numeric range ({gte, lte}) instead of a list of values. */
  range: boolean;
  values: string;
  gte: string;
  lte: string;
}

/** A scalar as editable text: empty for undefined and null. */
export function valueText(value: unknown): string {
  return value === undefined || value === null ? '' : String(value);
}

/** A match value as editable text: lists joined with ", ". */
export function listText(value: unknown): string {
  if (Array.isArray(value)) return value.map((v) => String(v)).join(', ');
  return valueText(value);
}

/** Comma-separated text as its non-empty items, trimmed. */
export function splitList(text: string): string[] {
  return text
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
}

/**
 * Editable text back to a match value: one item stays a scalar, several become a list; numbers are kept as
 * numbers where a key can hold them (never in paths, URLs or titles).
 */
export function parseList(text: string, key: string): string | number | (string | number)[] {
  const items = splitList(text).map((t) =>
    !TEXT_KEYS.has(key) && /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : t,
  );
  return items.length === 1 ? (items[0] as string | number) : items;
}

/** A number field's text as a number, or undefined when empty (the key is then left out). */
export function parseNumber(text: string): number | undefined {
  return text.trim() === '' ? undefined : Number(text);
}

function condition(key: string, prop: string, value: unknown): Condition {
  const range = isObject(value) && (value.gte !== undefined || value.lte !== undefined);
  return {
    key,
    prop,
    range,
    values: range ? '' : listText(value),
    gte: range ? valueText((value as Json).gte) : '',
    lte: range ? valueText((value as Json).lte) : '',
  };
}

/** A rule's `match` as editor rows (`props: {a, b}` becomes one row per property). */
export function conditionsOf(match: unknown): Condition[] {
  if (!isObject(match)) return [];
  return Object.entries(match).flatMap(([key, value]) =>
    key === 'props' && isObject(value)
      ? Object.entries(value).map(([prop, v]) => condition('props', prop, v))
      : [condition(key, '', value)],
  );
}

/** Editor rows back to a `match` object (undefined when there is none). */
export function matchOf(conditions: Condition[]): Json | undefined {
  const match: Json = {};
  for (const c of conditions) {
    const value = c.range
      ? {
          ...(parseNumber(c.gte) !== undefined ? { gte: parseNumber(c.gte) } : {}),
          ...(parseNumber(c.lte) !== undefined ? { lte: parseNumber(c.lte) } : {}),
        }
      : parseList(c.values, c.key);
    if (c.key === 'props') {
      const props = isObject(match.props) ? match.props : {};
      props[c.prop] = value;
      match.props = props;
    } else {
      match[c.key] = value;
    }
  }
  return Object.keys(match).length ? match : undefined;
}

/** The JSON path of a condition's value. */
export function conditionPath(rulePath: string, c: Pick<Condition, 'key' | 'prop'>): string {
  return c.key === 'props' ? `${rulePath}.match.props.${c.prop}` : `${rulePath}.match.${c.key}`;
}

/** Fit operators as the editor offers them. */
export const FIT_OPERATORS = [
  { op: 'in', label: 'is one of' },
  { op: 'equals', label: 'equals' },
  { op: 'gte', label: 'is at least' },
  { op: 'lte', label: 'is at most' },
  { op: 'between', label: 'is between' },
  { op: 'exists', label: 'is known' },
  { op: 'missing', label: 'is unknown' },
] as const;

/** One of the editor's fit operators. */
export type FitOperator = (typeof FIT_OPERATORS)[number]['op'];

/** Which editor operator a fit rule uses. */
export function fitOperator(rule: Json): FitOperator {
  if (rule.exists !== undefined) return rule.exists === false ? 'missing' : 'exists';
  if (rule.gte !== undefined && rule.lte !== undefined) return 'between';
  if (rule.gte !== undefined) return 'gte';
  if (rule.lte !== undefined) return 'lte';
  if (rule.equals !== undefined) return 'equals';
  return 'in';
}

/** Switches a fit rule to another operator, carrying its value over where it still makes sense. */
export function setFitOperator(rule: Json, op: FitOperator): void {
  const first = Array.isArray(rule.in) ? rule.in[0] : (rule.equals ?? rule.gte ?? rule.lte);
  const values = Array.isArray(rule.in) ? rule.in : first === undefined ? [] : [first];
  const low = typeof rule.gte === 'number' ? rule.gte : typeof first === 'number' ? first : undefined;
  const high = typeof rule.lte === 'number' ? rule.lte : undefined;
  for (const key of ['in', 'equals', 'gte', 'lte', 'exists']) delete rule[key];
  if (op === 'in') rule.in = values.length ? values : [''];
  else if (op === 'equals') rule.equals = first ?? '';
  else if (op === 'gte') rule.gte = low ?? 0;
  else if (op === 'lte') rule.lte = high ?? low ?? 0;
  else if (op === 'between') Object.assign(rule, { gte: low ?? 0, lte: high ?? (low ?? 0) + 100 });
  else rule.exists = op === 'exists';
}

/**
 * Where an error about `path` shows in the editor: the path itself when a field holds it, else the
 * nearest enclosing path that does (`rules[2].match.ext[1]` → `rules[2].match.ext` → `rules[2]`), else
 * undefined (the error list alone shows it).
 */
export function errorAnchor(path: string, has: (path: string) => boolean): string | undefined {
  let current = path;
  while (current) {
    if (has(current)) return current;
    const cut = Math.max(current.lastIndexOf('.'), current.lastIndexOf('['));
    if (cut <= 0) return undefined;
    current = current.slice(0, cut);
  }
  return undefined;
}
