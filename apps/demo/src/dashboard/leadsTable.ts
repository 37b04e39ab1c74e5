import type { ContactListItem } from '@leadlight/scoring-core/wire';
import { displayName, formatAgo, formatPoints, formatScore } from '../format.js';
import { el } from './element.js';
import { groupChannel } from './groupChannel.js';
import type { LeadSort, SortKey } from './leadFilters.js';
import { stageBadge } from './stageBadge.js';

/** The table's columns: its sort key (none: not sortable) and heading. */
const COLUMNS: { key?: SortKey; label: string; num?: boolean }[] = [
  { key: 'name', label: 'Contact' },
  { key: 'stage', label: 'Stage' },
  { key: 'score', label: 'Score' },
  { key: 'fit', label: 'Fit', num: true },
  { key: 'engagement', label: 'Engagement', num: true },
  { key: 'owner', label: 'Owner' },
  { label: 'Why' },
  { key: 'lastSeen', label: 'Last seen' },
];

/** The leads table: one row per contact, sortable by any column but the reasons, each row opening the contact. */
export function leadsTable(
  contacts: ContactListItem[],
  options: {
    now: number;
    selected: string | undefined;
    sort: LeadSort;
    labels: Map<string, string>;
    empty: string;
    onSelect: (id: string) => void;
    onSort: (key: SortKey) => void;
  },
): HTMLElement {
  const { labels, sort } = options;
  const max = Math.max(1, ...contacts.map((c) => c.score.total));
  const rows = contacts.map((contact) => {
    const reasons = [...contact.score.breakdown]
      .filter((b) => b.points !== 0)
      .sort((a, b) => Math.abs(b.points) - Math.abs(a.points))
      .slice(0, 3)
      .map((b) =>
        el(
          'span',
          { class: `chip ${b.points < 0 ? 'chip-neg' : ''}`, 'data-rule': b.rule },
          `${labels.get(b.rule) ?? b.rule} ${formatPoints(b.points)}`,
        ),
      );
    const company = [contact.traits.company, contact.traits.role]
      .filter((v) => typeof v === 'string')
      .join(' · ');
    const name = displayName(contact.traits, contact.id);
    const open = el(
      'button',
      { type: 'button', class: 'who', 'data-open': contact.id, 'data-focus': `open:${contact.id}` },
      name,
    );
    const row = el(
      'tr',
      { 'data-contact': contact.id, class: contact.id === options.selected ? 'is-selected' : undefined },
      el(
        'th',
        { scope: 'row' },
        open,
        el(
          'div',
          { class: 'sub' },
          `${company || `${contact.eventCount} events`} · ${groupChannel(contact.channel)}`,
        ),
      ),
      el('td', {}, stageBadge(contact.stage)),
      el(
        'td',
        {},
        el(
          'div',
          { class: 'score-cell' },
          el(
            'span',
            { class: 'score-num', 'data-score': contact.score.total },
            formatScore(contact.score.total),
          ),
          el(
            'span',
            { class: 'score-bar', 'aria-hidden': 'true' },
            el('span', { style: `width:${Math.max(0, (contact.score.total / max) * 100)}%` }),
          ),
        ),
      ),
      el('td', { class: 'num' }, formatScore(contact.score.fit)),
      el('td', { class: 'num' }, formatScore(contact.score.engagement)),
      el('td', { class: 'owner-cell' }, contact.owner ?? el('span', { class: 'sub' }, '—')),
      el('td', {}, ...reasons),
      el('td', { class: 'sub' }, formatAgo(contact.lastSeenAt, options.now)),
    );
    open.addEventListener('click', (event) => {
      event.stopPropagation();
      options.onSelect(contact.id);
    });
    // The whole row is a pointer target too; keyboard users use the name button.
    row.addEventListener('click', () => options.onSelect(contact.id));
    return row;
  });
  const header = COLUMNS.map((column) => {
    if (!column.key) return el('th', { scope: 'col' }, column.label);
    const active = sort.key === column.key;
    const key = column.key;
    const sortButton = el(
      'button',
      { type: 'button', class: 'sort', 'data-sort': key, 'data-focus': `sort:${key}` },
      column.label,
      el(
        'span',
        { class: 'sort-mark', 'aria-hidden': 'true' },
        active ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : '',
      ),
    );
    sortButton.addEventListener('click', () => options.onSort(key));
    return el(
      'th',
      {
        scope: 'col',
        class: column.num ? 'num' : undefined,
        'aria-sort': active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : undefined,
      },
      sortButton,
    );
  });
  return el(
    'table',
    { class: 'leads' },
    el('caption', { class: 'sr-only' }, 'Leads; column headings sort the table'),
    el('thead', {}, el('tr', {}, ...header)),
    el(
      'tbody',
      {},
      ...(rows.length
        ? rows
        : [el('tr', {}, el('td', { colspan: COLUMNS.length, class: 'empty' }, options.empty))]),
    ),
  );
}
