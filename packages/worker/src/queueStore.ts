import { clear, createStore, delMany, entries, get, set, setMany, type UseStore } from 'idb-keyval';
import type { QueuedEvent } from './flushPolicy.js';

/** Durable storage of the queue: events by id, plus a few named values (model, snapshot, counters). */
export interface QueueStore {
  /** Every stored event, in no particular order. */
  loadEvents(): Promise<QueuedEvent[]>;
  /** Writes events in one transaction: all or none (a QuotaExceededError leaves the store as it was). */
  putEvents(records: QueuedEvent[]): Promise<void>;
  deleteEvents(ids: string[]): Promise<void>;
  getMeta<T>(key: string): Promise<T | undefined>;
  setMeta(key: string, value: unknown): Promise<void>;
  /** Deletes every event and value. */
  clearAll(): Promise<void>;
}

/** The IndexedDB store through idb-keyval: one database per concern, so each keeps one object store. */
export function createIdbQueueStore(prefix = 'leadlight'): QueueStore {
  const events: UseStore = createStore(`${prefix}-queue`, 'events');
  const meta: UseStore = createStore(`${prefix}-meta`, 'meta');
  return {
    async loadEvents() {
      return (await entries<string, QueuedEvent>(events)).map(([, value]) => value);
    },
    putEvents: (records) =>
      setMany(
        records.map((r) => [r.id, r]),
        events,
      ),
    deleteEvents: (ids) => (ids.length ? delMany(ids, events) : Promise.resolve()),
    getMeta: (key) => get(key, meta),
    setMeta: (key, value) => set(key, value, meta),
    async clearAll() {
      await Promise.all([clear(events), clear(meta)]);
    },
  };
}
