import type { ScoreResult, TrackedEvent } from '@leadlight/scoring-core';

/** What personalization needs from the SDK. */
export interface PersonalizationHost {
  onScore(callback: (score: ScoreResult) => void): () => void;
  track(type: string, props?: Record<string, unknown>): void;
  debug: boolean;
}

/** Options the site passes in `init({ personalize: { ... } })`. */
export interface PersonalizationOptions {
  /** Days between two showings of an exit popup. */
  popupEveryDays?: number;
  /** Nonce for the inline style that hides candidates until decided (strict CSP). */
  nonce?: string;
}

/** The SDK feeds personalization every tracked event and every exit intent. */
export interface Personalizer {
  observe(event: TrackedEvent): void;
  exitIntent(): void;
  /** Calls back whenever `condition` (the `data-ll-if` language) turns true; returns an unsubscribe. */
  when(condition: string, callback: () => void): () => void;
}

/** Installs declarative personalization on the page (placeholder until issue #6 lands). */
export function installPersonalization(_host: PersonalizationHost, _options: PersonalizationOptions): Personalizer {
  return { observe() {}, exitIntent() {}, when: () => () => {} };
}
