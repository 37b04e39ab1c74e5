// The Leadlight dashboard: sign in with the secret key and a display name (the key is exchanged for an
// HttpOnly cookie), then leads, funnel, channels and stages over a date range, live updates, notes, owners,
// sales actions, CSV export, the model editor and the traffic simulator.
import { type ScoringModel, STAGES, type Stage } from '@leadlight/scoring-core';
import type { ContactListItem, FunnelAnswer } from '@leadlight/scoring-core/wire';
import { DemoError } from '../demoError.js';
import { formatCount, formatDuration, formatMoney, formatPercent } from '../format.js';
import { httpTransport } from '../simulator/httpTransport.js';
import { planTraffic, runTraffic } from '../simulator/traffic.js';
import { mountAccountsView } from './accountsView.js';
import { DashboardApi } from './api.js';
import { barChart, funnelBars, funnelChart, STAGE_LABELS, smallMultiples } from './charts.js';
import { contactDetail } from './contactDetail.js';
import { el } from './element.js';
import { CHANNEL_GROUPS, groupChannel } from './groupChannel.js';
import {
  filterLeads,
  type LeadFilter,
  type LeadSort,
  leadQueryOf,
  leadsCsv,
  type SortKey,
  sortLeads,
  UNASSIGNED,
} from './leadFilters.js';
import { leadsTable } from './leadsTable.js';
import { mountModelEditor } from './modelEditor.js';
import { mountModelReview } from './reviewView.js';
import { ruleLabels } from './ruleLabels.js';
import { salesActions } from './salesActions.js';
import { stageOptions } from './stageBadge.js';
import { bucketStart, stagesOverTime, TIMED_STAGES, type TimeUnit } from './stagesOverTime.js';

const api = new DashboardApi();
const siteKey =
  document.querySelector<HTMLMetaElement>('meta[name="leadlight-site-key"]')?.content ?? 'pk_demo';
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const DAY = 86_400_000;

const state = {
  me: '',
  selected: undefined as string | undefined,
  /** What opened the contact panel, to give focus back when it closes. */
  opener: undefined as HTMLElement | undefined,
  detailStatus: { id: '', text: '' },
  stream: undefined as EventSource | undefined,
  /** The first 1,000 contacts by score: the time chart, owner names, and the table while nothing is asked. */
  contacts: [] as ContactListItem[],
  /** The collector's first 1,000 matches of the table's filter and sort, when they are not the defaults. */
  matches: undefined as ContactListItem[] | undefined,
  model: undefined as ScoringModel | undefined,
  filter: { query: '', stage: '', owner: '' } as LeadFilter,
  sort: { key: 'score', dir: 'desc' } as LeadSort,
  preset: '30' as string,
  unit: 'day' as TimeUnit,
};

/**
 * Shows a line under the top bar. `error` lines set by a refresh are cleared by the next good refresh;
 * confirmations of what someone did, and errors of what they did, stay until the next action.
 */
function notify(text: string, kind: 'info' | 'error', source: 'action' | 'refresh' = 'action') {
  const banner = $('banner');
  banner.textContent = text;
  banner.dataset.kind = kind;
  banner.dataset.source = source;
}

function showLogin(message = '') {
  state.stream?.close();
  $('shell').hidden = true;
  $('login').hidden = false;
  $('login-error').textContent = message;
  const name = $<HTMLInputElement>('display-name');
  (name.value ? $<HTMLInputElement>('secret') : name).focus();
}

async function showShell(name: string | null) {
  state.me = name ?? '';
  $('me').textContent = name ? `Signed in as ${name}` : '';
  $('login').hidden = true;
  $('shell').hidden = false;
  connectStream();
  void guarded(async () => {
    const { retentionDays } = await api.privacy();
    $('retention').textContent =
      retentionDays === null ? 'Events are kept until erased' : `Events are kept ${retentionDays} days`;
  });
  await refresh();
}

/** Runs a call; a 401 anywhere sends the user back to the login form. */
async function guarded<T>(
  work: () => Promise<T>,
  source: 'action' | 'refresh' = 'action',
): Promise<T | undefined> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DemoError && error.code === 'unauthorized')
      showLogin('Your session ended. Sign in again.');
    else notify((error as Error).message, 'error', source);
    return undefined;
  }
}

