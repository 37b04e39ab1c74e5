import type { TrackedEvent } from '@leadlight/scoring-core';

/** Synchronous write-ahead entries: an event is durable the moment `enqueue` returns, before IndexedDB has it. */
export interface WriteAheadLog {
  /** Stores one event; false when storage refused it (quota, disabled storage). */
  write(event: TrackedEvent): boolean;
  /** Removes entries whose events are now in IndexedDB. */
  remove(ids: string[]): void;
  /** Every leftover entry (from this page or an earlier one that closed too soon). */
  readAll(): TrackedEvent[];
  clear(): void;
}

/** A write-ahead log in localStorage: one key per event, so writes stay tiny and never rewrite a list. */
export function createWriteAheadLog(storage: Storage | undefined, siteKey: string): WriteAheadLog {
  const prefix = `ll:q:${siteKey}:`;
  const keys = () => {
    const found: string[] = [];
    if (!storage) return found;
    for (let i = 0; i < storage.length; i++) {
      const key = storage.key(i);
      if (key?.startsWith(prefix)) found.push(key);
    }
    return found;
  };
  return {
    write(event) {
      try {
        storage?.setItem(prefix + event.id, JSON.stringify(event));
        return !!storage;
      } catch {
        return false;
      }
    },
    remove(ids) {
      for (const id of ids) storage?.removeItem(prefix + id);
    },
    readAll() {
      const events: TrackedEvent[] = [];
      for (const key of keys()) {
        try {
          events.push(JSON.parse(storage!.getItem(key)!) as TrackedEvent);
        } catch {
          storage!.removeItem(key); // a torn entry cannot be replayed
        }
      }
      return events;
    },
    clear() {
      for (const key of keys()) storage?.removeItem(key);
    },
  };
}
