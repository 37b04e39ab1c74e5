import type { Stage } from './types.js';

/** Lifecycle stages in order: a contact only moves forward by itself. */
export const STAGES: readonly Stage[] = ['visitor', 'lead', 'mql', 'sql', 'opportunity', 'customer'];

/** The position of a stage in the lifecycle (visitor = 0), or -1 for an unknown name. */
export function stageRank(stage: string): number {
  return STAGES.indexOf(stage as Stage);
}
