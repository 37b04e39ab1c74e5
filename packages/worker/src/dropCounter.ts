import type { QueueStore } from './queueStore.js';

/** The counts as saved in the queue's store (`dropped`). */
export interface DropCounts {
  unreported: number;
  total: number;
}

/** No drops: a new queue's counts, and a purged visitor's. */
export const NO_DROPS: DropCounts = { unreported: 0, total: 0 };

/**
 * Events the queue had to drop (caps, quota, refused): the collector hears of them with the next batch. A tuple of
 * functions, not an object: the bundles' minifier cannot shorten property names.
 */
export type DropCounter = [
  /** The counts of the moment (`unreported`: dropped and not yet reported to the collector). */
  counts: () => DropCounts,
  /** Counts `n` more drops and saves the counts. */
  count: (n: number) => void,
  /** The collector heard of `n` drops (the batch that carried them was answered). */
  reported: (n: number) => void,
  /** Takes counts without saving them: those an earlier instance saved, or `NO_DROPS` (consent denied). */
  restore: (saved: DropCounts) => void,
];

/** Creates the drop counter, saved in the store so the counts outlive the worker. */
export function createDropCounter(
  store: QueueStore,
  log: (message: string, detail?: unknown) => void,
): DropCounter {
  let counts = NO_DROPS;
  const save = () =>
    void store.setMeta('dropped', counts).catch((error) => log('drop counter not saved', error));
  return [
    () => counts,
    (n) => {
      if (n <= 0) return;
      counts = { unreported: counts.unreported + n, total: counts.total + n };
      save();
    },
    (n) => {
      counts = { ...counts, unreported: Math.max(0, counts.unreported - n) };
      save();
    },
    (saved) => {
      counts = saved;
    },
  ];
}
