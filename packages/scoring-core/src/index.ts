export { compareEvents, sortEvents } from './canonicalOrder.js';
export { evaluate, resultOf } from './evaluate.js';
export { hashModel } from './hashModel.js';
export { isObject } from './isObject.js';
export { mergeStates } from './mergeStates.js';
export { ScoringError } from './ScoringError.js';
export {
  cloneState,
  createState,
  foldEvent,
  foldEvents,
  isOutOfOrder,
  TAIL_LENGTH,
  tryFoldEvent,
} from './scoreState.js';
export { STAGES, stageRank } from './stages.js';
export { STANDARD_EVENT_TYPES, type StandardEventType } from './standardEventTypes.js';
export type {
  AccountBreakdownEntry,
  AccountMember,
  AccountModel,
  AccountRollUp,
  AccountScore,
  AccountStage,
  AccountState,
  BreakdownEntry,
  EngagementRule,
  EngagementView,
  EvaluateOptions,
  EventPosition,
  FitRule,
  MatchCondition,
  MatchValue,
  ModelError,
  MqaThresholds,
  MqlThresholds,
  NumericMatch,
  Scalar,
  ScoreResult,
  ScoreState,
  ScoringFeature,
  ScoringModel,
  Stage,
  TrackedEvent,
  ValidationResult,
} from './types.js';
export { isEventType, validateEvent } from './validateEvent.js';
export { SCORING_FEATURES, validateModel } from './validateModel.js';
