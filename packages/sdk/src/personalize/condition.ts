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

const SCORE = /^score(>=|<=|>|<)(-?\d+(?:\.\d+)?)$/;

function compileTerm(term: string): Test | string {
  const not = term.startsWith('!');
  const atom = not ? term.slice(1) : term;
  let test: Test | undefined;
  const score = SCORE.exec(atom);
  if (score) {
    const [, op, raw] = score;
    const n = Number(raw);
    test =
      op === '>='
        ? (s) => s.score >= n
        : op === '>'
          ? (s) => s.score > n
          : op === '<='
            ? (s) => s.score <= n
            : (s) => s.score < n;
  } else {
    const colon = atom.indexOf(':');
    const kind = colon < 0 ? atom : atom.slice(0, colon);
    const value = colon < 0 ? '' : atom.slice(colon + 1).toLowerCase();
    if (colon >= 0 && !value) return `"${term}": empty value after "${kind}:"`;
    if (kind === 'stage') {
      const plus = value.endsWith('+');
      const rank = STAGE_ORDER.indexOf(plus ? value.slice(0, -1) : value);
      if (rank < 0)
        return `"${term}": unknown stage (expected one of ${STAGE_ORDER.join(', ')}, optionally with +)`;
      test = (s) => {
        const r = STAGE_ORDER.indexOf(s.stage);
        return plus ? r >= rank : r === rank;
      };
    } else if (
      kind === 'download' ||
      kind === 'visited' ||
      kind === 'cta' ||
      kind === 'form' ||
      kind === 'event'
    ) {
      if (!value && (kind === 'visited' || kind === 'event'))
        return `"${term}": "${kind}" needs a value (${kind}:…)`;
      const match = !value
        ? () => true
        : kind === 'download' && value.startsWith('.')
          ? (name: string) => name.endsWith(value)
          : kind === 'visited'
            ? compileGlob(normalizePath(value))
            : compileGlob(value, kind === 'download');
      test = (s) => s.did[kind].some(match);
    } else if (kind.startsWith('score')) {
      return `"${term}": expected score>=N, score>N, score<=N or score<N with a number N`;
    } else {
      return `"${term}": unknown condition "${kind}" (expected download, visited, cta, form, event, stage or score>=N)`;
    }
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
