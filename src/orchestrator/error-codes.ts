import { AGENT_ERROR_CODES } from '../agents/index.js'
import type { AgentError, AgentErrorCode } from '../agents/index.js'
import { CORE_ERROR_CODES } from '../core/index.js'
import type { AppError, CoreErrorCode } from '../core/index.js'
import { SANDBOX_ERROR_CODES } from '../sandbox/index.js'
import type { SandboxErrorCode } from '../sandbox/index.js'
import { SECURITY_ERROR_CODES } from '../security/index.js'
import type { PolicyErrorCode } from '../security/index.js'
import { STORE_ERROR_CODES } from '../store/index.js'
import type { StoreErrorCode } from '../store/index.js'
import { TOOL_ERROR_CODES } from '../tools/index.js'
import type { ToolErrorCode } from '../tools/index.js'
import { WORKSPACE_ERROR_CODES } from '../workspace/index.js'
import type { WorkspaceErrorCode } from '../workspace/index.js'

/**
 * Codes of the expected failures of the orchestrator itself. A run also passes on the codes of
 * the modules it drives (a workspace that cannot be prepared, a locked project, no credentials),
 * so `OrchestratorError` covers those too and the caller sees the real cause.
 */
export const ORCHESTRATOR_ERROR_CODES = [
  /** `run()` was called a second time on the same Orchestrator. */
  'RUN_STARTED',
  /** The run's start threw (a bug): the message has what was thrown. */
  'RUN_FAILED',
] as const

export type OrchestratorErrorCode = (typeof ORCHESTRATOR_ERROR_CODES)[number]
/** A failure of a run: the orchestrator's own codes or those of agents, store, workspace, ... */
export type OrchestratorError = AppError<
  OrchestratorErrorCode | WorkspaceErrorCode | AgentError['code']
>

/** Every code of the orchestrator and of the modules below it (what the server may receive). */
export type ModuleErrorCode =
  | CoreErrorCode
  | StoreErrorCode
  | PolicyErrorCode
  | SandboxErrorCode
  | ToolErrorCode
  | WorkspaceErrorCode
  | AgentErrorCode
  | OrchestratorErrorCode

/** The codes of the orchestrator and of every module below it, each once. */
export const MODULE_ERROR_CODES: readonly ModuleErrorCode[] = [
  ...new Set<ModuleErrorCode>([
    ...CORE_ERROR_CODES,
    ...STORE_ERROR_CODES,
    ...SECURITY_ERROR_CODES,
    ...SANDBOX_ERROR_CODES,
    ...TOOL_ERROR_CODES,
    ...WORKSPACE_ERROR_CODES,
    ...AGENT_ERROR_CODES,
    ...ORCHESTRATOR_ERROR_CODES,
  ]),
]
