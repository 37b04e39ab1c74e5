import { isObject, type TrackedEvent, validateEvent } from '@leadlight/scoring-core';
import { groupIdOf, MAX_GROUP_ID } from './accounts/groupIdOf.js';
import { CollectorError } from './collectorError.js';
import type { EventFlags } from './storage/storage.js';

/** Most events one batch may carry. */
export const MAX_EVENTS_PER_BATCH = 1000;
/** Largest serialized event, in bytes (UTF-16 code units; close enough for a guard). */
export const MAX_EVENT_CHARS = 32 * 1024;
/** Deepest nesting an event may have (props of props …). */
export const MAX_EVENT_DEPTH = 8;
/** How far ahead of the collector's clock an event may be before its time is clamped. */
export const MAX_FUTURE_SKEW_MS = 5 * 60_000;
/** Events claiming a time before this (2015-01-01) have a broken clock; their time is clamped. */
export const MIN_EVENT_TS = Date.UTC(2015, 0, 1);

/** How many browsers (anonymous ids) one batch may speak for: a browser has one, two across a reset. */
export const MAX_ANONYMOUS_IDS_PER_BATCH = 2;

/** One event that passed the checks, with its index in the request. */
export interface ParsedEvent {
  event: TrackedEvent;
  flags: EventFlags | null;
  /** `JSON.stringify(event)`, as stored. */
  json: string;
  index: number;
  /** Server calls only: a browser's anonymous id to bring into this event's contact (Segment userId + anonymousId). */
  link?: string;
}

/** A batch body, checked: the events that passed and the ones rejected, by index and reason. */
export interface ParsedBatch {
  siteKey: unknown;
  events: ParsedEvent[];
  rejected: { index: number; error: string }[];
  automated: boolean;
  dropped: number;
  anonymousId: string | null;
}

/** True when a value nests deeper than `max` (checked without recursion, so hostile input cannot blow the stack). */
function tooDeep(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  let seen = 0;
  while (stack.length > 0) {
    const [item, depth] = stack.pop() as [unknown, number];
    if (typeof item !== 'object' || item === null) continue;
    if (depth >= max || ++seen > 10_000) return true;
    for (const child of Object.values(item))
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
  }
  return false;
}

/** Checks one wire event: shape, size, nesting; clamps an absurd time and flags it. A string is the reason it was refused. */
export function checkEvent(raw: unknown, now: number): Omit<ParsedEvent, 'index'> | string {
  if (!isObject(raw)) return 'expected an event object';
  if (tooDeep(raw, MAX_EVENT_DEPTH)) return `nested deeper than ${MAX_EVENT_DEPTH} levels`;
  let checked: ReturnType<typeof validateEvent>;
  try {
    checked = validateEvent(raw);
  } catch (error) {
    return `invalid event (${(error as Error).message})`;
  }
  if (!checked.ok) return checked.error;
  const event = checked.event;
  if (event.type === 'group' && groupIdOf(event) === null)
    return `props.groupId: a group event names its account: a string of 1 to ${MAX_GROUP_ID} characters`;
  const json = JSON.stringify(event);
  if (json.length > MAX_EVENT_CHARS) return `event larger than ${MAX_EVENT_CHARS} bytes`;
  // A client clock far off would let one event jump the canonical order or dodge decay: clamp and flag it.
  if (event.ts > now + MAX_FUTURE_SKEW_MS || event.ts < MIN_EVENT_TS) {
    const clamped = { ...event, ts: now };
    return { event: clamped, flags: { clampedFrom: event.ts }, json: JSON.stringify(clamped) };
  }
  return { event, flags: null, json };
}

/** Checks a batch body; throws 400 for a malformed envelope, lists bad events in `rejected`. */
export function parseBatch(body: unknown, headerKey: string | undefined, now: number): ParsedBatch {
  if (!isObject(body))
    throw new CollectorError('bad_request', 'body: expected a JSON object {siteKey, sentAt, events}');
  const { events, sentAt, automated, dropped, anonymousId } = body;
  if (body.siteKey !== undefined && typeof body.siteKey !== 'string') {
    throw new CollectorError('bad_request', 'siteKey: expected a string');
  }
  if (!Array.isArray(events)) throw new CollectorError('bad_request', 'events: expected a list of events');
  if (events.length > MAX_EVENTS_PER_BATCH) {
    throw new CollectorError(
      'bad_request',
      `events: at most ${MAX_EVENTS_PER_BATCH} events per batch, got ${events.length}`,
    );
  }
  if (sentAt !== undefined && (typeof sentAt !== 'number' || !Number.isFinite(sentAt))) {
    throw new CollectorError('bad_request', 'sentAt: expected a number (ms since epoch)');
  }
  if (automated !== undefined && typeof automated !== 'boolean') {
    throw new CollectorError('bad_request', 'automated: expected true or false');
  }
  if (
    dropped !== undefined &&
    (typeof dropped !== 'number' || !Number.isInteger(dropped) || dropped < 0 || dropped > 1e9)
  ) {
    throw new CollectorError('bad_request', 'dropped: expected a non-negative integer');
  }
  if (
    anonymousId !== undefined &&
    (typeof anonymousId !== 'string' || anonymousId === '' || anonymousId.length > 200)
  ) {
    throw new CollectorError('bad_request', 'anonymousId: expected a string of 1 to 200 characters');
  }
  const parsed: ParsedBatch = {
    siteKey: body.siteKey ?? headerKey,
    events: [],
    rejected: [],
    automated: automated === true,
    dropped: typeof dropped === 'number' ? dropped : 0,
    anonymousId: typeof anonymousId === 'string' ? anonymousId : null,
  };
  const browsers = new Set<string>();
  events.forEach((raw, index) => {
    const result = checkEvent(raw, now);
    if (typeof result === 'string') {
      parsed.rejected.push({ index, error: result });
      return;
    }
    browsers.add(result.event.anonymousId);
    if (browsers.size > MAX_ANONYMOUS_IDS_PER_BATCH) {
      browsers.delete(result.event.anonymousId);
      parsed.rejected.push({
        index,
        error: `anonymousId: one batch carries events of at most ${MAX_ANONYMOUS_IDS_PER_BATCH} anonymous ids`,
      });
      return;
    }
    parsed.events.push({ ...result, index });
  });
  if (parsed.anonymousId === null) parsed.anonymousId = parsed.events.at(-1)?.event.anonymousId ?? null;
  return parsed;
}