/** The date range of the funnel, channels and time chart: [from, to) in ms; `from` undefined for all time. */
function currentRange(now = Date.now()): { from?: number; to: number } {
  const to = bucketStart(now, 'day') + DAY;
  if (state.preset === 'all') return { to };
  if (state.preset === 'custom') {
    const from = $<HTMLInputElement>('range-from').valueAsDate;
    const until = $<HTMLInputElement>('range-to').valueAsDate;
    // Date inputs answer UTC midnight; the range is the viewer's local days.
    const local = (d: Date) => new Date(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()).getTime();
    return {
      ...(from ? { from: local(from) } : {}),
      to: until ? local(until) + DAY : to,
    };
  }
  const days = Number(state.preset);
  const start = new Date(to);
  start.setDate(start.getDate() - days);
  return { from: start.getTime(), to };
}

let refreshing: Promise<void> | undefined;
let again = false;
/** Reloads funnel, leads, the model and the open contact; calls that arrive mid-refresh coalesce into one more. */
function refresh(): Promise<void> {
  if (refreshing) {
    again = true;
    return refreshing;
  }
  refreshing = (async () => {
    do {
      again = false;
      await guarded(async () => {
        const banner = $('banner');
        if (banner.dataset.kind === 'error' && banner.dataset.source === 'refresh') notify('', 'info');
        const range = currentRange();
        const [funnel, contacts, matches, model] = await Promise.all([
          api.funnel(range),
          api.allLeads(1000),
          askMatches(),
          api.model(siteKey).catch(() => state.model),
        ]);
        state.contacts = contacts;
        if (matches) state.matches = matches.list;
        state.model = model;
        renderKpis(funnel);
        renderBots(funnel);
        $('funnel').replaceChildren(funnelChart(funnelBars(funnel.reached, STAGES)));
        renderChannels(funnel);
        renderTime(contacts, range);
        renderLeads();
        if (state.selected) await openContact(state.selected);
        document.body.dataset.refreshedAt = String(Date.now());
      }, 'refresh');
    } while (again);
  })().finally(() => {
    refreshing = undefined;
  });
  return refreshing;
}

function renderKpis(funnel: FunnelAnswer) {
  const kpi = (label: string, value: string, key: string) =>
    el(
      'div',
      { class: 'kpi', 'data-kpi': key },
      el('span', { class: 'kpi-label' }, label),
      el('strong', {}, value),
    );
  $('kpis').replaceChildren(
    kpi('Contacts', String(funnel.contacts), 'contacts'),
    kpi('Reached MQL', String(funnel.reached.mql), 'mql'),
    kpi('New MQAs (accounts)', String(funnel.mqas), 'mqas'),
    kpi('MQL → SQL', formatPercent(funnel.mqlToSqlRate), 'mql-sql'),
    kpi('SQL → customer', formatPercent(funnel.sqlToCustomerRate), 'sql-customer'),
    kpi('Mean time MQL → customer', formatDuration(funnel.meanMqlToCustomerMs), 'time-to-customer'),
    kpi('Revenue per MQL', formatMoney(funnel.meanRevenuePerMql), 'revenue-per-mql'),
  );
}

/** What the collector ignored as automated: how many events and visitors, why, and how to change it. */
function renderBots(funnel: FunnelAnswer) {
  const count = funnel.botEvents;
  const visitors = funnel.botVisitors;
  $('bots').dataset.count = String(count);
  $('bots').replaceChildren(
    el(
      'h2',
      { id: 'bots-title' },
      count === 0
        ? 'No automated traffic ignored'
        : `${formatCount(count, 'event')}${visitors ? ` from ${formatCount(visitors, 'visitor')}` : ''} ignored as automated`,
    ),
    el(
      'p',
      {},
      'Events from crawlers, HTTP libraries and automated or headless browsers (Googlebot, curl, HeadlessChrome, a browser that reports navigator.webdriver) are stored flagged, never scored and never counted in the funnel, because this site’s config says ',
      el('code', {}, '"bots": "ignore"'),
      ' (the default). A visitor is one browser (anonymous id), counted once however often it comes back. Counted since the start, whatever the date range.',
    ),
    el(
      'p',
      { class: 'sub' },
      'To score them like anyone (tests, demos driven by a headless browser), set ',
      el('code', {}, '"bots": "score"'),
      ' for this site in the collector’s config and restart it.',
    ),
  );
}

