import type { QueuedEvent } from '../src/flushPolicy.js';
import type { QueueStore } from '../src/queueStore.js';

/** An in-memory queue store with an optional byte quota (IndexedDB's QuotaExceededError), for the engine's tests. */
export function createMemoryQueueStore(quotaBytes = Number.POSITIVE_INFINITY): QueueStore & {
  events: Map<string, QueuedEvent>;
} {
  const eventMap = new Map<string, QueuedEvent>();
  const metaMap = new Map<string, unknown>();
  const used = () => [...eventMap.values()].reduce((sum, r) => sum + r.bytes, 0);
  return {
    events: eventMap,
    async loadEvents() {
      return [...eventMap.values()].map((r) => structuredClone(r));
    },
    async putEvents(records) {
      const extra = records.reduce((sum, r) => sum + (eventMap.has(r.id) ? 0 : r.bytes), 0);
      if (used() + extra > quotaBytes) {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      }
      for (const r of records) eventMap.set(r.id, structuredClone(r));
    },
    async deleteEvents(ids) {
      for (const id of ids) eventMap.delete(id);
    },
    async getMeta<T>(key: string) {
      return structuredClone(metaMap.get(key)) as T | undefined;
    },
    async setMeta(key, value) {
      metaMap.set(key, structuredClone(value));
    },
    async clearAll() {
      eventMap.clear();
      metaMap.clear();
    },
  };
}
