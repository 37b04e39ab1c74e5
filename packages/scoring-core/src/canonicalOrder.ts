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

/** The events in canonical order; returns the input itself when it is already sorted. */
export function sortEvents<E extends Pick<TrackedEvent, 'ts' | 'id'>>(events: readonly E[]): readonly E[] {
  for (let i = 1; i < events.length; i++) {
    if (compareEvents(events[i - 1]!, events[i]!) > 0) return [...events].sort(compareEvents);
  }
  return events;
}
