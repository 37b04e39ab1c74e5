import { createUuidV7 } from '@leadlight/scoring-core/uuidV7';

/** A UUID v7 for time `ts` (ms), the SDK's format, with random bits from `random` (seeded in the simulator). */
export function uuidv7(ts: number, random: () => number = Math.random): string {
  if (!Number.isSafeInteger(ts) || ts < 0)
    throw new RangeError(`uuidv7: expected a timestamp in ms, got ${ts}`);
  // A fresh maker per id: a shared one would keep ids increasing past an earlier `ts`.
  return createUuidV7((bytes) => bytes.map(() => Math.floor(random() * 256)))(ts);
}

/** Reads the millisecond timestamp back out of a UUID v7. */
export function uuidv7Time(id: string): number {
  return Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16);
}
