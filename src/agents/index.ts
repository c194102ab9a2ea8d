// The agent runtime: SDK adapter, prompts, session loop, providers. Explicit exports only (STYLE §1).
export { sdkOptions, sdkRuntime } from './sdk-runtime.js'
export { addUsage, ZERO_USAGE } from './runtime.js'
export type {
  AgentHooks,
  AgentMcpServer,
  AgentSession,
  FailureKind,
  ModelRuntime,
  SessionEnd,
  SessionFailure,
  SessionMessage,
  SessionReady,
  SessionSpec,
} from './runtime.js'
export { SdkTranslator, truncate, usageOf } from './translate-sdk.js'
export { DEFAULT_LIMITS, runAgent } from './session-loop.js'
export type { AgentOutcome, AgentRun, AgentRunResult, SessionLoopOptions } from './session-loop.js'
export { watchSession } from './watch-session.js'
export type { StopReason, WatchLimits } from './watch-session.js'
export {
  buildPrompt,
  defaultPromptsDir,
  loadPromptTemplate,
  PROMPT_NAMES,
  projectPromptsDir,
  promptNameFor,
} from './prompts.js'
export type {
  AgentRoleName,
  BuiltPrompt,
  PromptInput,
  PromptName,
  PromptSources,
} from './prompts.js'
export { AGENT_ERROR_CODES } from './error-codes.js'
export type { AgentError, AgentErrorCode } from './error-codes.js'
export { renderTemplate } from './prompt-template.js'
export { buildSessionSpec, MAX_TURNS } from './session-spec.js'
export type { RoleSessionInput } from './session-spec.js'
export { PLAYWRIGHT_TOOLS, playwrightServer } from './playwright.js'
export {
  ACCEPT_RISK_HINT,
  containmentChoices,
  containmentFor,
  openDevServerSandbox,
  openAgentSandbox,
  probeDetail,
  sandboxGate,
  sandboxProbe,
  UNSANDBOXED_WARNING,
} from './containment.js'
export type { ContainmentChoices, ContainmentFor } from './containment.js'
export {
  ASK_USER_TOOL,
  BUILTIN_TOOLS,
  CHAT_SERVER_NAME,
  isAgentRole,
  READ_ONLY_BUILTINS,
  SESSION_ROLES,
  WRITE_SPEC_TOOL,
} from './session-roles.js'
export type { SessionRole, SessionRoleTools } from './session-roles.js'
export { chatModelSetup } from './chat-model.js'
export type { ChatModelSetup } from './chat-model.js'
export { COMPACT_INSTRUCTIONS, sessionScope, wireSession } from './wire-session.js'
export type { SessionWiring, SessionWiringInput } from './wire-session.js'
export {
  DEFAULT_CHROMIUM_PATH,
  DEFAULT_MODELS,
  hasClaudeLogin,
  modelFor,
  modelProcessEnv,
  resolveProvider,
  setting,
  SETTING_KEYS,
} from './providers.js'
export type { Provider, ProviderKind, SettingSources } from './providers.js'
export { assignedWorkDone, DEFAULT_LEASE_MS, prepareAgent } from './prepare-agent.js'
export type { AgentSetup } from './prepare-agent.js'
export { ensureAppSpec, pickFeatures, runSingleAgent } from './single-agent.js'
export type { SingleAgentOptions } from './single-agent.js'
export { findClaudeBinary, runDoctorChecks } from './doctor.js'
export type { DoctorCheck, DoctorOptions } from './doctor.js'
