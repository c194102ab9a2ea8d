import type { AgentRoleName, AgentRunResult } from '../agents/index.js'
import type { AppEvent, Clock, Feature } from '../core/index.js'
import type { ProjectStore } from '../store/index.js'
import type { AgentLauncher } from './agent-launcher.js'
import type { RunSettings } from './options.js'
import type { EarlyMerge, RunningAgent } from './run-types.js'
import { codingBatches, slotsInUse, testingBatch } from './select-work.js'
import { mergeAndRecord, recordRestored, releaseUnfinished } from './settle.js'
import { settleAgent } from './settle-agent.js'
import type { WorkspacePort } from './workspace-port.js'

/** Consecutive agents ending in error (with nothing merged) before the run gives up. */
const MAX_AGENT_ERRORS_IN_A_ROW = 3

export interface AgentPoolOptions {
  store: ProjectStore
  workspace: WorkspacePort
  launcher: AgentLauncher
  clock: Clock
  runId: string
  /** Agent n gets dev-server port `basePort + n % 100`. */
  basePort: number
  /** How many features the initializer is asked for. */
  initializerFeatureCount: number | undefined
  /** The run's settings now (they change with `setConcurrency`). */
  settings: () => RunSettings
  /** Called whenever an agent changes phase or ends: the run loop looks again. */
  wake: () => void
  log: (level: 'info' | 'warn' | 'error', text: string) => void
}

/**
 * The agents of one run, from claim to worktree removal: each is claimed before it starts, runs
 * in its own checkout, and is settled (merge, release) when its sessions end. Counts agents
 * ending in errors in a row; at the limit `fatal` says why the run should end.
 */
export class AgentPool {
  readonly #options: AgentPoolOptions
  readonly #agents = new Map<string, RunningAgent>()
  #seq = 0
  #errorsInARow = 0
  #fatal: string | null = null

  constructor(options: AgentPoolOptions) {
    this.#options = options
  }

  get size(): number {
    return this.#agents.size
  }

  /** Why the run should end because of its agents (errors in a row, an unexpected failure). */
  get fatal(): string | null {
    return this.#fatal
  }

  get(agentId: string): RunningAgent | undefined {
    return this.#agents.get(agentId)
  }

