import type { QueueStore } from './queueStore.js';

/** The counts as saved in the queue's store (`dropped`). */
export interface DropCounts {
  unreported: number;
  total: number;
}

/** Events the queue had to drop (caps, quota, refused): the collector hears of them with the next batch. */
export interface DropCounter {
  /** Dropped and not yet reported to the collector. */
  unreported(): number;
  total(): number;
  /** Counts `n` more drops and saves the counts. */
  count(n: number): void;
  /** The collector heard of `n` drops (the batch that carried them was answered). */
  reported(n: number): void;
  /** Takes the counts an earlier instance saved. */
  restore(saved: DropCounts): void;
  /** Forgets the counts (consent denied). */
  reset(): void;
}

/** Creates the drop counter, saved in the store so the counts outlive the worker. */
export function createDropCounter(
  store: QueueStore,
  log: (message: string, detail?: unknown) => void,
): DropCounter {
  let counts: DropCounts = { unreported: 0, total: 0 };
  const save = () => store.setMeta('dropped', counts).catch((error) => log('drop counter not saved', error));
  return {
    unreported: () => counts.unreported,
    total: () => counts.total,
    count(n) {
      if (n <= 0) return;
      counts = { unreported: counts.unreported + n, total: counts.total + n };
      void save();
    },
    reported(n) {
      counts = { ...counts, unreported: Math.max(0, counts.unreported - n) };
      void save();
    },
    restore(saved) {
      counts = saved;
    },
    reset() {
      counts = { unreported: 0, total: 0 };
    },
  };
}