/** Contacts and MQLs per first-touch channel group (the collector keeps each contact's first touch). */
function renderChannels(funnel: FunnelAnswer) {
  const rows = CHANNEL_GROUPS.map((label) => {
    const members = funnel.byChannel.filter((c) => groupChannel(c.channel) === label);
    return {
      label,
      total: members.reduce((n, c) => n + c.contacts, 0),
      qualified: members.reduce((n, c) => n + c.reached.mql, 0),
    };
  });
  $('channels').replaceChildren(barChart(rows));
}

/** MQLs, SQLs and customers per day or week of the range, as small multiples with a table beside them. */
function renderTime(contacts: ContactListItem[], range: { from?: number; to: number }) {
  const earliest = Math.min(
    ...contacts.flatMap((c) => Object.values(c.reached).filter((v): v is number => typeof v === 'number')),
    range.to - 30 * DAY,
  );
  const span = { from: range.from ?? bucketStart(earliest, state.unit), to: range.to };
  const buckets = stagesOverTime(contacts, span, state.unit);
  const dayFormat = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric' });
  const name = (start: number) =>
    state.unit === 'week' ? `Week of ${dayFormat.format(start)}` : dayFormat.format(start);
  const every = Math.max(1, Math.ceil(buckets.length / 8));
  const series = TIMED_STAGES.map((stage) => ({
    name: STAGE_LABELS[stage],
    columns: buckets.map((b, i) => ({
      tick: i % every === 0 ? dayFormat.format(b.start) : '',
      name: name(b.start),
      value: b[stage],
    })),
  }));
  const totals = series.map((s) => `${s.name} ${s.columns.reduce((n, c) => n + c.value, 0)}`).join(', ');
  const label = `${totals} per ${state.unit}, ${dayFormat.format(span.from)} to ${dayFormat.format(span.to - 1)}`;
  const shown = buckets.filter((b) => b.mql + b.sql + b.customer > 0);
  // A live update re-renders the chart: a table someone opened stays open.
  const open = $('time-chart').querySelector('details')?.open ?? false;
  $('time-chart').replaceChildren(
    smallMultiples(series, { label }),
    el(
      'details',
      { class: 'chart-table', open },
      el('summary', {}, 'Show as a table'),
      el(
        'table',
        { class: 'data-table' },
        el('caption', { class: 'sr-only' }, label),
        el(
          'thead',
          {},
          el(
            'tr',
            {},
            el('th', { scope: 'col' }, state.unit === 'week' ? 'Week of' : 'Day'),
            ...TIMED_STAGES.map((s) => el('th', { scope: 'col', class: 'num' }, STAGE_LABELS[s])),
          ),
        ),
        el(
          'tbody',
          {},
          ...(shown.length
            ? shown.map((b) =>
                el(
                  'tr',
                  { 'data-bucket': b.start },
                  el('th', { scope: 'row' }, dayFormat.format(b.start)),
                  ...TIMED_STAGES.map((s) => el('td', { class: 'num' }, String(b[s]))),
                ),
              )
            : [
                el('tr', {}, el('td', { colspan: 4 }, 'Nothing reached MQL, SQL or customer in this range.')),
              ]),
        ),
      ),
    ),
  );
}

let matchesAsked = 0;
/**
 * Asks the collector for the table's matches among every contact; undefined when a newer question overtook
 * this one. The page's own filter and order still apply to the answer, so it reads the same at any size.
 */
async function askMatches(): Promise<{ list: ContactListItem[] | undefined } | undefined> {
  const asked = ++matchesAsked;
  const query = leadQueryOf(state.filter, state.sort);
  const { sort = '-score', ...filters } = query;
  const list =
    sort === '-score' && Object.keys(filters).length === 0 ? undefined : await api.allLeads(1000, 500, query);
  return asked === matchesAsked ? { list } : undefined;
}