  agents(): RunningAgent[] {
    return [...this.#agents.values()]
  }

  /** Interrupts every agent; each settles and leaves the pool on its own. */
  interruptAll(message: string): void {
    for (const agent of this.#agents.values()) agent.controller.abort(new Error(message))
  }

  /** Renews the claims of every agent. */
  heartbeat(leaseMs: number): void {
    for (const agent of this.#agents.values())
      this.#options.store.claims.heartbeat(agent.agentId, leaseMs)
  }

  /** Fills the free coding slots with batches of ready features. */
  startCoding(features: readonly Feature[]): void {
    const { concurrency, batchSize } = this.#options.settings()
    const free = concurrency - slotsInUse(this.#agents.values(), 'coding')
    if (free <= 0) return
    const claimed = new Set(this.#options.store.claims.list().map((claim) => claim.featureId))
    const batches = codingBatches(features, claimed, { batchSize, concurrency, free })
    let started = 0
    for (const batch of batches) {
      if (started >= free) break
      if (this.launch('coding', batch)) started++
    }
  }

  /** Fills the free testing slots with passing features nobody holds. */
  startTesting(features: readonly Feature[]): void {
    const { testingAgents, testingBatchSize } = this.#options.settings()
    const running = slotsInUse(this.#agents.values(), 'testing')
    let started = 0
    while (running + started < testingAgents) {
      const held = new Set(this.#options.store.claims.list().map((claim) => claim.featureId))
      const batch = testingBatch(features, held, testingBatchSize)
      if (batch.length === 0 || !this.launch('testing', batch)) break
      started++
    }
  }

  /** Claims the features (all or none) and starts the agent; false when the claim fails. */
  launch(role: AgentRoleName, featureIds: readonly number[]): boolean {
    const { store, runId, settings } = this.#options
    const seq = ++this.#seq
    const agentId = `${role[0]}${seq}-${runId.slice(4)}`
    if (featureIds.length > 0) {
      const kind = role === 'testing' ? 'testing' : 'coding'
      const claimed = store.claims.claim(featureIds, agentId, kind, settings().leaseMs)
      if (!claimed.ok) return false
    }
    const agent: RunningAgent = {
      agentId,
      role,
      featureIds: [...featureIds],
      startedAt: this.#options.clock.now(),
      phase: 'preparing',
      model: null,
      controller: new AbortController(),
    }
    this.#agents.set(agentId, agent)
    void this.#run(agent, this.#options.basePort + (seq % 100))
      .catch((error: unknown) => {
        const { message } = error as Error
        this.#options.log('error', `Agent ${agentId} failed unexpectedly: ${message}`)
        releaseUnfinished(store, agentId, {
          countAttempt: false,
          maxAttempts: settings().maxAttempts,
          reason: 'agent failed',
        })
        this.#fatal ??= `agent ${agentId} failed unexpectedly: ${message}`
      })
      .finally(() => {
        this.#agents.delete(agentId)
        this.#options.wake()
      })
    return true
  }

  async #run(agent: RunningAgent, port: number): Promise<void> {
    const { store, workspace, log } = this.#options
    const checkout = await workspace.checkout(agent.agentId)
    if (!checkout.ok) {
      const { message } = checkout.error
      log('error', `Could not create the worktree of ${agent.agentId}: ${message}`)
      releaseUnfinished(store, agent.agentId, {
        countAttempt: false,
        maxAttempts: this.#options.settings().maxAttempts,
        reason: 'no worktree',
      })
      this.#countError(`the worktree could not be created: ${message}`)
      await workspace.release(agent.agentId)
      return
    }
    let result: AgentRunResult | null = null
    if (!agent.controller.signal.aborted) {
      agent.phase = 'running'
      result = await this.#options.launcher({
        agentId: agent.agentId,
        role: agent.role,
        featureIds: agent.featureIds,
        cwd: checkout.value.cwd,
        branch: checkout.value.branch,
        port,
        runId: this.#options.runId,
        featureCount: this.#options.initializerFeatureCount,
        signal: agent.controller.signal,
        isDone: () => this.#isDone(agent),
        afterSession: () => this.verifyGit(`after a session of ${agent.agentId}`),
      })
    }
    agent.phase = 'settling'
    this.#options.wake()
    await this.verifyGit(`before merging the work of ${agent.agentId}`)
    const end = await settleAgent(store, workspace, {
      agent,
      result,
      maxAttempts: this.#options.settings().maxAttempts,
      log,
    })
    if (end.kind === 'fine') this.#errorsInARow = 0
    else if (end.kind === 'error') this.#countError(end.message)
    const removed = await workspace.release(agent.agentId)
    if (!removed.ok)
      log('warn', `Could not remove the worktree of ${agent.agentId}: ${removed.error.message}`)
  }

  #isDone(agent: RunningAgent): boolean {
    const { store } = this.#options
    if (agent.role === 'initializer') return store.features.count() > 0
    return store.claims.heldBy(agent.agentId).every((claim) => claim.reported === 'passing')
  }

  /**
   * Follows the agents' tool results: once a coding agent has reported every feature it holds as
   * passing and its checkout holds nothing uncommitted, its branch merges while the agent writes
   * its last words, so the check runs and its dependents can start without waiting for the session
   * to end. What it commits afterwards merges when it settles.
   */
  observe(event: AppEvent): void {
    if (event.type !== 'agent.tool_result') return
    const agent = this.#agents.get(event.agentId)
    if (!agent || agent.role !== 'coding' || agent.phase !== 'running' || agent.early) return
    const held = this.#options.store.claims.heldBy(agent.agentId)
    if (held.length === 0 || held.some((claim) => claim.reported !== 'passing')) return
    const early: EarlyMerge = { done: Promise.resolve(), head: null, outcome: null }
    agent.early = early
    early.done = this.#mergeEarly(
      agent,
      early,
      held.map((claim) => claim.featureId),
    ).catch((error: unknown) => {
      this.#options.log('warn', `The early merge of ${agent.agentId} failed: ${String(error)}`)
    })
  }

  async #mergeEarly(agent: RunningAgent, early: EarlyMerge, featureIds: number[]): Promise<void> {
    const { store, workspace } = this.#options
    const pending = await workspace.pendingWork(agent.agentId)
    if (pending.uncommitted || agent.phase !== 'running' || agent.controller.signal.aborted) {
      // Not yet (it still has to commit): the next tool result looks again.
      if (agent.early === early) agent.early = undefined
      return
    }
    early.head = pending.head
    await this.verifyGit(`before merging the work of ${agent.agentId}`)
    early.outcome = await mergeAndRecord(store, workspace, {
      agent,
      featureIds,
      maxAttempts: this.#options.settings().maxAttempts,
      log: this.#options.log,
      early: true,
    })
    if (early.outcome.kind === 'merged') this.#options.wake()
  }

  /** Puts back repository config and hooks an agent changed, before our own git runs again. */
  async verifyGit(when: string): Promise<void> {
    recordRestored(this.#options.store, await this.#options.workspace.verify(), when)
  }

  #countError(message: string): void {
    this.#errorsInARow++
    if (this.#errorsInARow >= MAX_AGENT_ERRORS_IN_A_ROW) {
      this.#fatal ??= `${this.#errorsInARow} agents in a row ended in an error; the last: ${message}`
      this.#options.wake()
    }
  }
}
