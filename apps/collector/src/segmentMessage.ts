import { isEventType, STANDARD_EVENT_TYPES } from '@leadlight/scoring-core';

/** The Segment call types the collector takes (screen and alias have no meaning for lead scoring). */
export const SEGMENT_TYPES = ['track', 'identify', 'page', 'group'] as const;

/** Event types a `track` name may not become: the browser's own (`Page View` is not a page view). */
const BUILT_IN_TYPES = new Set<string>(STANDARD_EVENT_TYPES);
const MAX_VALUE = 2048;

/** One Segment message as a wire event, with the ids that route it. */
export interface ServerEvent {
  /** A wire event; its `anonymousId` is the device it lands on: `user:<userId>` when a userId is given. */
  event: Record<string, unknown> & { id: string; type: string; ts: number; anonymousId: string };
  /** With a userId: the browser's anonymous id the call names, to link into the same contact. */
  linkAnonymousId?: string;
  /** The message carried no messageId: a retry of it would be stored again. */
  generatedId: boolean;
}

/**
 * A `track` name as an event type: diacritics folded, lower case, `.` `:` `-` kept, every run of other
 * characters one `_`, trimmed of `_` (`Webinar Attended` → `webinar_attended`).
 */
export function eventTypeOf(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9.:-]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** A property name the wire accepts (letters, digits, `_ . : $ -`, up to 64). */
function propName(name: string): string {
  return name.replace(/[^A-Za-z0-9_.:$-]+/g, '_').slice(0, 64);
}

function scalar(value: unknown): unknown {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (value === undefined) return undefined;
  // Nested objects (Segment's products, say) are kept as JSON text: rules can still match them whole.
  return JSON.stringify(value).slice(0, MAX_VALUE);
}

/** Segment `properties` / `traits` as a wire bag: names made legal, values scalars or lists of them. */
function bag(input: unknown): Record<string, unknown> | undefined {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return undefined;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    const name = propName(key);
    if (name === '' || name === '__proto__' || name === 'constructor' || name === 'prototype') continue;
    const v = Array.isArray(value) ? value.map(scalar) : scalar(value);
    if (v !== undefined) out[name] = v;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function timeOf(message: Record<string, unknown>, now: number): number {
  for (const field of ['timestamp', 'originalTimestamp']) {
    const value = message[field];
    const ts = typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : Number.NaN;
    if (Number.isFinite(ts)) return ts;
  }
  return now;
}

/**
 * Maps one Segment message (track, identify, page, group) to a wire event, or says why it cannot:
 * `messageId` is the event id, `timestamp` its time, `properties` its props, `traits` its traits.
 */
export function fromSegment(input: unknown, newId: () => string, now: number): ServerEvent | string {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return 'expected a message object';
  const message = input as Record<string, unknown>;
  const kind = message.type;
  if (!(SEGMENT_TYPES as readonly unknown[]).includes(kind))
    return `type: expected one of ${SEGMENT_TYPES.join(', ')} (got ${JSON.stringify(kind) ?? 'nothing'})`;
  const userId = message.userId === undefined || message.userId === null ? undefined : String(message.userId);
  const anonymousId = text(message.anonymousId);
  if (userId === undefined && anonymousId === undefined)
    return 'userId or anonymousId: one of them is required';
  if (userId !== undefined && (userId === '' || userId.length > 120))
    return 'userId: expected 1 to 120 characters';
  const messageId = text(message.messageId);
  if (messageId !== undefined && messageId.length > 128) return 'messageId: at most 128 characters';
  const properties = bag(message.properties);
  const event: ServerEvent['event'] = {
    id: messageId ?? newId(),
    type: '',
    ts: timeOf(message, now),
    anonymousId: userId !== undefined ? `user:${userId}` : (anonymousId as string),
  };
  if (kind === 'track') {
    const name = text(message.event);
    if (name === undefined) return 'event: a track call needs an event name';
    const type = eventTypeOf(name);
    if (type === '') return `event: "${name.slice(0, 64)}" has no letters or digits to name an event type`;
    if (type.length > 64) return `event: "${name.slice(0, 64)}…" makes a type longer than 64 characters`;
    if (BUILT_IN_TYPES.has(type) || !isEventType(type))
      return `event: "${name.slice(0, 64)}" becomes "${type}", a type the browser SDK sends itself; name it differently`;
    event.type = type;
    if (properties) event.props = properties;
  } else if (kind === 'page') {
    event.type = 'page_view';
    const context = (message.context ?? {}) as Record<string, unknown>;
    const campaign = (context.campaign ?? {}) as Record<string, unknown>;
    const props: Record<string, unknown> = { ...properties };
    for (const field of ['path', 'url', 'referrer', 'title'] as const) {
      const value =
        text(properties?.[field]) ?? text((context.page as Record<string, unknown> | undefined)?.[field]);
      if (value !== undefined) event[field] = value;
      delete props[field];
    }
    for (const key of ['source', 'medium', 'name', 'term', 'content']) {
      const value = text(campaign[key]);
      if (value !== undefined) props[`utm_${key === 'name' ? 'campaign' : key}`] = value;
    }
    if (Object.keys(props).length > 0) event.props = props;
  } else {
    event.type = kind as 'identify' | 'group';
    const traits = bag(message.traits);
    if (traits) event.traits = traits;
    if (kind === 'group') {
      const groupId =
        message.groupId === undefined || message.groupId === null ? '' : String(message.groupId);
      if (groupId === '') return 'groupId: a group call needs one';
      event.props = { ...properties, groupId };
    }
  }
  const linked = userId !== undefined && anonymousId !== undefined ? { linkAnonymousId: anonymousId } : {};
  return { event, generatedId: messageId === undefined, ...linked };
}
