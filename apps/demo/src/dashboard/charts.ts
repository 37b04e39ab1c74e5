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
    'aria-label': 'Funnel',
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
    'aria-label': 'Contacts by channel',
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
