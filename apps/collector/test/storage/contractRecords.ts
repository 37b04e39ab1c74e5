import { createState, resultOf, type ScoringModel, type TrackedEvent } from '@leadlight/scoring-core';
import type { ContactRecord, StoredEvent } from '../../src/storage/storage.js';

// Records the storage contract suites write: plain values, nothing stored yet.

/** The model the contract's contacts are scored with. */
export const MODEL: ScoringModel = {
  version: 'contract-1',
  rules: [{ id: 'any', event: 'page_view', points: 1 }],
  fit: [],
  mql: { total: 100 },
};

let counter = 0;
/** A unique id with a prefix. */
export function uid(prefix: string): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter.toString(36).padStart(5, '0')}`;
}

/** A page view (or `type`) of `anonymousId` at `ts`. */
export function event(anonymousId: string, ts: number, type = 'page_view'): TrackedEvent {
  return { id: uid('e'), type, ts, anonymousId, path: '/' };
}

/** A fresh visitor contact of `siteKey`. */
export function contact(siteKey: string, overrides: Partial<ContactRecord> = {}): ContactRecord {
  const state = createState(MODEL);
  return {
    id: uid('c'),
    siteKey,
    stage: 'visitor',
    email: null,
    state,
    score: resultOf(MODEL, state, { now: 1000 }),
    eventCount: 0,
    createdAt: 1000,
    updatedAt: 1000,
    firstSeenAt: 1000,
    lastSeenAt: 1000,
    mqlAt: null,
    mqlArmed: true,
    revenue: null,
    channel: 'direct',
    reached: { visitor: 1000 },
    accountId: null,
    ...overrides,
  };
}

/** An event as a batch stores it. */
export function stored(siteKey: string, e: TrackedEvent, contactId: string | null, bot = false): StoredEvent {
  return { siteKey, event: e, contactId, receivedAt: 2000, bot, flags: null };
}
