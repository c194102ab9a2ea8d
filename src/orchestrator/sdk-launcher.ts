import {
  openAgentSandbox,
  modelProcessEnv,
  sdkRuntime,
  prepareAgent,
  runAgent,
  ensureAppSpec,
} from '../agents/index.js'
import type {
  AgentRoleName,
  PromptSources,
  Provider,
  ModelRuntime,
  AgentRunResult,
  WatchLimits,
} from '../agents/index.js'
import type { Clock } from '../core/index.js'
import type { ProjectContainment } from '../security/index.js'
import type { ProjectStore } from '../store/index.js'
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
  /** What every agent's sandbox hides and reaches (one pod per agent, over its worktree). */
  containment: ProjectContainment
}

const DEFAULT_SESSIONS: Readonly<Record<AgentRoleName, number>> = {
  initializer: 1,
  coding: 3,
  testing: 1,
}

/**
 * The real agent launcher: each agent gets its own sandbox (a pod over its worktree, shared by its
 * sessions, closed when it ends) and is wired by `prepareAgent` exactly as a single agent is
 * (tools, hooks and policy scope of its role; passes are only reported, the orchestrator verifies
 * them), then runs the session loop over Claude Code.
 */
export function createSdkLauncher(options: SdkLauncherOptions): AgentLauncher {
  const runtime = options.runtime ?? sdkRuntime
  return (assignment: AgentAssignment) => launchAgent(options, runtime, assignment)
}

/** One agent: its spec (initializer), its sandbox, its wiring, then its sessions until it ends. */
async function launchAgent(
  options: SdkLauncherOptions,
  runtime: ModelRuntime,
  assignment: AgentAssignment,
): Promise<AgentRunResult> {
  const { store } = options
  if (assignment.role === 'initializer') {
    // The initializer reads the spec from its own checkout; a project may keep it only in .autocoder/prompts/.
    const spec = ensureAppSpec(options.projectDir, assignment.cwd)
    if (!spec.ok) return setupFailed(store, assignment, spec.error.message)
  }
  const sandbox = await openAgentSandbox(options.containment, assignment.agentId, assignment.cwd)
  if (!sandbox.ok) return setupFailed(store, assignment, sandbox.error.message)
  const run = prepareAgent(agentSetup(options, assignment, sandbox.value))
  try {
    return await runAgent(run, {
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
    })
  } finally {
    await sandbox.value.close()
  }
}

type AgentSetup = Parameters<typeof prepareAgent>[0]

/** How the agent is wired: as a single agent is, except that its passes are verified. */
function agentSetup(
  options: SdkLauncherOptions,
  assignment: AgentAssignment,
  sandbox: AgentSetup['sandbox'],
): AgentSetup {
  return {
    store: options.store,
    projectDir: options.projectDir,
    cwd: assignment.cwd,
    agentId: assignment.agentId,
    role: assignment.role,
    featureIds: assignment.featureIds,
    model: options.models[assignment.role],
    port: assignment.port,
    branch: assignment.branch,
    yolo: options.yolo ?? false,
    featureCount: assignment.featureCount,
    env: modelProcessEnv(options.provider, {
      env: options.env,
      port: assignment.port,
      isRoot: options.isRoot,
    }),
    chromiumPath: options.chromiumPath ?? null,
    verifyPasses: true,
    autocoderHome: options.autocoderHome,
    leaseMs: options.leaseMs,
    runId: assignment.runId,
    prompts: options.prompts,
    promptSuffix: options.promptSuffix?.(assignment),
    claudePath: options.claudePath,
    sandbox,
    isDone: assignment.isDone,
    afterSession: assignment.afterSession,
  }
}

/** An agent that could not be set up: its error and finish are recorded, no session ran. */
function setupFailed(
  store: ProjectStore,
  assignment: AgentAssignment,
  message: string,
): AgentRunResult {
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
    usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0 },
    message,
  }
}
