import type { PersonalizationHost, PersonalizationOptions, Personalizer } from './installPersonalization.js';
import { CANDIDATES } from './prehide.js';
import { loadRecord, recordEvent, recordStorage, saveRecord } from './visitorRecord.js';

/** What the lazily loaded chunk (`leadlight-personalize.js`) puts on `globalThis.LeadlightPersonalize`. */
export interface PersonalizeChunk {
  installPersonalization(host: PersonalizationHost, options: PersonalizationOptions): Personalizer;
}

/** Anything on the page that personalization would decide or open. */
const NEEDED = `${CANDIDATES},dialog[data-ll-exit-popup]`;

/**
 * The script-tag SDK's personalizer: it keeps the visitor record (score, stage, what the visitor did) on
 * every page, and loads the deciding part (`load`) only once the page has a candidate or calls `when()`.
 */
export function lazyPersonalization(
  load: () => Promise<PersonalizeChunk>,
): (host: PersonalizationHost, options: PersonalizationOptions) => Personalizer {
  return (host, options = {}) => {
    const doc = options.document ?? document;
    const root = doc.documentElement;
    const storage = recordStorage(options.storage);
    const allowed = (): boolean => host.canStore?.() ?? true;
    const record = loadRecord(allowed() ? storage : undefined);
    const save = () => saveRecord(storage, record, allowed());
    if (!allowed()) save();
    let real: Personalizer | undefined;
    let loading = false;
    let stopped = false;
    const waiting: ((p: Personalizer) => void)[] = [];
    const later = (fn: (p: Personalizer) => void) => (real ? fn(real) : waiting.push(fn));
    // The record keeps the scores that come anyway; only deciding (the chunk) asks for live ones.
    const offScore = (host.watchScore ?? host.onScore)((score) => {
      if (real || (score.total === record.score && score.stage === record.stage)) return;
      record.score = score.total;
      record.stage = score.stage;
      save();
    });
    const need = () => {
      if (loading) return;
      loading = true;
      observer.disconnect();
      load().then(
        (chunk) => {
          if (stopped) return;
          offScore();
          // The chunk shares this record, so what was seen while it loaded is already in it.
          real = chunk.installPersonalization(host, { ...options, record });
          for (const fn of waiting.splice(0)) fn(real);
        },
        () => {
          // Shows the `data-ll-default` fallbacks at once instead of after the pre-paint rule's wait.
          root.classList.add('ll-off');
          if (host.debug) console.warn('leadlight: could not load leadlight-personalize.js');
        },
      );
    };
    // Runs in the same microtask as the mutation, so a late candidate starts the load before it paints.
    const observer = new MutationObserver(() => doc.querySelector(NEEDED) && need());
    observer.observe(root, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: NEEDED.match(/data-ll-[\w-]+/g)!,
    });
    if (doc.querySelector(NEEDED)) need();
    // Nothing to decide on this page, which the pre-paint rule's fallback timer must know.
    else root.setAttribute('data-ll-ready', '');
    return {
      observe(event) {
        if (real) return real.observe(event);
        recordEvent(record, event);
        save();
      },
      exitIntent: () => later((p) => p.exitIntent()),
      when(condition, callback) {
        let off: (() => void) | undefined;
        let cancelled = false;
        need();
        later((p) => {
          if (!cancelled) off = p.when(condition, callback);
        });
        return () => {
          cancelled = true;
          off?.();
        };
      },
      stop() {
        stopped = true;
        observer.disconnect();
        offScore();
        real?.stop();
      },
    };
  };
}
