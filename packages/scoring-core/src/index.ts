export { evaluate, resultOf } from './evaluate.js';
export { createState, foldEvent, foldEvents, isOutOfOrder } from './scoreState.js';
export { compareEvents, sortEvents } from './canonicalOrder.js';
export { hashModel } from './hashModel.js';
export { validateModel } from './validateModel.js';
export { validateEvent } from './validateEvent.js';
export { STAGES, stageRank } from './stages.js';
export type {
  BreakdownEntry,
  EngagementRule,
  EvaluateOptions,
  FitRule,
  MatchValue,
  ModelError,
  MqlThresholds,
  Scalar,
  ScoreResult,
  ScoreState,
  ScoringModel,
  Stage,
  StandardEventType,
  TrackedEvent,
  ValidationResult,
} from './types.js';
