// The model review page's sections, built from one `GET /v1/model/review` answer: lift per rule, the score
// distribution with the threshold trade-off, the suggested points beside today's, and channels with costs.
import type { ModelReview, ReviewOutcome } from '@leadlight/scoring-core/wire';
import { formatMoney, formatPercent, formatPoints } from '../format.js';
import { el } from './element.js';
import { liftChart, scoreHistogram } from './reviewCharts.js';

const OUTCOME_NAMES: Record<ReviewOutcome, string> = {
  sql: 'SQL',
  opportunity: 'opportunity',
  customer: 'customer',
};

/** The outcome as the page names it ("SQL", "opportunity", "customer"). */
export function outcomeName(outcome: ReviewOutcome): string {
  return OUTCOME_NAMES[outcome];
}

function table(caption: string, head: string[], rows: (string | number | Node)[][], attrs = {}) {
  return el(
    'table',
    { class: 'data-table', ...attrs },
    el('caption', { class: 'sr-only' }, caption),
    el('thead', {}, el('tr', {}, ...head.map((h) => el('th', { scope: 'col' }, h)))),
    el(
      'tbody',
      {},
      ...rows.map((cells) =>
        el(
          'tr',
          {},
          ...cells.map((c, i) =>
            i === 0
              ? el('th', { scope: 'row' }, c)
              : el('td', { class: typeof c === 'number' ? 'num' : '' }, c),
          ),
        ),
      ),
    ),
  );
}

const ratio = (value: number | null) => (value === null ? '—' : value.toFixed(2));

/** Lift per rule: bars with intervals, and the counts behind them in a table. */
export function liftSection(review: ModelReview, labels: Map<string, string>): HTMLElement {
  const name = outcomeName(review.outcome);
  const rows = review.rules.map((r) => ({ ...r, label: labels.get(r.id) ?? r.label ?? r.id }));
  return el(
    'section',
    { class: 'card', 'aria-labelledby': 'lift-title' },
    el(
      'h2',
      { id: 'lift-title' },
      'Which rules predict it ',
      el('span', { class: 'sub' }, `lift on reaching ${name}`),
    ),
    el(
      'p',
      { class: 'sub' },
      `How much more often contacts a rule scored reached ${name} than those it did not score (×1: no difference), with the 95 % interval. Hatched bars rest on fewer than 5 contacts in a group: low confidence.`,
    ),
    el('figure', { class: 'lift-figure' }, liftChart(rows)),
    el(
      'details',
      { class: 'chart-table' },
      el('summary', {}, 'Show as a table'),
      table(
        'Lift per rule',
        [
          'Rule',
          'Points',
          'Scored',
          `Of those, ${name}`,
          'Rate with',
          'Rate without',
          'Lift',
          '95 % interval',
        ],
        rows.map((r) => [
          r.lowConfidence ? `${r.label} (low confidence)` : r.label,
          formatPoints(r.points),
          r.fired,
          r.firedPositives,
          formatPercent(r.rateWith),
          formatPercent(r.rateWithout),
          ratio(r.lift),
          r.interval ? `${r.interval[0].toFixed(2)}–${r.interval[1].toFixed(2)}` : '—',
        ]),
        { 'data-table': 'lifts' },
      ),
    ),
  );
}

