import { type Stage, stageRank } from '@leadlight/scoring-core';
import type { ContactListItem, ContactView } from '@leadlight/scoring-core/wire';
import { displayName } from '../format.js';
import type { LeadQuery } from './api.js';
import { groupChannel } from './groupChannel.js';

/** What the leads table shows: a search, a stage, an owner and a score range (all optional). */
export interface LeadFilter {
  /** Matched, case-insensitively, against name, email and company. */
  query: string;
  stage: Stage | '';
  /** An owner's name, `UNASSIGNED` for contacts without one, or '' for anyone. */
  owner: string;
  minScore?: number;
  maxScore?: number;
}

/** The owner filter value that selects contacts nobody owns. */
export const UNASSIGNED = '\u0000unassigned';

/** Columns the table sorts by. */
export type SortKey = 'name' | 'stage' | 'score' | 'fit' | 'engagement' | 'owner' | 'lastSeen';

/** A sort: a column and a direction. */
export interface LeadSort {
  key: SortKey;
  dir: 'asc' | 'desc';
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');

/** The email a contact is known by (the list answer has it at the top level, traits may too). */
export function emailOf(contact: Pick<ContactView, 'email' | 'traits'>): string {
  return contact.email ?? text(contact.traits.email);
}

/** Owners in use (plus the signed-in person, `me`), sorted: for the owner filter and the panel's suggestions. */
export function ownerNames(contacts: ContactListItem[], me: string): string[] {
  const names = new Set(contacts.map((c) => c.owner).filter((o): o is string => Boolean(o)));
  if (me) names.add(me);
  return [...names].sort((a, b) => a.localeCompare(b));
}

/** The contacts that pass every part of the filter. */
export function filterLeads(contacts: ContactListItem[], filter: LeadFilter): ContactListItem[] {
  const words = filter.query.trim().toLowerCase().split(/\s+/).filter(Boolean);
  return contacts.filter((c) => {
    if (filter.stage && c.stage !== filter.stage) return false;
    if (filter.owner === UNASSIGNED ? Boolean(c.owner) : filter.owner && c.owner !== filter.owner)
      return false;
    if (filter.minScore !== undefined && c.score.total < filter.minScore) return false;
    if (filter.maxScore !== undefined && c.score.total > filter.maxScore) return false;
    if (words.length === 0) return true;
    const haystack = [displayName(c.traits, c.id), emailOf(c), text(c.traits.company)]
      .join(' ')
      .toLowerCase();
    return words.every((word) => haystack.includes(word));
  });
}

/**
 * The filter and sort as a query the collector runs over every contact. Owner order stays with the page: the
 * collector does not sort by owner.
 */
export function leadQueryOf(filter: LeadFilter, sort: LeadSort): LeadQuery {
  return {
    ...(filter.query.trim() ? { q: filter.query.trim() } : {}),
    ...(filter.stage ? { stage: filter.stage } : {}),
    ...(filter.owner === UNASSIGNED ? { unassigned: 'true' } : filter.owner ? { owner: filter.owner } : {}),
    ...(filter.minScore !== undefined ? { minScore: filter.minScore } : {}),
    ...(filter.maxScore !== undefined ? { maxScore: filter.maxScore } : {}),
    ...(sort.key === 'owner' ? {} : { sort: `${sort.dir === 'desc' ? '-' : ''}${sort.key}` }),
  };
}

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

function sortValue(c: ContactListItem, key: SortKey): string | number {
  switch (key) {
    case 'name':
      return displayName(c.traits, c.id);
    case 'stage':
      return stageRank(c.stage);
    case 'score':
      return c.score.total;
    case 'fit':
      return c.score.fit;
    case 'engagement':
      return c.score.engagement;
    case 'owner':
      return c.owner ?? '';
    case 'lastSeen':
      return c.lastSeenAt;
  }
}

/** A sorted copy; ties keep score order (highest first), then id, so the order never jumps between refreshes. */
export function sortLeads(contacts: ContactListItem[], sort: LeadSort): ContactListItem[] {
  const sign = sort.dir === 'asc' ? 1 : -1;
  return [...contacts].sort((a, b) => {
    const x = sortValue(a, sort.key);
    const y = sortValue(b, sort.key);
    // Empty owners sort last whichever the direction: "unassigned" is not a name.
    if (sort.key === 'owner' && (x === '') !== (y === '')) return x === '' ? 1 : -1;
    const order =
      typeof x === 'number' && typeof y === 'number' ? x - y : collator.compare(String(x), String(y));
    return sign * order || b.score.total - a.score.total || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  });
}

/** One CSV field: quoted when needed; text that a spreadsheet would run as a formula is defused with a `'`. */
function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const iso = (ts: number | null | undefined) => (ts ? new Date(ts).toISOString() : '');

/** The columns of the CSV export, in order. */
export const CSV_COLUMNS = [
  'id',
  'name',
  'email',
  'company',
  'role',
  'stage',
  'score',
  'fit',
  'engagement',
  'owner',
  'channel',
  'first_touch',
  'mql_at',
  'last_seen',
  'reasons',
] as const;

/**
 * The contacts as CSV (RFC 4180, CRLF line ends), for a spreadsheet or a CRM import. Reasons name rules
 * by id, like webhooks and exports do: labels are for people and may change.
 */
export function leadsCsv(contacts: ContactListItem[]): string {
  const rows = contacts.map((c) => {
    const reasons = [...c.score.breakdown]
      .filter((b) => b.points !== 0)
      .sort((a, b) => Math.abs(b.points) - Math.abs(a.points))
      .map((b) => `${b.rule} ${b.points > 0 ? '+' : ''}${b.points}`)
      .join('; ');
    return [
      c.id,
      displayName(c.traits, c.id),
      emailOf(c),
      text(c.traits.company),
      text(c.traits.role),
      c.stage,
      c.score.total,
      c.score.fit,
      c.score.engagement,
      c.owner ?? '',
      groupChannel(c.channel),
      c.channel,
      iso(c.mqlAt),
      iso(c.lastSeenAt),
      reasons,
    ]
      .map(csvField)
      .join(',');
  });
  return `${[CSV_COLUMNS.join(','), ...rows].join('\r\n')}\r\n`;
}
