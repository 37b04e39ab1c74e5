import type { ScoreResult } from '@leadlight/scoring-core';

/** The part of `window.leadlight` (DESIGN.md §4) the demo site uses. */
export interface LeadlightGlobal {
  identify(traits: Record<string, unknown>): void;
  track(type: string, props?: Record<string, unknown>): void;
  score(): Promise<ScoreResult | undefined>;
  onScore(callback: (score: ScoreResult) => void): () => void;
  flush(): Promise<{ sent: number; pending: number }>;
  anonymousId(): string | undefined;
}

/** Calls back with `window.leadlight` once it exists (at once with the loader snippet, else when the script loads). */
export function whenLeadlight(win: Window, callback: (leadlight: LeadlightGlobal) => void): void {
  const current = (win as unknown as { leadlight?: LeadlightGlobal }).leadlight;
  if (current) {
    callback(current);
    return;
  }
  // Without the inline snippet the async script defines the global when it runs.
  const tag = win.document.querySelector<HTMLScriptElement>('script[data-site-key]');
  tag?.addEventListener('load', () => {
    const loaded = (win as unknown as { leadlight?: LeadlightGlobal }).leadlight;
    if (loaded) callback(loaded);
  });
}
