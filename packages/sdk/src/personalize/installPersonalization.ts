import type { ScoreResult, TrackedEvent } from '@leadlight/scoring-core';
import { parseCondition, type Test, type VisitorState } from './condition.js';
import { type Compile, decidePage, holds, stageCondition } from './decidePage.js';
import { exitPopups } from './exitPopup.js';
import { CANDIDATES } from './prehide.js';
import {
  loadRecord,
  type RecordStorage,
  recordEvent,
  recordStorage,
  saveRecord,
  type VisitorRecord,
} from './visitorRecord.js';

/** What personalization needs from the SDK. */
export interface PersonalizationHost {
  /** Live scores: deciding by score asks for them (an in-page queue then scores on the device). */
  onScore(callback: (score: ScoreResult) => void): () => void;
  /** Scores as they come, without asking for live ones (the visitor record); defaults to `onScore`. */
  watchScore?(callback: (score: ScoreResult) => void): () => void;
  track(type: string, props?: Record<string, unknown>): void;
  debug: boolean;
  /** Whether first-party storage is allowed right now (consent); when absent, it is. */
  canStore?(): boolean;
}

/** Options the site passes in `init({ personalize: { ... } })`. */
export interface PersonalizationOptions {
  /** Days between two showings of an exit popup (default 7; `data-ll-every-days` overrides per popup). */
  popupEveryDays?: number;
  /** Nonce for the style element used where constructable stylesheets are missing (strict CSP). */
  nonce?: string;
  /** The document to personalize (tests); defaults to the page's. */
  document?: Document;
  /** Where the visitor record lives (tests); defaults to localStorage, `null` keeps it in memory. */
  storage?: RecordStorage | null;
  /** The clock (tests); defaults to Date.now. */
  now?: () => number;
  /** A record already loaded on this page (the script-tag SDK's recorder shares its own). */
  record?: VisitorRecord;
}

/** The SDK feeds personalization every tracked event and every exit intent. */
export interface Personalizer {
  observe(event: TrackedEvent): void;
  exitIntent(): void;
  /**
   * Calls back now if `condition` (the `data-ll-if` language) holds, then whenever it turns true again;
   * returns an unsubscribe. An invalid condition never calls back (and is reported in debug mode).
   */
  when(condition: string, callback: (state: Readonly<VisitorState>) => void): () => void;
  /** Stops watching the page and the score (SPA teardown, tests). */
  stop(): void;
}

/** The always-on rules: `hidden` wins over page CSS on candidates; popups animate only without reduced motion. */
const SHEET = `:is(${CANDIDATES})[hidden]{display:none!important}@media (prefers-reduced-motion:no-preference){dialog[data-ll-exit-popup][open]{animation:ll-in .2s ease-out}}@keyframes ll-in{from{opacity:0;transform:translateY(-12px)}}`;

/** Adds the rules through CSSOM, which no Content-Security-Policy blocks; a nonced <style> elsewhere. */
function addSheet(doc: Document, nonce: string | undefined): void {
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(SHEET);
    doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
  } catch {
    const style = doc.createElement('style');
    if (nonce) style.nonce = nonce;
    style.textContent = SHEET;
    doc.head.append(style);
  }
}

/** Installs declarative personalization (attributes, variants, exit popups) and returns the SDK's seam. */
export function installPersonalization(
  host: PersonalizationHost,
  options: PersonalizationOptions = {},
): Personalizer {
  const doc = options.document ?? document;
  const root = doc.documentElement;
  const now = options.now ?? Date.now;
  const storage = recordStorage(options.storage);
  const allowed = (): boolean => host.canStore?.() ?? true;
  const record = options.record ?? loadRecord(allowed() ? storage : undefined);
  // Conditions are compiled once per text, so each problem is reported once.
  const log = (message: string): void => {
    if (host.debug) console.warn(`leadlight: ${message}`);
  };
  const cache = new Map<string, Test | null>();
  const compile: Compile = (text, where) => {
    if (!cache.has(text)) {
      const parsed = parseCondition(text);
      cache.set(text, parsed.ok ? parsed.test : null);
      if (!parsed.ok) log(`${where}: ${parsed.error}`);
    }
    return cache.get(text) ?? null;
  };
  const watchers = new Set<{ test: Test; callback: (state: VisitorState) => void; on: boolean }>();
  const check = (watcher: { test: Test; callback: (state: VisitorState) => void; on: boolean }): void => {
    const on = watcher.test(record);
    if (on && !watcher.on) {
      try {
        watcher.callback(record);
      } catch (error) {
        log(`when() callback threw: ${error}`);
      }
    }
    watcher.on = on;
  };
  const refresh = (): void => {
    // Also runs from a MutationObserver, where nobody else would catch.
    try {
      decidePage(doc, record, compile);
      for (const watcher of watchers) check(watcher);
    } catch (error) {
      log(String(error));
    }
  };
  const changed = (): void => {
    // Without consent the record lives in memory only, and anything stored earlier is removed.
    saveRecord(storage, record, allowed());
    refresh();
  };
  let everyDays = options.popupEveryDays ?? 7;
  if (!(everyDays >= 0)) {
    log(`personalize.popupEveryDays: expected days ≥ 0, got ${everyDays}`);
    everyDays = 7;
  }
  const openPopup = exitPopups({
    doc,
    record,
    now,
    everyDays,
    holds: (el: Element) => holds(el, record, compile),
    inStages: (list: string) => compile(stageCondition(list), 'data-ll-suppress-stages')?.(record) === true,
    track: (type: string, props: Record<string, unknown>) => host.track(type, props),
    changed,
  });
  let popupShown = false;

  addSheet(doc, options.nonce);
  if (!allowed()) saveRecord(storage, record, false);
  refresh();
  root.setAttribute('data-ll-ready', '');
  root.classList.remove('ll-off');
  // Elements added later (SPA views, late markup) are decided in the same microtask, before they paint.
  const observer = new MutationObserver(refresh);
  observer.observe(root, {
    childList: true,
    subtree: true,
    attributes: true,
    attributeFilter: [
      'data-ll-if',
      'data-ll-min-score',
      'data-ll-max-score',
      'data-ll-stage',
      'data-ll-variants',
    ],
  });
  const unsubscribe = host.onScore((score: ScoreResult) => {
    if (score.total === record.score && score.stage === record.stage && score.account === record.account)
      return;
    record.score = score.total;
    record.stage = score.stage;
    record.account = score.account;
    changed();
  });

  return {
    observe(event: TrackedEvent) {
      // An SPA navigation is a new page view: it may show a popup again (the cap still applies).
      if (event.type === 'page_view') popupShown = false;
      recordEvent(record, event);
      changed();
    },
    exitIntent() {
      // One popup per page view at most, whatever the cap says.
      if (!popupShown) popupShown = openPopup();
    },
    when(condition, callback) {
      const test = compile(condition, `when("${condition}")`);
      if (!test) return () => {};
      const watcher = { test, callback, on: false };
      watchers.add(watcher);
      check(watcher);
      return () => watchers.delete(watcher);
    },
    stop() {
      observer.disconnect();
      unsubscribe();
      watchers.clear();
    },
  };
}
