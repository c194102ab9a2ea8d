// Public API of the orchestrator: the run loop, its launcher and workspace ports, status reading.
export { Orchestrator } from './orchestrator.js'
export { MODULE_ERROR_CODES, ORCHESTRATOR_ERROR_CODES } from './error-codes.js'
export type { ModuleErrorCode, OrchestratorError, OrchestratorErrorCode } from './error-codes.js'
export type {
  FinishReason,
  OrchestratorOptions,
  RunMode,
  RunReport,
  RunStatus,
  RunningAgent,
} from './run-types.js'
export { LIMITS, normalizeRunSettings } from './options.js'
export type { RunEnvironment, RunSettings, RunSettingsInput } from './options.js'
export type { AgentAssignment, AgentLauncher } from './agent-launcher.js'
export { createSdkLauncher } from './sdk-launcher.js'
export type { SdkLauncherOptions } from './sdk-launcher.js'
export { gitWorkspace, sharedWorkspace } from './workspace-port.js'
export type {
  AgentCheckout,
  GitWorkspaceOptions,
  MergeInput,
  WorkspacePort,
} from './workspace-port.js'
export { deadlockReport } from './deadlock.js'
export type { BlockedEntry, DeadlockReport } from './deadlock.js'
export type { RecoverySummary } from './recovery.js'
export { LAST_RECORDED_MERGE, ORCHESTRATOR } from './settle.js'
export { commandLine, policyCheckRunner } from './check-runner.js'
export { readProjectStatus } from './read-status.js'
export { effectiveSettings } from './effective-settings.js'
export { setUpRun } from './run-setup.js'
export type { RunSetup, RunSetupInput } from './run-setup.js'
export type { AgentView, ProjectStatus } from './read-status.js'
