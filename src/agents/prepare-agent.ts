import { isDone } from '../core/index.js'
import type { Result } from '../core/index.js'
import type { Sandbox } from '../sandbox/index.js'
import type { ProjectStore } from '../store/index.js'
import type { AgentRoleName, PromptSources } from './prompts.js'
import { buildSessionSpec } from './session-spec.js'
import type { AgentRun } from './session-loop.js'
import type { SessionSpec } from './runtime.js'
import { wireSession } from './wire-session.js'
import type { AgentError } from './error-codes.js'

/** Everything needed to run one agent of a role against a project. */
export interface AgentSetup {
  store: ProjectStore
  projectDir: string
  /** The agent's working directory; default the project directory. */
  cwd?: string | undefined
  agentId: string
  role: AgentRoleName
  featureIds: readonly number[]
  model: string
  port: number
  branch?: string | undefined
  yolo: boolean
  featureCount?: number | undefined
  /** The complete model-process environment (`modelProcessEnv`). */
  env: Readonly<Record<string, string>>
  chromiumPath: string | null
  /** True under the orchestrator: passes are reported and confirmed after merge. */
  verifyPasses: boolean
  autocoderHome?: string | undefined
  /** Lease of claims made through the tools; default 10 minutes. */
  leaseMs?: number | undefined
  runId?: string | null
  prompts?: PromptSources | undefined
  promptSuffix?: string | undefined
  claudePath?: string | undefined
  maxTurns?: number | undefined
  /** The agent's OS sandbox (opened and closed by the caller): its Bash and browser run inside. */
  sandbox: Sandbox
  /** Whether the assigned work is done; default `assignedWorkDone` on the store. */
  isDone?: (() => boolean) | undefined
  /** Runs after every session of the agent. */
  afterSession?: (() => Promise<void>) | undefined
}

/** Lease of claims agents make through the tools (renewed by tool calls and the loop's heartbeat). */
export const DEFAULT_LEASE_MS = 10 * 60_000

/**
 * Whether an agent's assigned work is done, from the store: the initializer created features; a
 * coding agent's features pass, were reported passing by it, or wait for a person; a testing
 * agent left none of its features failing.
 */
export function assignedWorkDone(
  store: ProjectStore,
  role: AgentRoleName,
  featureIds: readonly number[],
  agentId: string,
): boolean {
  if (role === 'initializer') return store.features.count() > 0
  return featureIds.every((id) => {
    const feature = store.features.get(id)
    if (!feature) return true
    const claim = store.claims.holder(id)
    if (claim?.agentId === agentId && claim.reported === 'passing') return true
    if (role === 'testing') return feature.state !== 'failing'
    return isDone(feature.state) || feature.state === 'needs_human'
  })
}

/**
 * Wires an agent, whoever runs it (`autocoder run --agent`, the orchestrator's launcher): every
 * session gets the role's tools, hooks and policy scope from `wireSession` (the policy reloaded,
 * so packages the agent declares count), the agent's one sandbox and its prompt.
 */
export function prepareAgent(setup: AgentSetup): AgentRun {
  const cwd = setup.cwd ?? setup.projectDir
  const { store, agentId, role } = setup
  return {
    agentId,
    role,
    featureIds: setup.featureIds,
    model: setup.model,
    runId: setup.runId ?? null,
    isDone: setup.isDone ?? (() => assignedWorkDone(store, role, setup.featureIds, agentId)),
    afterSession: setup.afterSession,
    session: async (): Promise<Result<SessionSpec, AgentError>> => {
      const wiring = await wireSession({
        role,
        agentId,
        store,
        projectDir: setup.projectDir,
        cwd,
        env: setup.env,
        autocoderHome: setup.autocoderHome,
        leaseMs: setup.leaseMs ?? DEFAULT_LEASE_MS,
        verifyPasses: setup.verifyPasses,
        assignedFeatureIds: role === 'initializer' ? undefined : setup.featureIds,
        chromiumPath: setup.yolo ? null : setup.chromiumPath,
        sandbox: setup.sandbox,
      })
      if (!wiring.ok) return wiring
      return buildSessionSpec({
        agentId,
        role,
        featureIds: setup.featureIds,
        model: setup.model,
        cwd,
        port: setup.port,
        branch: setup.branch,
        featureCount: setup.featureCount,
        env: setup.env,
        wiring: wiring.value,
        prompts: setup.prompts ?? { projectDir: setup.projectDir },
        promptSuffix: setup.promptSuffix,
        claudePath: setup.claudePath,
        maxTurns: setup.maxTurns,
      })
    },
  }
}
