// The bash policy and tool guard: parse, check, confine. Explicit exports only (STYLE §1).
export { decideBash } from './decide-bash.js'
export type { BashPolicy, PolicyContext, PolicyDecision, PolicyScope } from './decide-bash.js'
export { decideFileTool, isFileTool } from './decide-file-tool.js'
export type { PolicyFlag } from './invocation.js'
export {
  createBashPolicy,
  loadPolicy,
  PROJECT_POLICY_FILE,
  SECURITY_ERROR_CODES,
} from './load-policy.js'
export type { LoadPolicyOptions, PolicyError, PolicyErrorCode } from './load-policy.js'
export { resolvePathOnDisk } from './resolve-path-fs.js'
export { CREDENTIAL_HOME_PATHS } from './paths.js'
export type { ResolvePath } from './paths.js'
export { OrgPolicyConfig, ProjectPolicyConfig } from './policy-config.js'
export type { PolicyRules, RuleSource, RulesInput } from './policy-rules.js'
export {
  agentSandboxSpec,
  checkSandboxSpec,
  devServerSandboxSpec,
  linkedNodeModules,
  projectContainment,
} from './sandbox.js'
export type { ContainmentInput, ProjectContainment } from './sandbox.js'
export {
  createSecurityHook,
  denyToolUse,
  securityHookMatchers,
  toPolicyDecisionEvent,
} from './security-hook.js'
export type { BashWrapper, DecisionListener, DecisionRecord } from './security-hook.js'
