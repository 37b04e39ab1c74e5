// The model review's charts, hand-drawn in SVG like the others: lift per rule with its interval, and the
// score distribution of leads that reached the outcome and those that did not. Each has a text alternative.
import type { ScoreBucket } from '@leadlight/scoring-core/wire';
import { formatPercent } from '../format.js';
import { svg } from './element.js';

/** One rule's lift as the chart draws it. */
export interface LiftRow {
  id: string;
  label: string;
  lift: number | null;
  interval: [number, number] | null;
  lowConfidence: boolean;
}

/** Lifts are drawn on a log scale from 1/8 to 8 (halving and doubling look alike); beyond it they clip. */
const LOG_LIMIT = 3;

function liftText(row: LiftRow): string {
  if (row.lift === null) return `${row.label}: no lift (never or always fired)`;
  const interval = row.interval ? ` (95 % ${row.interval[0].toFixed(2)}–${row.interval[1].toFixed(2)})` : '';
  return `${row.label}: lift ${row.lift.toFixed(2)}${interval}${row.lowConfidence ? ', low confidence' : ''}`;
}

/**
 * Horizontal bars from 1 (no effect) to each rule's lift, with a whisker over its 95 % interval. A rule
 * with too few contacts to trust is drawn hatched and marked "low confidence" in words, not colour alone.
 */
export function liftChart(rows: LiftRow[], width = 720): SVGElement {
  const rowH = 30;
  const labelW = 250;
  const noteW = 150;
  const plotW = width - labelW - noteW;
  const height = rows.length * rowH + 26;
  const x = (value: number) => {
    const log = Math.max(-LOG_LIMIT, Math.min(LOG_LIMIT, Math.log2(Math.max(value, 1e-6))));
    return labelW + ((log + LOG_LIMIT) / (2 * LOG_LIMIT)) * plotW;
  };
  const root = svg('svg', {
    viewBox: `0 0 ${width} ${height}`,
    class: 'chart lift-chart',
    role: 'img',
    'aria-label': `Lift per rule (rate of the outcome with the rule ÷ without it; 1 is no effect): ${rows.map(liftText).join('; ')}`,
  });
  const one = x(1);
  rows.forEach((row, i) => {
    const y = i * rowH;
    root.append(svg('text', { x: 0, y: y + 19, class: 'chart-label' }, row.label));
    if (row.lift !== null) {
      const end = x(row.lift);
      root.append(
        svg('rect', {
          x: Math.min(one, end),
          y: y + 8,
          width: Math.max(2, Math.abs(end - one)),
          height: 14,
          rx: 3,
          class: `lift-bar ${row.lift >= 1 ? 'lift-up' : 'lift-down'}${row.lowConfidence ? ' lift-unsure' : ''}`,
        }),
      );
    }
    if (row.interval) {
      const [lo, hi] = row.interval.map(x) as [number, number];
      root.append(
        svg('line', { x1: lo, x2: hi, y1: y + 15, y2: y + 15, class: 'lift-whisker' }),
        svg('line', { x1: lo, x2: lo, y1: y + 10, y2: y + 20, class: 'lift-whisker' }),
        svg('line', { x1: hi, x2: hi, y1: y + 10, y2: y + 20, class: 'lift-whisker' }),
      );
    }
    root.append(
      svg(
        'text',
        { x: labelW + plotW + 10, y: y + 19, class: row.lowConfidence ? 'chart-note' : 'chart-value' },
        row.lift === null ? '—' : `×${row.lift.toFixed(2)}${row.lowConfidence ? ' low confidence' : ''}`,
      ),
    );
  });
  const axisY = rows.length * rowH + 4;
  root.append(
    svg('line', { x1: one, x2: one, y1: 0, y2: axisY, class: 'axis' }),
    ...[0.125, 0.25, 0.5, 1, 2, 4, 8].map((tick) =>
      svg(
        'text',
        { x: x(tick), y: axisY + 16, class: 'chart-note', 'text-anchor': 'middle' },
        tick < 1 ? `1/${1 / tick}` : `×${tick}`,
      ),
    ),
  );
  return root;
}

/**
 * Two histograms over the same score buckets, one above the other: the share of leads that reached the
 * outcome in each bucket, and the share of the others. Shares, not counts, so the smaller group reads too.
 */
export function scoreHistogram(buckets: ScoreBucket[], outcome: string, width = 560): SVGElement {
  const rowH = 90;
  const labelW = 110;
  const tickH = 20;
  const plotW = width - labelW;
  const step = plotW / Math.max(1, buckets.length);
  const series = [
    { name: `Reached ${outcome}`, counts: buckets.map((b) => b.positives), cls: 'hist-won' },
    { name: 'Did not', counts: buckets.map((b) => b.negatives), cls: 'hist-lost' },
  ];
  const shares = series.map((s) => {
    const total = s.counts.reduce((a, b) => a + b, 0);
    return s.counts.map((c) => (total === 0 ? 0 : c / total));
  });
  const max = Math.max(0.01, ...shares.flat());
  const range = (b: ScoreBucket) => `${b.from} to ${b.to}`;
  const root = svg('svg', {
    viewBox: `0 0 ${width} ${series.length * rowH + tickH}`,
    class: 'chart score-histogram',
    role: 'img',
    'aria-label': `Score at the cutoff, share of each group per score range: ${series
      .map(
        (s, k) =>
          `${s.name}: ${buckets.map((b, i) => `${range(b)} ${formatPercent(shares[k]?.[i] ?? 0)} (${s.counts[i]})`).join(', ')}`,
      )
      .join('. ')}`,
  });
  series.forEach((s, k) => {
    const y = k * rowH;
    const total = s.counts.reduce((a, b) => a + b, 0);
    root.append(
      svg('text', { x: 0, y: y + rowH / 2 - 4, class: 'chart-label' }, s.name),
      svg('text', { x: 0, y: y + rowH / 2 + 12, class: 'chart-note' }, `${total} leads`),
      svg('line', { x1: labelW, x2: width, y1: y + rowH - 6, y2: y + rowH - 6, class: 'axis' }),
    );
    buckets.forEach((bucket, i) => {
      const share = shares[k]?.[i] ?? 0;
      const h = share === 0 ? 0 : Math.max(2, (share / max) * (rowH - 14));
      root.append(
        svg(
          'rect',
          {
            x: labelW + i * step + step * 0.1,
            y: y + rowH - 6 - h,
            width: step * 0.8,
            height: h,
            rx: 2,
            class: `column ${s.cls}`,
          },
          svg('title', {}, `${s.name}, score ${range(bucket)}: ${s.counts[i]} (${formatPercent(share)})`),
        ),
      );
    });
  });
  buckets.forEach((bucket, i) => {
    if (buckets.length <= 8 || i % 2 === 0)
      root.append(
        svg(
          'text',
          {
            x: labelW + i * step,
            y: series.length * rowH + 12,
            class: 'chart-note',
            'text-anchor': 'middle',
          },
          String(bucket.from),
        ),
      );
  });
  return root;
}
