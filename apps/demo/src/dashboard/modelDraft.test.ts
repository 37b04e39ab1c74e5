import { describe, expect, it } from 'vitest';
import {
  conditionPath,
  conditionsOf,
  errorAnchor,
  fitOperator,
  type Json,
  matchOf,
  parseList,
  setFitOperator,
} from './modelDraft.js';

describe('match conditions', () => {
  it('turns a match into rows and back, props one row each, ranges as ranges', () => {
    const match = {
      path: '/pricing*',
      utm_medium: ['cpc', 'ppc'],
      props: { engagedSeconds: { gte: 60 }, plan: 'team' },
    };
    const rows = conditionsOf(match);
    expect(rows.map((r) => [r.key, r.prop, r.range, r.values, r.gte])).toEqual([
      ['path', '', false, '/pricing*', ''],
      ['utm_medium', '', false, 'cpc, ppc', ''],
      ['props', 'engagedSeconds', true, '', '60'],
      ['props', 'plan', false, 'team', ''],
    ]);
    expect(matchOf(rows)).toEqual(match);
    expect(matchOf([])).toBeUndefined();
    expect(conditionPath('rules[1]', rows[2]!)).toBe('rules[1].match.props.engagedSeconds');
    expect(conditionPath('rules[1]', rows[0]!)).toBe('rules[1].match.path');
  });

  it('reads lists: one item a scalar, numbers as numbers except in paths', () => {
    expect(parseList('pdf', 'ext')).toBe('pdf');
    expect(parseList(' pdf, docx ,', 'ext')).toEqual(['pdf', 'docx']);
    expect(parseList('2, 3', 'props')).toEqual([2, 3]);
    expect(parseList('/2026', 'path')).toBe('/2026');
    expect(parseList('', 'ext')).toEqual([]);
  });
});

describe('fit operators', () => {
  it('names the operator a rule uses and switches it, keeping the value where it fits', () => {
    const rule: Json = { id: 'big', trait: 'companySize', gte: 200, points: 15 };
    expect(fitOperator(rule)).toBe('gte');
    setFitOperator(rule, 'between');
    expect(rule).toMatchObject({ gte: 200, lte: 300 });
    expect(fitOperator(rule)).toBe('between');
    setFitOperator(rule, 'in');
    expect(rule.in).toEqual([200]);
    expect(rule.gte).toBeUndefined();
    setFitOperator(rule, 'missing');
    expect(rule).toEqual({ id: 'big', trait: 'companySize', exists: false, points: 15 });
    expect(fitOperator(rule)).toBe('missing');
  });
});

describe('errorAnchor', () => {
  it('finds the field of an error, else the nearest enclosing one', () => {
    const fields = new Set(['rules[2].match.ext', 'rules[2]', 'fit[0].gte']);
    const has = (p: string) => fields.has(p);
    expect(errorAnchor('fit[0].gte', has)).toBe('fit[0].gte');
    expect(errorAnchor('rules[2].match.ext[1]', has)).toBe('rules[2].match.ext');
    expect(errorAnchor('rules[2].match.nope', has)).toBe('rules[2]');
    expect(errorAnchor('mql', has)).toBeUndefined();
    expect(errorAnchor('', has)).toBeUndefined();
  });
});
