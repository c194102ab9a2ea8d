import type { AgentRoleName, AgentRunResult } from '../agents/index.js'

/** One agent the run loop starts: who, what for, where. */
export interface AgentAssignment {
  agentId: string
  role: AgentRoleName
  featureIds: readonly number[]
  /** The agent's checkout (its worktree). */
  cwd: string
  branch: string | undefined
  /** The agent's own dev-server port. */
  port: number
  runId: string
  /** How many features the initializer should create (initializer only). */
  featureCount?: number | undefined
  /** Aborted when the run stops: the agent must end soon. */
  signal: AbortSignal
  /** Whether the assigned work is done, read from the store. */
  isDone: () => boolean
  /** To run after each of the agent's sessions: restores repository config it changed. */
  afterSession?: (() => Promise<void>) | undefined
}

/**
 * Runs one agent to its end. The default (`createSdkLauncher`) runs Claude Code sessions through
 * the session loop; simulations inject their own. Must append `agent.started`/`agent.finished`
 * events (the session loop does) and never reject for an expected failure.
 */
export type AgentLauncher = (assignment: AgentAssignment) => Promise<AgentRunResult>
