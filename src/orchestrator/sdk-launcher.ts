import type { AgentRoleName, PromptSources } from '../agents/prompts.js'
import { modelProcessEnv } from '../agents/providers.js'
import type { Provider } from '../agents/providers.js'
import type { ModelRuntime } from '../agents/runtime.js'
import { sdkRuntime } from '../agents/sdk-runtime.js'
import { runAgent } from '../agents/session-loop.js'
import type { AgentRunResult } from '../agents/session-loop.js'
import { buildSessionSpec } from '../agents/session-spec.js'
import { ensureAppSpec } from '../agents/single-agent.js'
import type { WatchLimits } from '../agents/watch-session.js'
import type { Clock } from '../core/clock.js'
import {
  loadPolicy,
  resolvePathOnDisk,
  securityHookMatchers,
  toPolicyDecisionEvent,
} from '../security/index.js'
import type { ProjectStore } from '../store/index.js'
import { createFeatureToolServer, qualifiedToolNames, TOOL_SETS } from '../tools/index.js'
import type { AgentAssignment, AgentLauncher } from './agent-launcher.js'

export interface SdkLauncherOptions {
  store: ProjectStore
  projectDir: string
  clock: Clock
  provider: Provider
  /** The model of each role. */
  models: Readonly<Record<AgentRoleName, string>>
  /** Our environment, from which the model process gets PATH, HOME and the like. */
  env: Readonly<Record<string, string | undefined>>
  isRoot: boolean
  /** Lease of claims the agents' tools take and renew. */
  leaseMs: number
  yolo?: boolean | undefined
  chromiumPath?: string | null | undefined
  claudePath?: string | undefined
  /** `$AUTOCODER_HOME`, for the organisation's policy file. */
  autocoderHome?: string | undefined
  prompts?: PromptSources | undefined
  /** Text appended to every prompt (routing markers for the scripted model). */
  promptSuffix?: ((assignment: AgentAssignment) => string | undefined) | undefined
  runtime?: ModelRuntime | undefined
  limits?: Partial<WatchLimits> | undefined
  /** Sessions per agent at most; default: initializer 1, coding 3, testing 1. */
  maxSessions?: Partial<Record<AgentRoleName, number>> | undefined
  /** Pause between sessions of one agent; default 3 s. */
  autoContinueDelayMs?: number | undefined
  random?: (() => number) | undefined
}

const DEFAULT_SESSIONS: Readonly<Record<AgentRoleName, number>> = {
  initializer: 1,
  coding: 3,
  testing: 1,
}

/**
 * The real agent launcher: per agent an in-process feature tool server running as that agent
 * (passes are only reported; the orchestrator verifies them), the security hook for its worktree,
 * its prompt and model, then the session loop over Claude Code.
 */
export function createSdkLauncher(options: SdkLauncherOptions): AgentLauncher {
  const runtime = options.runtime ?? sdkRuntime
  return async (assignment: AgentAssignment): Promise<AgentRunResult> => {
    const { store } = options
    const failed = (message: string): AgentRunResult => {
      store.events.append({
        type: 'agent.error',
        agentId: assignment.agentId,
        code: 'AGENT_SETUP_FAILED',
        message,
      })
      store.events.append({
        type: 'agent.finished',
        agentId: assignment.agentId,
        role: assignment.role,
        featureIds: [...assignment.featureIds],
        outcome: 'error',
        message,
      })
      return {
        outcome: 'error',
        iterations: 0,
        usage: {
          inputTokens: 0,
          outputTokens: 0,
          cacheReadTokens: 0,
          cacheWriteTokens: 0,
          costUsd: 0,
        },
        message,
      }
    }
    if (assignment.role === 'initializer') {
      // The initializer reads the spec from its own checkout; a project may keep it only in .autocoder/prompts/.
      const spec = ensureAppSpec(options.projectDir, assignment.cwd)
      if (!spec.ok) return failed(spec.error.message)
    }
    const policy = await loadPolicy({
      projectDir: options.projectDir,
      cwd: assignment.cwd,
      autocoderHome: options.autocoderHome,
    })
    if (!policy.ok) return failed(policy.error.message)
    const toolNames = TOOL_SETS[assignment.role]
    const server = createFeatureToolServer(
      {
        store,
        callerId: assignment.agentId,
        role: assignment.role,
        leaseMs: options.leaseMs,
        verifyPasses: true,
        ...(assignment.role === 'initializer' ? {} : { assignedFeatureIds: assignment.featureIds }),
      },
      toolNames,
    )
    const hooks = securityHookMatchers(
      policy.value,
      { cwd: assignment.cwd, projectDir: options.projectDir, resolvePath: resolvePathOnDisk },
      (record) => {
        if (!record.decision.allowed)
          store.events.append(toPolicyDecisionEvent(assignment.agentId, record))
      },
    )
    const env = modelProcessEnv(options.provider, {
      env: options.env,
      port: assignment.port,
      isRoot: options.isRoot,
    })
    const model = options.models[assignment.role]
    const spec = buildSessionSpec({
      agentId: assignment.agentId,
      role: assignment.role,
      featureIds: assignment.featureIds,
      model,
      cwd: assignment.cwd,
      port: assignment.port,
      branch: assignment.branch,
      yolo: options.yolo ?? false,
      featureCount: assignment.featureCount,
      env,
      features: { server, toolNames: qualifiedToolNames(toolNames) },
      securityHooks: hooks,
      chromiumPath: options.chromiumPath ?? null,
      prompts: options.prompts ?? { projectDir: options.projectDir },
      claudePath: options.claudePath,
      promptSuffix: options.promptSuffix?.(assignment),
    })
    if (!spec.ok) return failed(spec.error.message)
    return runAgent(
      {
        agentId: assignment.agentId,
        role: assignment.role,
        featureIds: assignment.featureIds,
        model,
        runId: assignment.runId,
        session: () => spec.value,
        isDone: assignment.isDone,
      },
      {
        runtime,
        store,
        clock: options.clock,
        signal: assignment.signal,
        maxIterations: options.maxSessions?.[assignment.role] ?? DEFAULT_SESSIONS[assignment.role],
        ...(options.random ? { random: options.random } : {}),
        ...(options.autoContinueDelayMs !== undefined
          ? { autoContinueDelayMs: options.autoContinueDelayMs }
          : {}),
        ...options.limits,
      },
    )
  }
}
