import type { TrackedEvent } from '@leadlight/scoring-core';

// Synchronous write-ahead entries in localStorage: an event is durable the moment `enqueue` returns,
// before IndexedDB has it. One key per event (`ll:q:<siteKey>:<eventId>`), so writes stay tiny and never
// rewrite a list. Small separate functions: the client the SDK bundles needs only `writeAhead` and
// `clearAhead`, the lazy chunk reads and removes; tree-shaking keeps each side to what it calls.

const prefix = (siteKey: string) => `ll:q:${siteKey}:`;

/** The page's localStorage, or undefined where touching it throws (blocked storage, sandboxed frames). */
export function pageStorage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}

/** Stores one event; a refusal (quota, disabled storage) is silent: the queue gets the event a task later. */
export function writeAhead(storage: Storage | undefined, siteKey: string, event: TrackedEvent): void {
  try {
    storage?.setItem(prefix(siteKey) + event.id, JSON.stringify(event));
  } catch {
    // full or blocked: the in-memory copy and the queue carry the event
  }
}

// Own enumerable keys are the stored keys (Web Storage named properties), snapshotted before any removal.
const keysOf = (storage: Storage | undefined, siteKey: string) =>
  Object.keys(storage ?? {}).filter((key) => key.startsWith(prefix(siteKey)));

/** Removes every entry of the site (consent denied). */
export function clearAhead(storage: Storage | undefined, siteKey: string): void {
  for (const key of keysOf(storage, siteKey)) storage!.removeItem(key);
}

/**
 * Keeps only the site's newest `keep` entries (ids are UUID v7, so key order is time order): entries that no
 * page can drain must not fill the site's localStorage.
 */
export function trimAhead(storage: Storage | undefined, siteKey: string, keep: number): void {
  for (const key of keysOf(storage, siteKey).sort().slice(0, -keep)) storage!.removeItem(key);
}

/** Every leftover entry (from this page or an earlier one that closed too soon); torn entries are dropped. */
export function readAhead(storage: Storage | undefined, siteKey: string): TrackedEvent[] {
  const events: TrackedEvent[] = [];
  for (const key of keysOf(storage, siteKey)) {
    const text = storage!.getItem(key);
    if (text === null) continue; // another tab handed it over meanwhile
    try {
      const event = JSON.parse(text) as TrackedEvent;
      if (typeof event?.id !== 'string') throw new TypeError('no id');
      events.push(event);
    } catch {
      storage!.removeItem(key); // a torn entry cannot be replayed
    }
  }
  return events;
}

/** Removes the entries of events that are now in IndexedDB. */
export function removeAhead(storage: Storage | undefined, siteKey: string, ids: string[]): void {
  for (const id of ids) storage?.removeItem(prefix(siteKey) + id);
}
