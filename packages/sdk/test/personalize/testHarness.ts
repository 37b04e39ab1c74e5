// Test support: the page side of the browser suites. It installs personalization with a
// host the test drives (score, consent, tracked events) and a minimal exit-intent detector like the SDK's.
import type { ScoreResult, Stage } from '@leadlight/scoring-core';
import { installPersonalization } from '../../src/personalize/installPersonalization.js';

/** What a browser test reaches through `window.harness`. */
export interface Harness {
  score(total: number, stage: Stage): void;
  track(type: string, props?: Record<string, unknown>): void;
  /** Every event tracked in this tab (survives navigations through sessionStorage). */
  tracked(): { type: string; props?: Record<string, unknown> }[];
  /** Exit intents detected on this page. */
  exits(): number;
}

const TRACKED = 'harness:tracked';
const listeners = new Set<(score: ScoreResult) => void>();
let seq = 0;
const track = (type: string, props?: Record<string, unknown>): void => {
  sessionStorage.setItem(TRACKED, JSON.stringify([...harness.tracked(), { type, props }]));
  personalizer.observe({
    id: `h${++seq}`,
    type,
    ts: Date.now(),
    anonymousId: 'harness',
    path: location.pathname,
    props,
  });
};
const harness: Harness = {
  score(total, stage) {
    const result = {
      total,
      fit: 0,
      engagement: total,
      stage,
      mql: stage === 'mql',
      modelVersion: 't',
      modelHash: 'h',
      breakdown: [],
    };
    for (const cb of listeners) cb(result);
  },
  track,
  tracked: () => JSON.parse(sessionStorage.getItem(TRACKED) ?? '[]'),
  exits: () => exits,
};
const personalizer = installPersonalization({
  onScore(cb) {
    listeners.add(cb);
    return () => void listeners.delete(cb);
  },
  track,
  debug: true,
  canStore: () => localStorage.getItem('harness:consent') !== 'denied',
});
let exits = 0;
document.addEventListener('mouseout', (e) => {
  if (!e.relatedTarget && e.clientY <= 0) {
    exits++;
    personalizer.exitIntent();
  }
});
track('page_view');
(window as unknown as { harness: Harness }).harness = harness;
