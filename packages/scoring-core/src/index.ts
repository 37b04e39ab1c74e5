export { compareEvents, sortEvents } from './canonicalOrder.js';
export { evaluate, resultOf } from './evaluate.js';
export { hashModel } from './hashModel.js';
export { ScoringError } from './ScoringError.js';
export {
  cloneState,
  createState,
  foldEvent,
  foldEvents,
  isOutOfOrder,
  mergeStates,
  TAIL_LENGTH,
  tryFoldEvent,
} from './scoreState.js';
export { STAGES, stageRank } from './stages.js';
export type {
  BreakdownEntry,
  EngagementRule,
  EvaluateOptions,
  EventPosition,
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
export { validateEvent } from './validateEvent.js';
export { validateModel } from './validateModel.js';
