import type { AppError, CoreErrorCode, Result } from '../core/index.js'
import type { SandboxErrorCode } from '../sandbox/index.js'
import type { PolicyErrorCode } from '../security/index.js'
import type { StoreErrorCode } from '../store/index.js'

/**
 * Codes of the expected failures of the agents module (providers, prompts, the single-agent run,
 * the demo). Agents also pass on the codes of what they open: the store, the sandbox, the policy.
 */
export const AGENT_ERROR_CODES = [
  /** No usable model credentials in the settings or the environment. */
  'NO_CREDENTIALS',
  /** The provider settings are invalid (a base URL that is not http(s)). */
  'PROVIDER_INVALID',
  /** A prompt template is missing. */
  'PROMPT_NOT_FOUND',
  /** A prompt template names a placeholder that does not exist. */
  'PROMPT_PLACEHOLDER_UNKNOWN',
  /** A prompt template is malformed. */
  'PROMPT_SYNTAX',
  /** A coding or testing prompt was asked for without feature ids. */
  'PROMPT_NO_FEATURES',
  /** The project has no app_spec.txt. */
  'NO_APP_SPEC',
  /** The initializer was asked for on a board that already has features. */
  'ALREADY_INITIALIZED',
  /** No feature is in a state the single agent can work on. */
  'NO_FEATURES',
  /** The demo options or board are invalid. */
  'DEMO_INVALID',
  /** The demo folder is not empty and holds no earlier demo. */
  'DEMO_DIR_NOT_EMPTY',
  /** The folder has no demo board. */
  'DEMO_NOT_PREPARED',
] as const

export type AgentErrorCode = (typeof AGENT_ERROR_CODES)[number]
/** An agents-module failure: its own codes or those of the store, sandbox, policy and core. */
export type AgentError = AppError<
  AgentErrorCode | StoreErrorCode | SandboxErrorCode | PolicyErrorCode | CoreErrorCode
>
/** The result of an agents-module call. */
export type AgentResult<T> = Result<T, AgentError>
