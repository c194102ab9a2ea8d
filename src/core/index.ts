export { assertNever, err, ok, unwrap } from './result.js'
export type { AppError, Result } from './result.js'
export { CORE_ERROR_CODES } from './error-codes.js'
export type { CoreError, CoreErrorCode } from './error-codes.js'
export { systemClock } from './clock.js'
export type { Clock } from './clock.js'
export {
  AgentKind,
  Category,
  Claim,
  computeStats,
  DEFAULT_PRIORITY,
  Description,
  Feature,
  FeatureId,
  FeatureImportFile,
  FeatureName,
  FeatureNote,
  FeaturePatch,
  FeatureState,
  MAX_CATEGORY_LENGTH,
  MAX_DEPENDENCIES,
  MAX_DESCRIPTION_LENGTH,
  MAX_NAME_LENGTH,
  MAX_STEP_LENGTH,
  MAX_STEPS,
  NewFeature,
  NoteKind,
} from './feature.js'
export type { FeatureStats, NewFeatureParsed } from './feature.js'
export {
  blockersOf,
  canTransition,
  checkTransition,
  GRAPH_STATUSES,
  graphStatus,
  isDone,
  nextStates,
  TRANSITIONS,
  viewGraphStatus,
} from './lifecycle.js'
export type { GraphStatus, LifecycleActor } from './lifecycle.js'
export { EventBody, SandboxKindName, Usage } from './events.js'
export type { AgentRole, AppEvent, EventOf, EventType } from './events.js'
export {
  cycleIfAdded,
  findCycles,
  findDependencyPath,
  validateDependencies,
} from './dependency-graph.js'
export type { GraphNode } from './dependency-graph.js'
export {
  computeScores,
  findBlocked,
  findUnsatisfiable,
  isReady,
  passingIds,
  planFeatures,
  readyInOrder,
  sortBySchedule,
  toSchedFeature,
} from './scheduling.js'
export type { BlockedFeature, Plan, SchedFeature } from './scheduling.js'
export {
  buildCodingBatches,
  MAX_CODING_BATCH,
  MAX_TESTING_BATCH,
  selectTestingBatch,
} from './batching.js'
export type { TestingCandidate } from './batching.js'
export {
  AUTO_CONTINUE_DELAY_SECONDS,
  clampRetryAfter,
  errorBackoff,
  rateLimitBackoff,
} from './backoff.js'
