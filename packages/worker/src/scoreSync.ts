import type { ScoreResult } from '@leadlight/scoring-core';
import type { ScoreAnswer } from '@leadlight/scoring-core/wire';
import type { QueueConfig, ScoreSnapshot } from './protocol.js';
import type { ProvisionalScore } from './provisionalScore.js';
import type { QueueDeps } from './queueDeps.js';
import type { Unchecked } from './unchecked.js';

/**
 * The collector's snapshot of the visitor (state and score): the base the provisional score folds onto. A pair of
 * functions, not an object: the bundles' minifier cannot shorten property names.
 */
export type ScoreSync = [
  /** Reads a snapshot out of a collector answer and caches it; undefined when the answer carries none. */
  adopt: (anonymousId: string, answer: Unchecked<ScoreAnswer>) => ScoreSnapshot | undefined,
  /** A tab that starts with no snapshot for its visitor asks the collector once. */
  refresh: () => Promise<void>,
];

/**
 * Creates the score sync of one queue: `get` GETs a collector path, `score` is the provisional score of the moment,
 * `purges` counts purges (an answer to a request sent before one is the purged visitor's), `emit` tells the page.
 */
export function createScoreSync(
  config: QueueConfig,
  deps: Pick<QueueDeps, 'store'>,
  get: (path: string) => Promise<Response>,
  score: () => ProvisionalScore,
  purges: () => number,
  emit: () => void,
  log: (message: string, detail?: unknown) => void,
): ScoreSync {
  let asked: string | undefined;
  const adopt = (anonymousId: string, answer: Unchecked<ScoreAnswer>) => {
    const state = answer.state as ScoreSnapshot['state'] | undefined;
    const result = answer.score as ScoreResult | undefined;
    if (!state || typeof state !== 'object' || state.v !== 1 || !result || typeof result !== 'object') {
      return undefined;
    }
    const snapshot: ScoreSnapshot = { anonymousId, state, score: result };
    void deps.store.setMeta('snapshot', snapshot).catch((error) => log('score not cached', error));
    return snapshot;
  };
  return [
    adopt,
    async () => {
      const anonymousId = score().anonymousId();
      if (!config.send || !anonymousId || !score().needsSnapshot() || asked === anonymousId) return;
      asked = anonymousId;
      const purge = purges();
      try {
        const query = `siteKey=${encodeURIComponent(config.siteKey)}&anonymousId=${encodeURIComponent(anonymousId)}`;
        const response = await get(`/v1/score?${query}`);
        if (!response.ok || purge !== purges()) return;
        const snapshot = adopt(anonymousId, (await response.json()) as Unchecked<ScoreAnswer>);
        if (snapshot && score().needsSnapshot()) {
          score().setSnapshot(snapshot);
          emit();
        }
      } catch (error) {
        asked = undefined;
        log('score refresh failed', error);
      }
    },
  ];
}
