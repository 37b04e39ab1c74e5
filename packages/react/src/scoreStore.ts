import type { ScoreLike } from './scoreLike.js';

/** What the bindings use of an SDK client (`init`'s object has both). */
export interface ScoreSource {
  onScore(callback: (score: ScoreLike) => void): () => void;
  score(): Promise<ScoreLike | undefined>;
}

/** The provider's score, in the shape `useSyncExternalStore` reads. */
export interface ScoreStore {
  /** The current score: the bootstrap until the SDK reports. */
  get(): ScoreLike | undefined;
  /** The bootstrap: what the server rendered with, so hydration renders the same. */
  server(): ScoreLike | undefined;
  subscribe(listener: () => void): () => void;
  /** Follows the SDK's score (its current one, then every change); returns the unsubscribe. */
  follow(sdk: ScoreSource): () => void;
}

/** Creates a store that starts at `bootstrap`; pure, so it is safe to create while rendering on the server. */
export function createScoreStore(bootstrap?: ScoreLike): ScoreStore {
  let current = bootstrap;
  const listeners = new Set<() => void>();
  const set = (score: ScoreLike) => {
    if (score === current) return;
    current = score;
    for (const listener of listeners) listener();
  };
  return {
    get: () => current,
    server: () => bootstrap,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    follow(sdk) {
      let heard = false;
      const off = sdk.onScore((score) => {
        heard = true;
        set(score);
      });
      // The SDK replays its last score only to listeners that were there when its queue connected; a
      // client created before the provider mounted may be past that, so ask once (a later report wins).
      sdk.score().then(
        (score) => score && !heard && set(score),
        () => undefined,
      );
      return () => {
        heard = true;
        off();
      };
    },
  };
}
