import { type QueuedEvent, selectVictims } from './flushPolicy.js';
import type { QueueLimits } from './protocol.js';
import type { QueueDeps } from './queueDeps.js';

const isQuotaError = (error: unknown) =>
  error instanceof DOMException && (error.name === 'QuotaExceededError' || error.code === 22);

/**
 * Stores new events; resolves to those stored. A write is one transaction, so a QuotaExceededError leaves the store
 * intact: make room by dropping the lowest-value events (stored or new), counted with `countDrops`, told to `forget`
 * (stored ones and new ones), and try again with what is left.
 */
export async function writeWithinQuota(
  fresh: QueuedEvent[],
  deps: Pick<QueueDeps, 'store' | 'now'>,
  limits: QueueLimits,
  countDrops: (n: number) => void,
  forget: (ids: Set<string>) => void,
  log: (message: string, detail?: unknown) => void,
): Promise<QueuedEvent[]> {
  const { store } = deps;
  let batch = fresh;
  for (let round = 0; batch.length; round++) {
    try {
      await store.putEvents(batch);
      return batch;
    } catch (error) {
      if (!isQuotaError(error) || round >= 4) {
        countDrops(batch.length);
        log('could not store events; dropped', error);
        return [];
      }
      const stored = await store.loadEvents();
      const all = [...stored, ...batch];
      const keep = Math.floor(all.length * 0.75);
      const victims = selectVictims(all, { ...limits, maxEvents: keep }, deps.now());
      const gone = new Set(victims.map((r) => r.id));
      await store.deleteEvents(stored.filter((r) => gone.has(r.id)).map((r) => r.id));
      forget(gone);
      countDrops(victims.length);
      batch = batch.filter((r) => !gone.has(r.id));
      log(`quota: dropped ${victims.length}`);
    }
  }
  return batch;
}
