import type { AgentRoleName } from '../agents/index.js'
import type { SandboxKindName, Usage, FeatureStats } from '../core/index.js'
import type { ProjectStore } from '../store/index.js'
import type { MergeOutcome } from '../workspace/index.js'
import type { AgentLauncher } from './agent-launcher.js'
import type { DeadlockReport } from './deadlock.js'
import type { RunEnvironment, RunSettings, RunSettingsInput } from './options.js'
import type { RecoverySummary } from './recovery.js'
import type { WorkspacePort } from './workspace-port.js'
import type { OrchestratorError } from './error-codes.js'

export type RunMode = 'idle' | 'running' | 'paused' | 'draining' | 'stopping' | 'finished'
export type FinishReason = 'complete' | 'stopped' | 'drained' | 'budget' | 'deadlock' | 'error'

/** How a run ended. */
export interface RunReport {
  runId: string
  reason: FinishReason
  message: string
  stats: FeatureStats
  spend: Usage
  recovery: RecoverySummary | null
  deadlock: DeadlockReport | null
  /** The code of the failure that ended the run (reason `error`), e.g. GIT_FAILED; else null. */
  code: OrchestratorError['code'] | null
}

export interface OrchestratorOptions {
  store: ProjectStore
  launcher: AgentLauncher
  workspace: WorkspacePort
  settings?: RunSettingsInput | undefined
  environment?: Partial<RunEnvironment> | undefined
  /** Fast mode: no testing agents (as the reference). */
  yolo?: boolean | undefined
  /** Agent n gets dev-server port `basePort + n % 100`; default 4100. */
  basePort?: number | undefined
  /** How many features the initializer is asked for. */
  initializerFeatureCount?: number | undefined
  /** Options recorded in the `run.started` event. */
  describe?: Record<string, unknown> | undefined
  /** Where agent code runs, recorded in `run.started` (`unsandboxed` adds a `run.unsandboxed` warning). */
  sandbox?: SandboxKindName | undefined
}

/** One agent of this run, from its claim until its worktree is removed. */
export interface RunningAgent {
  agentId: string
  role: AgentRoleName
  featureIds: readonly number[]
  startedAt: number
  /** preparing: checkout; running: sessions; settling: merge and cleanup (its slot is free again). */
  phase: 'preparing' | 'running' | 'settling'
  /** The model it runs (known once it started). */
  model: string | null
  controller: AbortController
  /**
   * The merge of its work that began before its session ended, once it had reported every feature
   * it holds and committed the work (see AgentPool.observe); settling waits for `done`.
   */
  early?: EarlyMerge | undefined
}

/** A merge of an agent's reported work while its session still ran. */
export interface EarlyMerge {
  /** Settles when the merge has run (or was found not possible yet). */
  done: Promise<void>
  /** The commit of the agent's branch when it was looked at; null until then. */
  head: string | null
  /** How the merge went; null until it has run. */
  outcome: MergeOutcome | null
}

/** A snapshot of a run for status displays. */
export interface RunStatus {
  runId: string
  mode: RunMode
  settings: RunSettings
  stats: FeatureStats
  agents: Array<Omit<RunningAgent, 'controller'>>
  spend: Usage
  startedAt: number | null
  drainReason: string | null
}
