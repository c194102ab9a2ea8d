import type { AgentRoleName } from '../agents/prompts.js'
import type { AgentRunResult } from '../agents/session-loop.js'
import type { Feature } from '../core/feature.js'
import { err, ok } from '../core/result.js'
import type { Result } from '../core/result.js'
import type { ProjectStore } from '../store/index.js'
import { answerQuestion } from '../tools/index.js'
import type { AgentLauncher } from './agent-launcher.js'
import { deadlockReport } from './deadlock.js'
import type { DeadlockReport } from './deadlock.js'
import { normalizeRunSettings, resolveEnvironment } from './options.js'
import type { RunEnvironment, RunSettings } from './options.js'
import { recoverRun } from './recovery.js'
import type { RecoverySummary } from './recovery.js'
import type {
  FinishReason,
  OrchestratorOptions,
  RunMode,
  RunReport,
  RunningAgent,
  RunStatus,
} from './run-types.js'
import { codingBatches, testingBatch } from './select-work.js'
import { mergeAndRecord, ORCHESTRATOR, recordMerged, releaseUnfinished } from './settle.js'
import type { WorkspacePort } from './workspace-port.js'

interface Finish {
  reason: FinishReason
  message: string
  deadlock?: DeadlockReport
}

/** Consecutive agents ending in error (with nothing merged) before the run gives up. */
const MAX_AGENT_ERRORS_IN_A_ROW = 3

const isDone = (feature: Feature): boolean =>
  feature.state === 'passing' || feature.state === 'skipped'

/**
 * The run loop of one project: starts the initializer on an empty board, then keeps the coding
 * and testing slots full, claims before any agent starts, merges verified work one batch at a time
 * and stops when every feature passes or is skipped, on a deadlock, a budget, or a request.
 * Event-driven: it wakes on store events, agent ends and its own timers, never by polling.
 */
export class Orchestrator {
  readonly runId: string
  readonly #store: ProjectStore
  readonly #launcher: AgentLauncher
  readonly #workspace: WorkspacePort
  readonly #env: RunEnvironment
  readonly #options: OrchestratorOptions
  #settings: RunSettings
  #mode: RunMode = 'idle'
  #drainReason: { reason: FinishReason; message: string } | null = null
  #stopRequested: string | null = null
  readonly #agents = new Map<string, RunningAgent>()
  #seq = 0
  #startedAt: number | null = null
  #initializerRan = false
  #agentErrorsInARow = 0
  #fatal: string | null = null
  #woken = false
  #wakeUp: (() => void) | null = null
  readonly #timers = new AbortController()
  #leaseTimer: AbortController | null = null
  #lastSeenEvent = 0

  constructor(options: OrchestratorOptions) {
    this.#options = options
    this.#store = options.store
    this.#launcher = options.launcher
    this.#workspace = options.workspace
    this.#env = resolveEnvironment(options.environment)
    this.#settings = normalizeRunSettings(options.settings)
    this.runId = `run-${this.#env.newId()}`
  }

