// The Leadlight dashboard: log in with the secret key (exchanged for an HttpOnly cookie), then leads, funnel,
// channels, live updates, sales actions, the model editor and the traffic simulator.
import { STAGES, type Stage } from '@leadlight/scoring-core';
import { DemoError } from '../demoError.js';
import { formatDuration, formatMoney, formatPercent } from '../format.js';
import { httpTransport } from '../simulator/httpTransport.js';
import { planTraffic, runTraffic } from '../simulator/traffic.js';
import { type Contact, DashboardApi, type Funnel } from './api.js';
import { barChart, funnelBars, funnelChart } from './charts.js';
import { el } from './element.js';
import { CHANNEL_GROUPS, groupChannel } from './groupChannel.js';
import { contactDetail, leadsTable, stageFilter } from './leadsView.js';
import { mountModelEditor } from './modelEditor.js';

const api = new DashboardApi();
const siteKey =
  document.querySelector<HTMLMetaElement>('meta[name="leadlight-site-key"]')?.content ?? 'pk_demo';
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

const state = {
  stage: '' as Stage | '',
  selected: undefined as string | undefined,
  stream: undefined as EventSource | undefined,
};

/** Shows a line under the top bar: an error (cleared by the next good refresh) or a notice. */
function notify(text: string, kind: 'info' | 'error') {
  $('banner').textContent = text;
  $('banner').dataset.kind = kind;
}

function showLogin(message = '') {
  state.stream?.close();
  $('shell').hidden = true;
  $('login').hidden = false;
  $('login-error').textContent = message;
  $<HTMLInputElement>('secret').focus();
}

async function showShell() {
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
async function guarded<T>(work: () => Promise<T>): Promise<T | undefined> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DemoError && error.code === 'unauthorized')
      showLogin('Your session ended. Log in again.');
    else notify((error as Error).message, 'error');
    return undefined;
  }
}

let refreshing: Promise<void> | undefined;
let again = false;
/** Reloads funnel, leads and the open contact; calls that arrive mid-refresh coalesce into one more. */
function refresh(): Promise<void> {
  if (refreshing) {
    again = true;
    return refreshing;
  }
  refreshing = (async () => {
    do {
      again = false;
      await guarded(async () => {
        // A refresh that succeeds clears an earlier error, never a notice.
        if ($('banner').dataset.kind === 'error') notify('', 'info');
        const [funnel, contacts] = await Promise.all([api.funnel(), api.allLeads(500)]);
        renderKpis(funnel);
        $('funnel').replaceChildren(funnelChart(funnelBars(funnel.reached, STAGES)));
        renderChannels(funnel);
        renderLeads(contacts);
        if (state.selected) await openContact(state.selected);
        document.body.dataset.refreshedAt = String(Date.now());
      });
    } while (again);
  })().finally(() => {
    refreshing = undefined;
  });
  return refreshing;
}

function renderKpis(funnel: Funnel) {
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
    kpi('MQL → SQL', formatPercent(funnel.mqlToSqlRate), 'mql-sql'),
    kpi('SQL → customer', formatPercent(funnel.sqlToCustomerRate), 'sql-customer'),
    kpi('Mean time MQL → customer', formatDuration(funnel.meanMqlToCustomerMs), 'time-to-customer'),
    kpi('Revenue per MQL', formatMoney(funnel.meanRevenuePerMql), 'revenue-per-mql'),
  );
}

function renderLeads(contacts: Contact[]) {
  const shown = state.stage ? contacts.filter((c) => c.stage === state.stage) : contacts;
  shown.sort((a, b) => b.score.total - a.score.total);
  $('leads-count').textContent = `${shown.length} of ${contacts.length}`;
  $('leads').replaceChildren(leadsTable(shown, Date.now(), state.selected, (id) => void openContact(id)));
}

/** Contacts and MQLs per first-touch channel group (the collector keeps each contact's first touch). */
function renderChannels(funnel: Funnel) {
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

async function openContact(id: string) {
  const same = state.selected === id;
  state.selected = id;
  const [contact, events] = await Promise.all([api.lead(id), api.events(id)]);
  // Live updates re-render the open contact: what sales is typing (the deal revenue) must survive it.
  const typing = same ? $('detail').querySelector<HTMLInputElement>('input.revenue') : null;
  const typed = typing?.value ?? '';
  const focused = typing !== null && document.activeElement === typing;
  $('detail').replaceChildren(
    contactDetail(
      contact,
      events,
      api,
      () => void refresh(),
      () => {
        state.selected = undefined;
        $('detail-panel').hidden = true;
        notify('Contact erased: its events, traits and history are gone.', 'info');
        void refresh();
      },
    ),
  );
  const revenue = $('detail').querySelector<HTMLInputElement>('input.revenue');
  if (revenue && typed !== '') revenue.value = typed;
  if (revenue && focused) revenue.focus();
  $('detail-panel').hidden = false;
  for (const row of document.querySelectorAll('tr[data-contact]'))
    row.classList.toggle('is-selected', row.getAttribute('data-contact') === id);
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
  for (const name of ['score', 'stage', 'contact', 'lead', 'lead.mql', 'lead.stage', 'event', 'model'])
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
  const visitors = planTraffic({ now: Date.now(), origin: location.origin, rounds: 1 });
  const transport = httpTransport({ baseUrl: '', siteKey });
  const report = await runTraffic(visitors, transport, (done, total) => {
    button.textContent = `Simulating… ${done}/${total}`;
  });
  button.textContent = 'Simulate traffic';
  button.disabled = false;
  notify(
    report.failures.length
      ? `Simulation: ${report.failures.length} failure(s): ${report.failures[0]}`
      : `Simulated ${report.visitors} visitors, ${report.events} events, ${report.salesActions} sales actions.`,
    report.failures.length ? 'error' : 'info',
  );
  await refresh();
}

function selectTab(tab: 'overview' | 'model') {
  $('view-overview').hidden = tab !== 'overview';
  $('view-model').hidden = tab !== 'model';
  for (const b of document.querySelectorAll<HTMLElement>('[data-tab]'))
    b.classList.toggle('is-active', b.dataset.tab === tab);
  if (tab === 'model') void guarded(() => editor.reload());
}

const editor = mountModelEditor($('view-model'), api, siteKey, () => Date.now());

$<HTMLFormElement>('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const input = $<HTMLInputElement>('secret');
  try {
    await api.login(input.value.trim());
    // The key is only needed once: the cookie carries the session from here on.
    input.value = '';
    await showShell();
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
for (const b of document.querySelectorAll<HTMLElement>('[data-tab]'))
  b.addEventListener('click', () => selectTab(b.dataset.tab as 'overview' | 'model'));
$('stage-filter').replaceWith(
  Object.assign(
    stageFilter('', (stage) => {
      state.stage = stage;
      void refresh();
    }),
    { id: 'stage-filter' },
  ),
);
$('close-detail').addEventListener('click', () => {
  state.selected = undefined;
  $('detail-panel').hidden = true;
});

// An existing session cookie skips the login form.
api.funnel().then(
  () => void showShell(),
  () => showLogin(),
);
