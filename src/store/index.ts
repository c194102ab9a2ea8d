export { openDatabase } from './database.js'
export type { Db, Migration, OpenErrorCode } from './database.js'
export { EventLog } from './event-log.js'
export type { SubscriberErrorReport } from './event-log.js'
export { FeatureRepo } from './feature-repo.js'
export type { CreateOptions, FeatureDraft } from './feature-repo.js'
export { ClaimRepo } from './claim-repo.js'
export type { HeldClaim } from './claim-repo.js'
export { NoteRepo } from './note-repo.js'
export { LockRepo } from './lock-repo.js'
export type { OrchestratorLock } from './lock-repo.js'
export { SessionRepo } from './session-repo.js'
export type { SessionRecord } from './session-repo.js'
export { SettingsRepo } from './settings-repo.js'
export { CorruptValueError } from './json-column.js'
export { answerFeature, skipFeature, unskipFeature } from './lifecycle.js'
export type { LifecycleCaller, Skipped } from './lifecycle.js'
export { ProjectStore, projectDataDir, projectDatabasePath } from './project-store.js'
export { autocoderHome, PROJECT_NAME_PATTERN, Registry } from './registry.js'
export type { RegisteredProject } from './registry.js'
export { ChatRepo } from './chat-repo.js'
export {
  describeServerToken,
  generateToken,
  loadServerToken,
  serverTokenPath,
} from './server-token.js'
export { listRuns, runSandbox } from './run-history.js'
export type { RunRecord } from './run-history.js'