/** The score distribution of won and lost leads, and what other MQL thresholds would select. */
export function distributionSection(review: ModelReview): HTMLElement {
  const name = outcomeName(review.outcome);
  const today = review.current.thresholds.total;
  return el(
    'section',
    { class: 'card', 'aria-labelledby': 'distribution-title' },
    el('h2', { id: 'distribution-title' }, 'Scores of won and lost leads'),
    el(
      'div',
      { class: 'grid-2' },
      el(
        'figure',
        {},
        scoreHistogram(review.distribution.buckets, name),
        el(
          'figcaption',
          { class: 'sub' },
          `Today's score when each contact reached ${name} (or now, for the others), in steps of ${review.distribution.width}.`,
        ),
      ),
      el(
        'div',
        {},
        el('h3', { id: 'tradeoff-title' }, 'Threshold trade-off'),
        table(
          'MQLs, precision and recall at each total threshold',
          ['Total from', 'MQLs', 'Precision', 'Recall'],
          review.tradeoff.map((row) => [
            row.total === today ? `${row.total} (today)` : String(row.total),
            row.mqls,
            formatPercent(row.precision),
            formatPercent(row.recall),
          ]),
          { 'data-table': 'tradeoff', 'aria-labelledby': 'tradeoff-title' },
        ),
        el('p', { class: 'sub' }, "Today's fit and engagement thresholds are kept; only the total moves."),
      ),
    ),
  );
}

/** Today's points beside the suggested ones, rule by rule, and the suggested threshold. */
export function suggestionTable(
  review: ModelReview,
  suggestion: NonNullable<ModelReview['suggestion']>,
  labels: Map<string, string>,
): HTMLElement {
  const suggested = new Map(
    [...suggestion.model.rules, ...suggestion.model.fit].map((r) => [r.id, r.points]),
  );
  const rows = review.rules.map((r) => {
    const next = suggested.get(r.id) ?? 0;
    const change = next - r.points;
    return [
      `${labels.get(r.id) ?? r.label ?? r.id}${r.kind === 'fit' ? ' (fit)' : ''}`,
      formatPoints(r.points),
      formatPoints(next),
      el(
        'span',
        { class: change > 0 ? 'pos' : change < 0 ? 'neg' : 'sub' },
        change === 0 ? '0' : formatPoints(change),
      ),
    ];
  });
  rows.push([
    'MQL threshold (total)',
    String(review.current.thresholds.total ?? '—'),
    String(suggestion.threshold),
    `selects ${suggestion.selects} (today ${suggestion.currentSelects})`,
  ]);
  return table("Today's points and the suggested ones", ['Rule', 'Today', 'Suggested', 'Change'], rows, {
    'data-table': 'suggestion',
  });
}

/** First-touch channels and campaigns: stages reached, revenue, and costs where the site gives its spend. */
export function channelsSection(review: ModelReview): HTMLElement {
  const money = (v: number | null | undefined) => (v === undefined ? '—' : formatMoney(v));
  const head = [
    'Contacts',
    'MQLs',
    'SQLs',
    'Customers',
    'Revenue',
    'Revenue / MQL',
    'Spend',
    'Cost / MQL',
    'Cost / SQL',
    'Cost / customer',
  ];
  const figures = (c: Omit<ModelReview['channels'][number], 'channel'>) => [
    c.contacts,
    c.mqls,
    c.sqls,
    c.customers,
    formatMoney(c.revenue),
    formatMoney(c.revenuePerMql),
    money(c.spend),
    money(c.costPerMql),
    money(c.costPerSql),
    money(c.costPerCustomer),
  ];
  return el(
    'section',
    { class: 'card', 'aria-labelledby': 'review-channels-title' },
    el(
      'h2',
      { id: 'review-channels-title' },
      'Channels and campaigns ',
      el('span', { class: 'sub' }, 'first touch, all time'),
    ),
    review.currency
      ? el('p', { class: 'sub' }, `Spend and costs in ${review.currency}, from the site's config.`)
      : el('p', { class: 'sub' }, "No spend in the site's config: costs are not shown."),
    el(
      'div',
      { class: 'table-scroll' },
      table(
        'Channels',
        ['Channel', ...head],
        review.channels.map((c) => [c.channel, ...figures(c)]),
        {
          'data-table': 'channels',
        },
      ),
    ),
    review.campaigns.length
      ? el(
          'div',
          { class: 'table-scroll' },
          table(
            'Campaigns',
            ['Campaign', ...head],
            review.campaigns.map((c) => [c.campaign, ...figures(c)]),
            {
              'data-table': 'campaigns',
            },
          ),
        )
      : null,
  );
}
