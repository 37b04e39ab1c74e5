/** A plain JSON object (not null, not an array): what every validator at a boundary checks first. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
