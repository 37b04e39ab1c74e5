import { STAGES, type Stage, stageRank, type TrackedEvent } from '@leadlight/scoring-core';
import { displayName, formatAgo, formatDateTime, formatMoney, formatPoints, formatScore } from '../format.js';
import type { Contact, DashboardApi } from './api.js';
import { describeEvent } from './describeEvent.js';
import { el } from './element.js';
import { confirmErase } from './eraseDialog.js';
import { groupChannel } from './groupChannel.js';

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

/** The leads table: contacts by score, with the top reasons behind each score. */
export function leadsTable(
  contacts: Contact[],
  now: number,
  selected: string | undefined,
  onSelect: (id: string) => void,
): HTMLElement {
  const max = Math.max(1, ...contacts.map((c) => c.score.total));
  const rows = contacts.map((contact) => {
    const reasons = [...contact.score.breakdown]
      .filter((b) => b.points !== 0)
      .sort((a, b) => Math.abs(b.points) - Math.abs(a.points))
      .slice(0, 3)
      .map((b) =>
        el(
          'span',
          { class: `chip ${b.points < 0 ? 'chip-neg' : ''}` },
          `${b.rule} ${formatPoints(b.points)}`,
        ),
      );
    const company = [contact.traits.company, contact.traits.role]
      .filter((v) => typeof v === 'string')
      .join(' · ');
    const row = el(
      'tr',
      { 'data-contact': contact.id, class: contact.id === selected ? 'is-selected' : undefined, tabindex: 0 },
      el(
        'td',
        {},
        el('div', { class: 'who' }, displayName(contact.traits, contact.id)),
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
            { class: 'score-bar' },
            el('span', { style: `width:${Math.max(0, (contact.score.total / max) * 100)}%` }),
          ),
        ),
      ),
      el('td', { class: 'num' }, formatScore(contact.score.fit)),
      el('td', { class: 'num' }, formatScore(contact.score.engagement)),
      el('td', {}, ...reasons),
      el('td', { class: 'sub' }, contact.lastSeenAt ? formatAgo(contact.lastSeenAt, now) : ''),
    );
    row.addEventListener('click', () => onSelect(contact.id));
    row.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') onSelect(contact.id);
    });
    return row;
  });
  return el(
    'table',
    { class: 'leads' },
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        ...['Contact', 'Stage', 'Score', 'Fit', 'Engagement', 'Why', 'Last seen'].map((h) => el('th', {}, h)),
      ),
    ),
    el(
      'tbody',
      {},
      ...(rows.length
        ? rows
        : [
            el(
              'tr',
              {},
              el(
                'td',
                { colspan: 7, class: 'empty' },
                'No contacts yet — press “Simulate traffic” or browse the site.',
              ),
            ),
          ]),
    ),
  );
}

/** The detail panel: traits, score breakdown, stage history, sales actions and the event timeline. */
export function contactDetail(
  contact: Contact,
  events: TrackedEvent[],
  api: DashboardApi,
  onChanged: () => void,
  onErased: () => void = onChanged,
): HTMLElement {
  const t = contact.traits;
  const traitRows = ['email', 'company', 'role', 'companySize', 'industry', 'country']
    .filter((k) => t[k] !== undefined && t[k] !== '')
    .map((k) => el('div', { class: 'kv' }, el('span', {}, k), el('strong', {}, String(t[k]))));
  const breakdown = contact.score.breakdown.map((b) =>
    el(
      'tr',
      {},
      el('td', {}, b.rule),
      el('td', { class: 'sub' }, b.kind === 'fit' ? 'fit' : `engagement ×${b.count}`),
      el('td', { class: `num ${b.points < 0 ? 'neg' : 'pos'}` }, formatPoints(b.points)),
    ),
  );
  const status = el('p', { class: 'action-status', role: 'status' });
  const revenue = el('input', {
    type: 'number',
    min: 0,
    step: 100,
    placeholder: 'Revenue ($)',
    'aria-label': 'Revenue',
    class: 'revenue',
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
        status.textContent = 'Enter the deal revenue first.';
        revenue.focus();
        return;
      }
      status.textContent = 'Saving…';
      try {
        await api.setStage(contact.id, {
          stage,
          reason: stage === 'lead' ? 'Recycled from the dashboard' : `Marked ${stage} from the dashboard`,
          ...(stage === 'customer' ? { revenue: amount } : {}),
        });
        status.textContent = `Moved to ${stage.toUpperCase()}.`;
        onChanged();
      } catch (error) {
        status.textContent = (error as Error).message;
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
    if (!(await confirmErase(displayName(t, contact.id)))) return;
    status.textContent = 'Erasing…';
    try {
      await api.eraseLead(contact.id);
      onErased();
    } catch (error) {
      status.textContent = (error as Error).message;
    }
  });
  const history = (contact.stageHistory ?? []).map((h) =>
    el(
      'li',
      {},
      stageBadge(h.to),
      el(
        'span',
        { class: 'sub' },
        ` ${formatDateTime(h.at)} · ${h.by === 'system' ? 'automatic' : h.by}${h.reason ? ` · ${h.reason}` : ''}${h.revenue ? ` · ${formatMoney(h.revenue)}` : ''}`,
      ),
    ),
  );
  const timeline = [...events].reverse().map((event) => {
    const { label, detail } = describeEvent(event);
    return el(
      'li',
      { class: `ev ev-${event.type}` },
      el('time', { datetime: new Date(event.ts).toISOString() }, formatDateTime(event.ts)),
      el('strong', {}, label),
      el('span', {}, detail),
    );
  });
  return el(
    'div',
    { class: 'detail', 'data-contact': contact.id },
    el('div', { class: 'detail-head' }, el('h2', {}, displayName(t, contact.id)), stageBadge(contact.stage)),
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
    traitRows.length
      ? el('div', { class: 'traits' }, ...traitRows)
      : el('p', { class: 'sub' }, `Anonymous · ${contact.anonymousIds.length} device(s)`),
    el('h3', {}, 'Sales actions'),
    el('div', { class: 'actions' }, ...actions, revenue, erase),
    status,
    el('h3', {}, 'Why this score'),
    el('table', { class: 'breakdown' }, el('tbody', {}, ...breakdown)),
    history.length ? el('h3', {}, 'Stage history') : null,
    history.length ? el('ul', { class: 'history' }, ...history) : null,
    el('h3', {}, `Timeline · ${events.length} events`),
    el('ol', { class: 'timeline' }, ...timeline),
  );
}

/** The stage filter above the table. */
export function stageFilter(current: Stage | '', onChange: (stage: Stage | '') => void): HTMLElement {
  const select = el(
    'select',
    { 'aria-label': 'Stage', class: 'stage-filter' },
    el('option', { value: '' }, 'All stages'),
    ...STAGES.map((s) => el('option', { value: s, selected: s === current }, s.toUpperCase())),
  );
  select.addEventListener('change', () => onChange(select.value as Stage | ''));
  return select;
}
