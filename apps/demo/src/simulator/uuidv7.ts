/** A UUID v7 for time `ts` (ms): 48 bits of time, the version, then random bits, so ids sort by time. */
export function uuidv7(ts: number, random: () => number = Math.random): string {
  if (!Number.isSafeInteger(ts) || ts < 0)
    throw new RangeError(`uuidv7: expected a timestamp in ms, got ${ts}`);
  const hex = ts.toString(16).padStart(12, '0').slice(-12);
  const rand = (digits: number) =>
    Array.from({ length: digits }, () => Math.floor(random() * 16).toString(16)).join('');
  // Variant bits 10xx: the first hex digit of the fourth group is 8, 9, a or b.
  const variant = (8 + Math.floor(random() * 4)).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7${rand(3)}-${variant}${rand(3)}-${rand(12)}`;
}

/** Reads the millisecond timestamp back out of a UUID v7. */
export function uuidv7Time(id: string): number {
  return Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16);
}
