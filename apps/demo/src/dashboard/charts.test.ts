// @vitest-environment jsdom
import { STAGES } from '@leadlight/scoring-core';
import { describe, expect, it } from 'vitest';
import { barChart, columnChart, funnelBars, funnelChart, smallMultiples } from './charts.js';

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

describe('small multiples and column charts', () => {
  const columns = (values: number[]) =>
    values.map((value, i) => ({ tick: i % 2 ? '' : `d${i}`, name: `Day ${i}`, value }));

  it('draws one row per series on one scale, each column titled with its name and value', () => {
    const svg = smallMultiples(
      [
        { name: 'MQLs', columns: columns([0, 4, 2]) },
        { name: 'SQLs', columns: columns([0, 2, 0]) },
      ],
      { label: 'MQLs 6, SQLs 2 per day' },
    );
    expect(svg.getAttribute('role')).toBe('img');
    expect(svg.getAttribute('aria-label')).toBe('MQLs 6, SQLs 2 per day');
    const heights = [...svg.querySelectorAll('rect.column')].map((r) => Number(r.getAttribute('height')));
    expect(heights[1]! / heights[4]!).toBeCloseTo(2);
    expect(heights[0]).toBe(0);
    expect([...svg.querySelectorAll('title')].map((t) => t.textContent)).toContain('Day 1: 4');
    expect(svg.textContent).toContain('6 in range');
  });

  it('labels every column on two lines and marks the accent column by class', () => {
    const svg = columnChart(
      [
        { tick: 'down < 5', name: 'down < 5', value: 1 },
        { tick: 'no change', name: 'no change', value: 5 },
      ],
      { label: 'Score changes', accent: 1 },
    );
    expect(svg.querySelectorAll('rect.column-accent')).toHaveLength(1);
    expect([...svg.querySelectorAll('tspan')].map((t) => t.textContent)).toEqual([
      'down',
      '< 5',
      'no',
      'change',
    ]);
  });
});
