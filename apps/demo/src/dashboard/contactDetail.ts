import { type Stage, stageRank } from '@leadlight/scoring-core';
import type { ContactDetail, ReceivedEvent } from '@leadlight/scoring-core/wire';
import {
  displayName,
  formatActor,
  formatDateTime,
  formatMoney,
  formatPoints,
  formatScore,
} from '../format.js';
import { describeEvent } from './describeEvent.js';
import { el } from './element.js';
import { confirmErase } from './eraseDialog.js';
import { emailOf } from './leadFilters.js';
import type { SalesActions } from './salesActions.js';
import { stageBadge } from './stageBadge.js';

/** The sales actions the detail panel offers, in pipeline order. */
const ACTIONS: { stage: Stage; label: string }[] = [
  { stage: 'sql', label: 'Mark SQL' },
  { stage: 'opportunity', label: 'Opportunity' },
  { stage: 'customer', label: 'Customer' },
  { stage: 'lead', label: 'Recycle' },
];

/** What the detail panel needs beyond the contact: who is signed in, and the actions it offers. */
export interface DetailOptions {
  /** The signed-in person's display name (owners are such names). */
  me: string;
  /** Owner names in use, offered as suggestions. */
  owners: string[];
  labels: Map<string, string>;
  /** The confirmation shown at the top of the panel (kept across live re-renders). */
  status: string;
  /** Keeps the panel's confirmation for the next render. */
  report: (text: string) => void;
  /** The contact's sales actions, each reporting through `report` (the panel's status line). */
  actions: (report: (text: string) => void) => SalesActions;
}

/** On submit, hands `field`'s trimmed text to `act`, or asks for it (`empty`) when there is none. */
function onSubmitText(
  form: HTMLFormElement,
  field: HTMLInputElement | HTMLTextAreaElement,
  empty: string,
  report: (text: string) => void,
  act: (text: string) => Promise<void>,
): void {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = field.value.trim();
    if (!text) {
      report(empty);
      field.focus();
      return;
    }
    void act(text);
  });
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
  const { labels } = options;
  const t = contact.traits;
  const name = displayName(t, contact.id);
  const status = el('p', { class: 'action-status', role: 'status' }, options.status);
  const report = (text: string) => {
    status.textContent = text;
    options.report(text);
  };
  const act = options.actions(report);
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
  onSubmitText(ownerForm, ownerInput, 'Type a name to assign, or use Unassign.', report, (next) =>
    act.assign(next),
  );
  ownerForm
    .querySelector('[data-action=assign-me]')
    ?.addEventListener('click', () => void act.assign(options.me));
  ownerForm.querySelector('[data-action=unassign]')?.addEventListener('click', () => void act.assign(null));

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
    button.addEventListener('click', () => {
      const amount = Number(revenue.value);
      if (stage === 'customer' && !(amount > 0)) {
        report('Enter the deal revenue first.');
        revenue.focus();
        return;
      }
      void act.moveStage(stage, amount);
    });
    return button;
  });
  const erase = el(
    'button',
    { type: 'button', class: 'btn btn-small btn-danger', 'data-action': 'erase' },
    'Erase',
  );
  erase.addEventListener('click', async () => {
    if (await confirmErase(name)) await act.erase(name);
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
  onSubmitText(noteForm, noteText, 'Write the note first.', report, (text) =>
    act.addNote(text, () => {
      // A live update may have re-rendered the panel meanwhile, carrying the text over: clear that copy too.
      for (const field of [noteText, document.getElementById('note-text')])
        if (field instanceof HTMLTextAreaElement) field.value = '';
    }),
  );
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
