// The overview: key figures, ignored bots, the funnel, channels and stages over time for the date range the
// toolbar picks, and the retention policy under the funnel.
import { STAGES } from '@leadlight/scoring-core';
import type { ContactListItem, FunnelAnswer } from '@leadlight/scoring-core/wire';
import { formatCount, formatDuration, formatMoney, formatPercent } from '../format.js';
import { barChart, funnelBars, funnelChart, STAGE_LABELS, smallMultiples } from './charts.js';
import type { DashboardContext } from './dashboardContext.js';
import { el } from './element.js';
import { CHANNEL_GROUPS, groupChannel } from './groupChannel.js';
import { bucketStart, stagesOverTime, TIMED_STAGES, type TimeUnit } from './stagesOverTime.js';

const DAY = 86_400_000;

/** A date range in ms: [from, to), `from` undefined for all time. */
export type OverviewRange = { from?: number; to: number };

/** The overview. */
export interface Overview {
  /** The range the toolbar picks, as of `now`. */
  currentRange(now?: number): OverviewRange;
  /** Renders the figures and charts of `funnel` and `contacts` over `range`. */
  render(funnel: FunnelAnswer, contacts: ContactListItem[], range: OverviewRange): void;
  /** States how long the collector keeps events. */
  showRetention(retentionDays: number | null): void;
}

/** Mounts the overview on the page's `#view-overview`; a new date range refreshes the dashboard. */
export function mountOverview(ctx: DashboardContext): Overview {
  const { state, byId } = ctx;

  /** The date range of the funnel, channels and time chart: [from, to) in ms; `from` undefined for all time. */
  function currentRange(now = Date.now()): OverviewRange {
    const to = bucketStart(now, 'day') + DAY;
    if (state.preset === 'all') return { to };
    if (state.preset === 'custom') {
      const from = byId<HTMLInputElement>('range-from').valueAsDate;
      const until = byId<HTMLInputElement>('range-to').valueAsDate;
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

  function renderKpis(funnel: FunnelAnswer) {
    const kpi = (label: string, value: string, key: string) =>
      el(
        'div',
        { class: 'kpi', 'data-kpi': key },
        el('span', { class: 'kpi-label' }, label),
        el('strong', {}, value),
      );
    byId('kpis').replaceChildren(
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
    byId('bots').dataset.count = String(count);
    byId('bots').replaceChildren(
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
    byId('channels').replaceChildren(barChart(rows));
  }

  /** MQLs, SQLs and customers per day or week of the range, as small multiples with a table beside them. */
  function renderTime(contacts: ContactListItem[], range: OverviewRange) {
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
    const open = byId('time-chart').querySelector('details')?.open ?? false;
    byId('time-chart').replaceChildren(
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
                  el(
                    'tr',
                    {},
                    el('td', { colspan: 4 }, 'Nothing reached MQL, SQL or customer in this range.'),
                  ),
                ]),
          ),
        ),
      ),
    );
  }

  // The date range reloads the funnel, channels and time chart.
  const rangeForm = byId<HTMLFormElement>('range-form');
  rangeForm.addEventListener('submit', (event) => event.preventDefault());
  rangeForm.addEventListener('change', () => {
    state.preset = byId<HTMLSelectElement>('range-preset').value;
    state.unit = (rangeForm.querySelector<HTMLInputElement>('input[name=unit]:checked')?.value ??
      'day') as TimeUnit;
    for (const custom of rangeForm.querySelectorAll<HTMLElement>('[data-custom]'))
      custom.hidden = state.preset !== 'custom';
    if (state.preset === 'custom' && !byId<HTMLInputElement>('range-from').value) {
      const range = currentRange();
      byId<HTMLInputElement>('range-from').valueAsDate = new Date(Date.now() - 29 * DAY);
      byId<HTMLInputElement>('range-to').valueAsDate = new Date(range.to - DAY);
    }
    void ctx.refresh();
  });

  return {
    currentRange,
    render(funnel, contacts, range) {
      renderKpis(funnel);
      renderBots(funnel);
      byId('funnel').replaceChildren(funnelChart(funnelBars(funnel.reached, STAGES)));
      renderChannels(funnel);
      renderTime(contacts, range);
    },
    showRetention(retentionDays) {
      byId('retention').textContent =
        retentionDays === null ? 'Events are kept until erased' : `Events are kept ${retentionDays} days`;
    },
  };
}