let matchTimer: ReturnType<typeof setTimeout> | undefined;
/** Shows the new filter or sort at once over what the page holds, then the collector's answer for it. */
function leadsChanged() {
  renderLeads();
  clearTimeout(matchTimer);
  // Typing sends one question per pause, not one per key.
  matchTimer = setTimeout(
    () =>
      void guarded(async () => {
        const matches = await askMatches();
        if (!matches) return;
        state.matches = matches.list;
        renderLeads();
      }),
    200,
  );
}

function renderLeads() {
  const all = state.matches ?? state.contacts;
  const shown = sortLeads(filterLeads(all, state.filter), state.sort);
  $('leads-count').textContent = `${shown.length} of ${state.contacts.length}`;
  renderOwnerFilter();
  const focusKey = focusedKey($('leads'));
  $('leads').replaceChildren(
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
        void guarded(() => openContact(id, { focus: true }));
      },
      onSort: (key) => setSort(key),
    }),
  );
  restoreFocus($('leads'), focusKey);
}

function setSort(key: SortKey) {
  const same = state.sort.key === key;
  // Numbers start high-to-low, words A-to-Z; a second press flips it.
  const first = key === 'name' || key === 'owner' ? 'asc' : 'desc';
  state.sort = { key, dir: same ? (state.sort.dir === 'asc' ? 'desc' : 'asc') : first };
  leadsChanged();
}

/** Owners in use (plus the signed-in person), for the filter and the panel's suggestions. */
function ownerNames(): string[] {
  const names = new Set(state.contacts.map((c) => c.owner).filter((o): o is string => Boolean(o)));
  if (state.me) names.add(state.me);
  return [...names].sort((a, b) => a.localeCompare(b));
}

function renderOwnerFilter() {
  const select = $<HTMLSelectElement>('owner-filter');
  const current = state.filter.owner;
  select.replaceChildren(
    el('option', { value: '' }, 'Anyone'),
    el('option', { value: UNASSIGNED, selected: current === UNASSIGNED }, 'Unassigned'),
    ...ownerNames().map((name) => el('option', { value: name, selected: name === current }, name)),
  );
}

/** The `data-focus` key of the focused element inside `root` (a re-render then puts focus back there). */
function focusedKey(root: HTMLElement): string | undefined {
  const active = document.activeElement as HTMLElement | null;
  return active && root.contains(active)
    ? (active.dataset.focus ?? active.dataset.keep ?? active.dataset.action)
    : undefined;
}

function restoreFocus(root: HTMLElement, key: string | undefined) {
  if (!key) return;
  const k = CSS.escape(key);
  root.querySelector<HTMLElement>(`[data-focus="${k}"], [data-keep="${k}"], [data-action="${k}"]`)?.focus();
}

async function openContact(id: string, options: { focus?: boolean } = {}) {
  const same = state.selected === id;
  state.selected = id;
  const [contact, events] = await Promise.all([api.lead(id), api.events(id)]);
  if (state.selected !== id) return;
  // Live updates re-render the open contact: what someone is typing (revenue, a note, an owner) survives it.
  const detail = $('detail');
  const kept = new Map<string, string>();
  if (same)
    for (const field of detail.querySelectorAll<HTMLInputElement>('[data-keep]'))
      kept.set(field.dataset.keep ?? '', field.value);
  const focusKey = same ? focusedKey(detail) : undefined;
  if (state.detailStatus.id !== id) state.detailStatus = { id, text: '' };
  detail.replaceChildren(
    contactDetail(contact, events, {
      me: state.me,
      owners: ownerNames(),
      labels: ruleLabels(state.model),
      status: state.detailStatus.text,
      report: (text) => {
        state.detailStatus = { id, text };
      },
      actions: (report) =>
        salesActions(api, id, {
          report,
          onChanged: () => void refresh(),
          onErased: (name) => {
            closeContact();
            notify(`${name} erased: their events, traits, notes and history are gone.`, 'info');
            void refresh();
          },
        }),
    }),
  );
  for (const [key, value] of kept) {
    const field = detail.querySelector<HTMLInputElement>(`[data-keep="${CSS.escape(key)}"]`);
    if (field && value !== '') field.value = value;
  }
  restoreFocus(detail, focusKey);
  $('detail-panel').hidden = false;
  if (options.focus) $('detail-title').focus();
  for (const row of document.querySelectorAll('tr[data-contact]'))
    row.classList.toggle('is-selected', row.getAttribute('data-contact') === id);
}

