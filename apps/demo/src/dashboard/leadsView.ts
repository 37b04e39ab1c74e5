import { STAGES, type Stage, stageRank } from '@leadlight/scoring-core';
import type { ContactDetail, ContactListItem, ReceivedEvent } from '@leadlight/scoring-core/wire';
import {
  displayName,
  formatActor,
  formatAgo,
  formatDateTime,
  formatMoney,
  formatPoints,
  formatScore,
} from '../format.js';
import type { DashboardApi } from './api.js';
import { describeEvent } from './describeEvent.js';
import { el } from './element.js';
import { confirmErase } from './eraseDialog.js';
import { groupChannel } from './groupChannel.js';
import { emailOf, type LeadSort, type SortKey } from './leadFilters.js';

/** The sales actions the detail panel offers, in pipeline order. */
const ACTIONS: { stage: Stage; label: string }[] = [
  { stage: 'sql', label: 'Mark SQL' },
  { stage: 'opportunity', label: 'Opportunity' },
  { stage: 'customer', label: 'Customer' },
  { stage: 'lead', label: 'Recycle' },
];

/** A stage badge. */
export function stageBadge(stage: Stage): HTMLElement {
  return el('span', { class: `stage stage-${stage}`, 'data-stage': stage }, stage.toUpperCase());
}

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

/** What the detail panel needs beyond the contact: the API, who is signed in, and what to do after a change. */
export interface DetailOptions {
  api: DashboardApi;
  /** The signed-in person's display name (owners are such names). */
  me: string;
  /** Owner names in use, offered as suggestions. */
  owners: string[];
  labels: Map<string, string>;
  /** The confirmation shown at the top of the panel (kept across live re-renders). */
  status: string;
  report: (text: string) => void;
  onChanged: () => void;
  onErased: (name: string) => void;
}

function when(at: number): HTMLElement {
  return el('time', { datetime: new Date(at).toISOString() }, formatDateTime(at));
}

