import type { Stage } from '@leadlight/scoring-core';
import { formatPercent } from '../format.js';
import { svg } from './element.js';

/** Stage labels as the funnel shows them. */
export const STAGE_LABELS: Record<Stage, string> = {
  visitor: 'Visitors',
  lead: 'Leads',
  mql: 'MQLs',
  sql: 'SQLs',
  opportunity: 'Opportunities',
  customer: 'Customers',
};

/** One bar of a chart. */
export interface Bar {
  label: string;
  value: number;
  /** Small text right of the value (e.g. the step conversion). */
  note?: string;
}

/** The funnel's bars: contacts that reached each stage, with the conversion from the previous step. */
export function funnelBars(reached: Record<Stage, number>, stages: readonly Stage[]): Bar[] {
  return stages.map((stage, i) => {
    const previous = i > 0 ? (reached[stages[i - 1] as Stage] ?? 0) : undefined;
    const value = reached[stage] ?? 0;
    const note =
      previous === undefined
        ? undefined
        : previous > 0
          ? `${formatPercent(value / previous)} of previous`
          : '—';
    return { label: STAGE_LABELS[stage], value, ...(note ? { note } : {}) };
  });
}

/**
 * A centered funnel: one band per stage, width proportional to its count (with a floor so small stages stay
 * readable), joined by trapezoids. Pure SVG, no library.
 */
export function funnelChart(bars: Bar[], width = 600): SVGElement {
  const rowH = 44;
  const gap = 10;
  const labelW = 150;
  const plotW = width - labelW - 150;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const height = bars.length * (rowH + gap);
  const root = svg('svg', {
    viewBox: `0 0 ${width} ${height}`,
    class: 'chart funnel-chart',
    role: 'img',
    'aria-label': `Funnel: ${bars.map((b) => `${b.label} ${b.value}${b.note ? ` (${b.note})` : ''}`).join(', ')}`,
  });
  const cx = labelW + plotW / 2;
  let prev: { x: number; w: number; y: number } | undefined;
  bars.forEach((bar, i) => {
    const w = Math.max(6, (bar.value / max) * plotW);
    const y = i * (rowH + gap);
    const x = cx - w / 2;
    if (prev) {
      root.append(
        svg('path', {
          d: `M${prev.x},${prev.y + rowH} L${prev.x + prev.w},${prev.y + rowH} L${x + w},${y} L${x},${y} Z`,
          class: 'funnel-join',
        }),
      );
    }
    root.append(
      svg('rect', { x, y, width: w, height: rowH, rx: 6, class: `funnel-band band-${i}` }),
      svg('text', { x: 0, y: y + rowH / 2 + 5, class: 'chart-label' }, bar.label),
      svg('text', { x: labelW + plotW + 12, y: y + rowH / 2 - 2, class: 'chart-value' }, String(bar.value)),
    );
    if (bar.note)
      root.append(
        svg('text', { x: labelW + plotW + 12, y: y + rowH / 2 + 14, class: 'chart-note' }, bar.note),
      );
    prev = { x, w, y };
  });
  return root;
}

/** A horizontal bar chart (the channel breakdown): bars stacked into "all contacts" and "MQL or later". */
export function barChart(
  rows: { label: string; total: number; qualified: number }[],
  width = 460,
): SVGElement {
  const rowH = 30;
  const labelW = 130;
  const plotW = width - labelW - 70;
  const max = Math.max(1, ...rows.map((r) => r.total));
  const root = svg('svg', {
    viewBox: `0 0 ${width} ${rows.length * rowH + 24}`,
    class: 'chart bar-chart',
    role: 'img',
    'aria-label': `Contacts by channel, of which reached MQL: ${rows.map((r) => `${r.label} ${r.total}, ${r.qualified} MQL`).join('; ')}`,
  });
  rows.forEach((row, i) => {
    const y = i * rowH;
    root.append(
      svg('text', { x: 0, y: y + 19, class: 'chart-label' }, row.label),
      svg('rect', { x: labelW, y: y + 6, width: plotW, height: 18, rx: 4, class: 'bar-track' }),
      svg('rect', {
        x: labelW,
        y: y + 6,
        width: Math.max(0, (row.total / max) * plotW),
        height: 18,
        rx: 4,
        class: 'bar-total',
      }),
      svg('rect', {
        x: labelW,
        y: y + 6,
        width: Math.max(0, (row.qualified / max) * plotW),
        height: 18,
        rx: 4,
        class: 'bar-qualified',
      }),
      svg(
        'text',
        { x: labelW + plotW + 10, y: y + 19, class: 'chart-value' },
        `${row.qualified}/${row.total}`,
      ),
    );
  });
  const legendY = rows.length * rowH + 16;
  root.append(
    svg('rect', { x: labelW, y: legendY - 9, width: 10, height: 10, rx: 2, class: 'bar-total' }),
    svg('text', { x: labelW + 14, y: legendY, class: 'chart-note' }, 'contacts'),
    svg('rect', { x: labelW + 80, y: legendY - 9, width: 10, height: 10, rx: 2, class: 'bar-qualified' }),
    svg('text', { x: labelW + 94, y: legendY, class: 'chart-note' }, 'reached MQL'),
  );
  return root;
}

