import type { TrackedEvent } from './types.js';

/** Canonical event order: by `ts`, then by `id` (code-unit order, the same in every JS engine). */
export function compareEvents(
  a: Pick<TrackedEvent, 'ts' | 'id'>,
  b: Pick<TrackedEvent, 'ts' | 'id'>,
): number {
  if (a.ts !== b.ts) return a.ts < b.ts ? -1 : 1;
  if (a.id === b.id) return 0;
  return a.id < b.id ? -1 : 1;
}

/** Packed sort keys hold the index in their low 11 bits: times must stay below 2^42 ms (year 2109). */
const INDEX_BITS = 2048;
const MAX_PACKED_TS = 2 ** 42;

/**
 * Sorts by time with a native numeric sort of packed keys (time · 2048 + index), several times faster
 * than a comparator for the arbitrary arrival order of offline queues; runs of equal times are then put
 * in id order. Undefined when a time cannot be packed (the caller falls back to a comparator).
 */
function sortByPackedTime<E extends Pick<TrackedEvent, 'ts' | 'id'>>(events: readonly E[]): E[] | undefined {
  const n = events.length;
  if (n > INDEX_BITS) return undefined;
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const ts = events[i]!.ts;
    if (!Number.isInteger(ts) || ts < 0 || ts >= MAX_PACKED_TS) return undefined;
    keys[i] = ts * INDEX_BITS + i;
  }
  keys.sort();
  const out = new Array<E>(n);
  for (let i = 0; i < n; i++) out[i] = events[keys[i]! % INDEX_BITS]!;
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && out[end]!.ts === out[start]!.ts) end++;
    if (end - start > 1) {
      const run = out.slice(start, end).sort(compareEvents);
      for (let i = 0; i < run.length; i++) out[start + i] = run[i]!;
    }
    start = end;
  }
  return out;
}

/** The events in canonical order; returns the input itself when it is already sorted. */
export function sortEvents<E extends Pick<TrackedEvent, 'ts' | 'id'>>(events: readonly E[]): readonly E[] {
  for (let i = 1; i < events.length; i++) {
    if (compareEvents(events[i - 1]!, events[i]!) > 0)
      return sortByPackedTime(events) ?? [...events].sort(compareEvents);
  }
  return events;
}