/** The detail panel: owner, sales actions, notes, score breakdown, stage history and the event timeline. */
export function contactDetail(
  contact: ContactDetail,
  events: ReceivedEvent[],
  options: DetailOptions,
): HTMLElement {
  const { api, labels } = options;
  const t = contact.traits;
  const name = displayName(t, contact.id);
  const status = el('p', { class: 'action-status', role: 'status' }, options.status);
  const report = (text: string) => {
    status.textContent = text;
    options.report(text);
  };
  const email = emailOf(contact);
  const traitRows = [
    ['email', email],
    ...['company', 'role', 'companySize', 'industry', 'country'].map((k) => [k, t[k]]),
  ]
    .filter(([, v]) => v !== undefined && v !== '' && v !== null)
    .map(([k, v]) => el('div', { class: 'kv' }, el('span', {}, String(k)), el('strong', {}, String(v))));

  // Owner: who works this contact, assigned by whom and when.
  const { owner } = contact;
  const ownerInput = el('input', {
    type: 'text',
    id: 'owner-input',
    class: 'owner-input',
    list: 'owner-names',
    value: owner?.name ?? '',
    autocomplete: 'off',
    'data-keep': 'owner',
    maxlength: 100,
  });
  const assign = async (next: string | null) => {
    report(next ? `Assigning to ${next}…` : 'Unassigning…');
    try {
      await api.setOwner(contact.id, next);
      report(next ? `Assigned to ${next}.` : 'Unassigned: nobody owns this contact now.');
      options.onChanged();
    } catch (error) {
      report(`Not saved: ${(error as Error).message}`);
    }
  };
  const ownerForm = el(
    'form',
    { class: 'owner-form', 'aria-labelledby': 'owner-title' },
    el('label', { for: 'owner-input', class: 'sr-only' }, 'Owner'),
    ownerInput,
    el('datalist', { id: 'owner-names' }, ...options.owners.map((o) => el('option', { value: o }))),
    el('button', { type: 'submit', class: 'btn btn-small', 'data-action': 'assign' }, 'Assign'),
    el(
      'button',
      {
        type: 'button',
        class: 'btn btn-small',
        'data-action': 'assign-me',
        disabled: owner?.name === options.me,
      },
      'Assign to me',
    ),
    owner
      ? el(
          'button',
          { type: 'button', class: 'btn btn-small btn-ghost', 'data-action': 'unassign' },
          'Unassign',
        )
      : null,
  );
  ownerForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const next = ownerInput.value.trim();
    if (!next) {
      report('Type a name to assign, or use Unassign.');
      ownerInput.focus();
      return;
    }
    void assign(next);
  });
  ownerForm
    .querySelector('[data-action=assign-me]')
    ?.addEventListener('click', () => void assign(options.me));
  ownerForm.querySelector('[data-action=unassign]')?.addEventListener('click', () => void assign(null));

  // Sales actions.
  const revenue = el('input', {
    type: 'number',
    min: 0,
    step: 100,
    placeholder: 'Revenue ($)',
    'aria-label': 'Deal revenue in dollars',
    class: 'revenue',
    'data-keep': 'revenue',
  });
  const actions = ACTIONS.map(({ stage, label }) => {
    const disabled =
      stage === 'lead'
        ? contact.stage === 'lead' || contact.stage === 'visitor'
        : stageRank(contact.stage) >= stageRank(stage);
    const button = el(
      'button',
      { type: 'button', class: 'btn btn-small', 'data-action': stage, disabled },
      label,
    );
    button.addEventListener('click', async () => {
      const amount = Number(revenue.value);
      if (stage === 'customer' && !(amount > 0)) {
        report('Enter the deal revenue first.');
        revenue.focus();
        return;
      }
      report('Saving…');
      try {
        await api.setStage(contact.id, {
          stage,
          reason: stage === 'lead' ? 'Recycled from the dashboard' : `Marked ${stage} from the dashboard`,
          ...(stage === 'customer' ? { revenue: amount } : {}),
        });
        report(
          stage === 'customer'
            ? `Moved to CUSTOMER with ${formatMoney(amount)}.`
            : stage === 'lead'
              ? 'Recycled to LEAD.'
              : `Moved to ${stage.toUpperCase()}.`,
        );
        options.onChanged();
      } catch (error) {
        report(error instanceof Error ? error.message : String(error));
      }
    });
    return button;
  });
  const erase = el(
    'button',
    { type: 'button', class: 'btn btn-small btn-danger', 'data-action': 'erase' },
    'Erase',
  );
  erase.addEventListener('click', async () => {
    if (!(await confirmErase(name))) return;
    report('Erasing…');
    try {
      await api.eraseLead(contact.id);
      options.onErased(name);
    } catch (error) {
      report((error as Error).message);
    }
  });

  // Notes.
  const noteText = el('textarea', {
    id: 'note-text',
    class: 'note-text',
    rows: 3,
    maxlength: 2000,
    'data-keep': 'note',
    placeholder: 'What happened, what is next…',
  });
  const noteForm = el(
    'form',
    { class: 'note-form' },
    el('label', { for: 'note-text' }, 'Add a note'),
    noteText,
    el('button', { type: 'submit', class: 'btn btn-small', 'data-action': 'add-note' }, 'Add note'),
  );
  noteForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = noteText.value.trim();
    if (!text) {
      report('Write the note first.');
      noteText.focus();
      return;
    }
    report('Saving the note…');
    try {
      await api.addNote(contact.id, text);
      // A live update may have re-rendered the panel meanwhile, carrying the text over: clear that copy too.
      for (const field of [noteText, document.getElementById('note-text')])
        if (field instanceof HTMLTextAreaElement) field.value = '';
      report('Note added.');
      options.onChanged();
    } catch (error) {
      report(`Not saved: ${(error as Error).message}`);
    }
  });
  const notes = [...contact.notes]
    .reverse()
    .map((n) =>
      el(
        'li',
        { class: 'note' },
        el('p', {}, n.text),
        el('span', { class: 'sub' }, `${formatActor(n.by)} · `, when(n.at)),
      ),
    );

  const breakdown = contact.score.breakdown.map((b) =>
    el(
      'tr',
      { 'data-rule': b.rule },
      el('th', { scope: 'row' }, labels.get(b.rule) ?? b.rule),
      el('td', { class: 'sub' }, b.kind === 'fit' ? 'fit' : `engagement ×${b.count}`),
      el('td', { class: `num ${b.points < 0 ? 'neg' : 'pos'}` }, formatPoints(b.points)),
    ),
  );
  const history = contact.stageHistory.map((h) =>
    el(
      'li',
      {},
      stageBadge(h.to),
      el(
        'span',
        { class: 'sub' },
        ` ${formatDateTime(h.at)} · ${formatActor(h.by)}${h.reason ? ` · ${h.reason}` : ''}${h.revenue ? ` · ${formatMoney(h.revenue)}` : ''}`,
      ),
    ),
  );
  const timeline = [...events].reverse().map((event) => {
    const { label, detail } = describeEvent(event);
    return el(
      'li',
      { class: `ev ev-${event.type}` },
      when(event.ts),
      el('strong', {}, label),
      el('span', {}, detail),
    );
  });
  return el(
    'div',
    { class: 'detail', 'data-contact': contact.id },
    el(
      'div',
      { class: 'detail-head' },
      el('h2', { id: 'detail-title', tabindex: -1 }, name),
      stageBadge(contact.stage),
    ),
    el(
      'div',
      { class: 'detail-score' },
      el('span', { class: 'big' }, formatScore(contact.score.total)),
      el(
        'span',
        { class: 'sub' },
        `fit ${formatScore(contact.score.fit)} · engagement ${formatScore(contact.score.engagement)} · model ${contact.score.modelVersion}`,
      ),
    ),
    status,
    traitRows.length
      ? el('div', { class: 'traits' }, ...traitRows)
      : el('p', { class: 'sub' }, `Anonymous · ${contact.anonymousIds.length} device(s)`),
    el('h3', { id: 'owner-title' }, 'Owner'),
    el(
      'p',
      { class: 'owner-now', 'data-owner': owner?.name ?? '' },
      owner
        ? el(
            'span',
            {},
            el('strong', {}, owner.name),
            ` · assigned by ${formatActor(owner.by)} · `,
            when(owner.at),
          )
        : el('span', { class: 'sub' }, 'Nobody owns this contact yet.'),
    ),
    ownerForm,
    el('h3', {}, 'Sales actions'),
    el('div', { class: 'actions' }, ...actions, revenue, erase),
    el('h3', {}, `Notes · ${notes.length}`),
    noteForm,
    notes.length ? el('ul', { class: 'notes' }, ...notes) : null,
    el('h3', {}, 'Why this score'),
    el('table', { class: 'breakdown' }, el('tbody', {}, ...breakdown)),
    history.length ? el('h3', {}, 'Stage history') : null,
    history.length ? el('ul', { class: 'history' }, ...history) : null,
    el('h3', {}, `Timeline · ${events.length} events`),
    el('ol', { class: 'timeline' }, ...timeline),
  );
}

/** A select of every stage, with "all" first. */
export function stageOptions(current: Stage | ''): HTMLOptionElement[] {
  return [
    el('option', { value: '' }, 'All stages'),
    ...STAGES.map((s) => el('option', { value: s, selected: s === current }, s.toUpperCase())),
  ];
}
