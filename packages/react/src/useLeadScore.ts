import { useContext, useSyncExternalStore } from 'react';
import { ScoreContext } from './LeadlightProvider.js';
import type { ScoreLike, Stage } from './scoreLike.js';

/** The visitor's current score, or undefined while none is known; re-renders on every change. */
export function useLeadScore(): ScoreLike | undefined {
  const store = useContext(ScoreContext);
  return useSyncExternalStore(store.subscribe, store.get, store.server);
}

/** The visitor's lifecycle stage, or undefined while no score is known. */
export function useStage(): Stage | undefined {
  return useLeadScore()?.stage;
}
