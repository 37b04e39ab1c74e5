export { LeadlightProvider, type LeadlightProviderProps } from './LeadlightProvider.js';
export { Personalize, type PersonalizeConditions, type PersonalizeProps } from './Personalize.js';
export type { LeadScore, ScoreLike, Stage } from './scoreLike.js';
export type { ScoreSource } from './scoreStore.js';
export { useLeadScore, useStage } from './useLeadScore.js';
