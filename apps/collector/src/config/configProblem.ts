/** One configuration problem with the exact path of the offending value. */
export interface ConfigProblem {
  path: string;
  message: string;
}

/** A value as a problem message quotes it: strings (cut at 60 characters), numbers, or its kind. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (typeof value === 'object') return 'an object';
  return String(value);
}

/** The problem with field `key` of the object at `path`, which allows only the `allowed` fields. */
export function unknownField(path: string, key: string, allowed: Iterable<string>): ConfigProblem {
  return { path: `${path}.${key}`, message: `unknown field (allowed: ${[...allowed].join(', ')})` };
}

/** Reports each field of `obj` that `allowed` does not name. */
export function checkUnknownFields(
  obj: Record<string, unknown>,
  allowed: ReadonlySet<string>,
  path: string,
  out: ConfigProblem[],
): void {
  for (const key of Object.keys(obj)) if (!allowed.has(key)) out.push(unknownField(path, key, allowed));
}