  /**
   * Runs to the end. Refuses (PROJECT_LOCKED, naming the holder) when another orchestrator runs
   * this project; any other failure ends the run with reason `error`. The lock is taken before the
   * first await: right after calling, `status().mode` is still `idle` only if it was refused.
   */
  async run(): Promise<Result<RunReport>> {
    if (this.#mode !== 'idle')
      return err('RUN_STARTED', `Run ${this.runId} was already started; create a new Orchestrator.`)
    const { store } = this
    const isAlive = this.#env.isAlive ?? (() => true)
    const lock = store.locks.acquire(
      { owner: this.runId, pid: this.#env.pid, host: this.#env.host },
      this.#settings.lockLeaseMs,
      (holder) => holder.host !== this.#env.host || isAlive(holder.pid),
    )
    if (!lock.ok) return lock
    this.#mode = 'running'
    this.#startedAt = this.#env.clock.now()
    const unsubscribe = store.events.subscribe((event) => {
      if (event.type === 'agent.started') {
        const agent = this.#agents.get(event.agentId)
        if (agent) agent.model = event.model
      }
      if (event.type.startsWith('feature.') || event.type === 'agent.usage') this.#wake()
    })
    let recovery: RecoverySummary | null = null
    let finish: Finish
    try {
      store.events.append({
        type: 'run.started',
        runId: this.runId,
        options: { ...this.#settings, ...this.#options.describe },
      })
      const prepared = await this.#workspace.prepare()
      if (!prepared.ok) throw new Error(prepared.error.message)
      this.#restored(prepared.value.restored, 'at the start of the run, left by one that stopped')
      const recovered = await recoverRun(store, this.#workspace)
      if (!recovered.ok) throw new Error(recovered.error.message)
      recovery = recovered.value
      void this.#heartbeat()
      if (this.#settings.maxHours !== null) void this.#deadline(this.#settings.maxHours * 3_600_000)
      finish = await this.#loop()
    } catch (error) {
      finish = { reason: 'error', message: `Orchestrator error: ${(error as Error).message}` }
      await this.#abortAll(finish.message)
    } finally {
      this.#timers.abort()
      this.#leaseTimer?.abort()
      unsubscribe()
    }
    this.#restored(await this.#workspace.close().catch(() => []), 'at the end of the run')
    this.#mode = 'finished'
    if (finish.deadlock) {
      store.events.append({
        type: 'run.deadlock',
        runId: this.runId,
        blocked: finish.deadlock.blocked.map(({ id, waitingOn, missing }) => ({
          id,
          waitingOn,
          missing,
        })),
        cycles: finish.deadlock.cycles,
      })
    }
    store.events.append({
      type: 'run.finished',
      runId: this.runId,
      reason: finish.reason,
      message: finish.message,
    })
    store.locks.release(this.runId)
    return ok({
      runId: this.runId,
      reason: finish.reason,
      message: finish.message,
      stats: store.features.stats(),
      spend: store.sessions.totals(this.runId),
      recovery,
      deadlock: finish.deadlock ?? null,
    })
  }

  get store(): ProjectStore {
    return this.#store
  }

  /** Starts nothing new until `resume`; running agents go on. */
  pause(): void {
    if (this.#mode !== 'running') return
    this.#mode = 'paused'
    this.#store.events.append({ type: 'run.paused', runId: this.runId })
    this.#wake()
  }

  resume(): void {
    if (
      this.#mode !== 'paused' &&
      !(this.#mode === 'draining' && this.#drainReason?.reason === 'drained')
    )
      return
    this.#mode = 'running'
    this.#drainReason = null
    this.#store.events.append({ type: 'run.resumed', runId: this.runId })
    this.#wake()
  }

  /** Lets running agents finish, starts nothing new, then ends the run. */
  drain(message = 'drain requested'): void {
    this.#beginDrain('drained', message)
  }

  /** Interrupts every agent, releases their claims and ends the run. */
  stop(message = 'stop requested'): void {
    if (this.#mode === 'finished' || this.#mode === 'stopping') return
    this.#stopRequested = message
    if (this.#mode === 'idle') return
    this.#mode = 'stopping'
    for (const agent of this.#agents.values()) agent.controller.abort(new Error(message))
    this.#wake()
  }

  /** Changes the number of coding and/or testing slots while running. */
  setConcurrency(change: { coding?: number; testing?: number }): RunSettings {
    this.#settings = normalizeRunSettings({
      ...this.#settings,
      concurrency: change.coding ?? this.#settings.concurrency,
      testingAgents: change.testing ?? this.#settings.testingAgents,
    })
    this.#store.events.append({
      type: 'run.concurrency',
      runId: this.runId,
      coding: this.#settings.concurrency,
      testing: this.#settings.testingAgents,
    })
    this.#wake()
    return this.#settings
  }

  /** Answers the question of a feature waiting for a person; it becomes pending again. */
  answer(featureId: number, text: string): Result<Feature> {
    const answered = answerQuestion(this.#store, featureId, text, 'operator')
    this.#wake()
    return answered
  }

  status(): RunStatus {
    return {
      runId: this.runId,
      mode: this.#mode,
      settings: this.#settings,
      stats: this.#store.features.stats(),
      agents: [...this.#agents.values()].map(({ controller: _controller, ...agent }) => agent),
      spend: this.#store.sessions.totals(this.runId),
      startedAt: this.#startedAt,
      drainReason: this.#drainReason?.message ?? null,
    }
  }

  // ---- the loop --------------------------------------------------------------------------------

  async #loop(): Promise<Finish> {
    for (;;) {
      const finish = this.#step()
      if (finish) return finish
      await this.#nextWake()
    }
  }

  /** One scheduling pass: starts what may start; returns how the run ends once it does. */
  #step(): Finish | null {
    const busy = this.#agents.size
    if (this.#stopRequested !== null && this.#mode !== 'stopping') this.stop(this.#stopRequested)
    if (this.#mode === 'stopping') {
      return busy === 0
        ? { reason: 'stopped', message: `Stopped: ${this.#stopRequested ?? 'requested'}.` }
        : null
    }
    if (this.#fatal !== null) this.#beginDrain('error', this.#fatal)
    this.#checkCost()
    if (this.#mode === 'draining') return busy === 0 ? this.#drainReason! : null

    const features = this.#store.features.list()
    if (features.length === 0) return this.#stepInitializer(busy)
    // Coders branch from the project branch: none starts before the initializer's scaffold is merged.
    if ([...this.#agents.values()].some((agent) => agent.role === 'initializer')) return null
    const remaining = features.filter((feature) => !isDone(feature))
    if (remaining.length === 0) {
      return busy === 0
        ? { reason: 'complete', message: `All ${features.length} features are done.` }
        : null
    }
    if (this.#mode === 'paused') return null

    const startedCoding = this.#startCoding(features)
    const coding = [...this.#agents.values()].some((agent) => agent.role !== 'testing')
    // Testers run only alongside coding work: on a board where no coder can progress they would
    // keep the run busy (and spending) forever instead of letting it stop with a report.
    if (startedCoding > 0 || coding) {
      this.#startTesting(features)
      return null
    }
    if (busy > 0) return null
    if (this.#waitForForeignClaims()) return null
    if (
      this.#settings.waitForAnswers &&
      remaining.some((feature) => feature.state === 'needs_human')
    )
      return null
    const report = deadlockReport(features)
    return { reason: 'deadlock', message: report.message, deadlock: report }
  }

  #stepInitializer(busy: number): Finish | null {
    if (this.#initializerRan) {
      return busy === 0
        ? {
            reason: 'error',
            message:
              'The initializer ended without creating any feature; check its log, then run again.',
          }
        : null
    }
    if (busy > 0 || this.#mode === 'paused') return null
    this.#initializerRan = true
    this.#launch('initializer', [])
    return null
  }

  #codingSlotsFree(): number {
    let used = 0
    for (const agent of this.#agents.values())
      if (agent.role !== 'testing' && agent.phase !== 'settling') used++
    return this.#settings.concurrency - used
  }

  #startCoding(features: readonly Feature[]): number {
    const free = this.#codingSlotsFree()
    if (free <= 0) return 0
    const claimed = new Set(this.#store.claims.list().map((claim) => claim.featureId))
    const batches = codingBatches(features, claimed, {
      batchSize: this.#settings.batchSize,
      concurrency: this.#settings.concurrency,
      free,
    })
    let started = 0
    for (const batch of batches) {
      if (started >= free) break
      if (this.#launch('coding', batch)) started++
    }
    return started
  }

  #startTesting(features: readonly Feature[]): number {
    if (this.#options.yolo || this.#mode !== 'running') return 0
    let running = 0
    for (const agent of this.#agents.values())
      if (agent.role === 'testing' && agent.phase !== 'settling') running++
    let started = 0
    while (running + started < this.#settings.testingAgents) {
      const held = new Set(this.#store.claims.list().map((claim) => claim.featureId))
      const batch = testingBatch(features, held, this.#settings.testingBatchSize)
      if (batch.length === 0 || !this.#launch('testing', batch)) break
      started++
    }
    return started
  }

  /** Claims that agents outside this run hold (e.g. through `autocoder mcp`): wait for their leases. */
  #waitForForeignClaims(): boolean {
    const foreign = this.#store.claims.list().filter((claim) => !this.#agents.has(claim.agentId))
    if (foreign.length === 0) return false
    const until = Math.min(...foreign.map((claim) => claim.leaseUntil))
    this.#leaseTimer?.abort()
    const timer = new AbortController()
    this.#leaseTimer = timer
    this.#env.clock
      .sleep(Math.max(until - this.#env.clock.now(), 0) + 1, timer.signal)
      .then(() => {
        this.#store.claims.reclaimExpired()
        this.#wake()
      })
      .catch(() => undefined)
    return true
  }

  /** Claims the features (all or none) and starts the agent; false when the claim fails. */
  #launch(role: AgentRoleName, featureIds: readonly number[]): boolean {
    const seq = ++this.#seq
    const agentId = `${role[0]}${seq}-${this.runId.slice(4)}`
    if (featureIds.length > 0) {
      const kind = role === 'testing' ? 'testing' : 'coding'
      const claimed = this.#store.claims.claim(featureIds, agentId, kind, this.#settings.leaseMs)
      if (!claimed.ok) return false
    }
    const agent: RunningAgent = {
      agentId,
      role,
      featureIds: [...featureIds],
      startedAt: this.#env.clock.now(),
      phase: 'preparing',
      model: null,
      controller: new AbortController(),
    }
    this.#agents.set(agentId, agent)
    void this.#runAgent(agent, (this.#options.basePort ?? 4100) + (seq % 100))
      .catch((error: unknown) => {
        this.#log('error', `Agent ${agentId} failed unexpectedly: ${(error as Error).message}`)
        releaseUnfinished(this.#store, agentId, {
          countAttempt: false,
          maxAttempts: this.#settings.maxAttempts,
          reason: 'agent failed',
        })
        this.#fatal ??= `agent ${agentId} failed unexpectedly: ${(error as Error).message}`
      })
      .finally(() => {
        this.#agents.delete(agentId)
        this.#wake()
      })
    return true
  }

  async #runAgent(agent: RunningAgent, port: number): Promise<void> {
    const { store } = this
    const checkout = await this.#workspace.checkout(agent.agentId)
    if (!checkout.ok) {
      this.#log(
        'error',
        `Could not create the worktree of ${agent.agentId}: ${checkout.error.message}`,
      )
      releaseUnfinished(store, agent.agentId, {
        countAttempt: false,
        maxAttempts: this.#settings.maxAttempts,
        reason: 'no worktree',
      })
      this.#countAgentError(`the worktree could not be created: ${checkout.error.message}`)
      await this.#workspace.release(agent.agentId)
      return
    }
    let result: AgentRunResult | null = null
    if (!agent.controller.signal.aborted) {
      agent.phase = 'running'
      result = await this.#launcher({
        agentId: agent.agentId,
        role: agent.role,
        featureIds: agent.featureIds,
        cwd: checkout.value.cwd,
        branch: checkout.value.branch,
        port,
        runId: this.runId,
        featureCount: this.#options.initializerFeatureCount,
        signal: agent.controller.signal,
        isDone: () => this.#isAgentDone(agent),
        afterSession: () => this.#verifyGit(`after a session of ${agent.agentId}`),
      })
    }
    agent.phase = 'settling'
    this.#wake()
    await this.#settle(agent, result)
    const removed = await this.#workspace.release(agent.agentId)
    if (!removed.ok)
      this.#log(
        'warn',
        `Could not remove the worktree of ${agent.agentId}: ${removed.error.message}`,
      )
  }

  #isAgentDone(agent: RunningAgent): boolean {
    const store = this.#store
    if (agent.role === 'initializer') return store.features.count() > 0
    return store.claims.heldBy(agent.agentId).every((claim) => claim.reported === 'passing')
  }

  /** Puts back repository config and hooks an agent changed, before our own git runs again. */
  async #verifyGit(when: string): Promise<void> {
    this.#restored(await this.#workspace.verify(), when)
  }

  #restored(paths: readonly string[], when: string): void {
    if (paths.length > 0)
      this.#store.events.append({ type: 'git.restored', paths: [...paths], when })
  }

  async #settle(agent: RunningAgent, result: AgentRunResult | null): Promise<void> {
    const { store } = this
    await this.#verifyGit(`before merging the work of ${agent.agentId}`)
    const stopped = agent.controller.signal.aborted || result === null
    const { maxAttempts } = this.#settings
    if (agent.role === 'initializer') {
      if (stopped) return
      const merged = await this.#workspace.merge({
        agentId: agent.agentId,
        featureIds: [],
        message: 'Project scaffold by the initializer',
        unchecked: true,
      })
      if (merged.kind === 'merged')
        recordMerged(store, { agentId: agent.agentId, featureIds: [], commit: merged.commit })
      else
        this.#log(
          'warn',
          `The initializer's work was not merged (${merged.kind}); features were created anyway.`,
        )
      return
    }
    let merged = false
    if (!stopped) {
      const reported = store.claims
        .heldBy(agent.agentId)
        .filter((claim) => claim.reported === 'passing')
        .map((claim) => claim.featureId)
      if (reported.length > 0) {
        merged = await mergeAndRecord(store, this.#workspace, {
          agent,
          featureIds: reported,
          maxAttempts,
          log: (level, text) => this.#log(level, text),
        })
      }
    }
    releaseUnfinished(store, agent.agentId, {
      countAttempt: !stopped && result?.outcome !== 'interrupted',
      maxAttempts,
      reason: stopped ? 'run stopped' : `agent ${result?.outcome ?? 'ended'}`,
    })
    if (merged || stopped || result?.outcome !== 'error') this.#agentErrorsInARow = 0
    else this.#countAgentError(result.message)
  }

  #countAgentError(message: string): void {
    this.#agentErrorsInARow++
    if (this.#agentErrorsInARow >= MAX_AGENT_ERRORS_IN_A_ROW) {
      this.#fatal ??= `${this.#agentErrorsInARow} agents in a row ended in an error; the last: ${message}`
      this.#wake()
    }
  }

  #beginDrain(reason: FinishReason, message: string): void {
    if (this.#mode === 'finished' || this.#mode === 'stopping') return
    if (this.#mode === 'draining' && this.#drainReason?.reason !== 'drained') return
    this.#mode = 'draining'
    this.#drainReason = { reason, message }
    if (this.#startedAt !== null)
      this.#store.events.append({ type: 'run.draining', runId: this.runId, reason: message })
    this.#wake()
  }

  #checkCost(): void {
    const max = this.#settings.maxCostUsd
    if (max === null) return
    const spent = this.#store.sessions.totals(this.runId).costUsd
    if (spent >= max)
      this.#beginDrain(
        'budget',
        `Budget reached: spent $${spent.toFixed(2)} of $${max.toFixed(2)} (--max-cost).`,
      )
  }

  async #abortAll(message: string): Promise<void> {
    for (const agent of this.#agents.values()) agent.controller.abort(new Error(message))
    while (this.#agents.size > 0) await this.#nextWake()
  }

  // ---- timers and wake-ups ---------------------------------------------------------------------

  async #heartbeat(): Promise<void> {
    const { clock } = this.#env
    for (;;) {
      try {
        await clock.sleep(this.#settings.heartbeatMs, this.#timers.signal)
      } catch {
        return
      }
      for (const agent of this.#agents.values())
        this.#store.claims.heartbeat(agent.agentId, this.#settings.leaseMs)
      if (!this.#store.locks.renew(this.runId, this.#settings.lockLeaseMs)) {
        this.#log('error', 'The project lock was taken over by another orchestrator; stopping.')
        this.stop('the project lock was lost')
      }
      if (this.#store.claims.reclaimExpired().length > 0) this.#wake()
      // Another process (autocoder answer, features edits) may have changed the board.
      const lastEvent = this.#store.events.lastId()
      if (lastEvent !== this.#lastSeenEvent) {
        this.#lastSeenEvent = lastEvent
        this.#wake()
      }
    }
  }

  async #deadline(ms: number): Promise<void> {
    const { clock } = this.#env
    const until = clock.now() + ms
    // In slices of at most a day: timers longer than 2^31 ms fire at once.
    while (clock.now() < until) {
      try {
        await clock.sleep(Math.min(until - clock.now(), 86_400_000), this.#timers.signal)
      } catch {
        return
      }
    }
    this.#beginDrain(
      'budget',
      `Time budget reached: the run has lasted ${ms / 3_600_000} h (--max-hours).`,
    )
  }

  #wake(): void {
    this.#woken = true
    const wake = this.#wakeUp
    this.#wakeUp = null
    wake?.()
  }

  async #nextWake(): Promise<void> {
    if (!this.#woken) await new Promise<void>((resolve) => (this.#wakeUp = resolve))
    this.#woken = false
  }

  #log(level: 'info' | 'warn' | 'error', text: string): void {
    this.#store.events.append({ type: 'log', source: ORCHESTRATOR, level, text })
  }
}