function closeContact() {
  state.selected = undefined;
  $('detail-panel').hidden = true;
  for (const row of document.querySelectorAll('tr.is-selected')) row.classList.remove('is-selected');
  const opener = state.opener?.isConnected
    ? state.opener
    : (document.querySelector<HTMLElement>(`[data-open]`) ?? undefined);
  opener?.focus();
  state.opener = undefined;
}

function connectStream() {
  state.stream?.close();
  // Same origin: EventSource sends the session cookie, so no key ever appears in the URL.
  const stream = new EventSource('/v1/stream');
  state.stream = stream;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const onChange = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void refresh(), 250);
  };
  stream.onmessage = onChange;
  for (const name of [
    'score',
    'stage',
    'note',
    'contact',
    'lead',
    'lead.mql',
    'lead.stage',
    'event',
    'model',
  ])
    stream.addEventListener(name, onChange);
  stream.onopen = () => {
    $('live').dataset.state = 'live';
    $('live').textContent = 'Live';
  };
  stream.onerror = () => {
    $('live').dataset.state = 'offline';
    $('live').textContent = 'Reconnecting…';
  };
}

async function simulate(button: HTMLButtonElement) {
  button.disabled = true;
  try {
    const visitors = planTraffic({ now: Date.now(), origin: location.origin, rounds: 1 });
    const transport = httpTransport({ baseUrl: '', siteKey });
    const report = await runTraffic(visitors, transport, (done, total) => {
      button.textContent = `Simulating… ${done}/${total}`;
    });
    // Sales actions find no contact when the collector took this browser for a bot (a headless one).
    const ignored = report.failures.some((f) => f.includes('no contact id'))
      ? ' The collector stored this browser’s events as automated traffic and scored none of them: see “ignored as automated” below.'
      : '';
    notify(
      report.failures.length
        ? `Simulation: ${report.failures.length} failure(s): ${report.failures[0]}.${ignored}`
        : `Simulated ${report.visitors} visitors, ${report.events} events, ${report.salesActions} sales actions.`,
      report.failures.length ? 'error' : 'info',
    );
  } catch (error) {
    notify(`Simulation failed: ${(error as Error).message}`, 'error');
  } finally {
    button.textContent = 'Simulate traffic';
    button.disabled = false;
  }
  await refresh();
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

/** Shows one view (`view-<tab>`); the model editor and the review load on the way in, unless told not to. */
function selectTab(tab: string, focus = false, load = true) {
  for (const b of document.querySelectorAll<HTMLElement>('[data-tab]')) {
    const active = b.dataset.tab === tab;
    $(`view-${b.dataset.tab}`).hidden = !active;
    b.classList.toggle('is-active', active);
    b.setAttribute('aria-selected', String(active));
    b.tabIndex = active ? 0 : -1;
    if (active && focus) b.focus();
  }
  if (load && tab === 'model') void guarded(() => editor.reload());
  if (load && tab === 'review') void guarded(() => review.load());
  if (load && tab === 'accounts') void guarded(() => accountsView.reload());
}

const accountsView = mountAccountsView(
  $('view-accounts'),
  api,
  () => state.model,
  (error) => notify((error as Error).message, 'error'),
);

const editor = mountModelEditor(
  $('view-model'),
  api,
  siteKey,
  () => Date.now(),
  (text) => notify(text, 'info'),
);

const review = mountModelReview($('view-review'), api, siteKey, {
  async applyToWhatIf(model) {
    selectTab('model', true, false);
    await guarded(() => editor.loadDraft(model));
    notify('The suggested points are in the model editor’s draft: the what-if shows their effect.', 'info');
  },
  confirm: (text) => notify(text, 'info'),
  now: () => Date.now(),
});

$<HTMLFormElement>('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const secret = $<HTMLInputElement>('secret');
  const name = $<HTMLInputElement>('display-name').value.trim();
  try {
    await api.login(secret.value.trim(), name);
    // The key is only needed once: the cookie carries the session from here on.
    secret.value = '';
    await showShell(name);
    notify(`Signed in as ${name}.`, 'info');
  } catch (error) {
    showLogin(
      error instanceof DemoError && error.code === 'unauthorized'
        ? 'That secret key is not valid for this collector.'
        : (error as Error).message,
    );
  }
});
$('logout').addEventListener('click', async () => {
  await api.logout().catch(() => undefined);
  showLogin('Logged out.');
});
$('simulate').addEventListener('click', (event) => void simulate(event.currentTarget as HTMLButtonElement));
$('export').addEventListener('click', (event) => void exportCsv(event.currentTarget as HTMLButtonElement));

