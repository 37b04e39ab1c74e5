// The leads table and its controls: filters and sort apply at once over what the page holds, then over
// every contact through the collector; rows open the contact panel; Export CSV writes what the table shows.
import type { Stage } from '@leadlight/scoring-core';
import type { ContactListItem } from '@leadlight/scoring-core/wire';
import { formatCount } from '../format.js';
import type { DashboardContext } from './dashboardContext.js';
import { el } from './element.js';
import { focusedKey, restoreFocus } from './focusKey.js';
import type { LeadDetail } from './leadDetail.js';
import {
  filterLeads,
  leadQueryOf,
  leadsCsv,
  ownerNames,
  type SortKey,
  sortLeads,
  UNASSIGNED,
} from './leadFilters.js';
import { leadsTable } from './leadsTable.js';
import { ruleLabels } from './ruleLabels.js';
import { stageOptions } from './stageBadge.js';

/** The table's matches among every contact (`list` undefined: the defaults, the page's own contacts). */
export type Matches = { list: ContactListItem[] | undefined };

/** The leads table. */
export interface LeadList {
  /** Renders the table from the state. */
  render(): void;
  /**
   * Asks the collector for the table's matches among every contact; undefined when a newer question
   * overtook this one. The page's own filter and order still apply to the answer, so it reads the same at
   * any size.
   */
  askMatches(): Promise<Matches | undefined>;
}

/** Mounts the table in `#leads`, its filters in `#lead-filters` and `#export`; rows open `detail`. */
export function mountLeadList(ctx: DashboardContext, detail: LeadDetail): LeadList {
  const { api, state, byId, notify, guarded } = ctx;
  let matchesAsked = 0;
  let matchTimer: ReturnType<typeof setTimeout> | undefined;

  async function askMatches(): Promise<Matches | undefined> {
    const asked = ++matchesAsked;
    const query = leadQueryOf(state.filter, state.sort);
    const { sort = '-score', ...filters } = query;
    const list =
      sort === '-score' && Object.keys(filters).length === 0
        ? undefined
        : await api.allLeads(1000, 500, query);
    return asked === matchesAsked ? { list } : undefined;
  }

  /** Shows the new filter or sort at once over what the page holds, then the collector's answer for it. */
  function changed() {
    render();
    clearTimeout(matchTimer);
    // Typing sends one question per pause, not one per key.
    matchTimer = setTimeout(
      () =>
        void guarded(async () => {
          const matches = await askMatches();
          if (!matches) return;
          state.matches = matches.list;
          render();
        }),
      200,
    );
  }

  function render() {
    const all = state.matches ?? state.contacts;
    const shown = sortLeads(filterLeads(all, state.filter), state.sort);
    byId('leads-count').textContent = `${shown.length} of ${state.contacts.length}`;
    renderOwnerFilter();
    const focusKey = focusedKey(byId('leads'));
    byId('leads').replaceChildren(
      leadsTable(shown, {
        now: Date.now(),
        selected: state.selected,
        sort: state.sort,
        labels: ruleLabels(state.model),
        empty: state.contacts.length
          ? 'No contact matches these filters.'
          : 'No contacts yet — press “Simulate traffic” or browse the site.',
        onSelect: (id) => {
          state.opener = document.activeElement instanceof HTMLElement ? document.activeElement : undefined;
          void guarded(() => detail.open(id, { focus: true }));
        },
        onSort: (key) => setSort(key),
      }),
    );
    restoreFocus(byId('leads'), focusKey);
  }

  function setSort(key: SortKey) {
    const same = state.sort.key === key;
    // Numbers start high-to-low, words A-to-Z; a second press flips it.
    const first = key === 'name' || key === 'owner' ? 'asc' : 'desc';
    state.sort = { key, dir: same ? (state.sort.dir === 'asc' ? 'desc' : 'asc') : first };
    changed();
  }

  function renderOwnerFilter() {
    const select = byId<HTMLSelectElement>('owner-filter');
    const current = state.filter.owner;
    select.replaceChildren(
      el('option', { value: '' }, 'Anyone'),
      el('option', { value: UNASSIGNED, selected: current === UNASSIGNED }, 'Unassigned'),
      ...ownerNames(state.contacts, state.me).map((name) =>
        el('option', { value: name, selected: name === current }, name),
      ),
    );
  }

  /** Downloads the filtered, sorted leads as CSV, read fresh through the secret API a page at a time. */
  async function exportCsv(button: HTMLButtonElement) {
    button.disabled = true;
    notify('Exporting…', 'info');
    try {
      // The collector finds the matches among every contact; the table's own filter and order then apply to
      // them, so the file holds what the table shows (the table itself holds the first 1,000 contacts).
      const matches = await api.allLeads(100_000, 500, leadQueryOf(state.filter, state.sort));
      const rows = sortLeads(filterLeads(matches, state.filter), state.sort);
      const name = `leads-${new Date().toISOString().slice(0, 10)}.csv`;
      const url = URL.createObjectURL(new Blob([leadsCsv(rows)], { type: 'text/csv;charset=utf-8' }));
      const link = el('a', { href: url, download: name, hidden: true });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      notify(`Exported ${formatCount(rows.length, 'contact')} to ${name}.`, 'info');
    } catch (error) {
      notify(`Export failed: ${(error as Error).message}`, 'error');
    } finally {
      button.disabled = false;
    }
  }

  // Filters apply as you type, over what the page holds, then over every contact through the collector.
  byId<HTMLSelectElement>('stage-filter').replaceChildren(...stageOptions(''));
  const readFilters = () => {
    const score = (id: string) => {
      const value = byId<HTMLInputElement>(id).value;
      return value === '' || !Number.isFinite(Number(value)) ? undefined : Number(value);
    };
    const min = score('min-score');
    const max = score('max-score');
    state.filter = {
      query: byId<HTMLInputElement>('lead-search').value,
      stage: byId<HTMLSelectElement>('stage-filter').value as Stage | '',
      owner: byId<HTMLSelectElement>('owner-filter').value,
      ...(min !== undefined ? { minScore: min } : {}),
      ...(max !== undefined ? { maxScore: max } : {}),
    };
    changed();
  };
  const filters = byId<HTMLFormElement>('lead-filters');
  filters.addEventListener('input', readFilters);
  filters.addEventListener('submit', (event) => event.preventDefault());
  filters.addEventListener('reset', () =>
    // After the reset itself: selects built with a chosen option would otherwise return to that one.
    setTimeout(() => {
      byId<HTMLSelectElement>('owner-filter').value = '';
      byId<HTMLSelectElement>('stage-filter').value = '';
      readFilters();
    }),
  );
  byId('export').addEventListener(
    'click',
    (event) => void exportCsv(event.currentTarget as HTMLButtonElement),
  );

  return { render, askMatches };
}
