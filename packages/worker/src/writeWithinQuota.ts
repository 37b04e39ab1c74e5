import type { DropCounter } from './dropCounter.js';
import { type QueuedEvent, selectVictims } from './flushPolicy.js';
import type { QueueLimits } from './protocol.js';
import type { QueueStore } from './queueStore.js';

/** What `writeWithinQuota` works with besides the events. */
export interface QuotaContext {
  store: QueueStore;
  limits: QueueLimits;
  now: () => number;
  drops: DropCounter;
  /** Told the ids of events dropped to make room (stored ones and new ones). */
  forget: (ids: Set<string>) => void;
  log: (message: string, detail?: unknown) => void;
}

const isQuotaError = (error: unknown) =>
  error instanceof DOMException && (error.name === 'QuotaExceededError' || error.code === 22);

/**
 * Stores new events; resolves to those stored. A write is one transaction, so a QuotaExceededError leaves the store
 * intact: make room by dropping the lowest-value events (stored or new), counted, and try again with what is left.
 */
export async function writeWithinQuota(fresh: QueuedEvent[], ctx: QuotaContext): Promise<QueuedEvent[]> {
  const { store, drops, log } = ctx;
  let batch = fresh;
  for (let round = 0; batch.length; round++) {
    try {
      await store.putEvents(batch);
      return batch;
    } catch (error) {
      if (!isQuotaError(error) || round >= 4) {
        drops.count(batch.length);
        log('could not store events; dropped', error);
        return [];
      }
      const stored = await store.loadEvents();
      const all = [...stored, ...batch];
      const keep = Math.floor(all.length * 0.75);
      const victims = selectVictims(all, { ...ctx.limits, maxEvents: keep }, ctx.now());
      const gone = new Set(victims.map((r) => r.id));
      await store.deleteEvents(stored.filter((r) => gone.has(r.id)).map((r) => r.id));
      ctx.forget(gone);
      drops.count(victims.length);
      batch = batch.filter((r) => !gone.has(r.id));
      log(`quota: dropped ${victims.length}`);
    }
  }
  return batch;
}
