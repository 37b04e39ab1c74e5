import type { TrackedEvent } from './types.js';

const EVENT_TYPE = /^[a-z0-9_.:-]{1,64}$/;
const NAME = /^[A-Za-z0-9_.:$-]{1,64}$/;
const FORBIDDEN_NAMES = new Set(['__proto__', 'constructor', 'prototype']);
const EVENT_KEYS = new Set([
  'id',
  'type',
  'ts',
  'anonymousId',
  'sessionId',
  'url',
  'path',
  'title',
  'referrer',
  'props',
  'traits',
]);
const TEXT_LIMITS: Record<string, number> = {
  sessionId: 128,
  url: 4096,
  path: 2048,
  title: 512,
  referrer: 4096,
};
const MAX_ENTRIES = 64;
const MAX_VALUE_LENGTH = 2048;
const MAX_LIST = 100;

/** True for a standard or custom event type name (`[a-z0-9_.:-]{1,64}`). */
export function isEventType(value: string): boolean {
  return EVENT_TYPE.test(value);
}

function checkBag(field: string, bag: unknown): string | undefined {
  if (typeof bag !== 'object' || bag === null || Array.isArray(bag)) return `${field}: expected an object`;
  const keys = Object.keys(bag);
  if (keys.length > MAX_ENTRIES) return `${field}: at most ${MAX_ENTRIES} entries (got ${keys.length})`;
  for (const key of keys) {
    if (!NAME.test(key) || FORBIDDEN_NAMES.has(key))
      return `${field}: "${key.slice(0, 64)}" is not an allowed name (letters, digits, _ . : $ -, up to 64)`;
    const value = (bag as Record<string, unknown>)[key];
    const items = Array.isArray(value) ? value : [value];
    if (Array.isArray(value) && value.length > MAX_LIST) return `${field}.${key}: at most ${MAX_LIST} items`;
    for (const item of items) {
      if (item === null || typeof item === 'boolean') continue;
      if (typeof item === 'number') {
        if (!Number.isFinite(item)) return `${field}.${key}: expected a finite number`;
      } else if (typeof item === 'string') {
        if (item.length > MAX_VALUE_LENGTH) return `${field}.${key}: at most ${MAX_VALUE_LENGTH} characters`;
      } else {
        return `${field}.${key}: expected a string, number, boolean, null or a list of them`;
      }
    }
  }
  return undefined;
}

/**
 * Checks one wire event (DESIGN.md §2). Never throws; the error names the field and what was expected.
 * Names that could reach an object's prototype (`__proto__`) are refused.
 */
export function validateEvent(
  input: unknown,
): { ok: true; event: TrackedEvent } | { ok: false; error: string } {
  const fail = (error: string) => ({ ok: false as const, error });
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return fail('event: expected an object');
  const e = input as Record<string, unknown>;
  for (const key of Object.keys(e)) {
    if (!EVENT_KEYS.has(key)) return fail(`${key.slice(0, 64)}: unknown event field`);
  }
  if (typeof e.id !== 'string' || e.id.length === 0 || e.id.length > 128)
    return fail('id: expected a string of 1–128 characters (a UUID v7)');
  if (typeof e.type !== 'string' || !EVENT_TYPE.test(e.type))
    return fail('type: expected an event type of 1–64 characters from [a-z0-9_.:-]');
  if (typeof e.ts !== 'number' || !Number.isFinite(e.ts) || e.ts < 0)
    return fail('ts: expected milliseconds since the epoch');
  if (typeof e.anonymousId !== 'string' || e.anonymousId.length === 0 || e.anonymousId.length > 128)
    return fail('anonymousId: expected a string of 1–128 characters');
  for (const [field, limit] of Object.entries(TEXT_LIMITS)) {
    const value = e[field];
    if (value === undefined) continue;
    if (typeof value !== 'string') return fail(`${field}: expected a string`);
    if (value.length > limit) return fail(`${field}: at most ${limit} characters`);
  }
  if (e.props !== undefined) {
    const error = checkBag('props', e.props);
    if (error) return fail(error);
  }
  if (e.traits !== undefined) {
    if (e.type !== 'identify' && e.type !== 'group')
      return fail('traits: only identify and group events carry traits');
    const error = checkBag('traits', e.traits);
    if (error) return fail(error);
  }
  return { ok: true, event: e as unknown as TrackedEvent };
}
