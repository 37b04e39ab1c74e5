import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileGlob, type Facts, parseCondition, type VisitorState } from './condition.js';

const facts = (did: Partial<Facts> = {}): Facts => ({
  download: [],
  visited: [],
  cta: [],
  form: [],
  event: [],
  ...did,
});
const visitor = (over: Partial<Omit<VisitorState, 'did'>> = {}, did: Partial<Facts> = {}): VisitorState => ({
  score: 0,
  stage: 'visitor',
  ...over,
  did: facts(did),
});
const test = (condition: string) => {
  const parsed = parseCondition(condition);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.test;
};

const someone = visitor(
  { score: 42, stage: 'lead' },
  {
    download: ['leadlight-whitepaper-2026.pdf', 'pricing.xlsx'],
    visited: ['/', '/pricing', '/pricing/enterprise', '/blog/scoring'],
    cta: ['book-demo'],
    form: ['newsletter'],
    event: ['page_view', 'download', 'cta_click', 'form_submit'],
  },
);

describe('the condition language (the README table)', () => {
  it.each([
    ['download', true],
    ['download:whitepaper', true],
    ['download:WhitePaper', true],
    ['download:case-study', false],
    ['download:.pdf', true],
    ['download:.docx', false],
    ['download:*-2026.pdf', true],
    ['download:whitepaper*', false],
    ['visited:/pricing', true],
    ['visited:/pricing/', true],
    ['visited:/pricing*', true],
    ['visited:/pric', false],
    ['visited:/careers*', false],
    ['visited:/blog/*', true],
    ['cta', true],
    ['cta:book-demo', true],
    ['cta:book', false],
    ['cta:book-*', true],
    ['form', true],
    ['form:newsletter', true],
    ['form:demo-request', false],
    ['event:form_submit', true],
    ['event:popup_converted', false],
    ['stage:lead', true],
    ['stage:mql', false],
    ['stage:visitor+', true],
    ['stage:lead+', true],
    ['stage:mql+', false],
    ['stage:mqa', false],
    ['score>=42', true],
    ['score>42', false],
    ['score<=42', true],
    ['score<42.5', true],
    ['score>-1', true],
    ['!form:demo-request', true],
    ['!download:.pdf', false],
    ['download:.pdf visited:/pricing*', true],
    ['download:.pdf visited:/careers*', false],
    ['visited:/careers* | cta:book-demo', true],
    ['visited:/careers*|form:demo-request', false],
    ['download:whitepaper !form:demo-request | stage:mql+', true],
    ['  download:whitepaper   score>=40  ', true],
  ])('%s → %s', (condition, expected) => {
    expect(test(condition)(someone)).toBe(expected);
  });

  it('knows nothing about a first-time visitor', () => {
    const fresh = visitor();
    expect(test('download')(fresh)).toBe(false);
    expect(test('stage:visitor')(fresh)).toBe(true);
    expect(test('score<1')(fresh)).toBe(true);
    expect(test('!cta')(fresh)).toBe(true);
  });
});

describe('parse errors say what was wrong and where', () => {
  it.each([
    ['downlod:whitepaper', 'alternative 1, term "downlod:whitepaper": expected download, visited, cta, form'],
    ['cta:a | ', 'alternative 2 is empty'],
    ['', 'alternative 1 is empty'],
    [
      'cta:a | stage:vip',
      'alternative 2, term "stage:vip": expected a stage (visitor, lead, mql, sql, opportunity, customer), + for "or later"',
    ],
    ['visited', 'alternative 1, term "visited": needs a value'],
    ['event', 'term "event": needs a value'],
    ['download:', 'term "download:": empty value'],
    [
      'score>=lots',
      'term "score>=lots": expected download, visited, cta, form, event, stage or score>=N (or >, <=, <)',
    ],
    ['score=5', 'term "score=5": expected'],
  ])('%j', (condition, message) => {
    const parsed = parseCondition(condition);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toContain(message);
  });
});

describe('globs', () => {
  it('match whole text case-insensitively, or any part when asked', () => {
    expect(compileGlob('/Pricing*')('/pricing/enterprise')).toBe(true);
    expect(compileGlob('/pricing')('/pricing/enterprise')).toBe(false);
    expect(compileGlob('paper', true)('whitepaper.pdf')).toBe(true);
    expect(compileGlob('a.b')('axb')).toBe(false);
    expect(compileGlob('(x)+[y]')('(x)+[y]')).toBe(true);
  });
});

describe('combinators (property)', () => {
  const terms = [
    'download',
    'download:.pdf',
    'visited:/pricing*',
    'cta:book-demo',
    'form',
    'stage:mql+',
    'score>=30',
  ];
  const state = fc.record({
    score: fc.integer({ min: -20, max: 120 }),
    stage: fc.constantFrom('visitor', 'lead', 'mql', 'sql', 'opportunity', 'customer' as const),
    did: fc.record({
      download: fc.subarray(['a.pdf', 'b.zip']),
      visited: fc.subarray(['/', '/pricing', '/pricing/team']),
      cta: fc.subarray(['book-demo', 'trial']),
      form: fc.subarray(['newsletter']),
      event: fc.constant([] as string[]),
    }),
  });
  it('space is and, | is or, ! is not', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...terms),
        fc.constantFrom(...terms),
        fc.constantFrom(...terms),
        state,
        (a, b, c, s) => {
          const [ta, tb, tc] = [test(a)(s), test(b)(s), test(c)(s)];
          expect(test(`!${a}`)(s)).toBe(!ta);
          expect(test(`${a} ${b}`)(s)).toBe(ta && tb);
          expect(test(`${a} | ${b}`)(s)).toBe(ta || tb);
          expect(test(`${a} ${b} | ${c}`)(s)).toBe((ta && tb) || tc);
          expect(test(`${a} | !${b} ${c}`)(s)).toBe(ta || (!tb && tc));
        },
      ),
    );
  });
});

describe('stage:mqa', () => {
  it('holds when the collector told a verified visitor that its account is an MQA', () => {
    expect(test('stage:mqa')(visitor({ stage: 'lead', account: 'mqa' }))).toBe(true);
    expect(test('stage:MQA')(visitor({ account: 'mqa' }))).toBe(true);
    expect(test('stage:mqa')(visitor({ stage: 'lead', account: 'account' }))).toBe(false);
    expect(test('stage:mqa')(visitor({ stage: 'customer' }))).toBe(false);
    expect(test('stage:mql | stage:mqa')(visitor({ stage: 'mql' }))).toBe(true);
    const plus = parseCondition('stage:mqa+');
    expect(plus.ok ? '' : plus.error).toContain('or mqa');
  });
});
