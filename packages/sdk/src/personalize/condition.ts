import type { Stage } from '@leadlight/scoring-core';

/** Lifecycle order (DESIGN.md §3); kept here so the page bundle needs nothing from scoring-core. */
const STAGE_ORDER: readonly string[] = ['visitor', 'lead', 'mql', 'sql', 'opportunity', 'customer'];

/** What the visitor did, remembered across pages: lowercase names, most recent last. */
export interface Facts {
  /** Downloaded file names (`whitepaper-2026.pdf`). */
  download: string[];
  /** Visited paths (`/pricing`). */
  visited: string[];
  /** Clicked call-to-action names (`data-ll-cta`). */
  cta: string[];
  /** Submitted form names (`data-ll-form`, else id or name). */
  form: string[];
  /** Every event type seen (`page_view`, `popup_converted`, custom names). */
  event: string[];
}

/** Everything a condition can look at. */
export interface VisitorState {
  score: number;
  stage: Stage;
  /** The stage of the visitor's account (company), told to verified visitors only. */
  account?: string;
  did: Facts;
}

/** A compiled condition. */
export type Test = (state: VisitorState) => boolean;

/** The outcome of parsing a condition: a test, or a message that says what was wrong and where. */
export type ParsedCondition = { ok: true; test: Test } | { ok: false; error: string };

/** Returns a case-insensitive matcher for a `*` glob; without `*` it matches the whole text, or any part of it when `part`. */
export function compileGlob(pattern: string, part = false): (text: string) => boolean {
  const body = pattern
    .toLowerCase()
    .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*');
  const re = new RegExp(part && !pattern.includes('*') ? body : `^${body}$`);
  return (text) => re.test(text);
}

/** Drops a trailing slash so `/pricing/` and `/pricing` are one page. */
export function normalizePath(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

const KINDS = ['download', 'visited', 'cta', 'form', 'event'];
const SCORE = /^score(>=|<=|>|<)(-?\d+(?:\.\d+)?)$/;

function compileTerm(term: string): Test | string {
  const not = term.startsWith('!');
  const atom = not ? term.slice(1) : term;
  let test: Test;
  const score = SCORE.exec(atom);
  const colon = atom.indexOf(':');
  const kind = colon < 0 ? atom : atom.slice(0, colon);
  const value = atom.slice(colon + 1).toLowerCase();
  if (score) {
    const [, op, n] = score;
    const at = Number(n);
    test = (s) =>
      op === '>=' ? s.score >= at : op === '>' ? s.score > at : op === '<=' ? s.score <= at : s.score < at;
  } else if (colon >= 0 && !value) {
    return `"${term}": empty value`;
  } else if (kind === 'stage' && value === 'mqa') {
    test = (s) => s.account === 'mqa';
  } else if (kind === 'stage') {
    const plus = value.endsWith('+');
    const rank = STAGE_ORDER.indexOf(plus ? value.slice(0, -1) : value);
    if (rank < 0) return `"${term}": expected a stage (${STAGE_ORDER.join(', ')}), + for "or later", or mqa`;
    test = (s) => {
      const r = STAGE_ORDER.indexOf(s.stage);
      return plus ? r >= rank : r === rank;
    };
  } else if (KINDS.includes(kind)) {
    if (colon < 0 && (kind === 'visited' || kind === 'event')) return `"${term}": needs a value`;
    const match =
      colon < 0
        ? () => true
        : kind === 'download' && value.startsWith('.')
          ? (name: string) => name.endsWith(value)
          : compileGlob(kind === 'visited' ? normalizePath(value) : value, kind === 'download');
    test = (s) => s.did[kind as keyof Facts].some(match);
  } else {
    return `"${term}": expected ${KINDS.join(', ')}, stage or score>=N (or >, <=, <)`;
  }
  return not ? (s) => !test(s) : test;
}

/**
 * Parses the condition language: terms separated by spaces must all hold, `|` separates alternatives,
 * `!` negates a term (`download:.pdf visited:/pricing* | stage:mql+ | !form:demo-request`).
 */
export function parseCondition(text: string): ParsedCondition {
  const alternatives: Test[][] = [];
  for (const [i, alternative] of text.split('|').entries()) {
    const terms = alternative.trim().split(/\s+/).filter(Boolean);
    if (!terms.length) return { ok: false, error: `alternative ${i + 1} is empty` };
    const tests: Test[] = [];
    for (const term of terms) {
      const test = compileTerm(term);
      if (typeof test === 'string') return { ok: false, error: `alternative ${i + 1}, term ${test}` };
      tests.push(test);
    }
    alternatives.push(tests);
  }
  return { ok: true, test: (s) => alternatives.some((all) => all.every((t) => t(s))) };
}