/** One column of a column chart. */
export interface Column {
  /** Short text under the column (may be empty to skip a tick). */
  tick: string;
  /** The column's full name for the text alternative ("Mon, Nov 17"). */
  name: string;
  value: number;
}

/**
 * One row of small columns sharing a scale with its siblings: a series of a small-multiples chart. Each
 * column carries a `<title>` (its name and value) for pointer users; the chart's text alternative is the
 * table the caller puts beside it.
 */
function columnRow(columns: Column[], max: number, y: number, height: number, x0: number, plotW: number) {
  const step = plotW / Math.max(1, columns.length);
  const barW = Math.max(2, Math.min(28, step * 0.7));
  return columns.map((column, i) => {
    const h = column.value === 0 ? 0 : Math.max(2, (column.value / max) * height);
    return svg(
      'rect',
      {
        x: x0 + i * step + (step - barW) / 2,
        y: y + height - h,
        width: barW,
        height: h,
        rx: 2,
        class: 'column',
      },
      svg('title', {}, `${column.name}: ${column.value}`),
    );
  });
}

/**
 * Small multiples: one row of columns per series (MQLs, SQLs, customers) over the same buckets, each row
 * with its name and total, all on one scale so rows compare. Series are told apart by position and name,
 * never by colour alone.
 */
export function smallMultiples(
  series: { name: string; columns: Column[] }[],
  options: { label: string; width?: number },
): SVGElement {
  const width = options.width ?? 1100;
  const labelW = 130;
  const rowH = 50;
  const tickH = 18;
  const plotW = width - labelW - 8;
  const max = Math.max(1, ...series.flatMap((s) => s.columns.map((c) => c.value)));
  const root = svg('svg', {
    viewBox: `0 0 ${width} ${series.length * rowH + tickH}`,
    class: 'chart multiples-chart',
    role: 'img',
    'aria-label': options.label,
  });
  series.forEach((s, row) => {
    const y = row * rowH;
    const total = s.columns.reduce((n, c) => n + c.value, 0);
    root.append(
      svg('text', { x: 0, y: y + rowH / 2 - 2, class: 'chart-label' }, s.name),
      svg('text', { x: 0, y: y + rowH / 2 + 14, class: 'chart-note' }, `${total} in range`),
      svg('line', { x1: labelW, x2: width - 8, y1: y + rowH - 8, y2: y + rowH - 8, class: 'axis' }),
      ...columnRow(s.columns, max, y + 6, rowH - 14, labelW, plotW),
    );
  });
  const columns = series[0]?.columns ?? [];
  const step = plotW / Math.max(1, columns.length);
  columns.forEach((column, i) => {
    if (column.tick)
      root.append(
        svg(
          'text',
          {
            x: labelW + i * step + step / 2,
            y: series.length * rowH + 12,
            class: 'chart-note',
            'text-anchor': 'middle',
          },
          column.tick,
        ),
      );
  });
  return root;
}

/**
 * A column chart with a label under every column (the what-if's distribution of score changes); `accent`
 * marks one column (no change) apart by a pattern of its own class, not colour alone.
 */
export function columnChart(
  columns: Column[],
  options: { label: string; width?: number; accent?: number },
): SVGElement {
  const width = options.width ?? 560;
  const height = 150;
  const tickH = 34;
  const max = Math.max(1, ...columns.map((c) => c.value));
  const step = width / Math.max(1, columns.length);
  const root = svg('svg', {
    viewBox: `0 0 ${width} ${height + tickH}`,
    class: 'chart column-chart',
    role: 'img',
    'aria-label': options.label,
  });
  root.append(svg('line', { x1: 0, x2: width, y1: height, y2: height, class: 'axis' }));
  columns.forEach((column, i) => {
    const h = column.value === 0 ? 0 : Math.max(2, (column.value / max) * (height - 20));
    const x = i * step;
    root.append(
      svg(
        'rect',
        {
          x: x + step * 0.15,
          y: height - h,
          width: step * 0.7,
          height: h,
          rx: 3,
          class: i === options.accent ? 'column column-accent' : 'column',
        },
        svg('title', {}, `${column.name}: ${column.value}`),
      ),
      svg(
        'text',
        { x: x + step / 2, y: height - h - 5, class: 'chart-value', 'text-anchor': 'middle' },
        column.value ? String(column.value) : '',
      ),
      svg(
        'text',
        { x: x + step / 2, y: height + 14, class: 'chart-note', 'text-anchor': 'middle' },
        // Two lines ("up" / "5–10"), so neighbouring labels never run into each other.
        ...[column.tick.split(' ')[0] ?? '', column.tick.split(' ').slice(1).join(' ')]
          .filter(Boolean)
          .map((part, line) => svg('tspan', { x: x + step / 2, dy: line === 0 ? 0 : 13 }, part)),
      ),
    );
  });
  return root;
}