// Tabs: click, or arrow keys between them (the ARIA tabs pattern).
const tabs = [...document.querySelectorAll<HTMLElement>('[data-tab]')];
for (const b of tabs) {
  b.addEventListener('click', () => selectTab(b.dataset.tab ?? 'overview'));
  b.addEventListener('keydown', (event) => {
    const i = tabs.indexOf(b);
    const to =
      event.key === 'ArrowRight'
        ? i + 1
        : event.key === 'ArrowLeft'
          ? i - 1
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? tabs.length - 1
              : undefined;
    if (to === undefined) return;
    event.preventDefault();
    const next = tabs[(to + tabs.length) % tabs.length] as HTMLElement;
    selectTab(next.dataset.tab ?? 'overview', true);
  });
}

// Filters apply as you type, over what the page holds, then over every contact through the collector.
$<HTMLSelectElement>('stage-filter').replaceChildren(...stageOptions(''));
const readFilters = () => {
  const score = (id: string) => {
    const value = $<HTMLInputElement>(id).value;
    return value === '' || !Number.isFinite(Number(value)) ? undefined : Number(value);
  };
  const min = score('min-score');
  const max = score('max-score');
  state.filter = {
    query: $<HTMLInputElement>('lead-search').value,
    stage: $<HTMLSelectElement>('stage-filter').value as Stage | '',
    owner: $<HTMLSelectElement>('owner-filter').value,
    ...(min !== undefined ? { minScore: min } : {}),
    ...(max !== undefined ? { maxScore: max } : {}),
  };
  leadsChanged();
};
const filters = $<HTMLFormElement>('lead-filters');
filters.addEventListener('input', readFilters);
filters.addEventListener('submit', (event) => event.preventDefault());
filters.addEventListener('reset', () =>
  // After the reset itself: selects built with a chosen option would otherwise return to that one.
  setTimeout(() => {
    $<HTMLSelectElement>('owner-filter').value = '';
    $<HTMLSelectElement>('stage-filter').value = '';
    readFilters();
  }),
);

// The date range reloads the funnel, channels and time chart.
const rangeForm = $<HTMLFormElement>('range-form');
rangeForm.addEventListener('submit', (event) => event.preventDefault());
rangeForm.addEventListener('change', () => {
  state.preset = $<HTMLSelectElement>('range-preset').value;
  state.unit = (rangeForm.querySelector<HTMLInputElement>('input[name=unit]:checked')?.value ??
    'day') as TimeUnit;
  for (const custom of rangeForm.querySelectorAll<HTMLElement>('[data-custom]'))
    custom.hidden = state.preset !== 'custom';
  if (state.preset === 'custom' && !$<HTMLInputElement>('range-from').value) {
    const range = currentRange();
    $<HTMLInputElement>('range-from').valueAsDate = new Date(Date.now() - 29 * DAY);
    $<HTMLInputElement>('range-to').valueAsDate = new Date(range.to - DAY);
  }
  void refresh();
});

$('close-detail').addEventListener('click', closeContact);
document.addEventListener('keydown', (event) => {
  // Escape closes the panel from inside it (or when focus fell to the page), unless a dialog (the erase
  // confirmation) is taking it.
  const panel = $('detail-panel');
  const active = document.activeElement;
  const here = panel.contains(active) || active === document.body || active === null;
  if (event.key === 'Escape' && !panel.hidden && here && !document.querySelector('dialog[open]')) {
    event.preventDefault();
    closeContact();
  }
});

// An existing session cookie skips the login form; asking costs no 401 in the console.
api.session().then(
  (session) => (session ? void showShell(session.name) : showLogin()),
  () => showLogin(),
);
