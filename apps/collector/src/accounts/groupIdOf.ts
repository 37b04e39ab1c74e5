import type { TrackedEvent } from '@leadlight/scoring-core';

/** Longest account id a group call may name. */
export const MAX_GROUP_ID = 200;

/** The account a `group` event names (`props.groupId`, trimmed), or null when it names none. */
export function groupIdOf(event: TrackedEvent): string | null {
  if (event.type !== 'group') return null;
  const raw = event.props?.groupId;
  const id =
    typeof raw === 'number' && Number.isFinite(raw) ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
  return id === '' || id.length > MAX_GROUP_ID ? null : id;
}

/** The newest group call among events in canonical order: the account it names and its traits. */
export function latestGroup(
  events: readonly TrackedEvent[],
): { id: string; traits: Record<string, unknown> } | null {
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i] as TrackedEvent;
    const id = groupIdOf(event);
    if (id !== null) return { id, traits: event.traits ?? {} };
  }
  return null;
}
