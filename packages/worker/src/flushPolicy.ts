import { compareEvents, type TrackedEvent } from '@leadlight/scoring-core';
import type { QueueLimits } from './protocol.js';

/** An event as the queue stores it. */
export interface QueuedEvent {
  id: string;
  event: TrackedEvent;
  /** Size of the event's JSON in UTF-8 bytes. */
  bytes: number;
  /** 2: changes the score (form submit, identify, a rule awarding points); 1: page-level; 0: low value. */
  priority: 0 | 1 | 2;
  /** When the queue took it, ms since epoch. */
  at: number;
}

const SCORE_CHANGING = new Set(['identify', 'form_submit']);
const PAGE_LEVEL = new Set(['page_view', 'download', 'cta_click', 'form_start', 'form_abandon']);
// Marked pure so that dist/index.js, which takes this module for DEFAULT_LIMITS alone, leaves it out.
const encoder = /* @__PURE__ */ new TextEncoder();

/** An event as the queue stores it, taken `at` (ms since epoch); `changed`: it changed the provisional score. */
export function toQueued(event: TrackedEvent, changed: boolean, at: number): QueuedEvent {
  const priority = changed || SCORE_CHANGING.has(event.type) ? 2 : PAGE_LEVEL.has(event.type) ? 1 : 0;
  return { id: event.id, event, bytes: encoder.encode(JSON.stringify(event)).length, priority, at };
}

/** The queue's default tuning. */
export const DEFAULT_LIMITS: QueueLimits = {
  batchMaxEvents: 1000,
  batchMaxBytes: 256_000,
  batchDelayMs: 1000,
  maxEvents: 10_000,
  maxBytes: 5_000_000,
  maxAgeMs: 6 * 24 * 3600_000,
  retryBaseMs: 1000,
  retryMaxMs: 5 * 60_000,
  requestTimeoutMs: 10_000,
};

/** Fills the limits a caller left out and checks the rest, naming the bad field. */
export function resolveLimits(input: Partial<QueueLimits> | undefined): QueueLimits {
  const limits = { ...DEFAULT_LIMITS, ...input };
  for (const [key, value] of Object.entries(limits)) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      throw new RangeError(`limits.${key}: expected a positive number, got ${JSON.stringify(value)}`);
    }
  }
  if (limits.maxAgeMs >= 7 * 24 * 3600_000) {
    throw new RangeError('limits.maxAgeMs: expected less than 7 days (browsers may wipe storage after that)');
  }
  return limits;
}

/** Canonical queue order: the events' canonical order (ts, then id), so batches follow the visitor's timeline. */
export function compareQueued(a: QueuedEvent, b: QueuedEvent): number {
  return compareEvents(a.event, b.event);
}

/**
 * Takes the next batch from sorted records: events of the first record's visitor only (the collector
 * answers with one contact's state), at most `maxEvents` and `maxBytes` of body; always at least one.
 */
export function selectBatch(sorted: QueuedEvent[], maxEvents: number, maxBytes: number): QueuedEvent[] {
  const first = sorted[0];
  if (!first) return [];
  const batch: QueuedEvent[] = [];
  let bytes = 100; // envelope: siteKey, sentAt, dropped
  for (const record of sorted) {
    if (record.event.anonymousId !== first.event.anonymousId) continue;
    if (batch.length > 0 && (batch.length >= maxEvents || bytes + record.bytes + 1 > maxBytes)) break;
    batch.push(record);
    bytes += record.bytes + 1;
  }
  return batch;
}

/**
 * Which stored events must go so the queue fits its caps: expired ones first, then the lowest priority,
 * oldest first within a priority (a form submit outlives a page ping).
 */
export function selectVictims(records: QueuedEvent[], limits: QueueLimits, now: number): QueuedEvent[] {
  const victims: QueuedEvent[] = [];
  const kept: QueuedEvent[] = [];
  for (const record of records) {
    if (now - record.at > limits.maxAgeMs || now - record.event.ts > limits.maxAgeMs) victims.push(record);
    else kept.push(record);
  }
  let count = kept.length;
  let bytes = kept.reduce((sum, r) => sum + r.bytes, 0);
  if (count <= limits.maxEvents && bytes <= limits.maxBytes) return victims;
  kept.sort((a, b) => a.priority - b.priority || a.at - b.at || compareQueued(a, b));
  for (const record of kept) {
    if (count <= limits.maxEvents && bytes <= limits.maxBytes) break;
    victims.push(record);
    count--;
    bytes -= record.bytes;
  }
  return victims;
}

/** Exponential backoff with full jitter: a uniform delay in [0, min(max, base · 2^attempt)). */
export function backoffDelay(attempt: number, limits: QueueLimits, random: () => number): number {
  const ceiling = Math.min(limits.retryMaxMs, limits.retryBaseMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}

/** Reads `Retry-After` (seconds or an HTTP date) as a delay in ms; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Picks events for one `pagehide` beacon: highest priority first, then newest (the ones least likely
 * to have left already), while the body stays under `maxBytes` (keepalive and beacons share 64 KiB).
 */
export function selectBeacon(records: QueuedEvent[], maxBytes: number): QueuedEvent[] {
  const ordered = [...records].sort((a, b) => b.priority - a.priority || b.at - a.at);
  const chosen: QueuedEvent[] = [];
  let bytes = 120;
  for (const record of ordered) {
    if (bytes + record.bytes + 1 > maxBytes) continue;
    chosen.push(record);
    bytes += record.bytes + 1;
  }
  return chosen.sort(compareQueued);
}
