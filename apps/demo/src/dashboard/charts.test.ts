// @vitest-environment jsdom
import { STAGES } from '@leadlight/scoring-core';
import { describe, expect, it } from 'vitest';
import { barChart, funnelBars, funnelChart } from './charts.js';

const reached = { visitor: 16, lead: 12, mql: 8, sql: 8, opportunity: 6, customer: 4 };

describe('funnel chart', () => {
  it('labels each stage with its count and the conversion from the step before', () => {
    const bars = funnelBars(reached, STAGES);
    expect(bars.map((b) => [b.label, b.value, b.note])).toEqual([
      ['Visitors', 16, undefined],
      ['Leads', 12, '75.0% of previous'],
      ['MQLs', 8, '66.7% of previous'],
      ['SQLs', 8, '100.0% of previous'],
      ['Opportunities', 6, '75.0% of previous'],
      ['Customers', 4, '66.7% of previous'],
    ]);
    expect(funnelBars({ ...reached, lead: 0, mql: 0 }, STAGES)[2]?.note).toBe('—');
  });

  it('draws bands proportional to the counts, centered, with a floor for empty stages', () => {
    const svg = funnelChart(funnelBars({ ...reached, customer: 0 }, STAGES), 600);
    const bands = [...svg.querySelectorAll('rect.funnel-band')];
    const widths = bands.map((r) => Number(r.getAttribute('width')));
    expect(widths).toHaveLength(6);
    expect(widths[1]! / widths[0]!).toBeCloseTo(12 / 16);
    expect(widths[5]).toBe(6);
    const centers = bands.map((r) => Number(r.getAttribute('x')) + Number(r.getAttribute('width')) / 2);
    expect(new Set(centers.map((c) => c.toFixed(3))).size).toBe(1);
    expect(svg.querySelectorAll('path.funnel-join')).toHaveLength(5);
  });
});

describe('channel bar chart', () => {
  it('draws contacts and MQLs per channel on one scale, labels as text', () => {
    const svg = barChart([
      { label: 'Paid ads', total: 4, qualified: 2 },
      { label: '<b>Social</b>', total: 2, qualified: 0 },
    ]);
    const totals = [...svg.querySelectorAll('rect.bar-total')]
      .slice(0, 2)
      .map((r) => Number(r.getAttribute('width')));
    const qualified = [...svg.querySelectorAll('rect.bar-qualified')]
      .slice(0, 2)
      .map((r) => Number(r.getAttribute('width')));
    expect(totals[1]! / totals[0]!).toBeCloseTo(0.5);
    expect(qualified[0]! / totals[0]!).toBeCloseTo(0.5);
    expect(qualified[1]).toBe(0);
    expect(svg.textContent).toContain('<b>Social</b>');
    expect(svg.querySelector('b')).toBeNull();
  });
});
